/**
 * @purenn/matrix: pure, immutable matrices over `Float64Array`.
 *
 * Every operation returns a new matrix and never changes its inputs. Operations are
 * data-last and curried, so they compose with fp-ts's `pipe`:
 *
 * ```ts
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const weights = M.fromFunction(2, 3, (i, j) => (i + j) / 10) // a layer of 2 nodes and 3 inputs
 * const bias = M.fromArray([0.5, -0.5])
 * const x = M.fromArray([1, 0, -1]) // one sample, a column
 * const y = pipe(weights, M.dot(x), M.add(bias), M.map(Math.tanh))
 * M.toArray(y) // ≈ [Math.tanh(0.3), Math.tanh(-0.7)]
 * ```
 *
 * @since 0.1.0
 */
export { ShapeError, type MatrixError, describeValue } from './errors.js'
export {
  type Matrix,
  type ReadonlyFloat64Array,
  type Mutators,
  isMatrix,
  zeros,
  fill,
  identity,
  fromFunction,
  fromArray,
  fromArrays,
  fromArraysAt,
  toArrays,
  toArray,
  get,
  row,
  column,
  selectColumns,
  selectRows,
  shapeOf
} from './Matrix.js'
export { add, subtract, hadamard, scale, map, mapWithIndex, zipWith, addColumn, addRow } from './elementwise.js'
export { dot, dotTransposeA, dotTransposeB, outer, transpose } from './product.js'
export { type Kernel, type KernelName, type Gemm, kernels, defaultKernel } from './Kernel.js'
export { type Products, withKernel } from './withKernel.js'
export { type Arena, type AdamArrays, type AdamScalars, arena } from './Arena.js'
export { sum, sumOfSquares, norm, maxAbs, rowSums, colSums, rowMeans, colMeans, argmaxColumns } from './reduce.js'
export { getEq, Show } from './instances.js'
export { type MatrixJson, type MatrixJsonError, encodeMatrix, decodeMatrix, decodeMatrixAt } from './json.js'
export { type Rng, rng, isRng, split, nextDouble, nextInt, permutation, uniform, normal } from './Random.js'
