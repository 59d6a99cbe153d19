/**
 * What an example's result comments turn into when it runs (this file is copied beside the
 * examples and compiled with them, so it imports nothing but Node's own modules).
 *
 * - `expr // => value`: `__eq(expr, value, where)`, deep equality;
 * - `expr // ≈ value` or `expr // ≈ value ± tolerance`: `__approx(expr, value, tolerance, where)`,
 *   numbers equal within the tolerance (absolute when stated; by default 1e-6 relative to the
 *   expected value, or absolute below 1).
 *
 * Both return the value they check, so a checked expression keeps its type and its place.
 * Deep equality compares numbers with `===` (so `0` and `-0` are equal, and `NaN` equals `NaN`),
 * arrays and typed arrays entry by entry (a `Float64Array` equals the array of its numbers), and
 * objects key by key (the expected object's keys, and the actual object's enumerable ones).
 */
import { inspect } from 'node:util'

/** A result that is not what the example says it is. */
export class ExampleFailure extends Error {
  override readonly name = 'ExampleFailure'
}

/** The default relative tolerance of `// ≈`. */
export const defaultTolerance = 1e-6

const show = (v: unknown): string => inspect(v, { depth: 8, breakLength: 120, maxArrayLength: 64, compact: 3 })

interface Difference {
  readonly path: string
  readonly actual: unknown
  readonly expected: unknown
}

const isArrayLike = (u: unknown): u is ArrayLike<unknown> => Array.isArray(u) || (ArrayBuffer.isView(u) && !(u instanceof DataView))

const numbersEqual = (a: number, e: number, tolerance: number | undefined): boolean => {
  if (a === e || (Number.isNaN(a) && Number.isNaN(e))) return true
  if (tolerance === undefined || !Number.isFinite(a) || !Number.isFinite(e)) return false
  return Math.abs(a - e) <= tolerance
}

/**
 * Where `actual` first differs from `expected`, or `undefined` if it does not. `tolerance(e)` is
 * the allowed distance from an expected number `e` (`undefined` for exact equality).
 */
const difference = (actual: unknown, expected: unknown, tolerance: ((e: number) => number) | undefined, path: string): Difference | undefined => {
  const here = { path: path === '' ? '(the value)' : path, actual, expected }
  if (typeof expected === 'number') return typeof actual === 'number' && numbersEqual(actual, expected, tolerance?.(expected)) ? undefined : here
  if (expected === null || typeof expected !== 'object') return actual === expected ? undefined : here
  if (isArrayLike(expected)) {
    if (!isArrayLike(actual) || actual.length !== expected.length) return here
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], tolerance, `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (actual === null || typeof actual !== 'object' || isArrayLike(actual)) return here
  const a = actual as Record<string, unknown>
  const e = expected as Record<string, unknown>
  const keys = new Set([...Object.keys(e), ...Object.keys(a)])
  for (const k of keys) {
    if (a[k] === undefined && e[k] === undefined) continue
    const d = difference(a[k], e[k], tolerance, `${path}.${k}`)
    if (d !== undefined) return d
  }
  return undefined
}

const fail = (kind: string, where: string, actual: unknown, expected: unknown, d: Difference): never => {
  const detail = d.path === '(the value)' ? '' : `\n  first difference at ${d.path}: expected ${show(d.expected)}, got ${show(d.actual)}`
  throw new ExampleFailure(`${where}\n  expected ${kind}${show(expected)}\n  actual:   ${show(actual)}${detail}`)
}

/** `expr // => value`: the value of `expr`, which must deeply equal `expected`. */
export const __eq = <A>(actual: A, expected: unknown, where: string): A => {
  const d = difference(actual, expected, undefined, '')
  return d === undefined ? actual : fail('(=>): ', where, actual, expected, d)
}

/** `expr // ≈ value [± tolerance]`: the value of `expr`, whose numbers must be within the tolerance of `expected`'s. */
export const __approx = <A>(actual: A, expected: unknown, tolerance: number | undefined, where: string): A => {
  const within = tolerance === undefined ? (e: number) => defaultTolerance * Math.max(1, Math.abs(e)) : () => tolerance
  const d = difference(actual, expected, within, '')
  const kind = tolerance === undefined ? `(≈, within ${defaultTolerance.toExponential()} relative): ` : `(≈ ± ${tolerance}): `
  return d === undefined ? actual : fail(kind, where, actual, expected, d)
}
