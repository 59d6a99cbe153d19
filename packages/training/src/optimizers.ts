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
import { learningRateArg, nonNegativeArg, optionsArg, rateArg } from './internal/args.js'
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
 * import { sgd, applyUpdates } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const tx = sgd({ learningRate: 0.1 })
 * const [updates] = tx.update(g, tx.init(net), net)
 * const stepped = pipe(net, applyUpdates(updates))
 * stepped.layers[0]!.weights.data[0] // ≈ 0.8
 * stepped.layers[0]!.bias.data[0] // ≈ 1.4
 *
 * @category optimizers
 * @since 0.1.0
 */
export const sgd = (options: { readonly learningRate: ScalarOrSchedule }): GradientTransformation<readonly [ScheduleState]> =>
  chain(scaleByLearningRate(checked('sgd', '{ learningRate }', options).learningRate))

/**
 * SGD with momentum, `v ← g + β v`, `θ ← θ − η v` (Polyak, "Some methods of speeding up the
 * convergence of iteration methods", 1964); with `nesterov: true`, `θ ← θ − η (g + β v)`
 * (Nesterov, 1983, in the form of Sutskever et al., "On the importance of initialization and
 * momentum in deep learning", 2013). `beta` defaults to 0.9.
 *
 * @example
 * import { momentum } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const tx = momentum({ learningRate: 0.01, beta: 0.9, nesterov: true })
 * const [u1, s1] = tx.update(g, tx.init(net), net)
 * // Nesterov: the update is g + β·v with v = g, so −η · 1.9 g
 * u1[0]!.weights.data[0] // ≈ -0.038
 * tx.update(g, s1, net)[0][0]!.weights.data[0] // ≈ -0.01 * (2 + 0.9 * 3.8)
 *
 * @category optimizers
 * @since 0.1.0
 */
export const momentum = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly beta?: number
  readonly nesterov?: boolean
}): GradientTransformation<readonly [TraceState, ScheduleState]> => {
  const o = checked('momentum', '{ learningRate, beta?, nesterov? }', options)
  const beta = rateArg('momentum', 'beta', o.beta ?? 0.9) // the trace's decay, under the name the caller gave it
  return chain(trace({ decay: beta, nesterov: o.nesterov ?? false }), scaleByLearningRate(o.learningRate))
}

/**
 * RMSProp, `ν ← ρ ν + (1 − ρ) g²`, `θ ← θ − η g / (√ν + ε)` (Tieleman & Hinton, "Lecture
 * 6.5 — RMSProp", Neural Networks for Machine Learning, 2012). `decay` (ρ) defaults to 0.9,
 * `eps` to 1e-8.
 *
 * @example
 * import { rmsprop } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const tx = rmsprop({ learningRate: 1e-3 })
 * // ν = 0.1 g² after one step: the update is −η · g / √ν, the same size for every parameter
 * tx.update(g, tx.init(net), net)[0].flatMap((l) => [...l.weights.data, ...l.bias.data]) // ≈ [-1e-3 / Math.sqrt(0.1), 1e-3 / Math.sqrt(0.1)]
 *
 * @category optimizers
 * @since 0.1.0
 */
export const rmsprop = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly decay?: number
  readonly eps?: number
}): GradientTransformation<readonly [RmsState, ScheduleState]> => {
  const o = checked('rmsprop', '{ learningRate, decay?, eps? }', options)
  return chain(
    scaleByRms({ decay: rateArg('rmsprop', 'decay', o.decay ?? 0.9), eps: nonNegativeArg('rmsprop', 'eps', o.eps ?? 1e-8) }),
    scaleByLearningRate(o.learningRate)
  )
}

/**
 * Adam, `θ ← θ − η μ̂ / (√ν̂ + ε)` with `μ̂`, `ν̂` the bias-corrected running means of `g` and
 * `g²` (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015). `beta1`
 * defaults to 0.9, `beta2` to 0.999, `eps` to 1e-8.
 *
 * @example
 * import { adam } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const tx = adam({ learningRate: 1e-3 })
 * // bias-corrected, Adam's first step is −η · g / |g|
 * tx.update(g, tx.init(net), net)[0].flatMap((l) => [...l.weights.data, ...l.bias.data]) // ≈ [-1e-3, 1e-3]
 *
 * @category optimizers
 * @since 0.1.0
 */
export const adam = (options: {
  readonly learningRate: ScalarOrSchedule
  readonly beta1?: number
  readonly beta2?: number
  readonly eps?: number
}): GradientTransformation<readonly [AdamState, ScheduleState]> => {
  const o = checked('adam', '{ learningRate, beta1?, beta2?, eps? }', options)
  return chain(scaleByAdam(adamOptions('adam', o)), scaleByLearningRate(o.learningRate))
}

/**
 * AdamW, Adam with decoupled weight decay, `θ ← θ − η (μ̂ / (√ν̂ + ε) + λ θ)` (Loshchilov &
 * Hutter, "Decoupled weight decay regularization", ICLR 2019). `weightDecay` (λ) defaults to
 * 1e-4 and applies to weights, not biases; the rest as `adam`.
 *
 * @example
 * import { adamw } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const tx = adamw({ learningRate: 1e-3, weightDecay: 1e-2 })
 * // Adam's step, and the weight (not the bias) shrunk by η · λ · θ
 * tx.update(g, tx.init(net), net)[0].flatMap((l) => [...l.weights.data, ...l.bias.data]) // ≈ [-1e-3 * (1 + 1e-2), 1e-3]
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
}): GradientTransformation<readonly [AdamState, EmptyState, ScheduleState]> => {
  const o = checked('adamw', '{ learningRate, beta1?, beta2?, eps?, weightDecay? }', options)
  const weightDecay = nonNegativeArg('adamw', 'weightDecay', o.weightDecay ?? 1e-4) // the decay link's rate, under the caller's name
  return chain(scaleByAdam(adamOptions('adamw', o)), addDecayedWeights(weightDecay), scaleByLearningRate(o.learningRate))
}

/** Adam's betas and ε with their defaults, checked under the names `fn`'s caller gave them. */
const adamOptions = (fn: string, o: { readonly beta1?: number; readonly beta2?: number; readonly eps?: number }) => ({
  beta1: rateArg(fn, 'beta1', o.beta1 ?? 0.9),
  beta2: rateArg(fn, 'beta2', o.beta2 ?? 0.999),
  eps: nonNegativeArg(fn, 'eps', o.eps ?? 1e-8)
})

/**
 * An optimizer's options, once they are known to be an object holding a learning rate (checked
 * here, so that a bad one is named after the optimizer the caller called, not its last link).
 */
const checked = <O extends { readonly learningRate: ScalarOrSchedule }>(fn: string, shape: string, options: O): O => {
  optionsArg(fn, shape, options)
  learningRateArg(fn, options.learningRate)
  return options
}
