/**
 * Shared fast-check arbitraries and helpers for the matrix tests. Matrices are built here as
 * plain `{ rows, cols, data }` literals over a fresh `Float64Array`, independently of the
 * constructors under test.
 */
import fc from 'fast-check'
import type { Matrix } from '@purenn/matrix'

/** Runs per law: the issue asks for at least 200. */
export const RUNS = 200

/** A finite entry of moderate size (laws with tolerances stay meaningful). */
export const entry = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true })

/** A dimension from 1 to 13: tiny and odd sizes that do not fill a 4-wide tile. */
export const dim = fc.integer({ min: 1, max: 13 })

/** A dimension from 0 to 13, for operations that must accept empty matrices. */
export const dim0 = fc.integer({ min: 0, max: 13 })

/** Wraps values as a `rows x cols` matrix over a fresh buffer. */
export const literal = (rows: number, cols: number, values: ArrayLike<number>): Matrix => ({
  rows,
  cols,
  data: Float64Array.from(values)
})

/** A `rows x cols` matrix with entries from `values` (shrinks entry by entry). */
export const matrixOf = (rows: number, cols: number, values: fc.Arbitrary<number> = entry): fc.Arbitrary<Matrix> =>
  fc.array(values, { minLength: rows * cols, maxLength: rows * cols }).map((xs) => literal(rows, cols, xs))

/** A matrix of any shape from `dim0 x dim0`. */
export const anyMatrix: fc.Arbitrary<Matrix> = fc.tuple(dim0, dim0).chain(([r, c]) => matrixOf(r, c))

/** Two matrices of the same random shape. */
export const samePair: fc.Arbitrary<readonly [Matrix, Matrix]> = fc
  .tuple(dim0, dim0)
  .chain(([r, c]) => fc.tuple(matrixOf(r, c), matrixOf(r, c)))

/**
 * A `rows x cols` matrix filled from a seed with numbers in `[-1, 1)` (mulberry32): for large
 * shapes, where drawing every entry through fast-check would be slow.
 */
export const seeded = (rows: number, cols: number, seed: number): Matrix => {
  let s = seed >>> 0
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < out.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
  return { rows, cols, data: out }
}

/** The reference product: the textbook triple loop, `C(i, j) = Σ_p A(i, p) B(p, j)`. */
export const naiveDot = (a: Matrix, b: Matrix): Matrix => {
  const out = new Float64Array(a.rows * b.cols)
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0
      for (let p = 0; p < a.cols; p++) s += a.data[i * a.cols + p]! * b.data[p * b.cols + j]!
      out[i * b.cols + j] = s
    }
  return { rows: a.rows, cols: b.cols, data: out }
}

/** The reference transpose. */
export const naiveTranspose = (a: Matrix): Matrix => {
  const out = new Float64Array(a.rows * a.cols)
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!
  return { rows: a.cols, cols: a.rows, data: out }
}

/** Entry-by-entry absolute values. */
export const abs = (a: Matrix): Matrix => literal(a.rows, a.cols, Array.from(a.data, Math.abs))

/** The largest entry of a matrix of non-negative numbers (0 when empty). */
export const largest = (a: Matrix): number => a.data.reduce((m, x) => Math.max(m, x), 0)

/**
 * An absolute allowance for gradual underflow, added to relative tolerances: a product that
 * lands among the subnormal numbers (below 2⁻¹⁰²²) may lose up to 2⁻¹⁰⁷⁴ absolutely.
 */
export const UNDERFLOW = 1e-300

/**
 * The tolerance for comparing two computations of a product: the classical bound on
 * rounding in a sum of `k` products is `k·u·(|A||B|)(i, j)` with `u = 2⁻⁵³`; `1e-12` times
 * the largest entry of `|A||B|` (or `|A||B||C|`) is well above it for every size used here.
 * With subnormal numbers each operation may also lose an absolute `2⁻¹⁰⁷⁴` (gradual
 * underflow, Higham, "Accuracy and Stability of Numerical Algorithms", §2.1): the `1e-300`
 * covers that and is far below any value the laws are about.
 */
export const productTolerance = (...factors: ReadonlyArray<Matrix>): number =>
  1e-12 * largest(factors.map(abs).reduce((acc, f) => naiveDot(acc, f))) + UNDERFLOW

/** A byte-for-byte copy of a matrix's buffer, to check later that nothing wrote into it. */
export const snapshot = (m: Matrix): Uint8Array => new Uint8Array(Float64Array.from(m.data).buffer)

/** The bytes of a matrix's buffer now. */
export const bytes = (m: Matrix): Uint8Array => new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength)
