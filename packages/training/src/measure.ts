/**
 * What an epoch's report measures after its last update, in one forward pass over the
 * validation set (the training set if there is none), a chunk of samples at a time: the
 * tutorial's Error, the mean loss, and the accuracy when the labels are classes.
 *
 * Reading typed arrays: see `internal/buffer.ts` (indices bounded by the chunk's shape).
 *
 * @since 0.1.0
 */
import { scores, type Loss, type Network, type Scores } from '@purenn/network'
import { cut, inOrder, type Batch, type SampleSet } from './batches.js'

/**
 * How many samples go through the network at once: chunk k of a data set holds its samples
 * k·CHUNK … (k+1)·CHUNK − 1, in order (the last chunk what is left).
 *
 * 256, not more: a chunk's copy and the product's packed blocks then stay in a core's cache.
 * Measured on 1,024 MNIST digits through 784-128-10 (median of 15 passes, `gather` and
 * `scores`): 15.0 ms in chunks of 256 against 16.2 ms in one chunk of 1,024 on one thread,
 * and 14.8 against 18.5 ms each when two threads measure at once (an asynchronous run with
 * workers shares the chunks among its threads), where the larger chunks crowd each other out
 * of the shared cache.
 *
 * @internal
 */
export const CHUNK = 256

/**
 * The most samples a set may have to be cut into chunks once for the whole run; a larger one
 * is gathered a chunk at a time, each epoch.
 */
const HELD = 1024

/**
 * The data set cut into the chunks `measure` runs, in order. A small set (up to `HELD`
 * samples) is cut once, for the whole run, and given as an array (which the descent of an SGD
 * epoch scores on directly); a larger one is gathered a chunk at a time, each epoch, so that
 * its copy never sits in memory beside it.
 *
 * @internal
 */
export const chunksOf = (data: SampleSet): (() => Iterable<Batch>) => {
  if (data.size <= HELD) {
    const whole = inOrder(data, CHUNK)
    return () => whole
  }
  return function* () {
    for (const [from, to] of chunkRanges(data.size)) yield* cut(data, range(from, to), CHUNK)
  }
}

/**
 * The chunks of a set of `size` samples as ranges `[from, to)`, in order: how `chunksOf` cuts
 * it, and how an asynchronous run shares it among its threads.
 *
 * @internal
 */
export const chunkRanges = (size: number): Array<readonly [from: number, to: number]> => {
  const out: Array<readonly [number, number]> = []
  for (let from = 0; from < size; from += CHUNK) out.push([from, Math.min(size, from + CHUNK)])
  return out
}

/**
 * The samples `from … to − 1`, in order.
 *
 * @internal
 */
export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k)

/**
 * The figures of one pass: Σ |y − t|, the mean loss, and the accuracy if the labels are classes.
 *
 * @internal
 */
export interface Measures {
  readonly error: number
  readonly loss: number
  readonly accuracy: number | undefined
}

/**
 * Runs a data set (its chunks, see `chunksOf`) through the network and measures it:
 * `error = Σₛ Σᵢ |yᵢₛ − tᵢₛ|` (the tutorial's `evaluate`), `loss = (1/N) Σₛ ℓ(yₛ, tₛ)`, and the
 * fraction of samples whose largest output is at their label's largest entry (one output:
 * whose output falls on the label's side of 0.5).
 *
 * @internal
 */
export const measure = (net: Network, chunks: Iterable<Batch>, loss: Loss, withAccuracy: boolean): Measures => {
  const all: Scores[] = []
  for (const chunk of chunks) all.push(scores(net, loss, chunk.inputs, chunk.targets)) // one forward pass: Σ |y − t|, the mean loss, the count right
  return foldScores(all, withAccuracy)
}

/**
 * The measures of a data set from the scores of its chunks, in chunk order (wherever they
 * were computed: `measure` here, or the workers of an asynchronous run).
 *
 * @internal
 */
export const foldScores = (all: Iterable<Scores>, withAccuracy: boolean): Measures => {
  let error = 0
  let total = 0
  let right = 0
  let size = 0
  for (const s of all) {
    size += s.count
    error += s.error
    total += s.loss * s.count // the chunk's mean times its size
    right += s.correct
  }
  return { error, loss: total / size, accuracy: withAccuracy ? right / size : undefined }
}

/**
 * The first sample whose label is not a class, or −1 when every one is: with one output a
 * label is 0 or 1, with several it is one-hot (a single 1, zeros elsewhere).
 *
 * @internal
 */
export const firstNonClassLabel = (data: SampleSet): number => {
  const w = data.targets.width
  const t = data.targets.data
  for (let s = 0; s < data.size; s++) {
    let ones = 0
    for (let i = 0; i < w; i++) {
      const v = t[s * w + i]!
      if (v === 1) ones++
      else if (v !== 0) return s
    }
    if (w > 1 && ones !== 1) return s
  }
  return -1
}
