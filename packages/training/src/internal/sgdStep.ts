/**
 * The fast path of `trainStep` for plain SGD, the optimizer `train` builds from a
 * `learningRate` (and the tutorial's only one).
 *
 * Why it exists: `sgd` is `chain(scaleByLearningRate(η))`, so the general step builds the
 * updates `u = −η(t)·g` as a tree of fresh matrices, then `applyUpdates` builds `θ + u` as
 * another. On a small network those allocations cost more than the arithmetic; on a large one
 * they are an extra pass over every parameter and an extra buffer the size of the network.
 * Here each new parameter is `θ + (−η(t))·g` in one pass, with no updates tree.
 *
 * What it must agree with: the general path (`chain` → `scaleByLearningRate` →
 * `applyUpdates`), bit for bit: the same products `k·g` with `k = −η(t)` and the same sums
 * `θ + k·g`, the schedule read once per step at the same count, and the same state
 * `[{ count: count + 1 }]` handed back. The tests check the two against each other.
 *
 * Reading typed arrays: see `buffer.ts` (indices bounded by the matrix they index).
 */
import type { Gradients, Layer, Network } from '@purenn/network'
import type { GradientTransformation } from '../GradientTransformation.js'
import type { Schedule } from '../Schedule.js'
import type { ScheduleState } from '../Schedule.js'
import { buf, matrix } from './buffer.js'

/** The schedule of every `scaleByLearningRate` link, by identity. */
const linkSchedules = new WeakMap<object, Schedule>()

/** Notes the schedule a `scaleByLearningRate` link reads its rate from; returns the link. */
export const rememberLinkSchedule = <T extends object>(link: T, schedule: Schedule): T => {
  linkSchedules.set(link, schedule)
  return link
}

/** The schedule of a `scaleByLearningRate` link, else undefined. */
export const linkSchedule = (link: object): Schedule | undefined => linkSchedules.get(link)

/**
 * What the fast paths need to know of an optimizer `sgd` has built: the schedule its
 * `scaleByLearningRate` link reads η from and, when η was given as a number, that number
 * (the schedule's value at every step, read without a call).
 */
export interface SgdRate {
  readonly schedule: Schedule
  readonly constant: number | undefined
}

/** The rate of every optimizer `sgd` has built, by identity. */
const sgdRates = new WeakMap<object, SgdRate>()

/**
 * Notes that `tx` is plain SGD with the given rate (exactly `chain(scaleByLearningRate)`
 * over that schedule), so that `trainStep` and the epoch loop may take the fused paths;
 * returns `tx`.
 */
export const rememberSgd = <T extends object>(tx: T, rate: SgdRate): T => {
  sgdRates.set(tx, rate)
  return tx
}

/** The rate when `tx` was built by `sgd`, else undefined. */
export const sgdRate = (tx: GradientTransformation<unknown>): SgdRate | undefined => sgdRates.get(tx)

/** `θ + k·g` for one matrix, into a fresh buffer. */
const step = (theta: Float64Array, g: Float64Array, k: number): Float64Array => {
  const out = new Float64Array(theta.length)
  for (let i = 0; i < out.length; i++) out[i] = theta[i]! + k * g[i]! // θ + u, with u = k·g as scaleByLearningRate forms it
  return out
}

/**
 * The network after one SGD step, `θ + k·g` for every weight and bias with `k = −η(t)`: what
 * `applyUpdates` gives for the updates `scaleByLearningRate` proposes, bit for bit. The
 * gradients mirror the network (they come from `gradients` on it).
 */
export const descend = (net: Network, grads: Gradients, k: number): Network => {
  const layers = net.layers
  const next: Layer[] = [] // pushed: a packed array, like every network's
  for (let l = 0; l < layers.length; l++) {
    const { weights, bias, activation } = layers[l]!
    const g = grads[l]!
    next.push({
      weights: matrix(weights.rows, weights.cols, step(buf(weights), buf(g.weights), k)),
      bias: matrix(bias.rows, bias.cols, step(buf(bias), buf(g.bias), k)),
      activation
    })
  }
  return { inputSize: net.inputSize, layers: next }
}

/**
 * True when `opt` has the shape of an `sgd` state, a tuple of one entry (the
 * `scaleByLearningRate` link's `{ count }`); any other value goes to the general path, which
 * refuses it as `chain` does.
 */
export const isSgdState = (opt: unknown): opt is readonly [ScheduleState] => Array.isArray(opt) && opt.length === 1
