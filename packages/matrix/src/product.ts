/**
 * Matrix products and the transpose. `dot` is the tutorial's `Matrix.dot`; `dotTransposeA`
 * and `dotTransposeB` are the two products backpropagation needs (`Wᵀ·δ` and `δ·Xᵀ`),
 * computed without materialising the transpose.
 *
 * @since 0.1.0
 */
import { buffer, unsafeFromBuffer, type Matrix } from './Matrix.js'
import { ShapeError } from './errors.js'
import { defaultKernel, type Kernel } from './Kernel.js'
import { checkMatrix } from './internal/check.js'

const mismatch = (op: string, what: string, a: Matrix, b: Matrix, inner: readonly [number, number]): ShapeError =>
  new ShapeError(op, `cannot compute ${what} for a ${a.rows}x${a.cols} and b ${b.rows}x${b.cols} (inner sizes ${inner[0]} and ${inner[1]} differ)`, [
    [a.rows, a.cols],
    [b.rows, b.cols]
  ])

/** `dot` on a given kernel: `withKernel(kernel).dot`. @internal */
export const dotOn = (kernel: Kernel) => (b: Matrix) => {
  checkMatrix('dot', 'b', 'dot(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('dot', 'a', 'dot(b)(a)', a)
    if (a.cols !== b.rows) throw mismatch('dot', 'a·b', a, b, [a.cols, b.rows])
    return unsafeFromBuffer(a.rows, b.cols, kernel.gemm(a.rows, b.cols, a.cols, buffer(a), a.cols, 1, buffer(b), b.cols, 1))
  }
}

/** `dotTransposeA` on a given kernel: `withKernel(kernel).dotTransposeA`. @internal */
export const dotTransposeAOn = (kernel: Kernel) => (b: Matrix) => {
  checkMatrix('dotTransposeA', 'b', 'dotTransposeA(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('dotTransposeA', 'a', 'dotTransposeA(b)(a)', a)
    if (a.rows !== b.rows) throw mismatch('dotTransposeA', 'aᵀ·b', a, b, [a.rows, b.rows])
    return unsafeFromBuffer(a.cols, b.cols, kernel.gemm(a.cols, b.cols, a.rows, buffer(a), 1, a.cols, buffer(b), b.cols, 1))
  }
}

/** `dotTransposeB` on a given kernel: `withKernel(kernel).dotTransposeB`. @internal */
export const dotTransposeBOn = (kernel: Kernel) => (b: Matrix) => {
  checkMatrix('dotTransposeB', 'b', 'dotTransposeB(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('dotTransposeB', 'a', 'dotTransposeB(b)(a)', a)
    if (a.cols !== b.cols) throw mismatch('dotTransposeB', 'a·bᵀ', a, b, [a.cols, b.cols])
    return unsafeFromBuffer(a.rows, b.rows, kernel.gemm(a.rows, b.rows, a.cols, buffer(a), a.cols, 1, buffer(b), 1, b.cols))
  }
}

/**
 * The matrix product `a · b` (`pipe(a, dot(b))`): entry `(i, j)` is `Σ_p a(i, p) b(p, j)`.
 * Throws a `ShapeError` naming both shapes when `a.cols !== b.rows`.
 *
 * @example
 * import { dot, fromArray, fromFunction, toArray, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const w = fromFunction(2, 2, (i, j) => 2 * i + j + 1)
 * toArrays(w) // => [[1, 2], [3, 4]]
 * // weights (2x2) times a sample (2x1)
 * toArray(pipe(w, dot(fromArray([5, 6])))) // => [17, 39]
 *
 * @category combinators
 * @since 0.1.0
 */
export const dot: (b: Matrix) => (a: Matrix) => Matrix = dotOn(defaultKernel)

/**
 * `aᵀ · b` (`pipe(a, dotTransposeA(b))`) without building `aᵀ`: for `a` of shape `k x m` and
 * `b` of shape `k x n` the result is `m x n`. Backpropagation uses it to send errors back
 * through a layer: `δ_prev = Wᵀ · δ`.
 *
 * @example
 * import { dotTransposeA, dot, transpose, fromFunction, identity, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const a = fromFunction(2, 3, (i, j) => 3 * i + j + 1)
 * toArrays(a) // => [[1, 2, 3], [4, 5, 6]]
 * toArrays(pipe(a, dotTransposeA(identity(2)))) // => [[1, 4], [2, 5], [3, 6]]
 * // in general pipe(a, dotTransposeA(b)) equals pipe(transpose(a), dot(b)), bit for bit
 * const b = fromFunction(2, 4, (i, j) => i - j / 3)
 * pipe(a, dotTransposeA(b)) // => pipe(transpose(a), dot(b))
 *
 * @category combinators
 * @since 0.1.0
 */
export const dotTransposeA: (b: Matrix) => (a: Matrix) => Matrix = dotTransposeAOn(defaultKernel)

/**
 * `a · bᵀ` (`pipe(a, dotTransposeB(b))`) without building `bᵀ`: for `a` of shape `m x k` and
 * `b` of shape `n x k` the result is `m x n`. Backpropagation uses it for a layer's weight
 * gradient over a batch: `dW = δ · Xᵀ`.
 *
 * @example
 * import { dotTransposeB, dot, transpose, fromFunction, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const a = fromFunction(2, 3, (i, j) => 3 * i + j + 1)
 * toArrays(a) // => [[1, 2, 3], [4, 5, 6]]
 * toArrays(pipe(a, dotTransposeB(a))) // => [[14, 32], [32, 77]]
 * // in general pipe(a, dotTransposeB(b)) equals pipe(a, dot(transpose(b))), bit for bit
 * const b = fromFunction(4, 3, (i, j) => i - j / 3)
 * pipe(a, dotTransposeB(b)) // => pipe(a, dot(transpose(b)))
 *
 * @category combinators
 * @since 0.1.0
 */
export const dotTransposeB: (b: Matrix) => (a: Matrix) => Matrix = dotTransposeBOn(defaultKernel)

/**
 * The outer product `a · bᵀ` of two column vectors: `a` (`m x 1`) and `b` (`n x 1`) give an
 * `m x n` matrix with entry `(i, j) = a_i b_j`. Throws a `ShapeError` if either is not a column.
 *
 * @example
 * import { outer, fromArray, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * toArrays(pipe(fromArray([1, 2]), outer(fromArray([3, 4])))) // => [[3, 4], [6, 8]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const outer = (b: Matrix) => {
  checkMatrix('outer', 'b', 'outer(b)(a)', b)
  return (a: Matrix): Matrix => {
    checkMatrix('outer', 'a', 'outer(b)(a)', a)
    if (a.cols !== 1 || b.cols !== 1)
      throw new ShapeError('outer', `expected two column vectors, got ${a.rows}x${a.cols} and ${b.rows}x${b.cols}`, [
        [a.rows, a.cols],
        [b.rows, b.cols]
      ])
    const x = buffer(a)
    const y = buffer(b)
    const out = new Float64Array(a.rows * b.rows)
    for (let i = 0; i < a.rows; i++) {
      const xi = x[i]!
      for (let j = 0; j < b.rows; j++) out[i * b.rows + j] = xi * y[j]!
    }
    return unsafeFromBuffer(a.rows, b.rows, out)
  }
}

/**
 * The transpose: entry `(i, j)` of the result is entry `(j, i)` of `a`. Walks the matrix in
 * 32x32 blocks so that large transposes stay in cache.
 *
 * @example
 * import { transpose, fromFunction, toArrays } from '@purenn/matrix'
 * toArrays(transpose(fromFunction(2, 3, (i, j) => 10 * i + j))) // => [[0, 10], [1, 11], [2, 12]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const transpose = (a: Matrix): Matrix => {
  checkMatrix('transpose', 'a', 'transpose(a)', a)
  const { rows, cols } = a
  const x = buffer(a)
  const out = new Float64Array(rows * cols)
  const B = 32
  for (let i0 = 0; i0 < rows; i0 += B) {
    const iEnd = Math.min(rows, i0 + B)
    for (let j0 = 0; j0 < cols; j0 += B) {
      const jEnd = Math.min(cols, j0 + B)
      for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * rows + i] = x[i * cols + j]!
    }
  }
  return unsafeFromBuffer(cols, rows, out)
}
