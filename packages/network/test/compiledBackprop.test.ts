// compileBackprop (src/compiledBackprop.ts): each of its backends (the fused loops of small
// networks, the kernels written out for tiny ones, the dense products) against the reference,
// `denseGradients`, bit for bit: a star around the reference, not a chain. Also what it refuses
// and that it writes nothing of the caller's.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, Loss, Network } from '@purenn/network'
import { denseGradients } from '../src/backprop.js'
import { arbNetwork, elementwiseActivations, makeNetwork, snapshot } from './reference.js'

/** The bits of numbers (−0 and 0 differ; every NaN reads as one). */
const bitsOf = (xs: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float64Array.from(xs, (x) => (Number.isNaN(x) ? Number.NaN : x)).buffer))

/** A loss of the user's (mean squared error, written again): the general path, with matrices. */
const mine: Loss = { ...N.mse, name: 'mine' }

/** Losses with the output activations each suits. */
const lossesFor: ReadonlyArray<readonly [Loss, ReadonlyArray<Activation>]> = [
  [N.mse, [...elementwiseActivations]],
  [N.meanAbsoluteError, [N.sigmoid, N.tanh, N.linear]],
  [N.binaryCrossEntropy, [N.sigmoid]],
  [N.crossEntropy, [N.softmax]],
  [mine, [N.sigmoid, N.linear]]
]

const arbCase = fc
  .record({ lossAt: fc.nat(lossesFor.length - 1), outputAt: fc.nat(), outputs: fc.integer({ min: 1, max: 3 }), batch: fc.constantFrom(1, 2, 5, 40), seed: fc.nat() })
  .chain(({ lossAt, outputAt, outputs, batch, seed }) => {
    const [loss, outs] = lossesFor[lossAt]!
    const output = outs[outputAt % outs.length]!
    return arbNetwork(fc.constant([output === N.softmax ? Math.max(2, outputs) : outputs, output] as const)).map((net) => {
      const n = net.layers[net.layers.length - 1]!.weights.rows
      const inputs = M.uniform(net.inputSize, batch, -2, 2)(M.rng(seed))[0]
      const raw = M.uniform(n, batch, 0.05, 0.95)(M.rng(seed + 1))[0]
      // cross-entropy's targets are distributions: each column sums to 1
      const targets = loss === N.crossEntropy ? M.fromFunction(n, batch, (i, j) => M.get(raw, i, j) / M.toArrays(raw).reduce((s, row) => s + row[j]!, 0)) : raw
      return { net, loss, inputs, targets }
    })
  })

describe('compileBackprop', () => {
  it('gives the reference’s loss and gradient, bit for bit, on every backend (property)', () => {
    fc.assert(
      fc.property(arbCase, fc.boolean(), ({ net, loss, inputs, targets }, generate) => {
        const bp = N.compileBackprop(net, loss, { generate })
        const before = snapshot(net, inputs, targets)
        const value = bp.run(N.parameterBlocks(net), inputs, targets)
        const ref = denseGradients(net, loss, inputs, targets)
        expect(bitsOf([value])).toEqual(bitsOf([ref.loss]))
        expect(bp.gradient.map(bitsOf)).toEqual(ref.gradients.flatMap((g) => [bitsOf(g.weights.data), bitsOf(g.bias.data)]))
        expect(bp.sizes).toEqual(ref.gradients.flatMap((g) => [g.weights.data.length, g.bias.data.length]))
        expect(snapshot(net, inputs, targets)).toEqual(before) // reads the parameters and the batch, writes neither
      }),
      { numRuns: 300 }
    )
  })

  it('runAdding writes θ + k·g, as run’s gradient rounds it, and the same loss, on every backend (property)', () => {
    fc.assert(
      fc.property(arbCase, fc.boolean(), fc.double({ min: -2, max: 2, noNaN: true }), fc.boolean(), ({ net, loss, inputs, targets }, generate, k, flat) => {
        const blocks = N.parameterBlocks(net)
        const theta = flat ? Float64Array.from(blocks.flatMap((b) => Array.from(b))) : blocks
        const before = snapshot(net, inputs, targets)
        const bp = N.compileBackprop(net, loss, { generate })
        const next = new Float64Array(bp.sizes.reduce((n, size) => n + size, 0))
        const value = bp.runAdding(theta, inputs, targets, k, next)
        const ref = denseGradients(net, loss, inputs, targets)
        const g = ref.gradients.flatMap((l) => [...l.weights.data, ...l.bias.data])
        const p = blocks.flatMap((b) => Array.from(b))
        expect(bitsOf([value])).toEqual(bitsOf([ref.loss]))
        expect(bitsOf(next)).toEqual(bitsOf(p.map((x, i) => x + k * g[i]!))) // θ + k·g, entry by entry
        expect(bp.nonFinite).toBe(0)
        expect(snapshot(net, inputs, targets)).toEqual(before)
      }),
      { numRuns: 200 }
    )
  })

  it('runAdding says when an entry it wrote is not finite, on every backend', () => {
    for (const sizes of [[[2, N.sigmoid], [1, N.sigmoid]], [[40, N.sigmoid], [1, N.sigmoid]]] as const)
      for (const generate of [true, false]) {
        const net = makeNetwork(2, sizes.map(([n, f]) => [n, f] as [number, Activation]), 3)
        const bp = N.compileBackprop(net, N.mse, { generate })
        const next = new Float64Array(bp.sizes.reduce((n, size) => n + size, 0))
        const x = M.fromArray([1, -1])
        bp.runAdding(N.parameterBlocks(net), x, M.fromArray([1]), 1e308, next) // k·g overflows wherever g is large enough
        const overflowed = Array.from(next).some((v) => !Number.isFinite(v))
        expect(Number.isNaN(bp.nonFinite)).toBe(overflowed)
        bp.runAdding(N.parameterBlocks(net), x, M.fromArray([1]), Number.NaN, next)
        expect(bp.nonFinite).toBeNaN()
        bp.runAdding(N.parameterBlocks(net), x, M.fromArray([1]), 0.5, next)
        expect(bp.nonFinite).toBe(0)
      }
  })

  it('runAdding refuses an output of the wrong size, or one that shares memory with the parameters', () => {
    const net = makeNetwork(2, [[3, N.tanh], [1, N.sigmoid]], 4)
    const bp = N.compileBackprop(net, N.mse)
    const flat = Float64Array.from(N.parameterBlocks(net).flatMap((b) => Array.from(b)))
    const x = M.fromArray([1, 2])
    const t = M.fromArray([1])
    expect(() => bp.runAdding(flat, x, t, -0.1, new Float64Array(3))).toThrow('Backprop.runAdding: next must be a Float64Array of 13 numbers (every parameter, block after block)')
    expect(() => bp.runAdding(flat, x, t, -0.1, flat)).toThrow('Backprop.runAdding: next must not share memory with theta')
    expect(() => bp.runAdding(flat, M.fromArray([1, 2, 3]), t, -0.1, new Float64Array(13))).toThrow('Backprop.runAdding: inputs has 3 rows, the network expects 2')
  })

  it('scores as `scores` does, on every backend (property)', () => {
    fc.assert(
      fc.property(arbCase, ({ net, loss, inputs, targets }) => {
        const s = N.compileBackprop(net, loss).scores(N.parameterBlocks(net), inputs, targets)
        const ref = N.scores(net, loss, inputs, targets)
        expect([s.count, s.correct, ...bitsOf([s.error, s.loss])]).toEqual([ref.count, ref.correct, ...bitsOf([ref.error, ref.loss])])
      }),
      { numRuns: 100 }
    )
  })

  it('takes the dense products past the small networks’ limits, with the reference’s bits', () => {
    const net = makeNetwork(150, [[40, N.relu], [10, N.softmax]], 3)
    const inputs = M.uniform(150, 32, 0, 1)(M.rng(1))[0]
    const targets = M.fromFunction(10, 32, (i, j) => (i === j % 10 ? 1 : 0))
    const bp = N.compileBackprop(net, N.crossEntropy)
    const value = bp.run(N.parameterBlocks(net), inputs, targets)
    const ref = denseGradients(net, N.crossEntropy, inputs, targets)
    expect(value).toBe(ref.loss)
    expect(bp.gradient.map(bitsOf)).toEqual(ref.gradients.flatMap((g) => [bitsOf(g.weights.data), bitsOf(g.bias.data)]))
  })

  it('reads the parameters from the blocks it is given: a network over other blocks gives that network’s gradients', () => {
    const a = makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 1)
    const b = makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 2)
    const x = M.fromArray([0.5, -1])
    const t = M.fromArray([1])
    const bp = N.compileBackprop(a, N.mse)
    expect(bp.run(N.parameterBlocks(b), x, t)).toBe(N.gradients(b, N.mse, x, t).loss)
    expect(bitsOf(bp.gradient[0]!)).toEqual(bitsOf(N.gradients(b, N.mse, x, t).gradients[0]!.weights.data))
    expect(N.networkOver(a, N.parameterBlocks(b))).toEqual(b)
  })

  it('refuses blocks and batches of the wrong sizes, and a network or a loss it cannot use, naming them', () => {
    const net = makeNetwork(2, [[3, N.tanh], [1, N.sigmoid]], 4)
    const bp = N.compileBackprop(net, N.mse)
    const theta = N.parameterBlocks(net)
    const x = M.fromArray([1, 2])
    const t = M.fromArray([1])
    expect(() => bp.run(theta.slice(1), x, t)).toThrow('Backprop.run: expected 4 parameter blocks (weights and bias of 2 layers), got 3')
    expect(() => bp.run([theta[0]!, new Float64Array(2), theta[2]!, theta[3]!], x, t)).toThrow('Backprop.run: block 1 (layer 0 bias) must be a Float64Array of 3 numbers')
    expect(() => bp.run(theta, M.fromArray([1, 2, 3]), t)).toThrow('Backprop.run: inputs has 3 rows, the network expects 2 (one sample per column)')
    expect(() => bp.run(theta, x, M.fromArray([1, 0]))).toThrow('Backprop.run: targets has 2 rows, the network outputs 1')
    expect(() => bp.scores(theta, x, [1] as unknown as M.Matrix)).toThrow('Backprop.scores: targets must be a Matrix')
    expect(() => N.compileBackprop(N.network(2), N.mse)).toThrow('compileBackprop: the network has no layers')
    expect(() => N.compileBackprop(net, {} as Loss)).toThrow('compileBackprop: loss must be a Loss')
    expect(() => N.networkOver(net, [theta[0]!])).toThrow('networkOver: expected 4 parameter blocks')
  })

  it('hands out gradient blocks that the next run writes again (its own), and parameter blocks that are the network’s (read only)', () => {
    const net: Network = makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 1)
    const bp = N.compileBackprop(net, N.mse)
    bp.run(N.parameterBlocks(net), M.fromArray([1, 0]), M.fromArray([1]))
    const first = bp.gradient.map((g) => Array.from(g))
    const held = bp.gradient[0]!
    bp.run(N.parameterBlocks(net), M.fromArray([0, 1]), M.fromArray([0]))
    expect(bp.gradient[0]).toBe(held) // the same block, written again
    expect(Array.from(held)).not.toEqual(first[0])
    expect(N.parameterBlocks(net)[0]).toBe(net.layers[0]!.weights.data)
  })
})
