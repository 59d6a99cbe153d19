import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, Layer, Loss, Network } from '@purenn/network'
import { arbNetwork, elementwiseActivations, fromColumns, makeNetwork, referenceForward, referenceLoss, snapshot, swish } from './reference.js'

// -------------------------------------------------------------------------------------
// the gradient check
// -------------------------------------------------------------------------------------

/** The finite-difference step. */
const H = 1e-5

/** Activations whose derivative jumps at 0 (relu, leakyRelu), or whose second derivative does (elu). */
const kinkAtZero = (a: Activation): boolean => a === N.relu || a === N.leakyRelu || a === N.elu

/** Replaces one parameter (`weights` or `bias` entry `index` of layer `k`) by `value`. */
const withParam = (net: Network, k: number, which: 'weights' | 'bias', index: number, value: number): Network => ({
  inputSize: net.inputSize,
  layers: net.layers.map((l, j): Layer => {
    if (j !== k) return l
    const m = l[which]
    const data = new Float64Array(m.data)
    data[index] = value
    return { ...l, [which]: { rows: m.rows, cols: m.cols, data } }
  })
})

/** The signs that decide which side of every kink a forward pass is on. */
const kinkSigns = (net: Network, loss: Loss, xs: number[][], ts: number[][]): number[] => {
  const layers = referenceForward(net, xs)
  const signs: number[] = []
  layers.forEach((layer, k) => {
    if (kinkAtZero(net.layers[k]!.activation)) for (const z of layer.z) signs.push(...z.map(Math.sign))
  })
  if (loss === N.meanAbsoluteError) layers[layers.length - 1]!.y.forEach((y, s) => signs.push(...y.map((v, i) => Math.sign(v - ts[s]![i]!))))
  return signs
}

/** True when a kink lies within the step: some sign differs between θ − h, θ and θ + h, or is 0. */
const kinkWithinStep = (a: number[], b: number[], c: number[]): boolean => a.some((s, i) => s === 0 || s !== b[i] || s !== c[i])

interface Case {
  readonly net: Network
  readonly loss: Loss
  readonly xs: number[][]
  readonly ts: number[][]
}

/** Targets that suit the loss: any reals for mse and mae, in (0, 1) for bce, probability vectors for ce. */
const arbTargets = (loss: Loss, outputs: number, batch: number): fc.Arbitrary<number[][]> => {
  const sample =
    loss === N.binaryCrossEntropy
      ? fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: outputs, maxLength: outputs })
      : loss === N.crossEntropy
        ? fc
            .array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: outputs, maxLength: outputs })
            .map((w) => w.map((v) => v / w.reduce((a, b) => a + b, 0)))
        : fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: outputs, maxLength: outputs })
  return fc.array(sample, { minLength: batch, maxLength: batch })
}

/** Output layers, per loss: the valid pairs (and mse with softmax, to check its own backward rule). */
const pairs: ReadonlyArray<readonly [Loss, fc.Arbitrary<readonly [number, Activation]>]> = [
  [N.mse, fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(...elementwiseActivations))],
  [N.mse, fc.tuple(fc.integer({ min: 2, max: 4 }), fc.constant<Activation>(N.softmax))],
  [N.meanAbsoluteError, fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(...elementwiseActivations))],
  [N.meanAbsoluteError, fc.tuple(fc.integer({ min: 2, max: 4 }), fc.constant<Activation>(N.softmax))],
  [N.binaryCrossEntropy, fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constant<Activation>(N.sigmoid))],
  [N.crossEntropy, fc.tuple(fc.integer({ min: 2, max: 4 }), fc.constant<Activation>(N.softmax))]
]

const arbCase = (loss: Loss, output: fc.Arbitrary<readonly [number, Activation]>): fc.Arbitrary<Case> =>
  fc.tuple(arbNetwork(output), fc.integer({ min: 1, max: 8 })).chain(([net, batch]) =>
    fc.record({
      net: fc.constant(net),
      loss: fc.constant(loss),
      xs: fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: net.inputSize, maxLength: net.inputSize }), {
        minLength: batch,
        maxLength: batch
      }),
      ts: arbTargets(loss, N.outputSize(net), batch)
    })
  )

/** Checks every parameter of a case; returns how many were compared and how many skipped. */
/** How the checked gradients are computed (`gradients`, data-last): a parameter so that the check can be shown to fail. */
type GradientsOf = (loss: Loss, inputs: Matrix, targets: Matrix) => (net: Network) => N.GradientsResult

const check = ({ net, loss, xs, ts }: Case, gradientsOf: GradientsOf = (l, x, t) => N.gradients(l, x, t)): { compared: number; skipped: number } => {
  const X = fromColumns(xs, net.inputSize)
  const T = fromColumns(ts, N.outputSize(net))
  const { loss: value, gradients } = gradientsOf(loss, X, T)(net)
  const lossAt = (n: Network): number => referenceLoss(loss, referenceForward(n, xs).at(-1)!.y, ts)
  expect(value).toBeCloseTo(lossAt(net), 10)
  const at = kinkSigns(net, loss, xs, ts)
  let compared = 0
  let skipped = 0
  net.layers.forEach((layer, k) => {
    for (const which of ['weights', 'bias'] as const) {
      const params = layer[which].data
      const analytic = gradients[k]![which].data
      for (let p = 0; p < params.length; p++) {
        const theta = params[p]!
        const plus = withParam(net, k, which, p, theta + H)
        const minus = withParam(net, k, which, p, theta - H)
        if (kinkWithinStep(at, kinkSigns(plus, loss, xs, ts), kinkSigns(minus, loss, xs, ts))) {
          skipped++
          continue
        }
        const a = analytic[p]!
        const f = (lossAt(plus) - lossAt(minus)) / (2 * H) // central difference
        if (!(Math.abs(a - f) <= 1e-6 * Math.max(1e-2, Math.abs(a) + Math.abs(f))))
          throw new Error(`layer ${k} ${which}[${p}] (${layer.activation.name}, ${loss.name}): analytic ${a}, finite difference ${f}`)
        compared++
      }
    }
  })
  return { compared, skipped }
}

describe('gradients agree with central finite differences', () => {
  for (const [loss, output] of pairs) {
    it(`${loss.name} over random networks and batches of 1 to 8`, () => {
      let compared = 0
      let skipped = 0
      fc.assert(
        fc.property(arbCase(loss, output), (c) => {
          const r = check(c)
          compared += r.compared
          skipped += r.skipped
        }),
        { numRuns: 60 }
      )
      // the skip rule removes only the rare points next to a kink
      expect(compared).toBeGreaterThan(20 * skipped)
    })
  }

  it('fails on a gradient that is off by one part in a thousand', () => {
    const net = makeNetwork(2, [[3, N.tanh], [1, N.sigmoid]], 5)
    const c: Case = { net, loss: N.mse, xs: [[0.5, -0.25]], ts: [[0.9]] }
    const skewed: GradientsOf = (loss, X, T) => (n) => {
      const r = N.gradients(loss, X, T)(n)
      return { loss: r.loss, gradients: r.gradients.map((g) => ({ weights: M.scale(1.001)(g.weights), bias: g.bias })) }
    }
    expect(check(c).compared).toBe(13)
    expect(() => check(c, skewed)).toThrow(/analytic .* finite difference/)
  })

  it('skips a point exactly at a relu kink, and only there', () => {
    // z = w·x + b = 0 for x = 1 when b = −w: the central difference straddles the kink
    const net: Network = { inputSize: 1, layers: [{ weights: M.fill(1, 1, 0.5), bias: M.fill(1, 1, -0.5), activation: N.relu }] }
    const r = check({ net, loss: N.mse, xs: [[1]], ts: [[1]] })
    expect(r.skipped).toBe(2)
    const away = check({ net, loss: N.mse, xs: [[2]], ts: [[1]] })
    expect(away).toEqual({ compared: 2, skipped: 0 })
  })
})

// -------------------------------------------------------------------------------------
// the fused output layers
// -------------------------------------------------------------------------------------

const col = (...values: number[]): Matrix => M.fromArray(values)

describe('fused losses', () => {
  it('softmax with crossEntropy: delta (y − t)/B and a finite loss for huge logits', () => {
    // one linear-free layer: weights 0, bias = the logits
    const net: Network = { inputSize: 1, layers: [{ weights: M.zeros(3, 1), bias: col(1000, 0, -1000), activation: N.softmax }] }
    const X = M.fill(1, 2, 0)
    const T = M.fromFunction(3, 2, (i, j) => (i === j + 1 ? 1 : 0)) // targets: class 1, then class 2
    const { loss, gradients } = N.gradients(N.crossEntropy, X, T)(net)
    // −log softmax: class 1 has logit gap 1000, class 2 a gap of 2000
    expect(loss).toBeCloseTo((1000 + 2000) / 2, 9)
    // db = Σ over samples of (y − t)/2 = ([1, 0, 0] − [0, 1, 0] + [1, 0, 0] − [0, 0, 1]) / 2
    expect(Array.from(gradients[0]!.bias.data)).toEqual([1, -0.5, -0.5])
  })

  it('sigmoid with binaryCrossEntropy: stable for large logits, delta y − t', () => {
    const net: Network = { inputSize: 1, layers: [{ weights: M.zeros(2, 1), bias: col(800, -800), activation: N.sigmoid }] }
    const { loss, gradients } = N.gradients(N.binaryCrossEntropy, M.fill(1, 1, 0), col(0, 1))(net)
    expect(loss).toBeCloseTo(1600, 9) // each output is wrong by a logit of 800
    expect(Array.from(gradients[0]!.bias.data)).toEqual([1, -1])
  })

  it('the generic path of crossEntropy (not over softmax) is −t/y, then the activation rule', () => {
    const net: Network = { inputSize: 1, layers: [{ weights: M.zeros(2, 1), bias: col(0, 0), activation: N.sigmoid }] }
    const { loss, gradients } = N.gradients(N.crossEntropy, M.fill(1, 1, 0), col(1, 0))(net)
    expect(loss).toBeCloseTo(Math.LN2, 14) // −log σ(0)
    // dz = −t/y · y(1 − y) = −(1 − y) = −0.5 for the first output, 0 for the second
    expect(Array.from(gradients[0]!.bias.data)).toEqual([-0.5, 0])
  })
})

// -------------------------------------------------------------------------------------
// shapes, purity, determinism, refusals
// -------------------------------------------------------------------------------------

describe('gradients', () => {
  const net = makeNetwork(3, [[4, N.tanh], [2, N.softmax]], 7)
  const X = M.fromFunction(3, 5, (i, j) => Math.sin(i + 3 * j))
  const T = M.fromFunction(2, 5, (i, j) => ((i + j) % 2 === 0 ? 1 : 0))

  it('mirror the layers’ shapes, for random networks', () => {
    fc.assert(
      fc.property(arbNetwork(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom<Activation>(...elementwiseActivations))), fc.integer({ min: 0, max: 6 }), (n, b) => {
        const { gradients } = N.gradients(N.mse, M.zeros(n.inputSize, b), M.zeros(N.outputSize(n), b))(n)
        expect(gradients.map((g) => [g.weights.rows, g.weights.cols, g.bias.rows, g.bias.cols])).toEqual(
          n.layers.map((l) => [l.weights.rows, l.weights.cols, l.bias.rows, l.bias.cols])
        )
      }),
      { numRuns: 50 }
    )
  })

  it('is data-first as well as data-last, and the same bits every time', () => {
    const a = N.gradients(N.crossEntropy, X, T)(net)
    const b = N.gradients(net, N.crossEntropy, X, T)
    expect(b.loss).toBe(a.loss)
    expect(b.gradients.map((g) => Array.from(g.weights.data))).toEqual(a.gradients.map((g) => Array.from(g.weights.data)))
  })

  it('changes none of its arguments', () => {
    const before = snapshot(net, X, T)
    N.gradients(N.crossEntropy, X, T)(net)
    N.gradients(N.mse, X, T)(net)
    expect(snapshot(net, X, T)).toEqual(before)
  })

  it('an empty batch has loss 0 and zero gradients', () => {
    const { loss, gradients } = N.gradients(N.mse, M.zeros(3, 0), M.zeros(2, 0))(net)
    expect(loss).toBe(0)
    expect(gradients.every((g) => g.weights.data.every((v) => v === 0))).toBe(true)
  })

  it('refuses mismatched sizes, naming them', () => {
    expect(() => N.gradients(N.mse, M.zeros(2, 5), T)(net)).toThrow('gradients: inputs has 2 rows, the network expects 3 (one sample per column)')
    expect(() => N.gradients(N.mse, X, M.zeros(3, 5))(net)).toThrow('gradients: targets has 3 rows, the network outputs 2')
    expect(() => N.gradients(N.mse, X, M.zeros(2, 4))(net)).toThrow('gradients: inputs has 5 samples (columns) but targets has 4')
    expect(() => N.gradients(N.mse, X, T)(N.network(3))).toThrow('gradients: the network has no layers')
    expect(() => N.gradients(N.mse, [[1, 2, 3]] as unknown as Matrix, T)(net)).toThrow(TypeError)
  })

  it('a custom activation goes through its own f and df', () => {
    const n = makeNetwork(2, [[3, swish], [1, N.linear]], 3)
    const x = [[0.3, -0.7]]
    const r = check({ net: n, loss: N.mse, xs: x, ts: [[0.2]] })
    expect(r.compared).toBe(13)
  })
})
