/**
 * The usual optimizers, each a short `chain` of links from `transforms.ts` ending in
 * `scaleByLearningRate` (optax's `alias.py`). Each is a value: build it once, pass it to
 * `train`, `epochs` or `trainStep`. The learning rate may be a number or a schedule.
 *
 * In the formulas, `θ` is a parameter, `g` its gradient, `η` the learning rate (read from the
 * schedule at the step `t`, counted from 0).
 *
 * @since 0.1.0
 */
import { chain, type EmptyState, type GradientTransformation } from './GradientTransformation.js'
import type { ScalarOrSchedule, ScheduleState } from './Schedule.js'
import {
  addDecayedWeights,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  trace,
  type AdamState,
  type RmsState,
  type TraceState
} from './transforms.js'

/**
 * Stochastic gradient descent, `θ ← θ − η g` (Robbins & Monro, "A stochastic approximation
 * method", 1951). With a batch of one and the mse loss, this is the tutorial's `trainIteration`.
 *
 * @example
 * import { sgd } from '@purenn/training'
 * const tx = sgd({ learningRate: 0.1 })
 *
 * @category optimizers
 * @since 0.1.0
 */
export const sgd = (options: { readonly learningRate: ScalarOrSchedule }): GradientTransformation<readonly [ScheduleState]> =>
  chain(scaleByLearningRate(options.learningRate))

/**
 * SGD with momentum, `v ← g + β v`, `θ ← θ − η v` (Polyak, "Some methods of speeding up the
 * convergence of iteration methods", 1964); with `nesterov: true`, `θ ← θ − η (g + β v)`
 * (Nesterov, 1983, in the form of Sutskever et al., "On the importance of initialization and
 * momentum in deep learning", 2013). `beta` defaults to 0.9.
 *
 * @example
 * import { momentum } from '@purenn/training'
 * const tx = momentum({ learningRate: 0.01, beta: 0.9, nesterov: true })
 *
 * @category optimizers
 * @since 0.1.0
 */
export const momentum = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly beta?: number
  readonly nesterov?: boolean
}): GradientTransformation<readonly [TraceState, ScheduleState]> =>
  chain(trace({ decay: options.beta ?? 0.9, nesterov: options.nesterov ?? false }), scaleByLearningRate(options.learningRate))

/**
 * RMSProp, `ν ← ρ ν + (1 − ρ) g²`, `θ ← θ − η g / (√ν + ε)` (Tieleman & Hinton, "Lecture
 * 6.5 — RMSProp", Neural Networks for Machine Learning, 2012). `decay` (ρ) defaults to 0.9,
 * `eps` to 1e-8.
 *
 * @example
 * import { rmsprop } from '@purenn/training'
 * const tx = rmsprop({ learningRate: 1e-3 })
 *
 * @category optimizers
 * @since 0.1.0
 */
export const rmsprop = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly decay?: number
  readonly eps?: number
}): GradientTransformation<readonly [RmsState, ScheduleState]> =>
  chain(scaleByRms({ decay: options.decay ?? 0.9, eps: options.eps ?? 1e-8 }), scaleByLearningRate(options.learningRate))

/**
 * Adam, `θ ← θ − η μ̂ / (√ν̂ + ε)` with `μ̂`, `ν̂` the bias-corrected running means of `g` and
 * `g²` (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015). `beta1`
 * defaults to 0.9, `beta2` to 0.999, `eps` to 1e-8.
 *
 * @example
 * import { adam } from '@purenn/training'
 * const tx = adam({ learningRate: 1e-3 })
 *
 * @category optimizers
 * @since 0.1.0
 */
export const adam = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly beta1?: number
  readonly beta2?: number
  readonly eps?: number
}): GradientTransformation<readonly [AdamState, ScheduleState]> =>
  chain(scaleByAdam(adamOptions(options)), scaleByLearningRate(options.learningRate))

/**
 * AdamW, Adam with decoupled weight decay, `θ ← θ − η (μ̂ / (√ν̂ + ε) + λ θ)` (Loshchilov &
 * Hutter, "Decoupled weight decay regularization", ICLR 2019). `weightDecay` (λ) defaults to
 * 1e-4 and applies to weights, not biases; the rest as `adam`.
 *
 * @example
 * import { adamw } from '@purenn/training'
 * const tx = adamw({ learningRate: 1e-3, weightDecay: 1e-2 })
 *
 * @category optimizers
 * @since 0.1.0
 */
export const adamw = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly beta1?: number
  readonly beta2?: number
  readonly eps?: number
  readonly weightDecay?: number
}): GradientTransformation<readonly [AdamState, EmptyState, ScheduleState]> =>
  chain(scaleByAdam(adamOptions(options)), addDecayedWeights(options.weightDecay ?? 1e-4), scaleByLearningRate(options.learningRate))

const adamOptions = (o: { readonly beta1?: number; readonly beta2?: number; readonly eps?: number }) => ({
  beta1: o.beta1 ?? 0.9,
  beta2: o.beta2 ?? 0.999,
  eps: o.eps ?? 1e-8
})
