/**
 * A data set from a caller, checked once and read a chunk of samples at a time. The tutorial
 * passes samples as rows (`number[][]`, one sample a row); purenn's batches are matrices
 * with one sample per column. Both are accepted, and read as column chunks of bounded size,
 * so that evaluating a large data set never copies all of it at once.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import type { Matrix } from '@purenn/matrix'
import { buf, matrix } from './buffer.js'
import { count, describeValue, isMatrix } from './describe.js'
import { checkRows } from './shapes.js'

/** A checked data set: how many samples, and the samples `from` to `to` as columns. */
export interface Samples {
  readonly count: number
  readonly columns: (from: number, to: number) => Matrix
}

/**
 * Checks rows (`number[][]`, each of `width` finite numbers) or a `width x n` matrix of
 * columns, and returns it as `Samples`. Throws a TypeError or RangeError naming the sample:
 * `evaluate: inputs[3] has 3 values, the network expects 2`.
 */
export const samplesArg = (fn: string, name: string, u: unknown, width: number, what: string): Samples => {
  if (isMatrix(u)) {
    checkRows(fn, name, u, width, what, 'a Matrix holds one sample per column')
    const m = u
    return { count: m.cols, columns: (from, to) => (from === 0 && to === m.cols ? m : sliceColumns(m, from, to)) }
  }
  if (!Array.isArray(u))
    throw new TypeError(`${fn}: ${name} must be an array of samples (rows) or a Matrix of columns, got ${describeValue(u)}`)
  const rows: ReadonlyArray<unknown> = u
  for (let s = 0; s < rows.length; s++) {
    const r: unknown = rows[s]
    if (!Array.isArray(r)) throw new TypeError(`${fn}: ${name}[${s}] must be an array of numbers, got ${describeValue(r)}`)
    if (r.length !== width) throw new RangeError(`${fn}: ${name}[${s}] has ${count(r.length, 'value')}, ${what} ${width}`)
    for (let i = 0; i < width; i++) {
      const v: unknown = r[i]
      if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${s}][${i}] must be a number, got ${describeValue(v)}`)
      if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${s}][${i}] must be a finite number, got ${v}`)
    }
  }
  const checked = rows as ReadonlyArray<ReadonlyArray<number>>
  return {
    count: checked.length,
    columns: (from, to) => {
      const n = to - from
      const out = new Float64Array(width * n)
      for (let s = 0; s < n; s++) {
        const r = checked[from + s]!
        for (let i = 0; i < width; i++) out[i * n + s] = r[i]! // row s of the data is column s here
      }
      return matrix(width, n, out)
    }
  }
}

/** Columns `from` to `to` (excluded) of a matrix, copied. */
const sliceColumns = (m: Matrix, from: number, to: number): Matrix => {
  const n = to - from
  const a = buf(m)
  const out = new Float64Array(m.rows * n)
  for (let i = 0; i < m.rows; i++) for (let s = 0; s < n; s++) out[i * n + s] = a[i * m.cols + from + s]!
  return matrix(m.rows, n, out)
}

/** How many samples are run through the network at once when a whole data set is evaluated. */
export const CHUNK = 512

/** Calls `visit` on aligned chunks of inputs and labels, in order. */
export const forEachChunk = (inputs: Samples, labels: Samples, visit: (x: Matrix, t: Matrix) => void): void => {
  for (let from = 0; from < inputs.count; from += CHUNK) {
    const to = Math.min(inputs.count, from + CHUNK)
    visit(inputs.columns(from, to), labels.columns(from, to))
  }
}
