/**
 * The checks of an optimizer's or a link's hyper-parameters, made when it is built: each throws
 * a `RangeError` (a `TypeError` for options that are not an object) naming the function the
 * caller called and the argument as the caller spelled it, e.g. `momentum: beta must be in
 * [0, 1), got number 1.5`.
 *
 * @internal
 */
import { isLearningRate, type ScalarOrSchedule } from '../Schedule.js'
import { describeValue } from './describe.js'

/** Refuses options that are not an object (`shape` says what is expected, e.g. `{ learningRate, beta? }`). */
export const optionsArg = (fn: string, shape: string, value: unknown): void => {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${fn}: expected ${shape}, got ${describeValue(value)}`)
}

export const finiteArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError(`${fn}: ${name} must be a finite number, got ${describeValue(value)}`)
  return value
}

export const positiveArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new RangeError(`${fn}: ${name} must be a positive finite number, got ${describeValue(value)}`)
  return value
}

export const nonNegativeArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError(`${fn}: ${name} must be a non-negative finite number, got ${describeValue(value)}`)
  return value
}

/** A decay rate or a beta: in [0, 1). */
export const rateArg = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number' || !(value >= 0 && value < 1))
    throw new RangeError(`${fn}: ${name} must be in [0, 1), got ${describeValue(value)}`)
  return value
}

/** A learning rate: a positive number, or a schedule (a function, trusted to be one). */
export const learningRateArg = (fn: string, value: unknown): ScalarOrSchedule => {
  if (!isLearningRate(value)) throw new RangeError(`${fn}: learningRate must be a positive finite number, got ${describeValue(value)}`)
  return value
}
