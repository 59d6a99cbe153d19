/**
 * Argument checks shared by the constructors and the operations. They throw `RangeError` or
 * `TypeError` whose message names the function, the argument and the value, as the contract
 * asks of functions that return a plain value.
 */
import { describeValue } from '../errors.js'

/** Refuses anything but a non-negative integer (a matrix dimension). */
export const checkDimension = (fn: string, name: string, value: number): void => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof value}`)
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${value}`)
}

/** Refuses a value that is not a finite number. */
export const checkFinite = (fn: string, name: string, value: number): void => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof value}`)
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${value}`)
}

/** Refuses an index that is not a number (a `TypeError`: `'1'` is not row 1), or not an integer in `[0, size)`. */
export const checkIndex = (fn: string, name: string, value: number, size: number): void => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be an integer, got ${describeValue(value)}`)
  if (!Number.isInteger(value) || value < 0 || value >= size)
    throw new RangeError(`${fn}: ${name} ${value} is out of range [0, ${size})`)
}

// -------------------------------------------------------------------------------------
// matrix arguments
// -------------------------------------------------------------------------------------

/**
 * True for a `Float64Array`, including one made in another realm (an iframe, a `vm` context),
 * where `instanceof` says no. The `instanceof` comes first, so the common case costs one test.
 */
const isFloat64Array = (u: unknown): u is Float64Array =>
  u instanceof Float64Array || (ArrayBuffer.isView(u) && Object.prototype.toString.call(u) === '[object Float64Array]')

/**
 * True for a value shaped as a `Matrix`: an object whose `data` is a `Float64Array` holding
 * exactly `rows * cols` numbers, `rows` and `cols` being non-negative integers. A constant
 * number of reads: it never looks at the entries. (`(n >>> 0) === n` holds exactly for the
 * integers from 0 to 2³² − 1, which bounds every typed array's length; it refuses strings,
 * fractions, negatives and NaN in one comparison.)
 */
export const isMatrixShaped = (u: unknown): boolean => {
  if (typeof u !== 'object' || u === null) return false
  const m = u as { readonly rows: unknown; readonly cols: unknown; readonly data: unknown }
  const data = m.data
  const rows = m.rows as number
  const cols = m.cols as number
  return isFloat64Array(data) && rows >>> 0 === rows && cols >>> 0 === cols && rows * cols === data.length
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`

/** The `[object X]` tag of a typed array, e.g. `Float32Array`. */
const viewName = (u: ArrayBufferView): string => Object.prototype.toString.call(u).slice(8, -1)

/** What a non-matrix is, for the message of a refused argument; says how to get a Matrix where it can. */
export const describeNonMatrix = (u: unknown): string => {
  if (Array.isArray(u)) {
    if (u.length > 0 && Array.isArray(u[0])) return `an array of ${plural(u.length, 'row')} (make a Matrix of nested rows with fromArrays)`
    return `an array of ${u.length} (fromArray makes a column of numbers, fromArrays a Matrix of nested rows)`
  }
  if (ArrayBuffer.isView(u)) return `a ${viewName(u)}${'length' in u ? ` of ${String((u as { length: unknown }).length)}` : ''}`
  if (typeof u === 'function') return 'a function'
  if (typeof u !== 'object' || u === null) return describeValue(u)
  const { rows, cols, data } = u as { readonly rows: unknown; readonly cols: unknown; readonly data: unknown }
  if (data === undefined && rows === undefined && cols === undefined) return 'an object without rows, cols and data'
  if (!isFloat64Array(data)) {
    if (ArrayBuffer.isView(data)) return `an object whose data is a ${viewName(data)}, not a Float64Array`
    if (typeof data !== 'object' || data === null) return `an object whose data is ${describeValue(data)}, not a Float64Array`
    // an array, or the {"0": …} that JSON.stringify makes of a Float64Array
    const what = Array.isArray(data) ? `an array of ${data.length}` : 'a plain object'
    return `an object whose data is ${what}, not a Float64Array (JSON keeps no Float64Array: write a matrix with encodeMatrix, read it back with decodeMatrix)`
  }
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0) return `an object whose rows is ${describeValue(rows)}, not a non-negative integer`
  if (typeof cols !== 'number' || !Number.isInteger(cols) || cols < 0) return `an object whose cols is ${describeValue(cols)}, not a non-negative integer`
  return `an object of ${rows} rows and ${cols} cols holding ${plural(data.length, 'value')} (expected ${rows * cols})`
}

/**
 * Refuses, with a `TypeError`, an argument that is not a `Matrix`: the one check at the door of
 * every exported operation that takes one, in constant time. The message names the operation,
 * the argument in the call's signature, and what came instead:
 * `add: expected a Matrix as b in add(b)(a), got an array of 1 row (...)`.
 */
export const checkMatrix = (fn: string, name: string, call: string, u: unknown): void => {
  if (!isMatrixShaped(u)) notAMatrix(fn, name, call, u)
}

/** The cold path of `checkMatrix`, kept out of it so that the check inlines into its callers. */
const notAMatrix = (fn: string, name: string, call: string, u: unknown): never => {
  throw new TypeError(`${fn}: expected a Matrix as ${name} in ${call}, got ${describeNonMatrix(u)}`)
}

/** Refuses, with a `TypeError`, an argument that is not a function. */
export const checkFunction = (fn: string, name: string, u: unknown): void => {
  if (typeof u !== 'function') throw new TypeError(`${fn}: ${name} must be a function, got ${describeValue(u)}`)
}
