/**
 * Helpers for error messages and argument checks shared by the modules of this package.
 *
 * Functions that return a plain value refuse a bad argument by throwing a `TypeError` or a
 * `RangeError` whose message starts with the function's name and names the argument and the
 * sizes involved, e.g. `predict: input has 3 values, the network expects 2`.
 */
/** Describes a value for an error message, and tells a Matrix (shared with @purenn/matrix, so messages and checks read alike). */
import { describeValue, isMatrix, isRng } from '@purenn/matrix'
import type { Network } from '../types.js'
export { describeValue, isMatrix }

/** `1 value`, `2 values`: a count with its noun, singular or plural (`matrix`, `matrices`). */
export const count = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`


/**
 * Copies an array of numbers from a caller into a fresh `Float64Array`, refusing anything but
 * `expected` finite numbers: `predict: input has 3 values, the network expects 2`.
 */
export const vectorArg = (fn: string, name: string, values: unknown, expected: number, what: string): Float64Array => {
  if (!Array.isArray(values) && !(values instanceof Float64Array))
    throw new TypeError(`${fn}: ${name} must be an array of numbers, got ${describeValue(values)}`)
  const n = values.length
  if (n !== expected) throw new RangeError(`${fn}: ${name} has ${count(n, 'value')}, ${what} ${expected}`)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i]
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${describeValue(v)}`)
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] must be a finite number, got ${v}`)
    out[i] = v
  }
  return out
}

/**
 * Checks, without copying, that an array from a caller holds `expected` finite numbers, with
 * the same messages as `vectorArg`; returns it.
 */
export const checkedVector = (fn: string, name: string, values: unknown, expected: number, what: string): ArrayLike<number> => {
  if (!Array.isArray(values) && !(values instanceof Float64Array)) throw new TypeError(`${fn}: ${name} must be an array of numbers, got ${describeValue(values)}`)
  const n = values.length
  if (n !== expected) throw new RangeError(`${fn}: ${name} has ${count(n, 'value')}, ${what} ${expected}`)
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i]
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${describeValue(v)}`)
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] must be a finite number, got ${v}`)
  }
  return values as ArrayLike<number>
}

/** Refuses a learning rate that is not a positive finite number. */
export const positiveFinite = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${describeValue(value)}`)
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${fn}: ${name} must be a positive finite number, got ${value}`)
  return value
}

/** Refuses anything but a positive integer (a layer's node count, a network's input size). */
export const positiveInteger = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${describeValue(value)}`)
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${fn}: ${name} must be a positive integer, got ${value}`)
  return value
}

/** Refuses a value that is not a finite number. */
export const finite = (fn: string, name: string, value: unknown): number => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${describeValue(value)}`)
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${value}`)
  return value
}

/**
 * Refuses a value that is not a network at a glance: an object with a positive integer
 * `inputSize` and an array of `layers` (`predict: net must be a Network (network(n), then
 * addLayer), got null`). Shallow, as it runs on every call: the layers are the library's own
 * values, checked where they are built or decoded.
 */
export const networkArg = (fn: string, u: unknown): void => {
  const net = u as Network
  if (typeof u !== 'object' || u === null || !Number.isInteger(net.inputSize) || net.inputSize <= 0 || !Array.isArray(net.layers))
    throw new TypeError(`${fn}: net must be a Network (network(n), then addLayer), got ${describeValue(u)}`)
}

/** Refuses a generator that is not an `Rng` (`rng(seed)`), for a function that draws. */
export const rngArg = (fn: string, u: unknown): void => {
  if (!isRng(u)) throw new TypeError(`${fn}: expected a generator (rng(seed)) to draw from, got ${describeValue(u)}`)
}
