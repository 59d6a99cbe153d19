import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from '@purenn/network'
import type { Activation, Network } from '@purenn/network'
import { arbNetwork, bitsOf, elementwiseActivations, fromColumns, makeNetwork, referenceForward, snapshot } from './reference.js'

/** The tutorial's worked example: identity activation, every weight and bias 1. */
const ones = (inputSize: number, ...widths: number[]): Network =>
  pipe(
    widths.reduce((net, nodes) => N.addLayer({ nodes, activation: N.linear })(net), N.network(inputSize)),
    N.randomize(1, 1)
  )(M.rng(0))[0]

describe("the tutorial's numbers", () => {
  it('a 2-2-2 identity network of ones maps [1, 1] to [7, 7], through [1, 1], [3, 3], [7, 7]', () => {
    const { prediction, activations } = N.predict([1, 1])(ones(2, 2, 2))
    expect(prediction).toEqual([7, 7])
    expect(activations.map(M.toArray)).toEqual([
      [1, 1],
      [3, 3],
      [7, 7]
    ])
  })
})

describe('network and addLayer', () => {
  it('build layers of nodes x inputs, the previous width feeding the next', () => {
    const net = pipe(N.network(3), N.addLayer({ nodes: 4, activation: N.relu }), N.addLayer({ nodes: 2, activation: N.softmax }))
    expect(net.inputSize).toBe(3)
    expect(net.layers.map((l) => [M.shapeOf(l.weights), M.shapeOf(l.bias), l.activation.name])).toEqual([
      ['4x3', '4x1', 'relu'],
      ['2x4', '2x1', 'softmax']
    ])
    expect(N.outputSize(net)).toBe(2)
    expect(N.outputSize(N.network(5))).toBe(5)
  })

  it('return new values and leave the given network as it was', () => {
    const a = N.network(2)
    const b = N.addLayer(a, { nodes: 1, activation: N.sigmoid })
    expect(a.layers).toHaveLength(0)
    expect(b.layers).toHaveLength(1)
  })

  it('refuse a non-positive or non-integer size, and a missing activation', () => {
    expect(() => N.network(0)).toThrow(RangeError)
    expect(() => N.network(0)).toThrow('network: inputSize must be a positive integer, got 0')
    expect(() => N.network(1.5)).toThrow('network: inputSize must be a positive integer, got 1.5')
    expect(() => N.addLayer({ nodes: 0, activation: N.relu })(N.network(2))).toThrow('addLayer: nodes must be a positive integer, got 0')
    expect(() => N.addLayer({ nodes: -3, activation: N.relu })(N.network(2))).toThrow(RangeError)
    expect(() => N.addLayer({ nodes: 2.5, activation: N.relu })(N.network(2))).toThrow('got 2.5')
    expect(() => N.addLayer({ nodes: 2 } as unknown as N.LayerSpec)(N.network(2))).toThrow(TypeError)
    expect(() => N.addLayer({ nodes: 2, activation: (x: number) => x } as unknown as N.LayerSpec)(N.network(2))).toThrow(
      /addLayer: activation must be an activation/
    )
  })

  it('refuse softmax on a single node, which always outputs 1 and learns nothing', () => {
    expect(() => N.addLayer({ nodes: 1, activation: N.softmax })(N.network(2))).toThrow(RangeError)
    expect(() => N.addLayer({ nodes: 1, activation: N.softmax })(N.network(2))).toThrow(
      'addLayer: softmax needs 2 or more nodes: on 1 node it always outputs 1 and its gradient is 0 (for one output, use sigmoid)'
    )
    expect(N.addLayer({ nodes: 2, activation: N.softmax })(N.network(2)).layers).toHaveLength(1)
    expect(N.addLayer({ nodes: 1, activation: N.sigmoid })(N.network(2)).layers).toHaveLength(1)
  })
})

describe('randomize and initialize', () => {
  const spec = pipe(N.network(4), N.addLayer({ nodes: 8, activation: N.relu }), N.addLayer({ nodes: 3, activation: N.sigmoid }))

  it('randomize draws every weight and bias in [lower, upper), seeded, and returns the next generator', () => {
    const [net, next] = N.randomize(-0.5, 0.25)(spec)(M.rng(1))
    const all = net.layers.flatMap((l) => [...l.weights.data, ...l.bias.data])
    expect(all.every((v) => v >= -0.5 && v < 0.25)).toBe(true)
    expect(new Set(all).size).toBe(all.length)
    expect(next).not.toEqual(M.rng(1))
    const [again] = N.randomize(-0.5, 0.25)(spec)(M.rng(1))
    expect(bitsOf(again)).toEqual(bitsOf(net))
    const [other] = N.randomize(-0.5, 0.25)(spec)(M.rng(2))
    expect(bitsOf(other)).not.toEqual(bitsOf(net))
  })

  it('randomize defaults to [−1, 1) and fills with the value when lower = upper', () => {
    const [net] = N.randomize()(spec)(M.rng(3))
    expect(net.layers.flatMap((l) => [...l.weights.data]).every((v) => v >= -1 && v < 1)).toBe(true)
    const [fives] = N.randomize(5, 5)(spec)(M.rng(3))
    expect(fives.layers.flatMap((l) => [...l.weights.data, ...l.bias.data]).every((v) => v === 5)).toBe(true)
  })

  it('randomize refuses bad bounds', () => {
    expect(() => N.randomize(1, -1)).toThrow('randomize: lower (1) must not exceed upper (-1)')
    expect(() => N.randomize(Number.NaN, 1)).toThrow(RangeError)
    expect(() => N.randomize(0, Infinity)).toThrow('randomize: upper must be a finite number, got Infinity')
  })

  it("initialize('uniform') is randomize(-1, 1)", () => {
    expect(bitsOf(N.initialize('uniform')(spec)(M.rng(4))[0])).toEqual(bitsOf(N.randomize(-1, 1)(spec)(M.rng(4))[0]))
  })

  it("initialize('xavier') draws within ±√(6/(in + out)) with zero biases", () => {
    const [net] = N.initialize('xavier')(spec)(M.rng(5))
    net.layers.forEach((l) => {
      const limit = Math.sqrt(6 / (l.weights.cols + l.weights.rows))
      expect(M.maxAbs(l.weights)).toBeLessThanOrEqual(limit)
      expect(M.maxAbs(l.weights)).toBeGreaterThan(limit / 2)
      expect(M.maxAbs(l.bias)).toBe(0)
    })
  })

  it("initialize('he') draws normals with σ = √(2/in) and zero biases", () => {
    const big = pipe(N.network(200), N.addLayer({ nodes: 200, activation: N.relu }))
    const [net] = N.initialize('he')(big)(M.rng(6))
    const w = net.layers[0]!.weights
    const n = w.rows * w.cols
    const mean = M.sum(w) / n
    const std = Math.sqrt(M.sumOfSquares(w) / n - mean * mean)
    expect(Math.abs(mean)).toBeLessThan(0.01)
    expect(std / Math.sqrt(2 / 200)).toBeCloseTo(1, 1)
    expect(M.maxAbs(net.layers[0]!.bias)).toBe(0)
  })

  it('initialize refuses an unknown scheme', () => {
    expect(() => N.initialize('glorot' as N.InitScheme)).toThrow(/initialize: scheme must be 'uniform', 'xavier' or 'he'/)
  })

  it('leave the network they were given unchanged', () => {
    const before = snapshot(spec)
    N.randomize()(spec)(M.rng(0))
    N.initialize('he')(spec)(M.rng(0))
    expect(snapshot(spec)).toEqual(before)
  })
})

describe('predict and predictBatch', () => {
  it('agree with the reference forward pass, and with each other, for random networks', () => {
    fc.assert(
      fc.property(
        arbNetwork(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(...elementwiseActivations, N.softmax))),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (net, batch, seed) => {
          const [X] = M.uniform(net.inputSize, batch, -2, 2)(M.rng(Math.abs(seed)))
          const samples = M.toArrays(M.transpose(X))
          const reference = referenceForward(net, samples)
          const Y = N.predictBatch(X)(net)
          // shapes: the width the last layer declares is the width predict returns
          expect([Y.rows, Y.cols]).toEqual([N.outputSize(net), batch])
          samples.forEach((x, s) => {
            const { prediction, activations } = N.predict(net, x)
            expect(prediction).toHaveLength(net.layers.at(-1)!.weights.rows)
            expect(activations).toHaveLength(net.layers.length + 1)
            expect(M.toArray(activations[0]!)).toEqual(x)
            activations.slice(1).forEach((a, k) => {
              reference[k]!.y[s]!.forEach((v, i) => expect(M.get(a, i, 0)).toBeCloseTo(v, 12))
            })
            prediction.forEach((v, i) => expect(M.get(Y, i, s)).toBeCloseTo(v, 12))
          })
        }
      ),
      { numRuns: 60 }
    )
  })

  it('refuse an input of the wrong length, naming both lengths', () => {
    const net = makeNetwork(2, [[1, N.sigmoid]], 0)
    expect(() => N.predict([1, 2, 3])(net)).toThrow('predict: input has 3 values, the network expects 2')
    expect(() => N.predict([1])(net)).toThrow('predict: input has 1 value, the network expects 2')
    expect(() => N.predict([1, Number.NaN])(net)).toThrow('predict: input[1] must be a finite number, got NaN')
    expect(() => N.predict('ab' as unknown as number[])(net)).toThrow(TypeError)
    expect(() => N.predictBatch(M.zeros(3, 4))(net)).toThrow('predictBatch: inputs has 3 rows, the network expects 2 (one sample per column)')
  })

  it('change neither the network nor the inputs', () => {
    const net = makeNetwork(3, [[4, N.tanh], [2, N.softmax]], 1)
    const X = fromColumns([[1, 2, 3], [0, -1, 0.5]], 3)
    const input = [0.1, 0.2, 0.3]
    const before = snapshot(net, X)
    N.predict(input)(net)
    N.predictBatch(net, X)
    expect(snapshot(net, X)).toEqual(before)
    expect(input).toEqual([0.1, 0.2, 0.3])
  })

  it('a network with no layers predicts its input', () => {
    expect(N.predict(N.network(2), [3, 4])).toEqual({ prediction: [3, 4], activations: [M.fromArray([3, 4])] })
  })
})
