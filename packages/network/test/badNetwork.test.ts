// API.md, Conventions: functions that return a plain value refuse a bad argument by throwing a
// `TypeError` or `RangeError` whose message names the argument. A value given where a network
// (or a generator) belongs is refused at the door, naming the function and the argument,
// rather than failing deep inside (`Cannot read properties of null`).
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from '@purenn/network'

const notNetworks: ReadonlyArray<unknown> = [null, undefined, 3, 'net', {}, { inputSize: 2 }, { layers: [] }, { inputSize: 0, layers: [] }, { inputSize: 1.5, layers: [] }, []]

/** Every function that takes a network, called with `u` in its place (as the data-last form passes it). */
const takers: ReadonlyArray<readonly [fn: string, call: (u: unknown) => unknown]> = [
  ['addLayer', (u) => N.addLayer({ nodes: 1, activation: N.sigmoid })(u as N.Network)],
  ['randomize', (u) => N.randomize()(u as N.Network)],
  ['initialize', (u) => N.initialize('xavier')(u as N.Network)],
  ['predict', (u) => N.predict([0, 1])(u as N.Network)],
  ['predictBatch', (u) => N.predictBatch(M.zeros(2, 1))(u as N.Network)],
  ['gradients', (u) => N.gradients(N.mse, M.zeros(2, 1), M.zeros(1, 1))(u as N.Network)],
  ['trainIteration', (u) => N.trainIteration([0, 1], [1], 0.1)(u as N.Network)],
  ['evaluate', (u) => N.evaluate([[0, 1]], [[1]])(u as N.Network)],
  ['accuracy', (u) => N.accuracy([[0, 1]], [[1]])(u as N.Network)],
  ['scores', (u) => N.scores(N.mse, [[0, 1]], [[1]])(u as N.Network)],
  ['meanLoss', (u) => N.meanLoss(N.mse, [[0, 1]], [[1]])(u as N.Network)],
  ['compileBackprop', (u) => N.compileBackprop(u as N.Network, N.mse)]
]

describe('a value that is not a network', () => {
  for (const [fn, call] of takers)
    it(`${fn} refuses it with a TypeError naming the function and the argument`, () => {
      for (const u of notNetworks) expect(() => call(u)).toThrow(new TypeError(`${fn}: net must be a Network (network(n), then addLayer), got ${M.describeValue(u)}`))
    })

  it('a network passes', () => {
    const [net] = pipe(N.network(2), N.addLayer({ nodes: 1, activation: N.sigmoid }), N.randomize())(M.rng(0))
    for (const [, call] of takers) expect(() => call(net)).not.toThrow()
  })
})

describe('a value that is not a generator', () => {
  const net = pipe(N.network(2), N.addLayer({ nodes: 1, activation: N.sigmoid }))
  for (const [fn, draw] of [
    ['randomize', N.randomize()(net)],
    ['initialize', N.initialize('he')(net)]
  ] as const)
    it(`${fn} refuses it with a TypeError`, () => {
      for (const u of [undefined, null, {}, 42, { state: [1, 2] }] as ReadonlyArray<unknown>)
        expect(() => draw(u as M.Rng)).toThrow(new TypeError(`${fn}: expected a generator (rng(seed)) to draw from, got ${M.describeValue(u)}`))
      expect(() => draw(M.rng(1))).not.toThrow()
    })
})

describe('networkProblem', () => {
  it('passes every network network and addLayer build, and names the first layer that breaks the chain', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), (inputs, widths, pick) => {
        const net = widths.reduce((n, nodes) => N.addLayer(n, { nodes, activation: N.tanh }), N.network(inputs))
        expect(N.networkProblem(net)).toBeUndefined()
        const k = pick % widths.length
        const before = k === 0 ? inputs : widths[k - 1]!
        const layers = [...net.layers]
        layers[k] = { ...layers[k]!, weights: M.zeros(widths[k]!, before + 1) }
        expect(N.networkProblem({ ...net, layers })).toEqual({
          path: `layers[${k}].weights`,
          message: `expected a matrix of ${before} columns (the size before the layer), got a ${widths[k]}x${before + 1} matrix`
        })
        layers[k] = { ...net.layers[k]!, bias: M.zeros(widths[k]! + 1, 1) }
        expect(N.networkProblem({ ...net, layers })?.path).toBe(`layers[${k}].bias`)
        layers[k] = { ...net.layers[k]!, activation: { name: 'x' } as never }
        expect(N.networkProblem({ ...net, layers })?.path).toBe(`layers[${k}].activation`)
      })
    )
  })

  it('names what is not a network at all', () => {
    expect(N.networkProblem(3)).toEqual({ path: '', message: 'expected a network { inputSize, layers }, got number 3' })
    expect(N.networkProblem({ inputSize: 0, layers: [] })?.path).toBe('inputSize')
    expect(N.networkProblem({ inputSize: 2, layers: {} })?.path).toBe('layers')
    expect(N.networkProblem({ inputSize: 2, layers: [null] })?.path).toBe('layers[0]')
    expect(N.networkProblem(N.network(2))).toBeUndefined() // no layers: the caller's to refuse
  })
})
