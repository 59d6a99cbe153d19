/**
 * Losses: how far a batch of predictions `Y` is from its targets `T` (both `outputs x batch`,
 * one sample per column), and the gradient of that distance with respect to `Y`.
 *
 * The contract, for every loss here: the value is the mean over the batch of a per-sample
 * loss summed over the outputs, L = (1/B)·Σₛ ℓ(yₛ, tₛ), so its gradient is ∂L/∂Y = ℓ'(Y, T)/B.
 * With mse, ℓ(y, t) = ½‖y − t‖², a batch of one is the tutorial's step.
 *
 * Two pairs of a loss and an output activation are fused, as every library does:
 * `crossEntropy` after `softmax` and `binaryCrossEntropy` after `sigmoid`. Their loss is then
 * computed from the pre-activations Z (log-sum-exp, softplus) so that large logits neither
 * overflow nor lose the loss to `log(0)`, and the gradient with respect to Z is taken in one
 * step, `Y − T` over the batch, instead of dividing by y and multiplying by y(1 − y).
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import type { Matrix } from '@purenn/matrix'
import { ShapeError } from '@purenn/matrix'
import { activationBackwardInto, sigmoid, softmax } from './Activation.js'
import type { Activation } from './types.js'
import { buf, matrix } from './internal/buffer.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A loss: a name, the per-sample loss and the gradient with respect to the predictions.
 * Any value of this shape works with `gradients`; the four built-ins below are also known by
 * name to the fused paths.
 *
 * - `perSample(Y, T)`: each sample's loss summed over its outputs, as a `1 x batch` row;
 * - `value(Y, T)`: the mean of `perSample`, L = (1/B)·Σₛ ℓ(yₛ, tₛ);
 * - `gradient(Y, T)`: ∂L/∂Y, same shape as `Y` (so it includes the 1/B).
 *
 * @example
 * import { mse, type Loss } from '@purenn/network'
 * import { fromArrays, toArrays } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const m = (rows: number[][]) => pipe(fromArrays(rows), E.getOrElseW(() => { throw new Error('not a matrix') }))
 * const loss: Loss = mse
 * // two samples (columns) of one output: predictions 1 and 3, targets 0 and 0
 * const y = m([[1, 3]])
 * const t = m([[0, 0]])
 * toArrays(loss.perSample(y, t)) // => [[0.5, 4.5]]
 * loss.value(y, t) // => 2.5
 * toArrays(loss.gradient(y, t)) // => [[0.5, 1.5]]
 *
 * @category model
 * @since 0.1.0
 */
export interface Loss {
  readonly name: string
  /** Each sample's loss summed over its outputs, as a `1 x batch` row. */
  readonly perSample: (predictions: Matrix, targets: Matrix) => Matrix
  /** The mean of `perSample` over the batch. */
  readonly value: (predictions: Matrix, targets: Matrix) => number
  /** The gradient of `value` with respect to the predictions, shaped as they are. */
  readonly gradient: (predictions: Matrix, targets: Matrix) => Matrix
}

const checkShapes = (fn: string, y: Matrix, t: Matrix): void => {
  if (y.rows !== t.rows || y.cols !== t.cols)
    throw new ShapeError(fn, `predictions are ${y.rows}x${y.cols} but targets are ${t.rows}x${t.cols}`, [
      [y.rows, y.cols],
      [t.rows, t.cols]
    ])
}

/** log y for a probability, with an underflowed 0 read as the smallest double (log ≈ −744.4). */
const logProb = (y: number): number => Math.log(y > Number.MIN_VALUE ? y : Number.MIN_VALUE)

/** The per-sample terms of the built-in losses, summed over one column's outputs. */
export type Term = 'squared' | 'absolute' | 'binary' | 'categorical'

/**
 * ℓ(yₛ, tₛ) for the sample in column `j`: its terms summed over the outputs in order, from 0.
 * `y` and `t` are `rows x cols` blocks of their buffers from `yo` and `to`; entry (i, j) is at
 * i·cols + j.
 */
const columnLoss = (term: Term, y: Float64Array, yo: number, t: Float64Array, to: number, rows: number, cols: number, j: number): number => {
  let acc = 0
  switch (term) {
    case 'squared': // ½ (y − t)²
      for (let i = 0, k = j; i < rows; i++, k += cols) {
        const d = y[yo + k]! - t[to + k]!
        acc = acc + 0.5 * d * d
      }
      return acc
    case 'absolute': // |y − t|
      for (let i = 0, k = j; i < rows; i++, k += cols) acc = acc + Math.abs(y[yo + k]! - t[to + k]!)
      return acc
    case 'binary': // −[t log y + (1 − t) log(1 − y)], a zero coefficient skipping its log
      for (let i = 0, k = j; i < rows; i++, k += cols) {
        const p = y[yo + k]!
        const q = t[to + k]!
        acc = acc - ((q !== 0 ? q * logProb(p) : 0) + (q !== 1 ? (1 - q) * logProb(1 - p) : 0))
      }
      return acc
    case 'categorical': // −t log y
      for (let i = 0, k = j; i < rows; i++, k += cols) {
        const q = t[to + k]!
        if (q !== 0) acc = acc - q * logProb(y[yo + k]!)
      }
      return acc
  }
}

/** ℓ(yₛ, tₛ) for every sample s (column j), into a fresh `1 x cols` buffer (see `columnLoss`). */
const perSampleInto = (term: Term, y: Float64Array, yo: number, t: Float64Array, to: number, rows: number, cols: number): Float64Array => {
  const out = new Float64Array(cols)
  for (let j = 0; j < cols; j++) out[j] = columnLoss(term, y, yo, t, to, rows, cols, j)
  return out
}

/**
 * The mean of the per-sample losses, L = (1/B)·Σₛ ℓ(yₛ, tₛ), summed over the samples in order
 * from 0 (0 for an empty batch): the mean of `perSampleInto`'s buffer, without the buffer.
 */
export const meanLoss = (term: Term, y: Float64Array, yo: number, t: Float64Array, to: number, rows: number, cols: number): number => {
  let s = 0
  for (let j = 0; j < cols; j++) s += columnLoss(term, y, yo, t, to, rows, cols, j)
  return cols === 0 ? 0 : s / cols
}

/**
 * ∂ℓ/∂y for one entry, divided by the batch size (`inv` = 1/B): the gradient of the loss
 * with respect to one prediction `p` with target `q`.
 */
export const gradientAt = (term: Term, p: number, q: number, inv: number): number => {
  switch (term) {
    case 'squared': // ∂/∂y ½(y − t)² = y − t
      return (p - q) * inv
    case 'absolute': // ∂/∂y |y − t| = sign(y − t), 0 at the kink
      return Math.sign(p - q) * inv
    case 'binary': // ∂/∂y −[t log y + (1 − t) log(1 − y)] = −t/y + (1 − t)/(1 − y)
      return ((q !== 0 ? -q / p : 0) + (q !== 1 ? (1 - q) / (1 - p) : 0)) * inv
    case 'categorical': // ∂/∂y −t log y = −t/y
      return (q !== 0 ? -q / p : 0) * inv
  }
}

/**
 * ∂L/∂Y = ℓ'(Y, T)/B, entry by entry (`gradientAt`), for `n` entries of the blocks of `y`
 * (from `yo`) and `t` (from `to`), written into `out` from `oo` (which may be the block of `y`
 * itself: each entry is read before it is written).
 */
const gradientInto = (
  term: Term,
  y: Float64Array,
  yo: number,
  t: Float64Array,
  to: number,
  batch: number,
  n: number,
  out: Float64Array,
  oo: number
): void => {
  const inv = 1 / batch
  for (let k = 0; k < n; k++) out[oo + k] = gradientAt(term, y[yo + k]!, t[to + k]!, inv)
}

const builtin = (name: string, term: Term): Loss => {
  const perSample = (predictions: Matrix, targets: Matrix): Matrix => {
    checkShapes(`${name}.perSample`, predictions, targets)
    return matrix(1, predictions.cols, perSampleInto(term, buf(predictions), 0, buf(targets), 0, predictions.rows, predictions.cols))
  }
  return Object.freeze({
    name,
    perSample,
    value: (predictions: Matrix, targets: Matrix): number => {
      checkShapes(`${name}.value`, predictions, targets)
      return meanLoss(term, buf(predictions), 0, buf(targets), 0, predictions.rows, predictions.cols)
    },
    gradient: (predictions: Matrix, targets: Matrix): Matrix => {
      checkShapes(`${name}.gradient`, predictions, targets)
      const n = predictions.rows * predictions.cols
      const out = new Float64Array(n)
      gradientInto(term, buf(predictions), 0, buf(targets), 0, predictions.cols, n, out, 0)
      return matrix(predictions.rows, predictions.cols, out)
    }
  })
}

// -------------------------------------------------------------------------------------
// built-ins
// -------------------------------------------------------------------------------------

/**
 * Mean squared error as the tutorial minimises it: L = (1/B)·Σₛ ½‖yₛ − tₛ‖², gradient
 * (Y − T)/B. For a batch of one, a gradient step is the tutorial's `trainIteration`.
 *
 * @example
 * import { mse } from '@purenn/network'
 * import { fromArray } from '@purenn/matrix'
 * mse.value(fromArray([1, 2]), fromArray([0, 0])) // => 2.5
 *
 * @category losses
 * @since 0.1.0
 */
export const mse: Loss = builtin('mse', 'squared')

/**
 * Mean absolute error: L = (1/B)·Σₛ ‖yₛ − tₛ‖₁, gradient sign(Y − T)/B (0 where y = t). Per
 * sample, this is the tutorial's "Error" term.
 *
 * @example
 * import { meanAbsoluteError } from '@purenn/network'
 * import { fromArray } from '@purenn/matrix'
 * meanAbsoluteError.value(fromArray([1, -2]), fromArray([0, 0])) // => 3
 *
 * @category losses
 * @since 0.1.0
 */
export const meanAbsoluteError: Loss = builtin('meanAbsoluteError', 'absolute')

/**
 * Binary cross-entropy for outputs in (0, 1): L = (1/B)·Σₛ −Σᵢ [t log y + (1 − t) log(1 − y)].
 * After a `sigmoid` output, `gradients` fuses the two: the loss is computed from the logits z
 * as max(z, 0) − z·t + log(1 + e^−|z|) and the output delta is (y − t)/B.
 *
 * @example
 * import { binaryCrossEntropy } from '@purenn/network'
 * import { fromArray } from '@purenn/matrix'
 * binaryCrossEntropy.value(fromArray([0.5]), fromArray([1])) // ≈ Math.LN2
 *
 * @category losses
 * @since 0.1.0
 */
export const binaryCrossEntropy: Loss = builtin('binaryCrossEntropy', 'binary')

/**
 * Categorical cross-entropy, meant for a `softmax` output and one-hot (or probability)
 * targets: L = (1/B)·Σₛ −Σᵢ tᵢ log yᵢ. After a softmax, `gradients` fuses the two: the loss is
 * computed stably as Σᵢ tᵢ·(logsumexp(z) − zᵢ) and the output delta is (y·Σᵢtᵢ − t)/B, which is
 * (y − t)/B when the targets sum to one.
 *
 * @example
 * import { crossEntropy } from '@purenn/network'
 * import { fromArray } from '@purenn/matrix'
 * crossEntropy.value(fromArray([0.25, 0.75]), fromArray([0, 1])) // ≈ -Math.log(0.75)
 *
 * @category losses
 * @since 0.1.0
 */
export const crossEntropy: Loss = builtin('crossEntropy', 'categorical')

// -------------------------------------------------------------------------------------
// the output layer: loss and delta, fused where it pays
// -------------------------------------------------------------------------------------

/** The per-sample term of a built-in loss, or undefined for a loss the caller built. */
export const lossTerm = (loss: Loss): Term | undefined => {
  switch (loss) {
    case mse:
      return 'squared'
    case meanAbsoluteError:
      return 'absolute'
    case binaryCrossEntropy:
      return 'binary'
    case crossEntropy:
      return 'categorical'
    default:
      return undefined
  }
}

/**
 * True for the four built-in losses, whose value and gradient run here as plain loops over
 * blocks of buffers (see `builtinOutputLoss`, `builtinOutputDelta`).
 */
export const isBuiltinLoss = (loss: Loss): boolean => lossTerm(loss) !== undefined

/** Σ over samples of softmax cross-entropy from logits: ℓ = Σᵢ tᵢ·(logsumexp(z) − zᵢ). */
const softmaxCrossEntropySum = (z: Float64Array, zo: number, t: Float64Array, to: number, rows: number, cols: number): number => {
  let total = 0
  for (let j = 0; j < cols; j++) {
    let m = -Infinity
    for (let i = 0, k = j; i < rows; i++, k += cols) if (z[zo + k]! > m) m = z[zo + k]!
    let s = 0
    for (let i = 0, k = j; i < rows; i++, k += cols) s += Math.exp(z[zo + k]! - m)
    const lse = m + Math.log(s) // logsumexp(z) = m + log Σ e^(z − m)
    for (let i = 0, k = j; i < rows; i++, k += cols) {
      const q = t[to + k]!
      if (q !== 0) total += q * (lse - z[zo + k]!)
    }
  }
  return total
}

/** Σ over `n` entries of sigmoid cross-entropy from logits: ℓ = max(z, 0) − z·t + log(1 + e^−|z|). */
const sigmoidCrossEntropySum = (z: Float64Array, zo: number, t: Float64Array, to: number, n: number): number => {
  let total = 0
  for (let k = 0; k < n; k++) {
    const x = z[zo + k]!
    total += Math.max(x, 0) - x * t[to + k]! + Math.log1p(Math.exp(-Math.abs(x)))
  }
  return total
}

/** Which fused rule, if any, covers this loss after this output activation. */
const fusion = (loss: Loss, a: Activation): 'softmaxCrossEntropy' | 'sigmoidCrossEntropy' | undefined =>
  loss === crossEntropy && a === softmax
    ? 'softmaxCrossEntropy'
    : loss === binaryCrossEntropy && a === sigmoid
      ? 'sigmoidCrossEntropy'
      : undefined

/**
 * The term of a built-in loss when it is not fused with the output activation `a` (so that
 * its value is `meanLoss` and its delta `gradientAt` followed by the activation's backward
 * rule), else undefined (a fused pair, or a loss the caller built).
 */
export const unfusedTerm = (loss: Loss, a: Activation): Term | undefined => (fusion(loss, a) === undefined ? lossTerm(loss) : undefined)

/**
 * The loss of a batch at the output layer for a built-in loss (see `isBuiltinLoss`), from
 * `rows x cols` blocks of buffers: the pre-activations `z` (from `zo`), the outputs `y` (from
 * `yo`) and the targets `t` (from `to`). From the logits for a fused pair, else the mean of
 * the per-sample losses: the very value `loss.value` gives.
 */
export const builtinOutputLoss = (
  loss: Loss,
  a: Activation,
  z: Float64Array,
  zo: number,
  y: Float64Array,
  yo: number,
  t: Float64Array,
  to: number,
  rows: number,
  cols: number
): number => {
  switch (fusion(loss, a)) {
    case 'softmaxCrossEntropy':
      return cols === 0 ? 0 : softmaxCrossEntropySum(z, zo, t, to, rows, cols) / cols
    case 'sigmoidCrossEntropy':
      return cols === 0 ? 0 : sigmoidCrossEntropySum(z, zo, t, to, rows * cols) / cols
    case undefined:
      return meanLoss(lossTerm(loss)!, y, yo, t, to, rows, cols)
  }
}

/**
 * The output layer's delta dZ = ∂L/∂Z for a built-in loss, from blocks of buffers as in
 * `builtinOutputLoss`, written into the block of `dz` from `dzo`:
 * - softmax + crossEntropy: dZ = (Y·diag(1ᵀT) − T)/B, i.e. (Y − T)/B for one-hot targets;
 * - sigmoid + binaryCrossEntropy: dZ = (Y − T)/B;
 * - any other pair: dY = ∂L/∂Y (as `loss.gradient` gives it), then the activation's backward rule.
 */
export const builtinOutputDelta = (
  loss: Loss,
  a: Activation,
  z: Float64Array,
  zo: number,
  y: Float64Array,
  yo: number,
  t: Float64Array,
  to: number,
  rows: number,
  cols: number,
  dz: Float64Array,
  dzo: number
): void => {
  const inv = 1 / cols
  switch (fusion(loss, a)) {
    case 'softmaxCrossEntropy':
      for (let j = 0; j < cols; j++) {
        let mass = 0 // Σᵢ tᵢ, 1 for one-hot targets
        for (let i = 0, k = j; i < rows; i++, k += cols) mass += t[to + k]!
        for (let i = 0, k = j; i < rows; i++, k += cols) dz[dzo + k] = (y[yo + k]! * mass - t[to + k]!) * inv
      }
      return
    case 'sigmoidCrossEntropy':
      for (let k = 0; k < rows * cols; k++) dz[dzo + k] = (y[yo + k]! - t[to + k]!) * inv
      return
    case undefined:
      gradientInto(lossTerm(loss)!, y, yo, t, to, cols, rows * cols, dz, dzo) // dY, in the block of dz
      activationBackwardInto(a, z, zo, y, yo, dz, dzo, dz, dzo, rows, cols) // dZ = dY ⊙ f'(Z, Y), in place
      return
  }
}

/**
 * The loss of a batch at the output layer, L(Y, T), given also the pre-activations `z`:
 * from the logits for a fused pair, through `loss.value` otherwise.
 */
export const outputLoss = (loss: Loss, a: Activation, z: Matrix, y: Matrix, t: Matrix): number =>
  isBuiltinLoss(loss) ? builtinOutputLoss(loss, a, buf(z), 0, buf(y), 0, buf(t), 0, y.rows, y.cols) : loss.value(y, t)

/**
 * The output layer's delta dZ = ∂L/∂Z, into a fresh buffer: `builtinOutputDelta` for a
 * built-in loss; for any other, dY = loss.gradient(Y, T), then the activation's backward rule.
 */
export const outputDelta = (loss: Loss, a: Activation, z: Matrix, y: Matrix, t: Matrix): Float64Array => {
  const rows = y.rows
  const cols = y.cols
  const dz = new Float64Array(rows * cols)
  if (isBuiltinLoss(loss)) {
    builtinOutputDelta(loss, a, buf(z), 0, buf(y), 0, buf(t), 0, rows, cols, dz, 0)
    return dz
  }
  const dy = loss.gradient(y, t)
  if (dy.rows !== rows || dy.cols !== cols)
    throw new ShapeError(`${loss.name}.gradient`, `returned ${dy.rows}x${dy.cols} for predictions of ${rows}x${cols}`, [
      [dy.rows, dy.cols],
      [rows, cols]
    ])
  activationBackwardInto(a, buf(z), 0, buf(y), 0, buf(dy), 0, dz, 0, rows, cols)
  return dz
}
