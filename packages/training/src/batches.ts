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
import { describeValue } from './internal/describe.js'
import { samplesError } from './internal/shapes.js'
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
 * const batch: Batch = { inputs: M.fromArray([0, 1]), targets: M.fromArray([1]) } // one sample, a column
 * batch.inputs.cols // => 1
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
 * import { sampleSet, type SampleSet } from '@purenn/training'
 * const data: SampleSet = sampleSet(M.zeros(2, 10), M.zeros(1, 10)) // 10 samples of 2 inputs, 1 target
 * data.size // => 10
 *
 * @category model
 * @since 0.1.0
 */
export interface SampleSet {
  readonly size: number
  readonly inputs: Samples
  readonly targets: Samples
  /** Each sample as a batch of one, views of its columns (the tutorial's per-sample steps look them up). */
  readonly singles: ReadonlyArray<Batch>
}

/**
 * `size` samples of `width` numbers, sample-major (sample s at `data[s·width …]`), and each as a
 * column: one side (inputs or targets) of a `SampleSet`.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { sampleSet, type Samples } from '@purenn/training'
 * const data = sampleSet(M.fromFunction(2, 3, (i, j) => 10 * i + j), M.zeros(1, 3))
 * const inputs: Samples = data.inputs
 * inputs.width // => 2
 * // sample-major: sample s at data[s·width …]
 * Array.from(inputs.data) // => [0, 10, 1, 11, 2, 12]
 * inputs.columns.map(M.toArray) // => [[0, 10], [1, 11], [2, 12]]
 *
 * @category model
 * @since 0.2.0
 */
export interface Samples {
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
 * caller. Throws a `ShapeError` (a `RangeError`) naming both shapes when the sample counts differ.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { sampleSet } from '@purenn/training'
 * // the four XOR samples, one a column
 * const data = sampleSet(M.fromFunction(2, 4, (i, j) => (j >> (1 - i)) & 1), M.fromFunction(1, 4, (_, j) => (j === 1 || j === 2 ? 1 : 0)))
 * data.size // => 4
 *
 * @category constructors
 * @since 0.1.0
 */
export const sampleSet = (inputs: Matrix, targets: Matrix): SampleSet => {
  if (!M.isMatrix(inputs)) throw new TypeError(`sampleSet: inputs must be a Matrix (one sample per column), got ${describeValue(inputs)}`)
  if (!M.isMatrix(targets)) throw new TypeError(`sampleSet: targets must be a Matrix (one sample per column), got ${describeValue(targets)}`)
  if (inputs.cols !== targets.cols) throw samplesError('sampleSet', '', inputs, targets)
  return setOf(fromColumns(inputs), fromColumns(targets))
}

/** A data set of the samples, with each sample's batch of one. */
const setOf = (inputs: Samples, targets: Samples): SampleSet => {
  const size = inputs.columns.length
  const singles = new Array<Batch>(size) // at its size: one entry a sample
  for (let k = 0; k < size; k++) singles[k] = { inputs: inputs.columns[k]!, targets: targets.columns[k]! }
  return { size, inputs, targets, singles }
}

/**
 * A data set from sample-major buffers the caller has just filled and hands over: sample `s`
 * is `inputs[s·inputWidth …]`. Not copied; the buffers must never be written again.
 *
 * @internal
 */
export const unsafeSampleSet = (inputWidth: number, inputs: Float64Array, targetWidth: number, targets: Float64Array): SampleSet => {
  return setOf(samples(inputWidth, inputs), samples(targetWidth, targets))
}

// -------------------------------------------------------------------------------------
// batching
// -------------------------------------------------------------------------------------

/**
 * Gathers the samples at `order[from … to)` as the columns of a `width x n` matrix (n = to −
 * from): a transpose, since the data set is sample-major. It goes in tiles of four samples by
 * eight values: each sample's eight values are one cache line read, and each of the eight
 * output rows is written in a run of four neighbouring entries, rather than one entry every
 * `n`. Measured on MNIST's 784 pixels, into a buffer already in use: 0.11 ms for 128 samples
 * (as fast as four whole samples at a time) and 0.21 ms for 256 (2.4x faster than four whole
 * samples at a time, 0.51 ms, whose 256 output rows no longer stay in the cache).
 *
 * Writes into `into` (its first `width·n` numbers) when given, else into a fresh buffer: a
 * fresh buffer of that size can cost more than the gathering itself (zeroed, and its pages
 * faulted in anew once a collection has handed the last one back: 128 MNIST samples took
 * 0.28–0.56 ms into fresh buffers against 0.11 ms into one already in use).
 */
const gather = (x: Samples, order: ReadonlyArray<number>, from: number, to: number, into?: Float64Array): Matrix => {
  const n = to - from
  if (n === 1) return x.columns[order[from]!]!
  const w = x.width
  const src = x.data
  const out = into === undefined ? new Float64Array(w * n) : into.subarray(0, w * n)
  let i = 0
  for (; i + 8 <= w; i += 8) {
    let k = 0
    for (; k + 4 <= n; k += 4) {
      const s0 = order[from + k]! * w + i
      const s1 = order[from + k + 1]! * w + i
      const s2 = order[from + k + 2]! * w + i
      const s3 = order[from + k + 3]! * w + i
      for (let r = 0, o = i * n + k; r < 8; r++, o += n) {
        out[o] = src[s0 + r]! // value i + r of samples k … k + 3: row i + r, columns k … k + 3
        out[o + 1] = src[s1 + r]!
        out[o + 2] = src[s2 + r]!
        out[o + 3] = src[s3 + r]!
      }
    }
    for (; k < n; k++) {
      const s = order[from + k]! * w + i
      for (let r = 0, o = i * n + k; r < 8; r++, o += n) out[o] = src[s + r]!
    }
  }
  for (; i < w; i++) for (let k = 0, o = i * n; k < n; k++) out[o + k] = src[order[from + k]! * w + i]! // the last rows, fewer than eight
  return matrix(w, n, out)
}

/** Buffers to gather batches of a data set into, over and over. */
interface GatherSpace {
  readonly inputs: Float64Array
  readonly targets: Float64Array
}

/**
 * The samples listed, gathered as one batch (a batch of one is a view of the sample), into
 * `space` when given (it has room for them): the batch then views `space`. The caller has
 * checked the samples.
 */
const gatherInto = (data: SampleSet, samples: ReadonlyArray<number>, space?: GatherSpace): Batch => {
  if (samples.length === 1) return singles(data)(samples[0]!)
  return { inputs: gather(data.inputs, samples, 0, samples.length, space?.inputs), targets: gather(data.targets, samples, 0, samples.length, space?.targets) }
}

/**
 * The samples listed, gathered as one batch into a fresh buffer (a batch of one is a view of
 * the sample). The caller has checked the samples.
 *
 * @internal
 */
export const gatherSamples = (data: SampleSet, samples: ReadonlyArray<number>): Batch => gatherInto(data, samples)

/**
 * A gatherer of batches of `data` that writes into two sets of buffers of its own by turns,
 * for a thread that reads each batch it gathers once, before it asks for the batch after the
 * next: a batch it gave is valid until then. No buffer is allocated once the buffers have
 * room for the largest batch asked for. The caller has checked the samples.
 *
 * @internal
 */
export const gatherer = (data: SampleSet): ((samples: ReadonlyArray<number>) => Batch) => {
  const spaces: Array<GatherSpace | undefined> = [undefined, undefined]
  let turn = 0
  return (samples) => {
    let space = spaces[turn]
    if (space === undefined || space.inputs.length < data.inputs.width * samples.length) {
      space = { inputs: new Float64Array(data.inputs.width * samples.length), targets: new Float64Array(data.targets.width * samples.length) }
      spaces[turn] = space
    }
    turn = 1 - turn
    return gatherInto(data, samples, space)
  }
}

/**
 * The samples in the given order, cut into batches of `batchSize` (the last one holds what is
 * left). A batch of one is a view of the sample, not a copy.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { batches, sampleSet } from '@purenn/training'
 * const data = sampleSet(M.fromFunction(1, 5, (_, j) => j), M.fromFunction(1, 5, (_, j) => -j))
 * // in the order given, two at a time; the last batch is what is left
 * batches(data, [4, 3, 2, 1, 0], 2).map((b) => M.toArray(b.inputs)) // => [[4, 3], [2, 1], [0]]
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

/**
 * The batch of one of sample `s` (built with the data set: a training run asks every epoch, or
 * once for a group of epochs).
 *
 * @internal
 */
export const singles =
  (data: SampleSet): ((s: number) => Batch) =>
  (k) =>
    data.singles[k]!

/**
 * One epoch's batches: the samples shuffled by a Fisher–Yates permutation drawn from the
 * generator, then cut into batches of `batchSize`, the last one partial. Returns the batches
 * and the next generator.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { shuffledBatches, sampleSet } from '@purenn/training'
 * const data = sampleSet(M.fromFunction(1, 5, (_, j) => j), M.fromFunction(1, 5, (_, j) => -j))
 * const [epoch, next] = shuffledBatches(data, 2)(M.rng(0)) // an order set by the seed; `next` for the next epoch
 * epoch.map((b) => b.inputs.cols) // => [2, 2, 1]
 * epoch.flatMap((b) => M.toArray(b.inputs)).sort() // => [0, 1, 2, 3, 4]
 * shuffledBatches(data, 2)(M.rng(0))[0] // => epoch
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
