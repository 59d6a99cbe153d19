import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, Network } from '@purenn/network'
import { arbNetwork, bitsOf, elementwiseActivations, makeNetwork, snapshot } from './reference.js'

/**
 * The tutorial's trainIteration, written out over nested arrays for comparison: it adds
 * lr·(t − y) ⊙ f'·prevᵀ to each layer, then sends the errors back through the weights it has
 * just updated.
 */
const tutorialStep = (net: Network, input: number[], target: number[], lr: number): Network => {
  const ws = net.layers.map((l) => M.toArrays(l.weights))
  const bs = net.layers.map((l) => M.toArray(l.bias))
  const acts: number[][] = [input]
  net.layers.forEach((l, k) => {
    const z = ws[k]!.map((row, i) => row.reduce((s, w, j) => s + w * acts[k]![j]!, bs[k]![i]!))
    acts.push(z.map((v) => (l.activation as N.ElementwiseActivation).f(v)))
  })
  let errors = target.map((t, i) => t - acts.at(-1)![i]!)
  for (let k = net.layers.length - 1; k >= 0; k--) {
    const a = net.layers[k]!.activation as N.ElementwiseActivation
    const grad = acts[k + 1]!.map((y, i) => a.df(Number.NaN, y) * errors[i]! * lr) // the tutorial's derivative takes y
    ws[k] = ws[k]!.map((row, i) => row.map((w, j) => w + grad[i]! * acts[k]![j]!))
    bs[k] = bs[k]!.map((b, i) => b + grad[i]!)
    errors = acts[k]!.map((_, j) => ws[k]!.reduce((s, row, i) => s + row[j]! * errors[i]!, 0)) // updated weights
  }
  return {
    inputSize: net.inputSize,
    layers: net.layers.map((l, k) => ({ ...l, weights: M.fromFunction(l.weights.rows, l.weights.cols, (i, j) => ws[k]![i]![j]!), bias: M.fromArray(bs[k]!) }))
  }
}

const maxDiff = (a: Network, b: Network): number =>
  Math.max(...a.layers.flatMap((l, k) => [M.maxAbs(M.subtract(b.layers[k]!.weights)(l.weights)), M.maxAbs(M.subtract(b.layers[k]!.bias)(l.bias))]))

const sigmoidNet = (widths: ReadonlyArray<number>, seed: number): Network =>
  makeNetwork(2, widths.map((n) => [n, N.sigmoid] as const), seed)

describe('trainIteration', () => {
  it('lowers the error on its sample', () => {
    const net = sigmoidNet([2, 1], 11)
    const after = N.trainIteration([0, 1], [1], 0.5)(net)
    expect(N.evaluate([[0, 1]], [[1]])(after)).toBeLessThan(N.evaluate([[0, 1]], [[1]])(net))
  })

  it('lowers ½‖t − y‖² on its sample for random networks and small steps', () => {
    fc.assert(
      fc.property(
        arbNetwork(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom<Activation>(N.sigmoid, N.tanh, N.linear, N.softplus, N.softmax))),
        fc.integer({ min: 0, max: 1000 }),
        (net, seed) => {
          const [x] = M.uniform(net.inputSize, 1, -1, 1)(M.rng(seed))
          const [t] = M.uniform(N.outputSize(net), 1, 0, 1)(M.rng(seed + 1))
          const before = N.meanLoss(N.mse, x, t)(net)
          const after = N.meanLoss(N.mse, x, t)(N.trainIteration(M.toArray(x), M.toArray(t), 1e-3)(net))
          expect(after).toBeLessThanOrEqual(before)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('is gradient descent on ½‖t − y‖²: W − η·∂E/∂W, with ∂E/∂W from gradients(mse)', () => {
    fc.assert(
      fc.property(
        arbNetwork(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom<Activation>(...elementwiseActivations, N.softmax))),
        fc.integer({ min: 0, max: 1000 }),
        (net, seed) => {
          const [x] = M.uniform(net.inputSize, 1, -1, 1)(M.rng(seed))
          const [t] = M.uniform(N.outputSize(net), 1, -1, 1)(M.rng(seed + 1))
          const eta = 0.3
          const { gradients } = N.gradients(N.mse, x, t)(net)
          const expected: Network = {
            inputSize: net.inputSize,
            layers: net.layers.map((l, k) => ({
              ...l,
              weights: M.subtract(M.scale(eta)(gradients[k]!.weights))(l.weights),
              bias: M.subtract(M.scale(eta)(gradients[k]!.bias))(l.bias)
            }))
          }
          expect(maxDiff(N.trainIteration(M.toArray(x), M.toArray(t), eta)(net), expected)).toBeLessThan(1e-12)
        }
      ),
      { numRuns: 60 }
    )
  })

  it("is the tutorial's step on one layer; on two, it differs only by sending errors through the old weights", () => {
    const one = sigmoidNet([3], 2)
    expect(maxDiff(N.trainIteration([0.5, -1], [0, 1, 0], 0.7)(one), tutorialStep(one, [0.5, -1], [0, 1, 0], 0.7))).toBeLessThan(1e-15)
    const two = sigmoidNet([2, 1], 2)
    const ours = N.trainIteration([1, 0], [1], 0.7)(two)
    const theirs = tutorialStep(two, [1, 0], [1], 0.7)
    // the output layer's update is the same; the hidden layer's is not
    expect(M.maxAbs(M.subtract(theirs.layers[1]!.weights)(ours.layers[1]!.weights))).toBeLessThan(1e-15)
    expect(M.maxAbs(M.subtract(theirs.layers[0]!.weights)(ours.layers[0]!.weights))).toBeGreaterThan(1e-6)
  })

  it('is data-first as well as data-last, deterministic, and changes nothing it was given', () => {
    const net = sigmoidNet([2, 1], 4)
    const input = [1, 0]
    const target = [1]
    const before = snapshot(net)
    const a = N.trainIteration(input, target, 0.1)(net)
    const b = N.trainIteration(net, input, target, 0.1)
    expect(bitsOf(b)).toEqual(bitsOf(a))
    expect(snapshot(net)).toEqual(before)
    expect(input).toEqual([1, 0])
    expect(target).toEqual([1])
    expect(a.layers[0]!.activation).toBe(N.sigmoid)
  })

  it('refuses learning rates of 0 and −0.1 (and NaN, ∞), and wrong sizes', () => {
    const net = sigmoidNet([2, 1], 4)
    expect(() => N.trainIteration([1, 0], [1], 0)).toThrow('trainIteration: learningRate must be a positive finite number, got 0')
    expect(() => N.trainIteration([1, 0], [1], -0.1)(net)).toThrow(RangeError)
    expect(() => N.trainIteration(net, [1, 0], [1], -0.1)).toThrow('got -0.1')
    expect(() => N.trainIteration([1, 0], [1], Number.NaN)).toThrow(RangeError)
    expect(() => N.trainIteration([1, 0], [1], Infinity)).toThrow(RangeError)
    expect(() => N.trainIteration([1, 0, 1], [1], 0.1)(net)).toThrow('trainIteration: input has 3 values, the network expects 2')
    expect(() => N.trainIteration([1, 0], [1, 0], 0.1)(net)).toThrow('trainIteration: target has 2 values, the network outputs 1')
    expect(() => N.trainIteration([1, 0], [Number.NaN], 0.1)(net)).toThrow('trainIteration: target[0] must be a finite number, got NaN')
    expect(() => N.trainIteration([1, 0], [1], 0.1)(N.network(2))).toThrow('trainIteration: the network has no layers')
  })

  it('gives the same result when a custom activation itself calls trainIteration (its scratch is its own)', () => {
    const inner = sigmoidNet([3, 2], 6)
    let innerResult: Network | undefined
    const meddling = N.activation(
      'meddling',
      (x) => {
        innerResult = N.trainIteration([0.3, 0.4], [1, 0], 0.2)(inner)
        return Math.tanh(x)
      },
      (_x, y) => 1 - y * y
    )
    const outer = makeNetwork(2, [[3, meddling], [1, N.sigmoid]], 7)
    const plain: Network = { ...outer, layers: outer.layers.map((l) => (l.activation === meddling ? { ...l, activation: N.tanh } : l)) }
    const a = N.trainIteration([1, -1], [0.5], 0.3)(outer)
    const b = N.trainIteration([1, -1], [0.5], 0.3)(plain)
    expect(bitsOf({ ...a, layers: a.layers.map((l) => ({ ...l, activation: N.tanh })) })).toEqual(
      bitsOf({ ...b, layers: b.layers.map((l) => ({ ...l, activation: N.tanh })) })
    )
    expect(bitsOf(innerResult!)).toEqual(bitsOf(N.trainIteration([0.3, 0.4], [1, 0], 0.2)(inner)))
  })

  it('recovers from an activation that throws', () => {
    const failing = N.activation('failing', () => { throw new Error('no') }, () => 1)
    expect(() => N.trainIteration([1, 0], [1], 0.1)(makeNetwork(2, [[1, failing]], 0))).toThrow('no')
    const net = sigmoidNet([2, 1], 4)
    expect(bitsOf(N.trainIteration([1, 0], [1], 0.1)(net))).toEqual(bitsOf(N.trainIteration(net, [1, 0], [1], 0.1)))
  })

  it('learns XOR on a 2-2-1 sigmoid network, as in the tutorial', () => {
    const xs = [[0, 0], [0, 1], [1, 0], [1, 1]]
    const ts = [[0], [1], [1], [0]]
    let net = makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 1)
    const start = N.evaluate(xs, ts)(net)
    for (let epoch = 0; epoch < 5000; epoch++) for (let s = 0; s < 4; s++) net = N.trainIteration(xs[s]!, ts[s]!, 0.5)(net)
    const end = N.evaluate(xs, ts)(net)
    expect(end).toBeLessThan(start)
    expect(end).toBeLessThan(0.4)
  })
})
