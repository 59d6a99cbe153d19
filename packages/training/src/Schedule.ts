/**
 * Schedules: a learning rate (or any hyper-parameter) as a pure function of the step, counted
 * from 0. Each constructor checks its arguments when the schedule is built and throws a
 * `RangeError` naming the bad one, so a schedule that exists is well formed. Schedules are
 * combined with `join`, e.g. a linear warmup followed by a cosine decay.
 *
 * @since 0.1.0
 */
import { count, describeValue } from './internal/describe.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A schedule: the value to use at a step (steps count from 0).
 *
 * @example
 * import { sgd, type Schedule } from '@purenn/training'
 * const halving: Schedule = (step) => 0.1 / 2 ** Math.floor(step / 100)
 * halving(250) // => 0.025
 * const tx = sgd({ learningRate: halving }) // wherever a learning rate goes
 *
 * @category model
 * @since 0.1.0
 */
export type Schedule = (step: number) => number

/**
 * A hyper-parameter given either as a fixed number or as a schedule.
 *
 * @example
 * import { toSchedule, type ScalarOrSchedule } from '@purenn/training'
 * const fixed: ScalarOrSchedule = 0.1 // a number
 * const decaying: ScalarOrSchedule = (t) => 0.1 / (1 + t) // or a schedule
 * toSchedule(fixed)(7) // => 0.1
 * toSchedule(decaying)(9) // ≈ 0.01
 *
 * @category model
 * @since 0.1.0
 */
export type ScalarOrSchedule = number | Schedule

/**
 * What a learning rate may be: a positive finite number, or a schedule (a function of the step,
 * trusted to be one). The one definition, read where a learning rate comes in (the optimizers'
 * constructors, `train`'s options); nothing after checks it again.
 *
 * @internal
 */
export const isLearningRate = (u: unknown): u is ScalarOrSchedule => typeof u === 'function' || (typeof u === 'number' && Number.isFinite(u) && u > 0)

/**
 * The state of a transformation that follows a schedule: how many updates it has made, which
 * is the step the schedule is read at (from 0).
 *
 * @example
 * import { scaleByLearningRate } from '@purenn/training'
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * const net = addLayer({ nodes: 1, activation: sigmoid })(network(2))
 * scaleByLearningRate(0.1).init(net) // => { count: 0 }
 *
 * @category model
 * @since 0.1.0
 */
export interface ScheduleState {
  readonly count: number
}

// -------------------------------------------------------------------------------------
// checks, at construction
// -------------------------------------------------------------------------------------

const finite = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError(`${fn}: ${name} must be a finite number, got ${describeValue(value)}`)
  return value
}

const positive = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new RangeError(`${fn}: ${name} must be a positive finite number, got ${describeValue(value)}`)
  return value
}

const positiveInteger = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new RangeError(`${fn}: ${name} must be a positive integer, got ${describeValue(value)}`)
  return value
}

/** Refuses boundaries that are not positive integers in strictly increasing order. */
const increasingSteps = (fn: string, boundaries: ReadonlyArray<number>): void => {
  boundaries.forEach((b, i) => {
    positiveInteger(fn, `boundaries[${i}]`, b)
    if (i > 0 && b <= boundaries[i - 1]!)
      throw new RangeError(`${fn}: boundaries must increase, but boundaries[${i}] = ${b} follows ${boundaries[i - 1]}`)
  })
}

/** How many of the (increasing) boundaries are at or before `step`. */
const segment = (boundaries: ReadonlyArray<number>, step: number): number => {
  let i = 0
  while (i < boundaries.length && step >= boundaries[i]!) i++
  return i
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The same value at every step.
 *
 * @example
 * import { constant } from '@purenn/training'
 * constant(0.1)(1000) // => 0.1
 *
 * @category schedules
 * @since 0.1.0
 */
export const constant = (value: number): Schedule => {
  finite('constant', 'value', value)
  return () => value
}

/**
 * Lifts a number to the constant schedule; a schedule is returned as it is.
 *
 * @example
 * import { toSchedule } from '@purenn/training'
 * toSchedule(0.1)(5) // => 0.1
 *
 * @category schedules
 * @since 0.1.0
 */
export const toSchedule = (value: ScalarOrSchedule): Schedule => (typeof value === 'function' ? value : constant(value))

/**
 * Step decay: `init · factor^⌊step / every⌋`, the rate multiplied by `factor` every `every` steps.
 *
 * @example
 * import { stepDecay } from '@purenn/training'
 * const lr = stepDecay({ init: 0.1, factor: 0.5, every: 100 })
 * lr(99) // => 0.1
 * lr(100) // => 0.05
 *
 * @category schedules
 * @since 0.1.0
 */
export const stepDecay = (options: { readonly init: number; readonly factor: number; readonly every: number }): Schedule => {
  const init = finite('stepDecay', 'init', options.init)
  const factor = positive('stepDecay', 'factor', options.factor)
  const every = positiveInteger('stepDecay', 'every', options.every)
  return (step) => init * Math.pow(factor, Math.floor(step / every))
}

/**
 * Piecewise constant: `values[0]` before `boundaries[0]`, `values[i]` from `boundaries[i - 1]`
 * (included) to `boundaries[i]`, and the last value from the last boundary on. There is one
 * more value than boundaries; boundaries are positive, increasing steps.
 *
 * @example
 * import { piecewise } from '@purenn/training'
 * const lr = piecewise({ values: [0.1, 0.01, 0.001], boundaries: [1000, 2000] })
 * lr(999) // => 0.1
 * lr(1000) // => 0.01
 * lr(5000) // => 0.001
 *
 * @category schedules
 * @since 0.1.0
 */
export const piecewise = (options: { readonly values: ReadonlyArray<number>; readonly boundaries: ReadonlyArray<number> }): Schedule => {
  const values = [...options.values]
  const boundaries = [...options.boundaries]
  values.forEach((v, i) => finite('piecewise', `values[${i}]`, v))
  increasingSteps('piecewise', boundaries)
  if (values.length !== boundaries.length + 1)
    throw new RangeError(
      `piecewise: expected one more value than boundaries, got ${count(values.length, 'value')} for ${count(boundaries.length, 'boundary', 'boundaries')}`
    )
  return (step) => values[segment(boundaries, step)]!
}

/**
 * Exponential decay: `init · rate^(step / steps)`, the rate multiplied by `rate` every `steps`
 * steps, smoothly; with `staircase` the exponent is rounded down (`⌊step / steps⌋`).
 *
 * @example
 * import { exponentialDecay } from '@purenn/training'
 * const lr = exponentialDecay({ init: 1, rate: 0.5, steps: 10 })
 * lr(10) // => 0.5
 * lr(5) // ≈ Math.SQRT1_2
 *
 * @category schedules
 * @since 0.1.0
 */
export const exponentialDecay = (options: {
  readonly init: number
  readonly rate: number
  readonly steps: number
  readonly staircase?: boolean
}): Schedule => {
  const init = finite('exponentialDecay', 'init', options.init)
  const rate = positive('exponentialDecay', 'rate', options.rate)
  const steps = positiveInteger('exponentialDecay', 'steps', options.steps)
  return options.staircase === true
    ? (step) => init * Math.pow(rate, Math.floor(step / steps))
    : (step) => init * Math.pow(rate, step / steps)
}

/**
 * Cosine decay (Loshchilov & Hutter, SGDR, 2017): from `init` down to `alpha · init` over
 * `steps` steps along half a cosine, then constant:
 * `init · ((1 − alpha) · ½ (1 + cos(π · min(step, steps) / steps)) + alpha)`.
 *
 * @example
 * import { cosineDecay } from '@purenn/training'
 * const lr = cosineDecay({ init: 1, steps: 100 })
 * lr(0) // => 1
 * lr(50) // ≈ 0.5
 * lr(100) // => 0
 *
 * @category schedules
 * @since 0.1.0
 */
export const cosineDecay = (options: { readonly init: number; readonly steps: number; readonly alpha?: number }): Schedule => {
  const init = finite('cosineDecay', 'init', options.init)
  const steps = positiveInteger('cosineDecay', 'steps', options.steps)
  const alpha = finite('cosineDecay', 'alpha', options.alpha ?? 0)
  if (alpha < 0 || alpha > 1) throw new RangeError(`cosineDecay: alpha must be in [0, 1], got ${alpha}`)
  return (step) => {
    const t = Math.min(Math.max(step, 0), steps) / steps
    return init * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * t)) + alpha)
  }
}

/**
 * Linear warmup: from `from` (default 0) to `to` in a straight line over `steps` steps, then
 * `to` for good: `from + (to − from) · min(step, steps) / steps`.
 *
 * @example
 * import { linearWarmup } from '@purenn/training'
 * const lr = linearWarmup({ to: 0.1, steps: 10 })
 * lr(0) // => 0
 * lr(5) // ≈ 0.05
 * lr(20) // => 0.1
 *
 * @category schedules
 * @since 0.1.0
 */
export const linearWarmup = (options: { readonly from?: number; readonly to: number; readonly steps: number }): Schedule => {
  const from = finite('linearWarmup', 'from', options.from ?? 0)
  const to = finite('linearWarmup', 'to', options.to)
  const steps = positiveInteger('linearWarmup', 'steps', options.steps)
  return (step) => from + ((to - from) * Math.min(Math.max(step, 0), steps)) / steps
}

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/**
 * Joins schedules at boundaries: `schedules[0]` before `boundaries[0]`, then `schedules[i]`
 * from `boundaries[i - 1]` on, each restarted at its boundary (it sees `step − boundary`, so
 * it starts from its own step 0). There is one more schedule than boundaries.
 *
 * @example
 * import { join, linearWarmup, cosineDecay } from '@purenn/training'
 * // warm up for 100 steps, then decay along a cosine for 900
 * const lr = join([linearWarmup({ to: 1e-3, steps: 100 }), cosineDecay({ init: 1e-3, steps: 900 })], [100])
 * lr(99) // ≈ 0.99e-3
 * lr(100) // => 1e-3
 * lr(550) // ≈ 0.5e-3
 *
 * @category combinators
 * @since 0.1.0
 */
export const join = (schedules: ReadonlyArray<Schedule>, boundaries: ReadonlyArray<number>): Schedule => {
  const parts = [...schedules]
  const at = [...boundaries]
  parts.forEach((s, i) => {
    if (typeof s !== 'function') throw new RangeError(`join: schedules[${i}] must be a schedule (a function), got ${describeValue(s)}`)
  })
  increasingSteps('join', at)
  if (parts.length !== at.length + 1)
    throw new RangeError(`join: expected one more schedule than boundaries, got ${count(parts.length, 'schedule')} for ${count(at.length, 'boundary', 'boundaries')}`)
  return (step) => {
    const i = segment(at, step)
    return parts[i]!(i === 0 ? step : step - at[i - 1]!)
  }
}
