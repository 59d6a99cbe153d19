/**
 * The links optimizers are made of (optax's `transform.py`): each is a
 * `GradientTransformation` that does one thing to the updates flowing through a `chain`:
 * rescale them, keep a trace of them, divide them by a running RMS, clip them, add weight decay.
 * States are named records of plain numbers and matrices, so they print, compare and encode.
 *
 * Every hyper-parameter is checked when the transformation is built; a bad one throws a
 * `RangeError` naming the function and the argument. Each link's formula is written once, in
 * `internal/links.ts`, as a loop over a block of numbers: the link's `update` runs it into
 * fresh buffers, and the link's `rule` (see `UpdateRule`) lets `trainStep` run a whole chain of
 * links in place over a step's own buffers, with the same bits.
 *
 * @since 0.1.0
 */
import type { Gradients } from '@purenn/network'
import type { EmptyState, GradientTransformation } from './GradientTransformation.js'
import { toSchedule, type ScalarOrSchedule, type ScheduleState } from './Schedule.js'
import { finiteArg, learningRateArg, nonNegativeArg, optionsArg, positiveArg, rateArg } from './internal/args.js'
import { linkOf } from './internal/links.js'

// -------------------------------------------------------------------------------------
// states
// -------------------------------------------------------------------------------------

/**
 * The state of `trace`: the running sum of past updates (the momentum buffer).
 *
 * @example
 * import { trace } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const tx = trace({ decay: 0.9 })
 * const s0 = tx.init(net) // zeros shaped like the network
 * s0 // => { trace: [{ weights: M.zeros(1, 1), bias: M.zeros(1, 1) }] }
 * const [, s1] = tx.update(g, s0, net)
 * flat(s1.trace) // => [2, -4]
 *
 * @category model
 * @since 0.1.0
 */
export interface TraceState {
  readonly trace: Gradients
}

/**
 * The state of `scaleByRms`: the running mean of squared gradients.
 *
 * @example
 * import { scaleByRms } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const tx = scaleByRms({ decay: 0.9 })
 * flat(tx.init(net).nu) // => [0, 0]
 * const [, s1] = tx.update(g, tx.init(net), net)
 * flat(s1.nu) // ≈ [0.4, 1.6]
 *
 * @category model
 * @since 0.1.0
 */
export interface RmsState {
  readonly nu: Gradients
}

/**
 * The state of `scaleByAdam`: the number of updates made, and the running means of the
 * gradients (`mu`, first moment) and of their squares (`nu`, second moment).
 *
 * @example
 * import { scaleByAdam } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const tx = scaleByAdam()
 * const zero = [{ weights: M.zeros(1, 1), bias: M.zeros(1, 1) }]
 * tx.init(net) // => { count: 0, mu: zero, nu: zero }
 * const [, s1] = tx.update(g, tx.init(net), net)
 * s1.count // => 1
 * flat(s1.mu) // ≈ [0.2, -0.4]
 *
 * @category model
 * @since 0.1.0
 */
export interface AdamState {
  readonly count: number
  readonly mu: Gradients
  readonly nu: Gradients
}

// -------------------------------------------------------------------------------------
// transforms
// -------------------------------------------------------------------------------------

/**
 * Multiplies the updates by a fixed number: `u ← k · u`.
 *
 * @example
 * import { scale } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const halve = scale(0.5)
 * flat(halve.update(g, halve.init(net), net)[0]) // => [1, -2]
 *
 * @category transforms
 * @since 0.1.0
 */
export const scale = (k: number): GradientTransformation<EmptyState> =>
  linkOf({ kind: 'scale', k: finiteArg('scale', 'k', k) })

/**
 * Turns gradients into a step down the slope: `u ← −η(t) · u`, where `η` is a number or a
 * schedule read at `t`, the number of updates made so far (from 0). The sign flip lives here
 * (as in optax), so every optimizer ends with this link and `applyUpdates` only adds.
 *
 * @example
 * import { scaleByLearningRate, cosineDecay } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const fixed = scaleByLearningRate(0.1)
 * flat(fixed.update(g, fixed.init(net), net)[0]) // ≈ [-0.2, 0.4]
 * // a schedule is read at the number of updates made so far, counted in the state
 * const decaying = scaleByLearningRate(cosineDecay({ init: 0.1, steps: 1000 }))
 * decaying.init(net) // => { count: 0 }
 * flat(decaying.update(g, { count: 500 }, net)[0]) // ≈ [-0.1, 0.2]
 *
 * @category transforms
 * @since 0.1.0
 */
export const scaleByLearningRate = (learningRate: ScalarOrSchedule): GradientTransformation<ScheduleState> => {
  const checked = learningRateArg('scaleByLearningRate', learningRate)
  return linkOf({ kind: 'scaleByLearningRate', schedule: toSchedule(checked), constant: typeof checked === 'number' ? checked : undefined })
}

/**
 * Momentum (Polyak's heavy ball; Nesterov's variant with `nesterov: true`), as optax's
 * `trace`: the trace is `t ← g + decay · t`, the update is `t` (or `g + decay · t` with the new
 * `t`, for Nesterov). Sutskever et al., "On the importance of initialization and momentum in
 * deep learning", 2013.
 *
 * @example
 * import { chain, trace, scaleByLearningRate } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const heavyBall = chain(trace({ decay: 0.9 }), scaleByLearningRate(0.01))
 * const [u1, s1] = heavyBall.update(g, heavyBall.init(net), net)
 * flat(u1) // ≈ [-0.02, 0.04]
 * // the same gradient again: the trace is g + 0.9 g
 * flat(heavyBall.update(g, s1, net)[0]) // ≈ [-0.038, 0.076]
 *
 * @category transforms
 * @since 0.1.0
 */
export const trace = (options: { readonly decay: number; readonly nesterov?: boolean }): GradientTransformation<TraceState> => {
  optionsArg('trace', '{ decay, nesterov? }', options)
  return linkOf({ kind: 'trace', decay: rateArg('trace', 'decay', options.decay), nesterov: options.nesterov === true })
}

/**
 * Divides the updates by the root of a running mean of their squares (RMSProp's scaling):
 * `ν ← decay · ν + (1 − decay) · g²`, `u = g / (√ν + ε)`.
 *
 * @example
 * import { chain, scaleByRms, scaleByLearningRate } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const rms = chain(scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3))
 * // ν = 0.1 g², so the first step is −η · g / |g| / √0.1, whatever the gradient's size
 * flat(rms.update(g, rms.init(net), net)[0]) // ≈ [-1e-3 / Math.sqrt(0.1), 1e-3 / Math.sqrt(0.1)]
 *
 * @category transforms
 * @since 0.1.0
 */
export const scaleByRms = (options: { readonly decay?: number; readonly eps?: number } = {}): GradientTransformation<RmsState> => {
  optionsArg('scaleByRms', '{ decay?, eps? }', options)
  return linkOf({ kind: 'scaleByRms', decay: rateArg('scaleByRms', 'decay', options.decay ?? 0.9), eps: nonNegativeArg('scaleByRms', 'eps', options.eps ?? 1e-8) })
}

/**
 * Adam's scaling (Kingma & Ba, 2015): running means of the gradients and of their squares,
 * bias-corrected, `μ ← β₁μ + (1 − β₁)g`, `ν ← β₂ν + (1 − β₂)g²`, `n ← n + 1`,
 * `u = μ̂ / (√ν̂ + ε)` with `μ̂ = μ / (1 − β₁ⁿ)` and `ν̂ = ν / (1 − β₂ⁿ)`.
 *
 * @example
 * import { chain, scaleByAdam, scaleByLearningRate } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const adamLike = chain(scaleByAdam({ beta1: 0.9, beta2: 0.999 }), scaleByLearningRate(1e-3))
 * // bias-corrected, Adam's first step is −η · g / |g|
 * flat(adamLike.update(g, adamLike.init(net), net)[0]) // ≈ [-1e-3, 1e-3]
 *
 * @category transforms
 * @since 0.1.0
 */
export const scaleByAdam = (
  options: { readonly beta1?: number; readonly beta2?: number; readonly eps?: number } = {}
): GradientTransformation<AdamState> => {
  optionsArg('scaleByAdam', '{ beta1?, beta2?, eps? }', options)
  return linkOf({
    kind: 'scaleByAdam',
    beta1: rateArg('scaleByAdam', 'beta1', options.beta1 ?? 0.9),
    beta2: rateArg('scaleByAdam', 'beta2', options.beta2 ?? 0.999),
    eps: nonNegativeArg('scaleByAdam', 'eps', options.eps ?? 1e-8)
  })
}

/**
 * Decoupled weight decay (Loshchilov & Hutter, 2019): adds `rate · θ` to the updates, so a
 * following `scaleByLearningRate(η)` shrinks every weight by `η · rate · θ` whatever the
 * gradient scaling before it. Biases are left alone unless `bias: true`.
 *
 * @example
 * import { chain, scaleByAdam, addDecayedWeights, scaleByLearningRate } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const decay = addDecayedWeights(0.5)
 * // the weight's update gains 0.5 · 1; the bias's does not
 * flat(decay.update(g, decay.init(net), net)[0]) // => [2.5, -4]
 * const adamW = chain(scaleByAdam(), addDecayedWeights(1e-4), scaleByLearningRate(1e-3))
 * flat(adamW.update(g, adamW.init(net), net)[0]) // ≈ [-1e-3 * (1 + 1e-4), 1e-3]
 *
 * @category transforms
 * @since 0.1.0
 */
export const addDecayedWeights = (rate: number, options: { readonly bias?: boolean } = {}): GradientTransformation<EmptyState> => {
  optionsArg('addDecayedWeights', '{ bias? }', options)
  return linkOf({ kind: 'addDecayedWeights', rate: nonNegativeArg('addDecayedWeights', 'rate', rate), bias: options.bias === true })
}

/**
 * Rescales all updates together so that their global norm is at most `maxNorm`:
 * `u ← u · min(1, maxNorm / ‖u‖)`, with `‖u‖` the root of the sum of every squared entry.
 * The direction is kept; updates already short enough pass through untouched.
 *
 * @example
 * import { chain, clipByGlobalNorm, adam } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const clip = clipByGlobalNorm(1)
 * // ‖g‖ = √20: the direction is kept, the norm brought down to 1
 * flat(clip.update(g, clip.init(net), net)[0]) // ≈ [2 / Math.sqrt(20), -4 / Math.sqrt(20)]
 * const tx = chain(clipByGlobalNorm(1), adam({ learningRate: 1e-3 }))
 * flat(tx.update(g, tx.init(net), net)[0]) // ≈ [-1e-3, 1e-3]
 *
 * @category transforms
 * @since 0.1.0
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> =>
  linkOf({ kind: 'clipByGlobalNorm', maxNorm: positiveArg('clipByGlobalNorm', 'maxNorm', maxNorm) })

/**
 * Clips every entry of the updates to `[−maxDelta, maxDelta]`.
 *
 * @example
 * import { chain, clipByValue, sgd } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const tx = chain(clipByValue(3), sgd({ learningRate: 0.1 }))
 * // the bias's gradient, -4, is clipped to -3
 * flat(tx.update(g, tx.init(net), net)[0]) // ≈ [-0.2, 0.3]
 *
 * @category transforms
 * @since 0.1.0
 */
export const clipByValue = (maxDelta: number): GradientTransformation<EmptyState> =>
  linkOf({ kind: 'clipByValue', maxDelta: positiveArg('clipByValue', 'maxDelta', maxDelta) })
