// The kernels written out for one network shape (src/internal/generated.ts): a Backprop's
// gradients and scores through them against the reference (denseGradients, scores), bit for bit; the limits of the path and the
// fallback where code cannot be generated. (Each activation's source form against its function
// form: test/activationRules.test.ts.)
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, Loss, Network } from '@purenn/network'
import { elementwiseCode } from '../src/Activation.js'
import { MAX_GENERATED_PARAMETERS } from '../src/internal/generated.js'
import { kernelsFor, workspace } from '../src/Workspace.js'
import { makeNetwork } from './reference.js'
import { denseGradients } from '../src/backprop.js'

/**
 * The bits of numbers, so that −0 and 0 count as different; every NaN reads as one. Which NaN
 * an overflow gives (its sign and payload) is the processor's choice, made by the order in which
 * the compiled code hands it the operands of an add, not a result of the arithmetic: the two
 * paths may differ there and nowhere else.
 */
const bitsOf = (xs: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float64Array.from(xs, (x) => (Number.isNaN(x) ? Number.NaN : x)).buffer))


const scoreBits = (xs: ReadonlyArray<N.Scores>): unknown => xs.map((x) => [x.count, ...bitsOf([x.error, x.loss]), x.correct])

type Batch = { readonly inputs: M.Matrix; readonly targets: M.Matrix }

/**
 * Everything a backprop gives on the batches, as bits: for each batch, the loss and the
 * gradient at the network's parameters, and the scores on `scoreOn`.
 */
const backpropBits = (bp: N.Backprop, net: Network, batches: ReadonlyArray<Batch>, scoreOn: ReadonlyArray<Batch>): unknown => {
  const theta = N.parameterBlocks(net)
  return {
    runs: batches.map((b) => {
      const loss = bp.run(theta, b.inputs, b.targets)
      return [bitsOf([loss]), bp.gradient.map(bitsOf)]
    }),
    scores: scoreBits(scoreOn.map((b) => bp.scores(theta, b.inputs, b.targets)))
  }
}

/** The same by the reference: `denseGradients` and `scores` on the network. */
const referenceBits = (net: Network, loss: Loss, batches: ReadonlyArray<Batch>, scoreOn: ReadonlyArray<Batch>): unknown => ({
  runs: batches.map((b) => {
    const r = denseGradients(net, loss, b.inputs, b.targets)
    return [bitsOf([r.loss]), r.gradients.flatMap((g) => [bitsOf(g.weights.data), bitsOf(g.bias.data)])]
  }),
  scores: scoreBits(scoreOn.map((b) => N.scores(net, loss, b.inputs, b.targets)))
})

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
    scale: fc.constantFrom(0.5, 2, 30) // 30: large pre-activations, the exponentials' far branches and overflows
  })
  .map(({ lossAt, outputAt, hidden, inputSize, outputs, steps, wide, seed, scale }) => {
    const [loss, outs] = losses[lossAt]!
    const net = makeNetwork(inputSize, [...hidden, [outputs, outs[outputAt % outs.length]!]], seed, scale)
    const sample = (i: number, b: number): Batch => ({
      inputs: M.uniform(inputSize, b, -scale, scale)(M.rng(seed + 2 * i + 1))[0],
      targets: M.uniform(outputs, b, 0, 1)(M.rng(seed + 2 * i + 2))[0]
    })
    const batches = Array.from({ length: steps }, (_, i) => sample(i, wide && i === 1 ? 3 : 1))
    return { net, loss, batches, scoreOn: [sample(99, 1), sample(98, 5)] }
  })

describe('kernels written out for a shape', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('give a Backprop the reference’s gradients, losses and scores, bit for bit, and so do the fused loops without them', () => {
    fc.assert(
      fc.property(arbRun, ({ net, loss, batches, scoreOn }) => {
        const written = N.compileBackprop(net, loss)
        const ref = referenceBits(net, loss, batches, scoreOn)
        expect(backpropBits(written, net, batches, scoreOn)).toEqual(ref)
        expect(backpropBits(N.compileBackprop(net, loss, { generate: false }), net, batches, scoreOn)).toEqual(ref)
      }),
      { numRuns: 200 }
    )
  })

  it('are written for every shape of the property above: element-wise layers and a loss not fused with the output', () => {
    fc.assert(
      fc.property(arbRun, ({ net, loss }) => {
        const dims = net.layers.flatMap((l) => [l.weights.rows, l.weights.cols])
        const codes = net.layers.map((l) => elementwiseCode(l.activation))
        const term = loss === N.mse ? 'squared' : loss === N.meanAbsoluteError ? 'absolute' : 'binary'
        const parameters = net.layers.reduce((p, l) => p + l.weights.rows * (l.weights.cols + 1), 0)
        expect(kernelsFor(workspace(), { dims, codes, term }, parameters)).toBeDefined()
      }),
      { numRuns: 50 }
    )
  })

  it('are written for tiny element-wise shapes only, once a shape and workspace, never without one', () => {
    const shape = { dims: [2, 2, 1, 2], codes: [0, 0], term: 'squared' as const }
    const ws = workspace()
    const first = kernelsFor(ws, shape, 9)
    expect(first).toBeDefined()
    expect(kernelsFor(ws, { ...shape, dims: [...shape.dims] }, 9)).toBe(first) // kept: the same shape gets the same kernels
    expect(kernelsFor(workspace(), shape, 9)).not.toBe(first) // another workspace compiles its own: nothing is shared
    expect(kernelsFor(ws, shape, MAX_GENERATED_PARAMETERS + 1)).toBeUndefined()
    expect(kernelsFor(workspace({ generate: false }), shape, 9)).toBeUndefined()
    expect(kernelsFor(undefined, shape, 9)).toBeUndefined()
  })

  it('leave no trace in the results: a Backprop used before gives the bits of a fresh one', () => {
    fc.assert(
      fc.property(arbRun, ({ net, loss, batches, scoreOn }) => {
        const used = N.compileBackprop(net, loss)
        backpropBits(used, net, [...batches].reverse(), scoreOn) // leaves its scratch and gradients behind
        expect(backpropBits(used, net, batches, scoreOn)).toEqual(backpropBits(N.compileBackprop(net, loss), net, batches, scoreOn))
      }),
      { numRuns: 50 }
    )
  })

  it('give way to the fused loops where code cannot be generated (a Content-Security-Policy), with the same bits', () => {
    const net = makeNetwork(5, [[3, N.tanh], [2, N.elu]], 5) // 5 inputs: a shape the properties above never draw
    const batches = [0, 1, 2].map((i) => ({ inputs: M.uniform(5, 1, -1, 1)(M.rng(i))[0], targets: M.uniform(2, 1, -1, 1)(M.rng(i + 10))[0] }))
    const written = backpropBits(N.compileBackprop(net, N.mse), net, batches, [batches[0]!])
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript')
    })
    try {
      expect(kernelsFor(workspace(), { dims: [3, 5, 2, 3], codes: [1, 4], term: 'squared' }, 26)).toBeUndefined()
      expect(backpropBits(N.compileBackprop(net, N.mse), net, batches, [batches[0]!])).toEqual(written) // the loops, with the kernels' bits
    } finally {
      vi.unstubAllGlobals()
    }
    expect(kernelsFor(workspace(), { dims: [3, 5, 2, 3], codes: [1, 4], term: 'squared' }, 26)).toBeDefined()
  })

  it('throw what is not a refusal to generate code: a bug of the generator is not hidden', () => {
    vi.stubGlobal('Function', function broken() {
      throw new SyntaxError('Unexpected token')
    })
    try {
      expect(() => kernelsFor(workspace(), { dims: [2, 2, 1, 2], codes: [0, 0], term: 'squared' }, 9)).toThrow(SyntaxError)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('keep at most 64 shapes a workspace, dropping the least recently used', () => {
    const ws = workspace()
    const first = kernelsFor(ws, { dims: [1, 1], codes: [6], term: 'squared' }, 2)
    const second = kernelsFor(ws, { dims: [2, 1], codes: [6], term: 'squared' }, 4)
    for (let n = 3; n <= 64; n++) kernelsFor(ws, { dims: [n, 1], codes: [6], term: 'squared' }, 2 * n)
    expect(ws.kernels.size).toBe(64)
    expect(kernelsFor(ws, { dims: [1, 1], codes: [6], term: 'squared' }, 2)).toBe(first) // still kept
    kernelsFor(ws, { dims: [65, 1], codes: [6], term: 'squared' }, 130) // drops the least recently used: [2, 1]
    expect(kernelsFor(ws, { dims: [2, 1], codes: [6], term: 'squared' }, 4)).not.toBe(second) // compiled again
    expect(ws.kernels.size).toBe(64)
    expect(kernelsFor(ws, { dims: [1, 1], codes: [6], term: 'squared' }, 2)).toBe(first)
  })
})
