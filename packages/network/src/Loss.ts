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
 * @category model
 * @since 0.1.0
 */
export interface Loss {
  readonly name: string
  readonly perSample: (predictions: Matrix, targets: Matrix) => Matrix
  readonly value: (predictions: Matrix, targets: Matrix) => number
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
type Term = 'squared' | 'absolute' | 'binary' | 'categorical'

/** ℓ(yₛ, tₛ) for every sample s (column j), into a `1 x cols` buffer; entry (i, j) is at i·cols + j. */
const perSampleInto = (term: Term, y: Float64Array, t: Float64Array, rows: number, cols: number): Float64Array => {
  const out = new Float64Array(cols)
  switch (term) {
    case 'squared': // ½ (y − t)²
      for (let i = 0, k = 0; i < rows; i++)
        for (let j = 0; j < cols; j++, k++) {
          const d = y[k]! - t[k]!
          out[j] = out[j]! + 0.5 * d * d
        }
      break
    case 'absolute': // |y − t|
      for (let i = 0, k = 0; i < rows; i++) for (let j = 0; j < cols; j++, k++) out[j] = out[j]! + Math.abs(y[k]! - t[k]!)
      break
    case 'binary': // −[t log y + (1 − t) log(1 − y)], a zero coefficient skipping its log
      for (let i = 0, k = 0; i < rows; i++)
        for (let j = 0; j < cols; j++, k++) {
          const p = y[k]!
          const q = t[k]!
          out[j] = out[j]! - ((q !== 0 ? q * logProb(p) : 0) + (q !== 1 ? (1 - q) * logProb(1 - p) : 0))
        }
      break
    case 'categorical': // −t log y
      for (let i = 0, k = 0; i < rows; i++)
        for (let j = 0; j < cols; j++, k++) {
          const q = t[k]!
          if (q !== 0) out[j] = out[j]! - q * logProb(y[k]!)
        }
      break
  }
  return out
}

/** ∂L/∂Y = ℓ'(Y, T)/B, entry by entry, into a fresh buffer. */
const gradientInto = (term: Term, y: Float64Array, t: Float64Array, batch: number): Float64Array => {
  const out = new Float64Array(y.length)
  const inv = 1 / batch
  switch (term) {
    case 'squared': // ∂/∂y ½(y − t)² = y − t
      for (let k = 0; k < out.length; k++) out[k] = (y[k]! - t[k]!) * inv
      break
    case 'absolute': // ∂/∂y |y − t| = sign(y − t), 0 at the kink
      for (let k = 0; k < out.length; k++) out[k] = Math.sign(y[k]! - t[k]!) * inv
      break
    case 'binary': // ∂/∂y −[t log y + (1 − t) log(1 − y)] = −t/y + (1 − t)/(1 − y)
      for (let k = 0; k < out.length; k++) {
        const p = y[k]!
        const q = t[k]!
        out[k] = ((q !== 0 ? -q / p : 0) + (q !== 1 ? (1 - q) / (1 - p) : 0)) * inv
      }
      break
    case 'categorical': // ∂/∂y −t log y = −t/y
      for (let k = 0; k < out.length; k++) {
        const q = t[k]!
        out[k] = (q !== 0 ? -q / y[k]! : 0) * inv
      }
      break
  }
  return out
}

const builtin = (name: string, term: Term): Loss => {
  const perSample = (predictions: Matrix, targets: Matrix): Matrix => {
    checkShapes(`${name}.perSample`, predictions, targets)
    return matrix(1, predictions.cols, perSampleInto(term, buf(predictions), buf(targets), predictions.rows, predictions.cols))
  }
  return Object.freeze({
    name,
    perSample,
    value: (predictions: Matrix, targets: Matrix): number => {
      checkShapes(`${name}.value`, predictions, targets)
      return mean(perSampleInto(term, buf(predictions), buf(targets), predictions.rows, predictions.cols))
    },
    gradient: (predictions: Matrix, targets: Matrix): Matrix => {
      checkShapes(`${name}.gradient`, predictions, targets)
      return matrix(predictions.rows, predictions.cols, gradientInto(term, buf(predictions), buf(targets), predictions.cols))
    }
  })
}

/** The mean of a buffer's entries (0 for an empty one: an empty batch has no loss). */
const mean = (xs: Float64Array): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!
  return xs.length === 0 ? 0 : s / xs.length
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
 * mse.value(fromArray([1, 2]), fromArray([0, 0])) // ½(1 + 4) = 2.5
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
 * meanAbsoluteError.value(fromArray([1, -2]), fromArray([0, 0])) // 3
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
 * binaryCrossEntropy.value(fromArray([0.5]), fromArray([1])) // Math.LN2
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
 * crossEntropy.value(fromArray([0.25, 0.75]), fromArray([0, 1])) // -Math.log(0.75)
 *
 * @category losses
 * @since 0.1.0
 */
export const crossEntropy: Loss = builtin('crossEntropy', 'categorical')

// -------------------------------------------------------------------------------------
// the output layer: loss and delta, fused where it pays
// -------------------------------------------------------------------------------------

/** Σ over samples of softmax cross-entropy from logits: ℓ = Σᵢ tᵢ·(logsumexp(z) − zᵢ). */
const softmaxCrossEntropySum = (z: Float64Array, t: Float64Array, rows: number, cols: number): number => {
  let total = 0
  for (let j = 0; j < cols; j++) {
    let m = -Infinity
    for (let i = 0, k = j; i < rows; i++, k += cols) if (z[k]! > m) m = z[k]!
    let s = 0
    for (let i = 0, k = j; i < rows; i++, k += cols) s += Math.exp(z[k]! - m)
    const lse = m + Math.log(s) // logsumexp(z) = m + log Σ e^(z − m)
    for (let i = 0, k = j; i < rows; i++, k += cols) {
      const q = t[k]!
      if (q !== 0) total += q * (lse - z[k]!)
    }
  }
  return total
}

/** Σ over entries of sigmoid cross-entropy from logits: ℓ = max(z, 0) − z·t + log(1 + e^−|z|). */
const sigmoidCrossEntropySum = (z: Float64Array, t: Float64Array): number => {
  let total = 0
  for (let k = 0; k < z.length; k++) {
    const x = z[k]!
    total += Math.max(x, 0) - x * t[k]! + Math.log1p(Math.exp(-Math.abs(x)))
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
 * The loss of a batch at the output layer, L(Y, T), given also the pre-activations `z`:
 * from the logits for a fused pair, through `loss.value` otherwise.
 */
export const outputLoss = (loss: Loss, a: Activation, z: Matrix, y: Matrix, t: Matrix): number => {
  switch (fusion(loss, a)) {
    case 'softmaxCrossEntropy':
      return y.cols === 0 ? 0 : softmaxCrossEntropySum(buf(z), buf(t), z.rows, z.cols) / z.cols
    case 'sigmoidCrossEntropy':
      return y.cols === 0 ? 0 : sigmoidCrossEntropySum(buf(z), buf(t)) / z.cols
    case undefined:
      return loss.value(y, t)
  }
}

/**
 * The output layer's delta dZ = ∂L/∂Z, into a fresh buffer:
 * - softmax + crossEntropy: dZ = (Y·diag(1ᵀT) − T)/B, i.e. (Y − T)/B for one-hot targets;
 * - sigmoid + binaryCrossEntropy: dZ = (Y − T)/B;
 * - any other pair: dY = loss.gradient(Y, T), then the activation's backward rule.
 */
export const outputDelta = (loss: Loss, a: Activation, z: Matrix, y: Matrix, t: Matrix): Float64Array => {
  const rows = y.rows
  const cols = y.cols
  const yb = buf(y)
  const tb = buf(t)
  const inv = 1 / cols
  switch (fusion(loss, a)) {
    case 'softmaxCrossEntropy': {
      const dz = new Float64Array(rows * cols)
      for (let j = 0; j < cols; j++) {
        let mass = 0 // Σᵢ tᵢ, 1 for one-hot targets
        for (let i = 0, k = j; i < rows; i++, k += cols) mass += tb[k]!
        for (let i = 0, k = j; i < rows; i++, k += cols) dz[k] = (yb[k]! * mass - tb[k]!) * inv
      }
      return dz
    }
    case 'sigmoidCrossEntropy': {
      const dz = new Float64Array(rows * cols)
      for (let k = 0; k < dz.length; k++) dz[k] = (yb[k]! - tb[k]!) * inv
      return dz
    }
    case undefined: {
      const dy = loss.gradient(y, t)
      if (dy.rows !== rows || dy.cols !== cols)
        throw new ShapeError(`${loss.name}.gradient`, `returned ${dy.rows}x${dy.cols} for predictions of ${rows}x${cols}`, [
          [dy.rows, dy.cols],
          [rows, cols]
        ])
      const dz = new Float64Array(rows * cols)
      activationBackwardInto(a, buf(z), 0, yb, 0, buf(dy), 0, dz, 0, rows, cols)
      return dz
    }
  }
}
