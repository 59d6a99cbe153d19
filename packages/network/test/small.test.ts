// The fused path for small networks (src/internal/small.ts) against the general path it
// replaces (denseGradients, densePredict): the same bits, for every built-in loss, activations
// built in and custom, batches from empty to the largest admitted, and the limits of the path.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, GradientsResult, Loss, Network } from '@purenn/network'
import { denseGradients } from '../src/backprop.js'
import { densePredict } from '../src/Network.js'
import { isSmall, smallGradients, smallPredict } from '../src/internal/small.js'
import { workspace } from '../src/Workspace.js'
import { elementwiseActivations, makeNetwork, swish } from './reference.js'

/** The bits of a buffer, so that −0 and 0 (and NaN payloads) count as different. */
const bits = (m: Matrix): number[] => [m.rows, m.cols, ...new Uint32Array(new Float64Array(m.data).buffer)]

const resultBits = (r: GradientsResult): unknown => [
  Array.from(new Uint32Array(new Float64Array([r.loss]).buffer)),
  r.gradients.map((g) => [bits(g.weights), bits(g.bias)])
]

/** A column activation the caller built (softmax written again), to reach the copying branch. */
const customSoftmax: Activation = {
  _tag: 'Column',
  name: 'mySoftmax',
  forward: (z) => N.softmax.forward(z),
  backward: (z, y, dy) => N.softmax.backward(z, y, dy)
}

const hidden: ReadonlyArray<Activation> = [...elementwiseActivations, N.softmax, customSoftmax]

/** Output layers that suit each built-in loss (and a few that merely run). */
const outputs: ReadonlyArray<readonly [Loss, ReadonlyArray<Activation>]> = [
  [N.mse, [...elementwiseActivations, N.softmax]],
  [N.meanAbsoluteError, [...elementwiseActivations, N.softmax]],
  [N.binaryCrossEntropy, [N.sigmoid]],
  [N.crossEntropy, [N.softmax, customSoftmax]]
]

/** Targets in the loss's domain: probabilities for the cross-entropies, any reals otherwise. */
const targetsFor = (loss: Loss, rows: number, cols: number, seed: number): Matrix => {
  if (loss === N.crossEntropy) return M.fromFunction(rows, cols, (i, j) => (i === (j + seed) % rows ? 1 : 0))
  const [t] = M.uniform(rows, cols, loss === N.binaryCrossEntropy ? 0 : -1, 1)(M.rng(seed))
  return t
}

const arbCase = fc
  .record({
    lossAt: fc.integer({ min: 0, max: outputs.length - 1 }),
    inputSize: fc.integer({ min: 1, max: 6 }),
    layers: fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(...hidden)), { maxLength: 3 }),
    outputWidth: fc.integer({ min: 1, max: 5 }),
    outputAt: fc.nat(),
    batch: fc.integer({ min: 0, max: 9 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    scale: fc.constantFrom(0.5, 1, 4)
  })
  .map(({ lossAt, inputSize, layers, outputWidth, outputAt, batch, seed, scale }) => {
    const [loss, outs] = outputs[lossAt]!
    const out = outs[outputAt % outs.length]!
    const width = out._tag === 'Column' ? Math.max(2, outputWidth) : outputWidth
    const net = makeNetwork(inputSize, [...layers, [width, out] as const], seed, scale)
    const [X] = M.uniform(inputSize, batch, -2, 2)(M.rng(seed + 1))
    return { net, loss, X, T: targetsFor(loss, width, batch, seed) }
  })

/** One workspace for every case: scratch left by one call must never show in the next. */
const ws = workspace()

describe('the fused path for small networks', () => {
  it('gives the gradients of the general path, bit for bit', () => {
    fc.assert(
      fc.property(arbCase, ({ net, loss, X, T }) => {
        expect(isSmall(net, X.cols)).toBe(true)
        expect(resultBits(smallGradients(net, loss, X, T, ws))).toEqual(resultBits(denseGradients(net, loss, X, T)))
        expect(resultBits(N.gradients(loss, X, T)(net))).toEqual(resultBits(denseGradients(net, loss, X, T)))
      }),
      { numRuns: 300 }
    )
  })

  it('gives the gradients of the general path for one sample (the per-sample pass), bit for bit', () => {
    // batch 1 on element-wise layers takes samplePass, written for vectors: check it on its own
    const oneSample = arbCase.map(({ net, loss }) => {
      const seed = net.layers.length + net.inputSize
      const [X] = M.uniform(net.inputSize, 1, -2, 2)(M.rng(seed))
      return { net, loss, X, T: targetsFor(loss, N.outputSize(net), 1, seed) }
    })
    fc.assert(
      fc.property(oneSample, ({ net, loss, X, T }) => {
        expect(resultBits(smallGradients(net, loss, X, T, ws))).toEqual(resultBits(denseGradients(net, loss, X, T)))
      }),
      { numRuns: 300 }
    )
    // −0 in a sample reaches the weight gradients as the general path's sums leave it
    const net = makeNetwork(2, [[3, N.tanh], [1, N.linear]], 6)
    const X = M.fromArray([-0, 0.5])
    const T = M.fromArray([0.25])
    expect(resultBits(smallGradients(net, N.mse, X, T, ws))).toEqual(resultBits(denseGradients(net, N.mse, X, T)))
    // a saturated sigmoid (y rounds to 1) with target 2: dz = (1 − 2)·1·(1 − 1) = −0, and the bias
    // gradient is the sum 0 + (−0) = +0 on both paths
    const saturated = N.addLayer({ nodes: 1, activation: N.sigmoid })(N.network(1))
    const big: Network = { ...saturated, layers: [{ ...saturated.layers[0]!, weights: M.fromArray([40]), bias: M.fromArray([0]) }] }
    const one = M.fromArray([1])
    const two = M.fromArray([2])
    const r = smallGradients(big, N.mse, one, two, ws)
    expect(Object.is(r.gradients[0]!.bias.data[0], 0)).toBe(true)
    expect(resultBits(r)).toEqual(resultBits(denseGradients(big, N.mse, one, two)))
  })

  it('gives the predictions of the general path, bit for bit', () => {
    fc.assert(
      fc.property(arbCase, ({ net, X }) => {
        expect(bits(smallPredict(net, X, ws))).toEqual(bits(densePredict(net, X)))
        expect(bits(N.predictBatch(X)(net))).toEqual(bits(densePredict(net, X)))
      }),
      { numRuns: 300 }
    )
  })

  it('agrees at the limits it admits: 128 inputs, 128 samples, 16·16·16 multiply-adds', () => {
    const cases: ReadonlyArray<readonly [Network, number]> = [
      [makeNetwork(128, [[1, N.tanh], [2, N.softmax]], 1), 32], // 128·1·32 = 4096, an inner dimension of 128
      [makeNetwork(16, [[16, N.sigmoid], [16, N.relu], [4, N.sigmoid]], 2), 16], // 16·16·16 = 4096
      [makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 3), 128] // 128 samples: the dZ·Xᵀ sums run over 128
    ]
    for (const [net, batch] of cases) {
      expect(isSmall(net, batch)).toBe(true)
      const [X] = M.uniform(net.inputSize, batch, -1, 1)(M.rng(batch))
      const outs = N.outputSize(net)
      const loss = net.layers.at(-1)!.activation === N.softmax ? N.crossEntropy : N.mse
      const T = targetsFor(loss, outs, batch, 5)
      expect(resultBits(smallGradients(net, loss, X, T, ws))).toEqual(resultBits(denseGradients(net, loss, X, T)))
      expect(bits(smallPredict(net, X, ws))).toEqual(bits(densePredict(net, X)))
    }
  })

  it('leaves larger networks and batches to the general path', () => {
    expect(isSmall(makeNetwork(129, [[1, N.sigmoid]], 0), 1)).toBe(false) // an input dimension over 128
    expect(isSmall(makeNetwork(2, [[2, N.sigmoid]], 0), 129)).toBe(false) // a batch over 128
    expect(isSmall(makeNetwork(16, [[16, N.sigmoid]], 0), 17)).toBe(false) // 16·16·17 > 4096
    expect(isSmall(makeNetwork(784, [[128, N.sigmoid], [10, N.softmax]], 0), 32)).toBe(false)
  })

  it('gives a nested call (a custom activation that runs a network) scratch of its own', () => {
    const inner = makeNetwork(3, [[4, N.tanh], [2, N.sigmoid]], 8)
    const [Xi] = M.uniform(3, 5, -1, 1)(M.rng(1))
    const Ti = targetsFor(N.mse, 2, 5, 2)
    let seen: GradientsResult | undefined
    const meddling = N.activation(
      'meddling',
      (x) => {
        seen = N.gradients(N.mse, Xi, Ti)(inner)
        N.predictBatch(Xi)(inner)
        return swish.f(x)
      },
      swish.df
    )
    const outer = makeNetwork(2, [[3, meddling], [1, N.sigmoid]], 9)
    const [X] = M.uniform(2, 4, -1, 1)(M.rng(3))
    const T = targetsFor(N.mse, 1, 4, 4)
    expect(resultBits(N.gradients(N.mse, X, T)(outer))).toEqual(resultBits(denseGradients(outer, N.mse, X, T)))
    expect(bits(N.predictBatch(X)(outer))).toEqual(bits(densePredict(outer, X)))
    expect(resultBits(seen!)).toEqual(resultBits(denseGradients(inner, N.mse, Xi, Ti)))
  })

  it('recovers from an activation that throws, and hands out no scratch', () => {
    const failing = N.activation('failing', () => { throw new Error('no') }, () => 1)
    const [X] = M.uniform(2, 3, -1, 1)(M.rng(0))
    expect(() => N.gradients(N.mse, X, M.zeros(1, 3))(makeNetwork(2, [[1, failing]], 0))).toThrow('no')
    const net = makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 4)
    const first = N.gradients(N.mse, X, M.zeros(1, 3))(net)
    const before = resultBits(first)
    const out = N.predictBatch(X)(net)
    const outBits = bits(out)
    N.gradients(N.mse, X, M.fill(1, 3, 1))(net) // more calls reuse the scratch: what was handed out stays as it was
    N.predictBatch(M.fill(2, 3, 0.5))(net)
    expect(resultBits(first)).toEqual(before)
    expect(bits(out)).toEqual(outBits)
  })
})
