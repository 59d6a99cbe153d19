/**
 * Data parallelism over a batch: the batch is cut into shards, one per worker, each worker
 * computes its shard's loss and gradients, and the shards are combined here, in shard order.
 *
 * The loss of a batch is a mean over its samples, L = (1/B)·Σₛ ℓₛ (see `Loss` in
 * `@purenn/network`), so with shards of Bₖ samples whose means are Lₖ and gradients gₖ:
 *
 *   L = Σₖ (Bₖ/B)·Lₖ,   ∇L = Σₖ (Bₖ/B)·gₖ
 *
 * Summed in a fixed order (shard 0 first), whatever order the workers answer in, the result
 * has the same bits on every run with the same shards. It differs from the gradients of the
 * whole batch on one thread only by rounding: the terms are added in another order.
 *
 * Reading typed arrays: every buffer of a shard's gradients has the length of the same
 * matrix of the network (see `internal/buffer.ts`).
 *
 * @since 0.1.0
 */
import type { Gradients, Layer, LayerGradients, Network } from '@purenn/network'
import type { Matrix } from '@purenn/matrix'
import { buf, matrix } from '../internal/buffer.js'

/** A shard's share of a batch: its mean loss, its gradients, and how many samples it had. */
export interface ShardResult {
  readonly loss: number
  readonly gradients: Gradients
  readonly size: number
}

/**
 * The shards of a batch of `n` samples over at most `k` workers: `min(k, n)` contiguous runs
 * `[from, to)` covering `0 … n`, in order, whose sizes differ by at most one (the larger ones
 * first). None is empty.
 */
export const shardBounds = (n: number, k: number): Array<readonly [from: number, to: number]> => {
  const parts = Math.min(k, n)
  const base = Math.floor(n / parts)
  const extra = n % parts
  const out: Array<readonly [number, number]> = []
  let from = 0
  for (let s = 0; s < parts; s++) {
    const to = from + base + (s < extra ? 1 : 0)
    out.push([from, to])
    from = to
  }
  return out
}

/** The shards' weights in the sum, Bₖ/B. */
const weightsOf = (shards: ReadonlyArray<ShardResult>): number[] => {
  let total = 0
  for (const s of shards) total += s.size
  return shards.map((s) => s.size / total)
}

/** The batch's loss, Σₖ (Bₖ/B)·Lₖ, from shard 0 on. */
const lossOf = (shards: ReadonlyArray<ShardResult>, weights: ReadonlyArray<number>): number => {
  let loss = weights[0]! * shards[0]!.loss
  for (let k = 1; k < shards.length; k++) loss = loss + weights[k]! * shards[k]!.loss
  return loss
}

/**
 * Fills `out[i] = θ[i] + k·(Σₛ wₛ·xₛ[i])` (with no `theta`, the sum alone), the sum taken
 * from shard 0 on, ((w₀x₀ + w₁x₁) + w₂x₂) + …, in one pass over the entries (two shards, the
 * common case, without an inner loop), and the same values into `copy` from `at` on when it
 * is given. The sum's bits do not depend on whether θ + k·(…) is taken after it. Returns
 * Σ (outᵢ − outᵢ): 0 when every entry is finite, NaN otherwise (the check `isFiniteNetwork`
 * makes, taken in the same pass).
 */
const weightedInto = (
  out: Float64Array,
  xs: ReadonlyArray<Float64Array>,
  weights: ReadonlyArray<number>,
  theta?: Float64Array,
  k = 0,
  copy?: Float64Array,
  at = 0
): number => {
  const x0 = xs[0]!
  const w0 = weights[0]!
  const n = out.length
  let bad = 0
  if (xs.length === 2) {
    const x1 = xs[1]!
    const w1 = weights[1]!
    if (theta === undefined) for (let i = 0; i < n; i++) out[i] = w0 * x0[i]! + w1 * x1[i]!
    else
      for (let i = 0; i < n; i++) {
        const v = theta[i]! + k * (w0 * x0[i]! + w1 * x1[i]!)
        out[i] = v
        if (copy !== undefined) copy[at + i] = v // a predictable branch: ~0.02 ms of a 0.24 ms pass over MNIST's parameters
        bad += v - v
      }
    return bad
  }
  for (let i = 0; i < n; i++) {
    let acc = w0 * x0[i]!
    for (let s = 1; s < xs.length; s++) acc = acc + weights[s]! * xs[s]![i]!
    const v = theta === undefined ? acc : theta[i]! + k * acc
    out[i] = v
    if (copy !== undefined) copy[at + i] = v
    bad += v - v
  }
  return bad
}

/** Σₖ wₖ·xₖ over the matching matrices of the shards, into a fresh matrix. */
const weightedSum = (parts: ReadonlyArray<Matrix>, weights: ReadonlyArray<number>): Matrix => {
  const first = parts[0]!
  const out = new Float64Array(first.rows * first.cols)
  weightedInto(out, parts.map(buf), weights)
  return matrix(first.rows, first.cols, out)
}

/**
 * The loss and gradients of a whole batch from its shards' (given in shard order):
 * `L = Σₖ (Bₖ/B)·Lₖ` and `∇L = Σₖ (Bₖ/B)·gₖ`, each sum taken from shard 0 on.
 */
export const combine = (shards: ReadonlyArray<ShardResult>): { readonly loss: number; readonly gradients: Gradients } => {
  const weights = weightsOf(shards)
  const layers = shards[0]!.gradients.length
  const gradients: LayerGradients[] = new Array(layers)
  for (let l = 0; l < layers; l++)
    gradients[l] = {
      weights: weightedSum(
        shards.map((s) => s.gradients[l]!.weights),
        weights
      ),
      bias: weightedSum(
        shards.map((s) => s.gradients[l]!.bias),
        weights
      )
    }
  return { loss: lossOf(shards, weights), gradients }
}

/**
 * Where `combineDescend` may write besides the new network: `spare`, a network of the same
 * shapes that nothing holds any more, whose buffers become the new network's (instead of
 * fresh ones: a fresh buffer the size of a large layer costs as much as the pass that fills
 * it); `flat`, a buffer that gets a copy of the new parameters laid out as `writeFlat` lays
 * them out (the buffer the workers read them from).
 */
export interface DescendInto {
  readonly spare?: Network | undefined
  readonly flat?: Float64Array | undefined
}

/** The buffer of `m` to write over when `spare` is given (a matrix of the same shape), else a fresh one. */
const outFor = (m: Matrix, spare: Matrix | undefined): Float64Array => (spare === undefined ? new Float64Array(m.rows * m.cols) : buf(spare))

/**
 * An SGD step from the shards, fused: `θ' = θ + k·Σₖ (Bₖ/B)·gₖ` for every weight and bias
 * (k = −η), in one pass, without building the combined gradients; the same bits as `combine`
 * followed by the step `θ + k·g`. Also gives the batch's loss, as `combine` does, and whether
 * every new parameter is finite (checked in the same pass). Writes into `into.spare`'s buffers
 * and a copy into `into.flat` when they are given (see `DescendInto`).
 */
export const combineDescend = (
  net: Network,
  shards: ReadonlyArray<ShardResult>,
  k: number,
  into: DescendInto = {}
): { readonly loss: number; readonly network: Network; readonly finite: boolean } => {
  const weights = weightsOf(shards)
  const { spare, flat } = into
  const layers: Layer[] = []
  let bad = 0
  let at = 0 // where layer l starts in `flat`
  for (let l = 0; l < net.layers.length; l++) {
    const { weights: w, bias: b, activation } = net.layers[l]!
    const old = spare?.layers[l]
    const nw = outFor(w, old?.weights)
    bad += weightedInto(nw, shards.map((s) => buf(s.gradients[l]!.weights)), weights, buf(w), k, flat, at)
    at += nw.length
    const nb = outFor(b, old?.bias)
    bad += weightedInto(nb, shards.map((s) => buf(s.gradients[l]!.bias)), weights, buf(b), k, flat, at)
    at += nb.length
    layers.push({ weights: matrix(w.rows, w.cols, nw), bias: matrix(b.rows, b.cols, nb), activation })
  }
  return { loss: lossOf(shards, weights), network: { inputSize: net.inputSize, layers }, finite: bad === 0 }
}
