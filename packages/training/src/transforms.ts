/**
 * The links optimizers are made of (optax's `transform.py`): each is a
 * `GradientTransformation` that does one thing to the updates flowing through a `chain`:
 * rescale them, keep a trace of them, divide them by a running RMS, clip them, add weight decay.
 * States are named records of plain numbers and matrices, so they print, compare and encode.
 *
 * Every hyper-parameter is checked when the transformation is built; a bad one throws a
 * `RangeError` naming the function and the argument.
 *
 * @since 0.1.0
 */
import type { Gradients, Network } from '@purenn/network'
import { emptyState, stateless, type EmptyState, type GradientTransformation } from './GradientTransformation.js'
import { toSchedule, type ScalarOrSchedule, type ScheduleState } from './Schedule.js'
import { describeValue } from './internal/describe.js'
import { globalNorm, map1, map2, zerosLike } from './internal/gradients.js'
import { rememberLinkSchedule } from './internal/sgdStep.js'

// -------------------------------------------------------------------------------------
// states
// -------------------------------------------------------------------------------------

/**
 * The state of `trace`: the running sum of past updates (the momentum buffer).
 *
 * @example
 * import { trace } from '@purenn/training'
 * // trace({ decay: 0.9 }).init(net).trace holds zeros shaped like the network
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
 * // scaleByRms().init(net).nu holds zeros shaped like the network
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
 * // scaleByAdam().init(net) is { count: 0, mu: zeros, nu: zeros }
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
// argument checks
// -------------------------------------------------------------------------------------

const finiteArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError(`${fn}: ${name} must be a finite number, got ${describeValue(value)}`)
  return value
}

const positiveArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new RangeError(`${fn}: ${name} must be a positive finite number, got ${describeValue(value)}`)
  return value
}

const nonNegativeArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError(`${fn}: ${name} must be a non-negative finite number, got ${describeValue(value)}`)
  return value
}

/** A decay rate or a beta: in [0, 1). */
const rateArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !(value >= 0 && value < 1))
    throw new RangeError(`${fn}: ${name} must be in [0, 1), got ${describeValue(value)}`)
  return value
}

/** A learning rate: a positive number, or a schedule (a function, trusted to be one). */
const learningRateArg = (fn: string, value: unknown): ScalarOrSchedule => {
  if (typeof value === 'function') return value as ScalarOrSchedule
  return positiveArg(fn, 'learningRate', value)
}

// -------------------------------------------------------------------------------------
// transforms
// -------------------------------------------------------------------------------------

/**
 * Multiplies the updates by a fixed number: `u ← k · u`.
 *
 * @example
 * import { scale } from '@purenn/training'
 * const halve = scale(0.5)
 *
 * @category transforms
 * @since 0.1.0
 */
export const scale = (k: number): GradientTransformation<EmptyState> => {
  finiteArg('scale', 'k', k)
  return stateless((grads) =>
    map1(grads, (g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = k * g[i]!
    })
  )
}

/**
 * Turns gradients into a step down the slope: `u ← −η(t) · u`, where `η` is a number or a
 * schedule read at `t`, the number of updates made so far (from 0). The sign flip lives here
 * (as in optax), so every optimizer ends with this link and `applyUpdates` only adds.
 *
 * @example
 * import { scaleByLearningRate, cosineDecay } from '@purenn/training'
 * const fixed = scaleByLearningRate(0.1)
 * const decaying = scaleByLearningRate(cosineDecay({ init: 0.1, steps: 1000 }))
 *
 * @category transforms
 * @since 0.1.0
 */
export const scaleByLearningRate = (learningRate: ScalarOrSchedule): GradientTransformation<ScheduleState> => {
  const schedule = toSchedule(learningRateArg('scaleByLearningRate', learningRate))
  const tx: GradientTransformation<ScheduleState> = {
    init: () => ({ count: 0 }),
    update: (grads, state) => {
      const k = -schedule(state.count)
      const updates = map1(grads, (g, out) => {
        for (let i = 0; i < g.length; i++) out[i] = k * g[i]!
      })
      return [updates, { count: state.count + 1 }]
    }
  }
  return rememberLinkSchedule(tx, schedule) // lets sgd's step read the same schedule
}

/**
 * Momentum (Polyak's heavy ball; Nesterov's variant with `nesterov: true`), as optax's
 * `trace`: the trace is `t ← g + decay · t`, the update is `t` (or `g + decay · t` with the new
 * `t`, for Nesterov). Sutskever et al., "On the importance of initialization and momentum in
 * deep learning", 2013.
 *
 * @example
 * import { chain, trace, scaleByLearningRate } from '@purenn/training'
 * const heavyBall = chain(trace({ decay: 0.9 }), scaleByLearningRate(0.01))
 *
 * @category transforms
 * @since 0.1.0
 */
export const trace = (options: { readonly decay: number; readonly nesterov?: boolean }): GradientTransformation<TraceState> => {
  const decay = rateArg('trace', 'decay', options.decay)
  const nesterov = options.nesterov === true
  return {
    init: (net) => ({ trace: zerosLike(net) }),
    update: (grads, state) => {
      // t' = g + decay · t
      const t = map2('trace', grads, state.trace, (g, t0, out) => {
        for (let i = 0; i < g.length; i++) out[i] = g[i]! + decay * t0[i]!
      })
      if (!nesterov) return [t, { trace: t }]
      // Nesterov: u = g + decay · t'
      const u = map2('trace', grads, t, (g, t1, out) => {
        for (let i = 0; i < g.length; i++) out[i] = g[i]! + decay * t1[i]!
      })
      return [u, { trace: t }]
    }
  }
}

/**
 * Divides the updates by the root of a running mean of their squares (RMSProp's scaling):
 * `ν ← decay · ν + (1 − decay) · g²`, `u = g / (√ν + ε)`.
 *
 * @example
 * import { chain, scaleByRms, scaleByLearningRate } from '@purenn/training'
 * const rms = chain(scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3))
 *
 * @category transforms
 * @since 0.1.0
 */
export const scaleByRms = (options: { readonly decay?: number; readonly eps?: number } = {}): GradientTransformation<RmsState> => {
  const decay = rateArg('scaleByRms', 'decay', options.decay ?? 0.9)
  const eps = nonNegativeArg('scaleByRms', 'eps', options.eps ?? 1e-8)
  return {
    init: (net) => ({ nu: zerosLike(net) }),
    update: (grads, state) => {
      const nu = map2('scaleByRms', grads, state.nu, (g, v, out) => {
        for (let i = 0; i < g.length; i++) out[i] = decay * v[i]! + (1 - decay) * g[i]! * g[i]!
      })
      const u = map2('scaleByRms', grads, nu, (g, v, out) => {
        for (let i = 0; i < g.length; i++) out[i] = g[i]! / (Math.sqrt(v[i]!) + eps)
      })
      return [u, { nu }]
    }
  }
}

/**
 * Adam's scaling (Kingma & Ba, 2015): running means of the gradients and of their squares,
 * bias-corrected, `μ ← β₁μ + (1 − β₁)g`, `ν ← β₂ν + (1 − β₂)g²`, `n ← n + 1`,
 * `u = μ̂ / (√ν̂ + ε)` with `μ̂ = μ / (1 − β₁ⁿ)` and `ν̂ = ν / (1 − β₂ⁿ)`.
 *
 * @example
 * import { chain, scaleByAdam, scaleByLearningRate } from '@purenn/training'
 * const adamLike = chain(scaleByAdam({ beta1: 0.9, beta2: 0.999 }), scaleByLearningRate(1e-3))
 *
 * @category transforms
 * @since 0.1.0
 */
export const scaleByAdam = (
  options: { readonly beta1?: number; readonly beta2?: number; readonly eps?: number } = {}
): GradientTransformation<AdamState> => {
  const b1 = rateArg('scaleByAdam', 'beta1', options.beta1 ?? 0.9)
  const b2 = rateArg('scaleByAdam', 'beta2', options.beta2 ?? 0.999)
  const eps = nonNegativeArg('scaleByAdam', 'eps', options.eps ?? 1e-8)
  return {
    init: (net) => ({ count: 0, mu: zerosLike(net), nu: zerosLike(net) }),
    update: (grads, state) => {
      const mu = map2('scaleByAdam', grads, state.mu, (g, m, out) => {
        for (let i = 0; i < g.length; i++) out[i] = b1 * m[i]! + (1 - b1) * g[i]!
      })
      const nu = map2('scaleByAdam', grads, state.nu, (g, v, out) => {
        for (let i = 0; i < g.length; i++) out[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!
      })
      const n = state.count + 1
      const c1 = 1 - Math.pow(b1, n) // bias corrections: the moments start at 0
      const c2 = 1 - Math.pow(b2, n)
      const u = map2('scaleByAdam', mu, nu, (m, v, out) => {
        for (let i = 0; i < m.length; i++) out[i] = m[i]! / c1 / (Math.sqrt(v[i]! / c2) + eps)
      })
      return [u, { count: n, mu, nu }]
    }
  }
}

/**
 * Decoupled weight decay (Loshchilov & Hutter, 2019): adds `rate · θ` to the updates, so a
 * following `scaleByLearningRate(η)` shrinks every weight by `η · rate · θ` whatever the
 * gradient scaling before it. Biases are left alone unless `bias: true`.
 *
 * @example
 * import { chain, scaleByAdam, addDecayedWeights, scaleByLearningRate } from '@purenn/training'
 * const adamW = chain(scaleByAdam(), addDecayedWeights(1e-4), scaleByLearningRate(1e-3))
 *
 * @category transforms
 * @since 0.1.0
 */
export const addDecayedWeights = (
  rate: number,
  options: { readonly bias?: boolean } = {}
): GradientTransformation<EmptyState> => {
  nonNegativeArg('addDecayedWeights', 'rate', rate)
  const decayBias = options.bias === true
  const params = (net: Network): Gradients => net.layers.map((l) => ({ weights: l.weights, bias: l.bias }))
  return {
    init: () => emptyState,
    update: (grads, _state, net) => {
      const decayed = map2('addDecayedWeights', grads, params(net), (u, w, out) => {
        for (let i = 0; i < u.length; i++) out[i] = u[i]! + rate * w[i]!
      })
      const updates = decayBias ? decayed : decayed.map((d, k) => ({ weights: d.weights, bias: grads[k]!.bias }))
      return [updates, emptyState]
    }
  }
}

/**
 * Rescales all updates together so that their global norm is at most `maxNorm`:
 * `u ← u · min(1, maxNorm / ‖u‖)`, with `‖u‖` the root of the sum of every squared entry.
 * The direction is kept; updates already short enough pass through untouched.
 *
 * @example
 * import { chain, clipByGlobalNorm, adam } from '@purenn/training'
 * const tx = chain(clipByGlobalNorm(1), adam({ learningRate: 1e-3 }))
 *
 * @category transforms
 * @since 0.1.0
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> => {
  positiveArg('clipByGlobalNorm', 'maxNorm', maxNorm)
  return stateless((grads) => {
    const norm = globalNorm(grads)
    if (!(norm > maxNorm)) return grads
    const k = maxNorm / norm
    return map1(grads, (g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = k * g[i]!
    })
  })
}

/**
 * Clips every entry of the updates to `[−maxDelta, maxDelta]`.
 *
 * @example
 * import { chain, clipByValue, sgd } from '@purenn/training'
 * const tx = chain(clipByValue(5), sgd({ learningRate: 0.1 }))
 *
 * @category transforms
 * @since 0.1.0
 */
export const clipByValue = (maxDelta: number): GradientTransformation<EmptyState> => {
  positiveArg('clipByValue', 'maxDelta', maxDelta)
  return stateless((grads) =>
    map1(grads, (g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = Math.min(maxDelta, Math.max(-maxDelta, g[i]!))
    })
  )
}
