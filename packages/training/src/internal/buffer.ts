/**
 * The two doors between immutable matrices and the typed arrays this package's kernels fill.
 *
 * Reading typed arrays: the project compiles with `noUncheckedIndexedAccess`, so `x[i]` has
 * type `number | undefined`. In this package's kernels every index is bounded by a length
 * checked (or shared by construction) before the loop, so they read with `x[i]!`, which costs
 * nothing at run time.
 */
import type { Matrix } from '@purenn/matrix'

/**
 * The buffer behind a matrix, typed as a plain `Float64Array` so that hot loops compile to
 * typed-array loads. Only ever read from.
 */
export const buf = (m: Matrix): Float64Array => m.data as Float64Array

/** Wraps a buffer just filled (and never written again) as a `rows x cols` matrix. */
export const matrix = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data })
