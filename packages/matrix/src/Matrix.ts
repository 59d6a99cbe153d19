/**
 * The `Matrix` type: an immutable, row-major grid of numbers over one `Float64Array`, and the
 * functions that build it and read it.
 *
 * In purenn, as in the tutorial, a layer's weights are a `nodes x inputs` matrix and samples
 * are columns, so a column vector (`n x 1`, see `fromArray`) is one sample.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, type MatrixError } from './errors.js'
import { checkDimension, checkFinite, checkIndex, checkMatrix, isMatrixShaped } from './internal/check.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The methods of `Float64Array` that write into it, or hand out a writable view of it: what
 * `ReadonlyFloat64Array` leaves out.
 *
 * @example
 * import type { Mutators, ReadonlyFloat64Array } from '@purenn/matrix'
 * const writes: Mutators[] = ['set', 'fill', 'copyWithin', 'reverse', 'sort', 'subarray']
 * const data: ReadonlyFloat64Array = new Float64Array(2)
 * // at run time the methods are there: the type is what hides them
 * writes.every((m) => m in data) // => true
 *
 * @category model
 * @since 0.2.0
 */
export type Mutators = 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort' | 'subarray'

/**
 * A `Float64Array` typed without its mutators: index writes, `set`, `fill`, `sort`, ... fail
 * to compile. Reading, iterating, `slice` (which copies) and `toArray`-style use still work.
 *
 * @example
 * import { fromArray, type ReadonlyFloat64Array } from '@purenn/matrix'
 * const data: ReadonlyFloat64Array = fromArray([1, 2, 3]).data
 * data[1] // => 2
 * Array.from(data.map((x) => 2 * x)) // => [2, 4, 6]
 * // a matrix's buffer cannot be written through its type: `data.fill(0)` and `data[0] = 1` do not compile
 * // (it is there at run time, for the kernels that own a buffer before they hand it out)
 * 'fill' in data // => true
 *
 * @category model
 * @since 0.1.0
 */
export type ReadonlyFloat64Array = Readonly<Omit<Float64Array, Mutators>>

/**
 * An immutable `rows x cols` matrix stored row-major: the entry in row `i` and column `j`
 * is `data[i * cols + j]`. Only this package's constructors and kernels write into a
 * matrix's buffer, and only before they hand it out.
 *
 * @example
 * import { fromArray } from '@purenn/matrix'
 * const v = fromArray([1, 2, 3])
 * v // => { rows: 3, cols: 1, data: Float64Array.of(1, 2, 3) }
 *
 * @category model
 * @since 0.1.0
 */
export interface Matrix {
  readonly rows: number
  readonly cols: number
  readonly data: ReadonlyFloat64Array
}

/**
 * True for a value that is a `Matrix`: an object whose `data` is a `Float64Array` of exactly
 * `rows * cols` numbers, `rows` and `cols` being non-negative integers. It reads three fields
 * and never the entries, so it costs the same for any size. Every operation of this package
 * makes this check on each matrix it is given, and throws a `TypeError` naming the operation,
 * the argument and what came instead when it fails (an array of rows, say, from plain
 * JavaScript).
 *
 * @example
 * import { isMatrix, zeros } from '@purenn/matrix'
 * isMatrix(zeros(2, 3)) // => true
 * // nested arrays are not a Matrix: fromArrays makes one of them
 * isMatrix([[1, 2]]) // => false
 *
 * @category refinements
 * @since 0.2.0
 */
export const isMatrix = (u: unknown): u is Matrix => isMatrixShaped(u)

/**
 * Wraps a buffer the caller has just filled and will never touch again. This is the one
 * door from a mutable `Float64Array` into an immutable `Matrix`: kernels allocate, fill, then
 * call this. Not for users: a buffer passed here must not be written afterwards.
 *
 * @internal
 */
export const unsafeFromBuffer = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data })

/**
 * Reads the writable buffer behind a matrix, for kernels that only read it. Typed as
 * `Float64Array` so that the hot loops compile to plain typed-array loads; never written.
 *
 * @internal
 */
export const buffer = (m: Matrix): Float64Array => m.data as Float64Array

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A `rows x cols` matrix of zeros.
 *
 * @example
 * import { zeros, toArrays } from '@purenn/matrix'
 * toArrays(zeros(2, 3)) // => [[0, 0, 0], [0, 0, 0]]
 *
 * @category constructors
 * @since 0.1.0
 */
export const zeros = (rows: number, cols: number): Matrix => {
  checkDimension('zeros', 'rows', rows)
  checkDimension('zeros', 'cols', cols)
  return unsafeFromBuffer(rows, cols, new Float64Array(rows * cols))
}

/**
 * A `rows x cols` matrix with every entry equal to `value`.
 *
 * @example
 * import { fill, toArrays } from '@purenn/matrix'
 * toArrays(fill(2, 2, 7)) // => [[7, 7], [7, 7]]
 *
 * @category constructors
 * @since 0.1.0
 */
export const fill = (rows: number, cols: number, value: number): Matrix => {
  checkDimension('fill', 'rows', rows)
  checkDimension('fill', 'cols', cols)
  checkFinite('fill', 'value', value)
  return unsafeFromBuffer(rows, cols, new Float64Array(rows * cols).fill(value))
}

/**
 * The `n x n` identity matrix: ones on the diagonal, zeros elsewhere.
 *
 * @example
 * import { identity, toArrays } from '@purenn/matrix'
 * toArrays(identity(2)) // => [[1, 0], [0, 1]]
 *
 * @category constructors
 * @since 0.1.0
 */
export const identity = (n: number): Matrix => {
  checkDimension('identity', 'n', n)
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) out[i * n + i] = 1
  return unsafeFromBuffer(n, n, out)
}

/**
 * A `rows x cols` matrix whose entry `(i, j)` is `f(i, j)`. Every value must be finite.
 *
 * @example
 * import { fromFunction, toArrays } from '@purenn/matrix'
 * toArrays(fromFunction(2, 3, (i, j) => 10 * i + j)) // => [[0, 1, 2], [10, 11, 12]]
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromFunction = (rows: number, cols: number, f: (i: number, j: number) => number): Matrix => {
  checkDimension('fromFunction', 'rows', rows)
  checkDimension('fromFunction', 'cols', cols)
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = f(i, j)
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new RangeError(`fromFunction: f(${i}, ${j}) returned ${describeValue(v)}, expected a finite number`)
      out[i * cols + j] = v
    }
  }
  return unsafeFromBuffer(rows, cols, out)
}

/**
 * A column vector (`n x 1`) holding `values`, as the tutorial's `Matrix.fromArray`: one
 * sample, ready to be multiplied by a layer's weights. Throws a `TypeError` or `RangeError`
 * naming the index of a value that is not a finite number.
 *
 * @example
 * import { fromArray, shapeOf } from '@purenn/matrix'
 * const x = fromArray([0, 1]) // a column: 2x1
 * shapeOf(x) // => '2x1'
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromArray = (values: ReadonlyArray<number>): Matrix => {
  if (!Array.isArray(values)) throw new TypeError(`fromArray: expected an array of numbers, got ${describeValue(values)}`)
  const n = values.length
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (typeof v !== 'number') throw new TypeError(`fromArray: values[${i}] must be a number, got ${describeValue(v)}`)
    if (!Number.isFinite(v)) throw new RangeError(`fromArray: values[${i}] must be finite, got ${v}`)
    out[i] = v
  }
  return unsafeFromBuffer(n, 1, out)
}

/**
 * Decodes nested rows from outside into a matrix: each inner array is a row. The input must
 * be rectangular and hold only finite numbers; otherwise the result is a `Left` whose
 * message names the row or cell, e.g. `rows[3]: expected 4 values, got 3`. Never throws.
 * An empty array gives a `0 x 0` matrix.
 *
 * @example
 * import { fromArrays, toArrays } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * pipe(fromArrays([[1, 2], [3, 4]]), E.map(toArrays)) // => E.right([[1, 2], [3, 4]])
 * pipe(fromArrays([[1, 2], [3]]), E.mapLeft((e) => e.message)) // => E.left('rows[1]: expected 2 values, got 1')
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromArrays = (rows: ReadonlyArray<ReadonlyArray<number>>): E.Either<MatrixError, Matrix> =>
  fromArraysAt('rows')(rows)

/**
 * `fromArrays` with the name used in messages chosen by the caller, so that a data set
 * decoded at a boundary can say `trainData[3]: expected 2 values, got 3`.
 *
 * @example
 * import { fromArraysAt } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * pipe(fromArraysAt('trainData')([[0, 0], [0]]), E.mapLeft((e) => e.message)) // => E.left('trainData[1]: expected 2 values, got 1')
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromArraysAt =
  (name: string) =>
  (rows: unknown): E.Either<MatrixError, Matrix> => {
    if (!Array.isArray(rows))
      return E.left({
        _tag: 'NotAnArray',
        path: name,
        value: rows,
        message: `${name}: expected an array of rows, got ${describeValue(rows)}`
      })
    const r = rows.length
    const first: unknown = rows[0]
    if (r > 0 && !Array.isArray(first))
      return E.left({
        _tag: 'NotAnArray',
        path: `${name}[0]`,
        value: first,
        message: `${name}[0]: expected an array of numbers, got ${describeValue(first)}`
      })
    const c = r > 0 ? (first as ReadonlyArray<unknown>).length : 0
    const out = new Float64Array(r * c)
    for (let i = 0; i < r; i++) {
      const row: unknown = rows[i]
      if (!Array.isArray(row))
        return E.left({
          _tag: 'NotAnArray',
          path: `${name}[${i}]`,
          value: row,
          message: `${name}[${i}]: expected an array of numbers, got ${describeValue(row)}`
        })
      if (row.length !== c)
        return E.left({
          _tag: 'RaggedRows',
          row: i,
          expected: c,
          actual: row.length,
          message: `${name}[${i}]: expected ${c} value${c === 1 ? '' : 's'}, got ${row.length}`
        })
      for (let j = 0; j < c; j++) {
        const v: unknown = row[j]
        if (typeof v !== 'number')
          return E.left({
            _tag: 'NotANumber',
            row: i,
            col: j,
            value: v,
            message: `${name}[${i}][${j}]: expected a number, got ${describeValue(v)}`
          })
        if (!Number.isFinite(v))
          return E.left({
            _tag: 'NotFinite',
            row: i,
            col: j,
            value: v,
            message: `${name}[${i}][${j}]: expected a finite number, got ${v}`
          })
        out[i * c + j] = v
      }
    }
    return E.right(unsafeFromBuffer(r, c, out))
  }

// -------------------------------------------------------------------------------------
// destructors and accessors
// -------------------------------------------------------------------------------------

/**
 * The rows of a matrix as fresh nested arrays (the inverse of `fromArrays`).
 *
 * @example
 * import { identity, toArrays } from '@purenn/matrix'
 * toArrays(identity(2)) // => [[1, 0], [0, 1]]
 *
 * @category destructors
 * @since 0.1.0
 */
export const toArrays = (m: Matrix): number[][] => {
  checkMatrix('toArrays', 'm', 'toArrays(m)', m)
  const out: number[][] = new Array(m.rows)
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.slice(i * m.cols, (i + 1) * m.cols))
  return out
}

/**
 * All entries as one fresh flat array, row by row. For a column vector that is its values,
 * as the tutorial's `toArray`.
 *
 * @example
 * import { fromArray, toArray } from '@purenn/matrix'
 * toArray(fromArray([1, 2])) // => [1, 2]
 *
 * @category destructors
 * @since 0.1.0
 */
export const toArray = (m: Matrix): number[] => {
  checkMatrix('toArray', 'm', 'toArray(m)', m)
  return Array.from(m.data)
}

/**
 * The entry in row `i`, column `j` (both from 0). Throws a `RangeError` outside the matrix.
 *
 * @example
 * import { identity, get } from '@purenn/matrix'
 * get(identity(2), 1, 1) // => 1
 *
 * @category destructors
 * @since 0.1.0
 */
export const get = (m: Matrix, i: number, j: number): number => {
  checkMatrix('get', 'm', 'get(m, i, j)', m)
  checkIndex('get', 'row', i, m.rows)
  checkIndex('get', 'column', j, m.cols)
  return m.data[i * m.cols + j]!
}

/**
 * Row `i` as a `1 x cols` matrix.
 *
 * @example
 * import { fromFunction, row, toArrays } from '@purenn/matrix'
 * toArrays(row(1)(fromFunction(2, 2, (i, j) => i + j))) // => [[1, 2]]
 *
 * @category destructors
 * @since 0.1.0
 */
export const row =
  (i: number) =>
  (m: Matrix): Matrix => {
    checkMatrix('row', 'm', 'row(i)(m)', m)
    checkIndex('row', 'index', i, m.rows)
    return unsafeFromBuffer(1, m.cols, m.data.slice(i * m.cols, (i + 1) * m.cols))
  }

/**
 * Column `j` as a `rows x 1` matrix (one sample, when samples are columns).
 *
 * @example
 * import { fromFunction, column, toArray } from '@purenn/matrix'
 * toArray(column(1)(fromFunction(2, 2, (i, j) => 10 * i + j))) // => [1, 11]
 *
 * @category destructors
 * @since 0.1.0
 */
export const column =
  (j: number) =>
  (m: Matrix): Matrix => {
    checkMatrix('column', 'm', 'column(j)(m)', m)
    checkIndex('column', 'index', j, m.cols)
    const a = buffer(m)
    const out = new Float64Array(m.rows)
    for (let i = 0; i < m.rows; i++) out[i] = a[i * m.cols + j]!
    return unsafeFromBuffer(m.rows, 1, out)
  }

/**
 * The columns at `indices`, in that order, as a new `rows x indices.length` matrix: how a
 * shuffled mini-batch of samples is gathered when samples are columns.
 *
 * @example
 * import { fromFunction, selectColumns, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const m = fromFunction(2, 3, (i, j) => 10 * i + j)
 * toArrays(m) // => [[0, 1, 2], [10, 11, 12]]
 * toArrays(pipe(m, selectColumns([2, 0]))) // => [[2, 0], [12, 10]]
 *
 * @category destructors
 * @since 0.1.0
 */
export const selectColumns =
  (indices: ReadonlyArray<number>) =>
  (m: Matrix): Matrix => {
    checkMatrix('selectColumns', 'm', 'selectColumns(indices)(m)', m)
    const n = indices.length
    for (let k = 0; k < n; k++) checkIndex('selectColumns', `indices[${k}]`, indices[k]!, m.cols)
    const a = buffer(m)
    const out = new Float64Array(m.rows * n)
    for (let i = 0; i < m.rows; i++) {
      const src = i * m.cols
      const dst = i * n
      for (let k = 0; k < n; k++) out[dst + k] = a[src + indices[k]!]!
    }
    return unsafeFromBuffer(m.rows, n, out)
  }

/**
 * The rows at `indices`, in that order, as a new `indices.length x cols` matrix.
 *
 * @example
 * import { identity, selectRows, toArrays } from '@purenn/matrix'
 * toArrays(selectRows([1])(identity(2))) // => [[0, 1]]
 *
 * @category destructors
 * @since 0.1.0
 */
export const selectRows =
  (indices: ReadonlyArray<number>) =>
  (m: Matrix): Matrix => {
    checkMatrix('selectRows', 'm', 'selectRows(indices)(m)', m)
    const n = indices.length
    for (let k = 0; k < n; k++) checkIndex('selectRows', `indices[${k}]`, indices[k]!, m.rows)
    const out = new Float64Array(n * m.cols)
    for (let k = 0; k < n; k++) {
      const src = indices[k]! * m.cols
      for (let j = 0; j < m.cols; j++) out[k * m.cols + j] = m.data[src + j]!
    }
    return unsafeFromBuffer(n, m.cols, out)
  }

/**
 * The shape of a matrix as text, `rows x cols`, as used in error messages.
 *
 * @example
 * import { zeros, shapeOf } from '@purenn/matrix'
 * shapeOf(zeros(2, 3)) // => '2x3'
 *
 * @category destructors
 * @since 0.1.0
 */
export const shapeOf = (m: Matrix): string => {
  checkMatrix('shapeOf', 'm', 'shapeOf(m)', m)
  return `${m.rows}x${m.cols}`
}
