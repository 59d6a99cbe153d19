/**
 * Data helpers every example would otherwise write again: rows to columns, one-hot labels
 * and back, standardisation fitted on the training set and applied to the rest (a value that
 * encodes to JSON and travels with the model), a deterministic stratified split, and the
 * accuracy and confusion matrix of predicted classes.
 *
 * As everywhere in purenn, a matrix holds one sample per column; the tutorial's rows hold one
 * sample per row.
 *
 * Reading typed arrays: indices are bounded by the shapes read just before (see
 * `internal/buffer.ts`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { State } from 'fp-ts/lib/State.js'
import * as t from 'io-ts'
import * as M from '@purenn/matrix'
import type { Matrix, MatrixError, Rng } from '@purenn/matrix'
import { buf, matrix } from './internal/buffer.js'
import { check, codec, firstFailure, isRecord, root } from './internal/codecs.js'
import { describeValue } from './internal/describe.js'

// -------------------------------------------------------------------------------------
// rows and columns
// -------------------------------------------------------------------------------------

/**
 * Rows (one sample a row, as the tutorial writes data) to a matrix with one sample per
 * column, decoded: a `Left` names a ragged row or a value that is not a finite number, as
 * `rows[3]: expected 2 values, got 3` (or with the `name` given).
 *
 * @example
 * import { toColumns } from '@purenn/training'
 * import { toArrays } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // three samples of two inputs, one a row, become a 2x3 matrix, one sample a column
 * pipe(toColumns([[0, 0], [0, 1], [1, 0]]), E.map(toArrays)) // => E.right([[0, 0, 1], [0, 1, 0]])
 * E.isLeft(toColumns([[0, 0], [1]])) // => true
 *
 * @category data
 * @since 0.1.0
 */
export const toColumns = (rows: ReadonlyArray<ReadonlyArray<number>>, name = 'rows'): E.Either<MatrixError, Matrix> =>
  pipe(M.fromArraysAt(name)(rows), E.map(M.transpose))

/**
 * A matrix of columns back to rows, one sample a row.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { toRows } from '@purenn/training'
 * toRows(M.fromFunction(2, 3, (i, j) => 10 * i + j)) // => [[0, 10], [1, 11], [2, 12]]
 *
 * @category data
 * @since 0.1.0
 */
export const toRows = (columns: Matrix): number[][] => M.toArrays(M.transpose(columns))

// -------------------------------------------------------------------------------------
// one-hot
// -------------------------------------------------------------------------------------

/**
 * Class indices to one-hot columns: a `classes x n` matrix whose column s has a 1 in row
 * `labels[s]`. Throws a `RangeError` naming a label that is not an integer in `[0, classes)`.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { oneHot } from '@purenn/training'
 * M.toArrays(oneHot(3)([2, 0])) // => [[0, 1], [0, 0], [1, 0]]
 *
 * @category data
 * @since 0.1.0
 */
export const oneHot =
  (classes: number) =>
  (labels: ReadonlyArray<number>): Matrix => {
    if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`oneHot: classes must be a positive integer, got ${describeValue(classes)}`)
    const n = labels.length
    const out = new Float64Array(classes * n)
    for (let s = 0; s < n; s++) {
      const c = labels[s]
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= classes)
        throw new RangeError(`oneHot: labels[${s}] must be a class in 0 .. ${classes - 1}, got ${describeValue(c)}`)
      out[c * n + s] = 1
    }
    return matrix(classes, n, out)
  }

/**
 * The inverse of `oneHot`, and how predictions become classes: the row of each column's
 * largest entry (the first, on a tie). A single row is read as a probability: class 1 when
 * the entry is at least 0.5, else class 0.
 *
 * @example
 * import { classes, oneHot } from '@purenn/training'
 * classes(oneHot(3)([2, 0, 1])) // => [2, 0, 1]
 *
 * @category data
 * @since 0.1.0
 */
export const classes = (m: Matrix): number[] => (m.rows === 1 ? Array.from(m.data, (p) => (p >= 0.5 ? 1 : 0)) : M.argmaxColumns(m))

// -------------------------------------------------------------------------------------
// standardisation
// -------------------------------------------------------------------------------------

/**
 * Per-feature statistics for standardisation, fitted on training data: each feature's mean
 * and standard deviation. Plain numbers, so it encodes to JSON and can travel with a model.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { standardize, type Standardizer } from '@purenn/training'
 * const s: Standardizer = { mean: [3, 0], std: [2, 1] } // one mean and deviation per input
 * M.toArrays(standardize(s)(M.fromArray([5, 1]))) // => [[1], [1]]
 *
 * @category data
 * @since 0.1.0
 */
export interface Standardizer {
  readonly mean: ReadonlyArray<number>
  readonly std: ReadonlyArray<number>
}

/**
 * Fits a standardizer on training data given as a `features x samples` matrix (one sample a
 * column): each feature's mean `μ = (1/n) Σ x` and population standard deviation
 * `σ = √((1/n) Σ (x − μ)²)`. A constant feature gets σ = 1, so it is only centred. Throws a
 * `RangeError` for data without samples.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { fitStandardizer } from '@purenn/training'
 * // one input, four samples: 0, 2, 4 and 6
 * fitStandardizer(M.fromFunction(1, 4, (_, j) => 2 * j)) // ≈ { mean: [3], std: [Math.sqrt(5)] }
 *
 * @category data
 * @since 0.1.0
 */
export const fitStandardizer = (data: Matrix): Standardizer => {
  const n = data.cols
  if (n === 0) throw new RangeError(`fitStandardizer: data has no samples (a ${data.rows}x0 matrix)`)
  const x = buf(data)
  const mean: number[] = []
  const std: number[] = []
  for (let i = 0; i < data.rows; i++) {
    let s = 0
    for (let j = 0; j < n; j++) s += x[i * n + j]!
    const mu = s / n
    let v = 0
    for (let j = 0; j < n; j++) v += (x[i * n + j]! - mu) ** 2 // two passes: no cancellation
    const sigma = Math.sqrt(v / n)
    mean.push(mu)
    std.push(sigma > 0 ? sigma : 1)
  }
  return { mean, std }
}

/**
 * Standardises data (a `features x samples` matrix) with statistics fitted before:
 * `z = (x − μ) / σ`, feature by feature. Throws a `ShapeError` (a `RangeError`) naming both
 * shapes when the feature counts differ.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { fitStandardizer, standardize } from '@purenn/training'
 * const train = M.fromFunction(1, 4, (_, j) => 2 * j) // mean 3, deviation √5
 * const s = fitStandardizer(train)
 * // the other sets are standardized with the training set's mean and deviation
 * const test = M.fromFunction(1, 2, (_, j) => [3, 8][j]!)
 * M.toArray(standardize(s)(test)) // ≈ [0, Math.sqrt(5)]
 *
 * @category data
 * @since 0.1.0
 */
export const standardize =
  (s: Standardizer) =>
  (data: Matrix): Matrix => {
    if (data.rows !== s.mean.length)
      throw new M.ShapeError('standardize', `data has ${data.rows} features (rows), the standardizer was fitted on ${s.mean.length}; data is ${data.rows}x${data.cols}, expected ${s.mean.length}x${data.cols}`, [
        [data.rows, data.cols],
        [s.mean.length, data.cols]
      ])
    const n = data.cols
    const x = buf(data)
    const out = new Float64Array(x.length)
    for (let i = 0; i < data.rows; i++) {
      const mu = s.mean[i]!
      const sigma = s.std[i]!
      for (let j = 0; j < n; j++) out[i * n + j] = (x[i * n + j]! - mu) / sigma
    }
    return matrix(data.rows, n, out)
  }

/**
 * A standardizer as a JSON document.
 *
 * @example
 * import { encodeStandardizer } from '@purenn/training'
 * encodeStandardizer({ mean: [3], std: [2] }).format // => 'purenn/standardizer'
 *
 * @category data
 * @since 0.1.0
 */
export interface StandardizerJson {
  readonly format: 'purenn/standardizer'
  readonly version: 1
  readonly mean: ReadonlyArray<number>
  readonly std: ReadonlyArray<number>
}

/**
 * A standardizer that cannot be read, with the path of the first problem.
 *
 * @example
 * import { decodeStandardizer } from '@purenn/training'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const doc = { format: 'purenn/standardizer', version: 1, mean: [0], std: [0] }
 * pipe(decodeStandardizer(doc), E.mapLeft((e) => e.message)) // => E.left('std[0]: expected a positive number, got number 0')
 *
 * @category errors
 * @since 0.1.0
 */
export interface InvalidStandardizer {
  readonly _tag: 'InvalidStandardizer'
  readonly message: string
  readonly path: string
}

/**
 * A standardizer as a JSON document.
 *
 * @example
 * import { encodeStandardizer } from '@purenn/training'
 * encodeStandardizer({ mean: [3], std: [2] }) // => { format: 'purenn/standardizer', version: 1, mean: [3], std: [2] }
 *
 * @category data
 * @since 0.1.0
 */
export const encodeStandardizer = (s: Standardizer): StandardizerJson => ({
  format: 'purenn/standardizer',
  version: 1,
  mean: [...s.mean],
  std: [...s.std]
})

const Finite = codec('Finite', (u) => check(typeof u === 'number' && Number.isFinite(u), u as number, 'a finite number', u))
const Positive = codec('Positive', (u) => check(typeof u === 'number' && Number.isFinite(u) && u > 0, u as number, 'a positive number', u))

const StandardizerCodec = t.type({
  format: codec('Format', (u) => check(u === 'purenn/standardizer', u, '"purenn/standardizer"', u)),
  version: codec('Version', (u) => check(u === 1, u, 'version 1', u)),
  mean: t.readonlyArray(Finite),
  std: t.readonlyArray(Positive)
})

/**
 * Reads a standardizer back from JSON: a `Left` names the first problem (a missing field, a
 * deviation that is not positive, lengths that differ). Never throws.
 *
 * @example
 * import { decodeStandardizer, encodeStandardizer } from '@purenn/training'
 * import * as E from 'fp-ts/lib/Either.js'
 * decodeStandardizer(JSON.parse(JSON.stringify(encodeStandardizer({ mean: [3], std: [2] })))) // => E.right({ mean: [3], std: [2] })
 *
 * @category data
 * @since 0.1.0
 */
export const decodeStandardizer = (u: unknown): E.Either<InvalidStandardizer, Standardizer> => {
  const invalid = (path: string, problem: string): InvalidStandardizer => ({
    _tag: 'InvalidStandardizer',
    path,
    message: `${path === '' ? 'standardizer' : path}: ${problem}`
  })
  if (!isRecord(u)) return E.left(invalid('', `expected { format, version, mean, std }, got ${describeValue(u)}`))
  return pipe(
    StandardizerCodec.validate(u, root(u)),
    E.mapLeft((errors) => {
      const { path, problem } = firstFailure(errors)
      return invalid(path, problem)
    }),
    E.chain((doc) =>
      doc.std.length === doc.mean.length
        ? E.right({ mean: doc.mean, std: doc.std })
        : E.left(invalid('std', `expected ${doc.mean.length} values (one per mean), got ${doc.std.length}`))
    )
  )
}

// -------------------------------------------------------------------------------------
// splitting
// -------------------------------------------------------------------------------------

/**
 * A stratified split of samples by class: within each class, a shuffle drawn from the
 * generator, then `round(count · testFraction)` of that class go to the test set and the rest
 * to the training set. Both index lists come back sorted. The same generator gives the same
 * split, and each class keeps its proportion in both sets. Throws a `RangeError` for a
 * fraction outside [0, 1] or a label that is not a non-negative integer.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { stratifiedSplit } from '@purenn/training'
 * const labels = [0, 0, 0, 0, 1, 1, 1, 1]
 * const [{ train, test }, next] = stratifiedSplit(labels, 0.25)(M.rng(0)) // `next` for the following draw
 * // the indices of the samples: a quarter of each class in the test set
 * test.map((i) => labels[i]).sort() // => [0, 1]
 * train.length // => 6
 *
 * @category data
 * @since 0.1.0
 */
export const stratifiedSplit =
  (labels: ReadonlyArray<number>, testFraction: number): State<Rng, { readonly train: number[]; readonly test: number[] }> =>
  (r) => {
    if (typeof testFraction !== 'number' || !(testFraction >= 0 && testFraction <= 1))
      throw new RangeError(`stratifiedSplit: testFraction must be in [0, 1], got ${describeValue(testFraction)}`)
    const byClass = new Map<number, number[]>()
    labels.forEach((c, s) => {
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0)
        throw new RangeError(`stratifiedSplit: labels[${s}] must be a class (a non-negative integer), got ${describeValue(c)}`)
      const members = byClass.get(c)
      if (members === undefined) byClass.set(c, [s])
      else members.push(s)
    })
    const train: number[] = []
    const test: number[] = []
    let g = r
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const members = byClass.get(c)!
      const [order, next] = M.permutation(members.length)(g)
      g = next
      const k = Math.round(members.length * testFraction)
      order.forEach((i, rank) => (rank < k ? test : train).push(members[i]!))
    }
    const ascending = (a: number, b: number): number => a - b
    return [{ train: train.sort(ascending), test: test.sort(ascending) }, g]
  }

// -------------------------------------------------------------------------------------
// scoring classes
// -------------------------------------------------------------------------------------

const sameLength = (fn: string, predicted: ReadonlyArray<number>, actual: ReadonlyArray<number>): void => {
  if (predicted.length !== actual.length)
    throw new RangeError(`${fn}: predicted has ${predicted.length} classes but actual has ${actual.length}`)
}

/**
 * The fraction of samples whose predicted class is the actual one. Throws a `RangeError` when
 * the lists differ in length or are empty.
 *
 * @example
 * import { classAccuracy } from '@purenn/training'
 * classAccuracy([0, 1, 2, 2], [0, 1, 1, 2]) // => 0.75
 *
 * @category data
 * @since 0.1.0
 */
export const classAccuracy = (predicted: ReadonlyArray<number>, actual: ReadonlyArray<number>): number => {
  sameLength('classAccuracy', predicted, actual)
  if (actual.length === 0) throw new RangeError('classAccuracy: no samples')
  let right = 0
  for (let s = 0; s < actual.length; s++) if (predicted[s] === actual[s]) right++
  return right / actual.length
}

/**
 * The confusion matrix of `n` classes: entry `[a][p]` counts the samples of actual class `a`
 * predicted as `p`, so the diagonal holds the right ones. Throws a `RangeError` for a class
 * outside `[0, n)` or lists of different lengths.
 *
 * @example
 * import { confusionMatrix } from '@purenn/training'
 * confusionMatrix(3)([0, 1, 2, 2], [0, 1, 1, 2]) // => [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
 *
 * @category data
 * @since 0.1.0
 */
export const confusionMatrix =
  (n: number) =>
  (predicted: ReadonlyArray<number>, actual: ReadonlyArray<number>): number[][] => {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`confusionMatrix: n must be a positive integer, got ${describeValue(n)}`)
    sameLength('confusionMatrix', predicted, actual)
    const out = Array.from({ length: n }, () => new Array<number>(n).fill(0))
    const inRange = (name: string, s: number, c: unknown): number => {
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= n)
        throw new RangeError(`confusionMatrix: ${name}[${s}] must be a class in 0 .. ${n - 1}, got ${describeValue(c)}`)
      return c
    }
    for (let s = 0; s < actual.length; s++) out[inRange('actual', s, actual[s])]![inRange('predicted', s, predicted[s])]! += 1
    return out
  }
