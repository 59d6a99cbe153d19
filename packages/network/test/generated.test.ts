// The kernels written out for one network shape (src/internal/generated.ts) against the fused
// loops they stand in for (src/internal/small.ts): the activations' statements against
// forwardAt / backwardAt, and whole descents with generated kernels switched on and off, bit
// for bit; the limits of the path and the fallback where code cannot be generated.
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, DescentBatch, Loss, Network } from '@purenn/network'
import { backwardAt, backwardSource, elementwiseCodes, forwardAt, forwardSource } from '../src/Activation.js'
import { generateKernels, kernelsFor, MAX_GENERATED_PARAMETERS } from '../src/internal/generated.js'
import { makeNetwork } from './reference.js'

/** The bits of numbers, so that −0 and 0 (and NaN payloads) count as different. */
const bitsOf = (xs: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float64Array.from(xs).buffer))

const networkBits = (net: Network): number[] => bitsOf(net.layers.flatMap((l) => [...l.weights.data, ...l.bias.data]))

const scoreBits = (xs: ReadonlyArray<N.Scores>): unknown => xs.map((x) => [x.count, ...bitsOf([x.error, x.loss]), x.correct])

/** Everything a descent gives, as bits. */
const descentBits = (d: N.Descent): unknown => ({
  network: networkBits(d.network),
  losses: bitsOf(d.losses),
  stopped: d.stopped === undefined ? undefined : { ...d.stopped, loss: bitsOf([d.stopped.loss]) },
  scores: d.scores === undefined ? undefined : scoreBits(d.scores),
  curve: d.curve?.map((c) => [c.steps, scoreBits(c.scores)]),
  checkpoints: d.checkpoints?.map((c) => [c.steps, networkBits(c.network), scoreBits(c.scores!)])
})

/** `descend` with generated kernels switched on or off. */
const descendWith = (on: boolean, net: Network, options: N.DescentOptions): N.Descent => {
  const was = generateKernels(on)
  try {
    return N.descend(net, options)
  } finally {
    generateKernels(was)
  }
}

const doubles = fc.oneof(
  fc.double({ noNaN: false }),
  fc.double({ min: -50, max: 50, noNaN: true }),
  fc.constantFrom(0, -0, 1e-310, -1e-310, 710, -745, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN)
)

/** Losses whose term is not fused with the output's activation, with the outputs each suits (binary cross-entropy on a sigmoid is fused, so not here). */
const losses: ReadonlyArray<readonly [Loss, ReadonlyArray<Activation>]> = [
  [N.mse, [N.sigmoid, N.tanh, N.relu, N.leakyRelu, N.elu, N.softplus, N.linear]],
  [N.meanAbsoluteError, [N.sigmoid, N.tanh, N.linear, N.softplus]],
  [N.binaryCrossEntropy, [N.softplus, N.relu]] // outputs ≥ 0 and often > 1: runs, diverging now and then
]

const arbRun = fc
  .record({
    lossAt: fc.integer({ min: 0, max: losses.length - 1 }),
    outputAt: fc.nat(),
    hidden: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(N.sigmoid, N.tanh, N.relu, N.leakyRelu, N.elu, N.softplus, N.linear)), { maxLength: 3 }),
    inputSize: fc.integer({ min: 1, max: 4 }),
    outputs: fc.integer({ min: 1, max: 3 }),
    steps: fc.integer({ min: 1, max: 12 }),
    wide: fc.boolean(), // one batch of several samples among the single ones (the fused loops take it)
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    scale: fc.constantFrom(0.5, 2, 30), // 30: large pre-activations, the exponentials' far branches and overflows
    rate: fc.constantFrom(0.1, 3, 'schedule' as const)
  })
  .map(({ lossAt, outputAt, hidden, inputSize, outputs, steps, wide, seed, scale, rate }) => {
    const [loss, outs] = losses[lossAt]!
    const net = makeNetwork(inputSize, [...hidden, [outputs, outs[outputAt % outs.length]!]], seed, scale)
    const sample = (i: number, b: number): DescentBatch => ({
      inputs: M.uniform(inputSize, b, -scale, scale)(M.rng(seed + 2 * i + 1))[0],
      targets: M.uniform(outputs, b, 0, 1)(M.rng(seed + 2 * i + 2))[0]
    })
    const batches = Array.from({ length: steps }, (_, i) => sample(i, wide && i === 1 ? 3 : 1))
    const learningRate = rate === 'schedule' ? (s: number) => 0.3 / (1 + s) : rate
    return { net, loss, batches, learningRate, scoreOn: [sample(99, 1), sample(98, 5)] }
  })

describe('kernels written out for a shape', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('run each activation as forwardAt and backwardAt do, bit for bit', () => {
    for (const code of elementwiseCodes) {
      const f = new Function('forwardAt', 'x', `let y; ${forwardSource(code, 'x', 'y')} return y;`) as (at: typeof forwardAt, x: number) => number
      const df = new Function('backwardAt', 'dy', 'x', 'y', `return ${backwardSource(code, 'dy', 'x', 'y')};`) as (
        at: typeof backwardAt,
        dy: number,
        x: number,
        y: number
      ) => number
      fc.assert(
        fc.property(doubles, doubles, (x, dy) => {
          const y = forwardAt(code, x)
          expect(bitsOf([f(forwardAt, x)])).toEqual(bitsOf([y]))
          expect(bitsOf([df(backwardAt, dy, x, y)])).toEqual(bitsOf([backwardAt(code, dy, x, y)]))
        }),
        { numRuns: 300 }
      )
    }
  })

  it('descend as the fused loops do, bit for bit: steps, losses, stops, scores, curve and checkpoints', () => {
    fc.assert(
      fc.property(arbRun, ({ net, loss, batches, learningRate, scoreOn }) => {
        const options: N.DescentOptions = { loss, batches, learningRate, scoreOn, scoreEvery: 2, checkpointEvery: 3 }
        expect(descentBits(descendWith(true, net, options))).toEqual(descentBits(descendWith(false, net, options)))
      }),
      { numRuns: 200 }
    )
  })

  it('are written for tiny element-wise shapes only, once a shape', () => {
    const shape = { dims: [2, 2, 1, 2], codes: [0, 0], term: 'squared' as const }
    const first = kernelsFor(shape, 9)
    expect(first).toBeDefined()
    expect(kernelsFor({ ...shape, dims: [...shape.dims] }, 9)).toBe(first) // kept: the same shape gets the same kernels
    expect(kernelsFor(shape, MAX_GENERATED_PARAMETERS + 1)).toBeUndefined()
    const was = generateKernels(false)
    expect(kernelsFor(shape, 9)).toBeUndefined()
    generateKernels(was)
  })

  it('give way to the fused loops where code cannot be generated (a Content-Security-Policy), with the same bits', () => {
    const net = makeNetwork(3, [[3, N.tanh], [2, N.elu]], 5) // a shape no other test writes out
    const batches = [0, 1, 2].map((i) => ({ inputs: M.uniform(3, 1, -1, 1)(M.rng(i))[0], targets: M.uniform(2, 1, -1, 1)(M.rng(i + 10))[0] }))
    const options: N.DescentOptions = { loss: N.mse, batches, learningRate: 0.2, scoreOn: [batches[0]!] }
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript')
    })
    expect(kernelsFor({ dims: [3, 3, 2, 3], codes: [1, 4], term: 'squared' }, 20)).toBeUndefined()
    const refused = N.descend(net, options)
    vi.unstubAllGlobals()
    expect(descentBits(refused)).toEqual(descentBits(descendWith(false, net, options)))
  })
})
