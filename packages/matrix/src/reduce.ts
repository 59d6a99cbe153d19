/**
 * Reductions: sums and means along either axis, whole-matrix sums and norms, and the index
 * of the largest entry of each column (a classifier's predicted class when samples are
 * columns).
 *
 * @since 0.1.0
 */
import { buffer, unsafeFromBuffer, type Matrix } from './Matrix.js'
import { checkMatrix } from './internal/check.js'

/**
 * The sum of every entry.
 *
 * @example
 * import { sum, fill } from '@purenn/matrix'
 * sum(fill(2, 3, 1)) // => 6
 *
 * @category reductions
 * @since 0.1.0
 */
export const sum = (m: Matrix): number => {
  checkMatrix('sum', 'm', 'sum(m)', m)
  const x = buffer(m)
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]!
  return s
}

/**
 * The sum of the squares of every entry, `Σ a²` (the squared Frobenius norm).
 *
 * @example
 * import { sumOfSquares, fromArray } from '@purenn/matrix'
 * sumOfSquares(fromArray([3, 4])) // => 25
 *
 * @category reductions
 * @since 0.1.0
 */
export const sumOfSquares = (m: Matrix): number => {
  checkMatrix('sumOfSquares', 'm', 'sumOfSquares(m)', m)
  const x = buffer(m)
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!
  return s
}

/**
 * The Frobenius norm `√(Σ a²)`.
 *
 * @example
 * import { norm, fromArray } from '@purenn/matrix'
 * norm(fromArray([3, 4])) // => 5
 *
 * @category reductions
 * @since 0.1.0
 */
export const norm = (m: Matrix): number => {
  checkMatrix('norm', 'm', 'norm(m)', m)
  return Math.sqrt(sumOfSquares(m))
}

/**
 * The largest absolute value of any entry (0 for an empty matrix).
 *
 * @example
 * import { maxAbs, fromArray } from '@purenn/matrix'
 * maxAbs(fromArray([1, -5, 3])) // => 5
 *
 * @category reductions
 * @since 0.1.0
 */
export const maxAbs = (m: Matrix): number => {
  checkMatrix('maxAbs', 'm', 'maxAbs(m)', m)
  const x = buffer(m)
  let best = 0
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!)
    if (v > best) best = v
  }
  return best
}

/**
 * The sum of each row, as a `rows x 1` column: a layer's bias gradient over a batch is the
 * row sums of its deltas.
 *
 * @example
 * import { rowSums, fromFunction, toArray } from '@purenn/matrix'
 * toArray(rowSums(fromFunction(2, 3, (i) => i + 1))) // => [3, 6]
 *
 * @category reductions
 * @since 0.1.0
 */
export const rowSums = (m: Matrix): Matrix => {
  checkMatrix('rowSums', 'm', 'rowSums(m)', m)
  const x = buffer(m)
  const out = new Float64Array(m.rows)
  for (let i = 0; i < m.rows; i++) {
    let s = 0
    const base = i * m.cols
    for (let j = 0; j < m.cols; j++) s += x[base + j]!
    out[i] = s
  }
  return unsafeFromBuffer(m.rows, 1, out)
}

/**
 * The sum of each column, as a `1 x cols` row.
 *
 * @example
 * import { colSums, fromFunction, toArrays } from '@purenn/matrix'
 * toArrays(colSums(fromFunction(2, 3, (i, j) => j))) // => [[0, 2, 4]]
 *
 * @category reductions
 * @since 0.1.0
 */
export const colSums = (m: Matrix): Matrix => {
  checkMatrix('colSums', 'm', 'colSums(m)', m)
  const x = buffer(m)
  const out = new Float64Array(m.cols)
  for (let i = 0; i < m.rows; i++) {
    const base = i * m.cols
    for (let j = 0; j < m.cols; j++) out[j] = out[j]! + x[base + j]!
  }
  return unsafeFromBuffer(1, m.cols, out)
}

/**
 * The mean of each row, as a `rows x 1` column. A matrix with no columns has no mean:
 * throws a `RangeError`.
 *
 * @example
 * import { rowMeans, fromFunction, toArray } from '@purenn/matrix'
 * toArray(rowMeans(fromFunction(2, 2, (i, j) => i + j))) // => [0.5, 1.5]
 *
 * @category reductions
 * @since 0.1.0
 */
export const rowMeans = (m: Matrix): Matrix => {
  checkMatrix('rowMeans', 'm', 'rowMeans(m)', m)
  if (m.cols === 0) throw new RangeError(`rowMeans: a ${m.rows}x0 matrix has no row means`)
  const s = buffer(rowSums(m))
  for (let i = 0; i < s.length; i++) s[i] = s[i]! / m.cols // s is fresh: filling it is local
  return unsafeFromBuffer(m.rows, 1, s)
}

/**
 * The mean of each column, as a `1 x cols` row. A matrix with no rows has no mean: throws
 * a `RangeError`.
 *
 * @example
 * import { colMeans, fromFunction, toArrays } from '@purenn/matrix'
 * toArrays(colMeans(fromFunction(2, 2, (i, j) => i + j))) // => [[0.5, 1.5]]
 *
 * @category reductions
 * @since 0.1.0
 */
export const colMeans = (m: Matrix): Matrix => {
  checkMatrix('colMeans', 'm', 'colMeans(m)', m)
  if (m.rows === 0) throw new RangeError(`colMeans: a 0x${m.cols} matrix has no column means`)
  const s = buffer(colSums(m))
  for (let j = 0; j < s.length; j++) s[j] = s[j]! / m.rows
  return unsafeFromBuffer(1, m.cols, s)
}

/**
 * For each column, the row index of its largest entry (the first one on ties). With one
 * sample per column and one output per class, this is each sample's predicted class. A
 * matrix without rows gives `-1` for each column.
 *
 * @example
 * import { argmaxColumns, fromFunction } from '@purenn/matrix'
 * // columns [0.1, 0.9] and [0.7, 0.3]
 * argmaxColumns(fromFunction(2, 2, (i, j) => [[0.1, 0.7], [0.9, 0.3]][i]![j]!)) // => [1, 0]
 *
 * @category reductions
 * @since 0.1.0
 */
export const argmaxColumns = (m: Matrix): number[] => {
  checkMatrix('argmaxColumns', 'm', 'argmaxColumns(m)', m)
  const x = buffer(m)
  const out: number[] = new Array(m.cols)
  for (let j = 0; j < m.cols; j++) {
    let best = 0
    let bestValue = m.rows > 0 ? x[j]! : Number.NaN
    for (let i = 1; i < m.rows; i++) {
      const v = x[i * m.cols + j]!
      if (v > bestValue) {
        bestValue = v
        best = i
      }
    }
    out[j] = m.rows > 0 ? best : -1
  }
  return out
}
