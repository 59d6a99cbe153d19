/**
 * Type-class instances for `Matrix`: equality within a tolerance, and printing.
 *
 * @since 0.1.0
 */
import type { Eq } from 'fp-ts/lib/Eq.js'
import type { Show as ShowT } from 'fp-ts/lib/Show.js'
import type { Matrix } from './Matrix.js'
import { checkMatrix } from './internal/check.js'

/**
 * Equality up to an absolute `tolerance`: same shape, and every pair of entries differs by
 * at most `tolerance`. `getEq(0)` is exact equality (with `0 === -0`); `NaN` equals nothing,
 * except that a matrix is always equal to itself. With a tolerance above 0 the relation is not
 * transitive, as for any comparison within a tolerance.
 *
 * @example
 * import { getEq, fromArray } from '@purenn/matrix'
 * getEq(1e-9).equals(fromArray([0.1 + 0.2]), fromArray([0.3])) // => true
 * getEq(0).equals(fromArray([0.1 + 0.2]), fromArray([0.3])) // => false
 *
 * @category instances
 * @since 0.1.0
 */
export const getEq = (tolerance: number): Eq<Matrix> => {
  if (!(tolerance >= 0)) throw new RangeError(`getEq: tolerance must be a non-negative number, got ${tolerance}`)
  return {
    equals: (a, b) => {
      checkMatrix('getEq', 'a', 'getEq(tolerance).equals(a, b)', a)
      checkMatrix('getEq', 'b', 'getEq(tolerance).equals(a, b)', b)
      if (a === b) return true
      if (a.rows !== b.rows || a.cols !== b.cols) return false
      const x = a.data
      const y = b.data
      for (let i = 0; i < x.length; i++) if (!(Math.abs(x[i]! - y[i]!) <= tolerance)) return false
      return true
    }
  }
}

const formatNumber = (v: number): string => {
  if (v === 0) return '0'
  const a = Math.abs(v)
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(4)
}

/**
 * Prints a matrix as its shape and right-aligned rows with up to six significant digits;
 * large matrices show their first and last rows and columns around `…`.
 *
 * @example
 * import { Show, identity } from '@purenn/matrix'
 * Show.show(identity(2)).split('\n') // => ['Matrix 2x2', '[ 1  0 ]', '[ 0  1 ]']
 *
 * @category instances
 * @since 0.1.0
 */
export const Show: ShowT<Matrix> = {
  show: (m) => {
    checkMatrix('Show', 'm', 'Show.show(m)', m)
    const head = `Matrix ${m.rows}x${m.cols}`
    if (m.rows === 0 || m.cols === 0) return `${head} (empty)`
    const pick = (n: number): Array<number | null> =>
      n <= 10 ? Array.from({ length: n }, (_, i) => i) : [0, 1, 2, 3, null, n - 4, n - 3, n - 2, n - 1]
    const rows = pick(m.rows)
    const cols = pick(m.cols)
    const cells = rows.map((i) => cols.map((j) => (i === null || j === null ? '…' : formatNumber(m.data[i * m.cols + j]!))))
    const widths = cols.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)))
    const lines = cells.map((r) => `[ ${r.map((s, c) => s.padStart(widths[c]!)).join('  ')} ]`)
    return [head, ...lines].join('\n')
  }
}
