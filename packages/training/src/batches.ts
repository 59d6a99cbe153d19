/**
 * Mini-batches. A data set is kept as one buffer with each sample's values side by side (a
 * sample is a contiguous run of `width` numbers), so that one sample is a column vector
 * viewed in place, with no copy, and a batch of several is gathered into a fresh
 * `width x batchSize` matrix of columns. Every epoch is shuffled by a Fisher–Yates
 * permutation drawn from the explicit generator (`permutation` of `@purenn/matrix`), never by
 * `sort(() => 0.5 - Math.random())`, which is biased and cannot be seeded. The last batch
 * keeps what is left over: no sample is dropped. The caller's data is copied once, when the
 * data set is built, and never reordered or changed.
 *
 * Reading typed arrays: indices are bounded by the sizes checked when the data set is built
 * (see `internal/buffer.ts`).
 *
 * @since 0.1.0
 */
import * as M from '@purenn/matrix'
import type { Matrix, Rng } from '@purenn/matrix'
import type { State } from 'fp-ts/lib/State.js'
import { buf, matrix } from './internal/buffer.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A batch: inputs and targets with one sample per column (`inputs x B` and `outputs x B`).
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import type { Batch } from '@purenn/training'
 * const batch: Batch = { inputs: M.fromArray([0, 1]), targets: M.fromArray([1]) } // one sample
 *
 * @category model
 * @since 0.1.0
 */
export interface Batch {
  readonly inputs: Matrix
  readonly targets: Matrix
}

/**
 * A data set ready for batching: `size` samples of `inputs.width` inputs and
 * `targets.width` targets. Built once (by `sampleSet`), read many times.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { sampleSet } from '@purenn/training'
 * const data = sampleSet(M.zeros(2, 10), M.zeros(1, 10)) // 10 samples of 2 inputs, 1 target
 *
 * @category model
 * @since 0.1.0
 */
export interface SampleSet {
  readonly size: number
  readonly inputs: Samples
  readonly targets: Samples
}

/** `size` samples of `width` numbers, sample-major (sample s at `data[s·width …]`), and each as a column. */
interface Samples {
  readonly width: number
  readonly data: Float64Array
  readonly columns: ReadonlyArray<Matrix>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Views sample-major data as one column vector per sample (views share the buffer, never written). */
const samples = (width: number, data: Float64Array): Samples => {
  const n = width === 0 ? 0 : data.length / width
  const columns: Matrix[] = new Array(n)
  for (let s = 0; s < n; s++) columns[s] = matrix(width, 1, data.subarray(s * width, (s + 1) * width))
  return { width, data, columns }
}

/** Copies a `width x n` matrix of columns into a sample-major buffer (its transpose). */
const fromColumns = (m: Matrix): Samples => samples(m.rows, buf(M.transpose(m)).slice())

/**
 * A data set from inputs and targets given as matrices with one sample per column (the same
 * number of columns). The values are copied, so the data set never shares a buffer with the
 * caller. Throws a `RangeError` when the sample counts differ.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { sampleSet } from '@purenn/training'
 * const data = sampleSet(M.fromFunction(2, 4, (i, j) => (j >> (1 - i)) & 1), M.fromFunction(1, 4, (_, j) => (j === 1 || j === 2 ? 1 : 0)))
 * data.size // 4
 *
 * @category constructors
 * @since 0.1.0
 */
export const sampleSet = (inputs: Matrix, targets: Matrix): SampleSet => {
  if (inputs.cols !== targets.cols)
    throw new RangeError(`sampleSet: inputs has ${inputs.cols} samples (columns) but targets has ${targets.cols}`)
  return { size: inputs.cols, inputs: fromColumns(inputs), targets: fromColumns(targets) }
}

/**
 * A data set from sample-major buffers the caller has just filled and hands over: sample `s`
 * is `inputs[s·inputWidth …]`. Not copied; the buffers must never be written again.
 *
 * @internal
 */
export const unsafeSampleSet = (inputWidth: number, inputs: Float64Array, targetWidth: number, targets: Float64Array): SampleSet => {
  const x = samples(inputWidth, inputs)
  return { size: x.columns.length, inputs: x, targets: samples(targetWidth, targets) }
}

// -------------------------------------------------------------------------------------
// batching
// -------------------------------------------------------------------------------------

/**
 * Gathers the samples at `order[from … to)` as the columns of a fresh `width x (to − from)`
 * matrix. Four samples go at a time, so that each row of the output is written in runs of
 * four neighbouring entries rather than one entry every `n`: for wide samples such as MNIST's
 * 784 pixels this is 1.7x faster (measured, 128 samples: 0.20 ms against 0.35 ms).
 */
const gather = (x: Samples, order: ReadonlyArray<number>, from: number, to: number): Matrix => {
  const n = to - from
  if (n === 1) return x.columns[order[from]!]!
  const w = x.width
  const src = x.data
  const out = new Float64Array(w * n)
  let k = 0
  for (; k + 4 <= n; k += 4) {
    const s0 = order[from + k]! * w
    const s1 = order[from + k + 1]! * w
    const s2 = order[from + k + 2]! * w
    const s3 = order[from + k + 3]! * w
    for (let i = 0, o = k; i < w; i++, o += n) {
      out[o] = src[s0 + i]! // samples k … k + 3 become columns k … k + 3
      out[o + 1] = src[s1 + i]!
      out[o + 2] = src[s2 + i]!
      out[o + 3] = src[s3 + i]!
    }
  }
  for (; k < n; k++) {
    const s0 = order[from + k]! * w
    for (let i = 0, o = k; i < w; i++, o += n) out[o] = src[s0 + i]!
  }
  return matrix(w, n, out)
}

/**
 * The samples in the given order, cut into batches of `batchSize` (the last one holds what is
 * left). A batch of one is a view of the sample, not a copy.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { batches, sampleSet } from '@purenn/training'
 * const data = sampleSet(M.fromFunction(1, 5, (_, j) => j), M.fromFunction(1, 5, (_, j) => -j))
 * batches(data, [4, 3, 2, 1, 0], 2).map((b) => b.inputs.cols) // [2, 2, 1]
 *
 * @category batching
 * @since 0.1.0
 */
export const batches = (data: SampleSet, order: ReadonlyArray<number>, batchSize: number): Batch[] => {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`)
  for (let k = 0; k < order.length; k++) {
    const s = order[k]!
    if (!Number.isInteger(s) || s < 0 || s >= data.size) throw new RangeError(`batches: order[${k}] = ${s} is not a sample of 0 .. ${data.size - 1}`)
  }
  return cut(data, order, batchSize)
}

/**
 * `batches` without its checks, for the training loop, whose order is a permutation of the
 * samples and whose batch size was decoded with the options.
 *
 * @internal
 */
export const cut = (data: SampleSet, order: ReadonlyArray<number>, batchSize: number): Batch[] => {
  if (batchSize === 1) return order.map(singles(data)) // the tutorial's per-sample SGD: no batch to gather
  const out: Batch[] = []
  for (let from = 0; from < order.length; from += batchSize) {
    const to = Math.min(order.length, from + batchSize)
    out.push({ inputs: gather(data.inputs, order, from, to), targets: gather(data.targets, order, from, to) })
  }
  return out
}

/** Each sample of a data set as a batch of one (views of its columns), made once per data set. */
const singleBatches = new WeakMap<SampleSet, (s: number) => Batch>()

/**
 * The batch of one of sample `s`, by a table built on first use (a training run asks every
 * epoch, or once for a group of epochs).
 *
 * @internal
 */
export const singles = (data: SampleSet): ((s: number) => Batch) => {
  let of = singleBatches.get(data)
  if (of === undefined) {
    const table: Batch[] = []
    for (let k = 0; k < data.size; k++) table.push({ inputs: data.inputs.columns[k]!, targets: data.targets.columns[k]! })
    of = (k) => table[k]!
    singleBatches.set(data, of)
  }
  return of
}

/**
 * One epoch's batches: the samples shuffled by a Fisher–Yates permutation drawn from the
 * generator, then cut into batches of `batchSize`, the last one partial. Returns the batches
 * and the next generator.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { shuffledBatches, sampleSet } from '@purenn/training'
 * const data = sampleSet(M.fromFunction(1, 5, (_, j) => j), M.fromFunction(1, 5, (_, j) => -j))
 * const [epoch, next] = shuffledBatches(data, 2)(M.rng(0)) // 3 batches, in an order set by the seed
 *
 * @category batching
 * @since 0.1.0
 */
export const shuffledBatches =
  (data: SampleSet, batchSize: number): State<Rng, Batch[]> =>
  (r) => {
    const [order, next] = M.permutation(data.size)(r)
    return [batches(data, order, batchSize), next]
  }

/**
 * The whole data set, in order, as batches of at most `size` samples (for evaluation).
 *
 * @internal
 */
export const inOrder = (data: SampleSet, size: number): Batch[] =>
  cut(
    data,
    Array.from({ length: data.size }, (_, s) => s),
    size
  )
