/**
 * Element-wise operations: the tutorial's add, subtract, Hadamard product and map, plus
 * map with indices, scaling, zipping and adding a column to every column. All are data-last, so that they
 * read top to bottom in `pipe`: `pipe(a, add(b), scale(2))` is `2 (a + b)`.
 *
 * @since 0.1.0
 */
import { buffer, unsafeFromBuffer, type Matrix } from './Matrix.js'
import { ShapeError } from './errors.js'
import { assertSameShape } from './internal/assert.js'
import { checkFunction, checkMatrix } from './internal/check.js'

/**
 * `a + b`, entry by entry. Throws a `ShapeError` if the shapes differ.
 *
 * @example
 * import { add, fill, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArrays(pipe(fill(1, 2, 1), add(fill(1, 2, 2)))) // => [[3, 3]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const add = (b: Matrix) => {
  checkMatrix('add', 'b', 'add(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('add', 'a', 'add(b)(a)', a)
    assertSameShape('add', a, b)
    const x = buffer(a)
    const y = buffer(b)
    const out = new Float64Array(x.length)
    for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}

/**
 * `a - b`, entry by entry (note the order: `pipe(a, subtract(b))`). Throws a `ShapeError`
 * if the shapes differ.
 *
 * @example
 * import { subtract, fill, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArrays(pipe(fill(1, 2, 5), subtract(fill(1, 2, 2)))) // => [[3, 3]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const subtract = (b: Matrix) => {
  checkMatrix('subtract', 'b', 'subtract(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('subtract', 'a', 'subtract(b)(a)', a)
    assertSameShape('subtract', a, b)
    const x = buffer(a)
    const y = buffer(b)
    const out = new Float64Array(x.length)
    for (let i = 0; i < out.length; i++) out[i] = x[i]! - y[i]!
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}

/**
 * The Hadamard product `a ⊙ b`: entry-by-entry multiplication. Throws a `ShapeError` if the
 * shapes differ.
 *
 * @example
 * import { hadamard, fromArray, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArray(pipe(fromArray([1, 2]), hadamard(fromArray([3, 4])))) // => [3, 8]
 *
 * @category combinators
 * @since 0.1.0
 */
export const hadamard = (b: Matrix) => {
  checkMatrix('hadamard', 'b', 'hadamard(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('hadamard', 'a', 'hadamard(b)(a)', a)
    assertSameShape('hadamard', a, b)
    const x = buffer(a)
    const y = buffer(b)
    const out = new Float64Array(x.length)
    for (let i = 0; i < out.length; i++) out[i] = x[i]! * y[i]!
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}

/**
 * `k · a`: every entry multiplied by the number `k`.
 *
 * @example
 * import { scale, fromArray, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArray(pipe(fromArray([1, 2]), scale(3))) // => [3, 6]
 *
 * @category combinators
 * @since 0.1.0
 */
export const scale =
  (k: number) =>
  (a: Matrix): Matrix => {
    checkMatrix('scale', 'a', 'scale(k)(a)', a)
    const x = buffer(a)
    const out = new Float64Array(x.length)
    for (let i = 0; i < out.length; i++) out[i] = k * x[i]!
    return unsafeFromBuffer(a.rows, a.cols, out)
  }

/** The refusal of a function of the indices by `map`, out of `map`'s own body (a cold path). */
const indicesWanted = (n: number): never => {
  throw new TypeError(
    `map: f takes ${n} parameters, but map passes only the value; for the row and column use mapWithIndex((i, j, x) => …), where the value comes last (unlike Toy-Neural-Network-JS's map((x, i, j) => …))`
  )
}

/**
 * Applies `f` to every entry, as the tutorial's `Matrix.map` (used there to apply an
 * activation function). `f` receives the value alone: for the row and column too, use
 * `mapWithIndex`. Given a function of more than one parameter (`f.length > 1`, as in code
 * ported from Toy-Neural-Network-JS's `map((x, i, j) => …)`, whose indices would silently be
 * `undefined` here), `map` throws a `TypeError` that points to `mapWithIndex`.
 *
 * @example
 * import { map, fromArray, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArray(pipe(fromArray([1, 4]), map(Math.sqrt))) // => [1, 2]
 *
 * @category combinators
 * @since 0.1.0
 */
export const map = (f: (x: number) => number) => {
  checkFunction('map', 'f', f)
  if (f.length > 1) indicesWanted(f.length)
  return (a: Matrix): Matrix => {
    checkMatrix('map', 'a', 'map(f)(a)', a)
    const x = buffer(a)
    const out = new Float64Array(x.length)
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!)
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}

/**
 * Applies `f(i, j, x)` to every entry `x`, with its row `i` and column `j` (both from 0):
 * fp-ts's name for a map that also gives the index, and its order, index first. Note that the
 * value comes last, unlike Toy-Neural-Network-JS's `map((x, i, j) => …)`: port
 * `m.map((e, i, j) => g(e, i, j))` as `mapWithIndex((i, j, e) => g(e, i, j))`.
 * `mapWithIndex((_, __, x) => f(x))` is `map(f)`.
 *
 * @example
 * import { mapWithIndex, zeros, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArrays(pipe(zeros(2, 3), mapWithIndex((i, j, x) => x + 10 * i + j))) // => [[0, 1, 2], [10, 11, 12]]
 *
 * @category combinators
 * @since 0.2.0
 */
export const mapWithIndex = (f: (i: number, j: number, x: number) => number) => {
  checkFunction('mapWithIndex', 'f', f)
  return (a: Matrix): Matrix => {
    checkMatrix('mapWithIndex', 'a', 'mapWithIndex(f)(a)', a)
    const { rows, cols } = a
    const x = buffer(a)
    const out = new Float64Array(x.length)
    for (let i = 0; i < rows; i++) {
      const base = i * cols
      for (let j = 0; j < cols; j++) out[base + j] = f(i, j, x[base + j]!)
    }
    return unsafeFromBuffer(rows, cols, out)
  }
}

/**
 * Combines `a` and `b` entry by entry with `f(x, y)`, `x` from `a` and `y` from `b`.
 * Throws a `ShapeError` if the shapes differ.
 *
 * @example
 * import { zipWith, fromArray, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArray(pipe(fromArray([1, 2]), zipWith((x, y) => x * 10 + y, fromArray([3, 4])))) // => [13, 24]
 *
 * @category combinators
 * @since 0.1.0
 */
export const zipWith = (f: (x: number, y: number) => number, b: Matrix) => {
  checkMatrix('zipWith', 'b', 'zipWith(f, b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('zipWith', 'a', 'zipWith(f, b)(a)', a)
    assertSameShape('zipWith', a, b)
    const x = buffer(a)
    const y = buffer(b)
    const out = new Float64Array(x.length)
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!, y[i]!)
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}

/**
 * Adds the column vector `v` (`rows x 1`) to every column of `a`: how a layer's bias is added
 * to a batch of weighted sums, one sample per column. Throws a `ShapeError` unless `v` is a
 * column with as many rows as `a`.
 *
 * @example
 * import { addColumn, zeros, fromArray, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArrays(pipe(zeros(2, 3), addColumn(fromArray([1, 2])))) // => [[1, 1, 1], [2, 2, 2]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const addColumn = (v: Matrix) => {
  checkMatrix('addColumn', 'v', 'addColumn(v)(a)', v)
  return (a: Matrix): Matrix => {
    checkMatrix('addColumn', 'a', 'addColumn(v)(a)', a)
    if (v.cols !== 1 || v.rows !== a.rows)
      throw new ShapeError('addColumn', `cannot add ${v.rows}x${v.cols} to each column of ${a.rows}x${a.cols} (expected ${a.rows}x1)`, [
        [a.rows, a.cols],
        [v.rows, v.cols]
      ])
    const x = buffer(a)
    const c = buffer(v)
    const out = new Float64Array(x.length)
    for (let i = 0; i < a.rows; i++) {
      const ci = c[i]!
      const base = i * a.cols
      for (let j = 0; j < a.cols; j++) out[base + j] = x[base + j]! + ci
    }
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}

/**
 * Adds the row vector `r` (`1 x cols`) to every row of `a`, e.g. to shift every sample when
 * samples are rows. Throws a `ShapeError` unless `r` is a row with as many columns as `a`.
 *
 * @example
 * import { addRow, zeros, fromFunction, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const r = fromFunction(1, 2, (_, j) => j + 1)
 * toArrays(r) // => [[1, 2]]
 * toArrays(pipe(zeros(2, 2), addRow(r))) // => [[1, 2], [1, 2]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const addRow = (r: Matrix) => {
  checkMatrix('addRow', 'r', 'addRow(r)(a)', r)
  return (a: Matrix): Matrix => {
    checkMatrix('addRow', 'a', 'addRow(r)(a)', a)
    if (r.rows !== 1 || r.cols !== a.cols)
      throw new ShapeError('addRow', `cannot add ${r.rows}x${r.cols} to each row of ${a.rows}x${a.cols} (expected 1x${a.cols})`, [
        [a.rows, a.cols],
        [r.rows, r.cols]
      ])
    const x = buffer(a)
    const c = buffer(r)
    const out = new Float64Array(x.length)
    for (let i = 0; i < a.rows; i++) {
      const base = i * a.cols
      for (let j = 0; j < a.cols; j++) out[base + j] = x[base + j]! + c[j]!
    }
    return unsafeFromBuffer(a.rows, a.cols, out)
  }
}
