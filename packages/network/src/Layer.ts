/**
 * The dense layer's two rules, side by side (as micrograd writes each operator next to its
 * local derivative). Samples are columns: `X` is `inputs x B`, the weights `W` are
 * `nodes x inputs`, the bias `b` is `nodes x 1`.
 *
 *   forward                          backward (given dZ = ∂L/∂Z)
 *   Z = W·X + b·1ᵀ                   ∂L/∂W = dZ·Xᵀ          (dotTransposeB)
 *                                    ∂L/∂b = dZ·1 (row sums of dZ)
 *                                    ∂L/∂X = Wᵀ·dZ          (dotTransposeA)
 *   Y = f(Z)                         dZ = dY ⊙ f'(Z, Y)     (activationBackward)
 *
 * The backward rule reads the weights the forward rule used: errors flow back through the
 * weights as they were before any update.
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import { activateInto, elementwiseCode, forwardAt } from './Activation.js'
import type { Layer, LayerGradients } from './types.js'
import { buf, matrix } from './internal/buffer.js'

/**
 * What the forward rule keeps for the backward rule: the pre-activations `z` (`Z = W·X + b`)
 * and the outputs `y` (`Y = f(Z)`), both `nodes x B`.
 *
 * @example
 * import { layerForward, linear, type LayerOutput } from '@purenn/network'
 * import { fill, fromArray, toArray } from '@purenn/matrix'
 * const out: LayerOutput = layerForward({ weights: fill(1, 2, 1), bias: fill(1, 1, -1), activation: linear }, fromArray([2, 3]))
 * toArray(out.z) // => [4]
 * toArray(out.y) // => [4]
 *
 * @category model
 * @since 0.1.0
 */
export interface LayerOutput {
  readonly z: Matrix
  readonly y: Matrix
}

/**
 * What the backward rule returns: the layer's parameter gradients and, unless asked not to,
 * the gradient with respect to its input (to pass on to the layer before).
 *
 * @example
 * import { layerBackward, linear, type LayerBackward } from '@purenn/network'
 * import { fill, fromArray, toArray, toArrays } from '@purenn/matrix'
 * const layer = { weights: fill(1, 2, 2), bias: fill(1, 1, 0), activation: linear }
 * const back: LayerBackward = layerBackward(layer, fromArray([2, 3]), fromArray([1]), true)
 * toArrays(back.gradients.weights) // => [[2, 3]]
 * // the gradient sent on to the layer below: Wᵀ·δ
 * back.input === undefined ? undefined : toArray(back.input) // => [2, 2]
 * layerBackward(layer, fromArray([2, 3]), fromArray([1]), false).input // => undefined
 *
 * @category model
 * @since 0.1.0
 */
export interface LayerBackward {
  readonly gradients: LayerGradients
  readonly input: Matrix | undefined
}

/**
 * The forward rule of a dense layer over a batch: `Z = W·X + b·1ᵀ`, `Y = f(Z)`. Throws a
 * `ShapeError` if `X` does not have one row per column of `W`.
 *
 * @example
 * import { layerForward, linear } from '@purenn/network'
 * import { fill, fromArray, toArray } from '@purenn/matrix'
 * const layer = { weights: fill(2, 2, 1), bias: fill(2, 1, 1), activation: linear }
 * toArray(layerForward(layer, fromArray([1, 1])).y) // => [3, 3]
 *
 * @category kernels
 * @since 0.1.0
 */
export const layerForward = (layer: Layer, x: Matrix): LayerOutput => {
  const { weights: w, bias: b } = layer
  const z = M.dot(x)(w) // W·X, a fresh nodes x B buffer: ours to finish before handing out
  const zb = buf(z)
  const bb = buf(b)
  const cols = z.cols
  for (let i = 0, k = 0; i < z.rows; i++) {
    const bi = bb[i]!
    for (let j = 0; j < cols; j++, k++) zb[k] = zb[k]! + bi // + b·1ᵀ
  }
  const y = new Float64Array(zb.length)
  activateInto(layer.activation, zb, 0, y, 0, z.rows, cols) // Y = f(Z)
  return { z, y: matrix(z.rows, cols, y) }
}

/**
 * The forward rule of a dense layer when only its output is wanted (`predictBatch`): `Y = f(W·X
 * + b·1ᵀ)`, each entry finished in place in the product's fresh buffer, so that no `Z` is kept
 * and no second buffer is allocated. Agrees with `layerForward(layer, x).y` bit for bit: the
 * same product, the same sum `z + b`, the same activation rule.
 *
 * @internal
 */
export const layerOutput = (layer: Layer, x: Matrix): Matrix => {
  const { weights: w, bias: b } = layer
  const y = M.dot(x)(w) // W·X, a fresh nodes x B buffer: ours to finish before handing out
  const yb = buf(y)
  const bb = buf(b)
  const rows = y.rows
  const cols = y.cols
  const code = elementwiseCode(layer.activation)
  for (let i = 0, k = 0; i < rows; i++) {
    const bi = bb[i]!
    if (code >= 0) for (let j = 0; j < cols; j++, k++) yb[k] = forwardAt(code, yb[k]! + bi) // f(z + b), in place
    else for (let j = 0; j < cols; j++, k++) yb[k] = yb[k]! + bi // + b·1ᵀ
  }
  if (code < 0) activateInto(layer.activation, yb, 0, yb, 0, rows, cols) // a column rule, in place (softmax reads a column before writing it)
  return y
}

/**
 * The backward rule of a dense layer over a batch, given its input `X` and `dZ = ∂L/∂Z`:
 * `∂L/∂W = dZ·Xᵀ`, `∂L/∂b = dZ·1` and, when `withInput` is true, `∂L/∂X = Wᵀ·dZ` (the first
 * layer's input gradient is not needed, so backprop skips that product there).
 *
 * @example
 * import { layerBackward, linear } from '@purenn/network'
 * import { fill, fromArray, toArrays } from '@purenn/matrix'
 * const layer = { weights: fill(1, 2, 1), bias: fill(1, 1, 0), activation: linear }
 * const { gradients } = layerBackward(layer, fromArray([2, 3]), fromArray([1]), true)
 * toArrays(gradients.weights) // => [[2, 3]]
 *
 * @category kernels
 * @since 0.1.0
 */
export const layerBackward = (layer: Layer, x: Matrix, dz: Matrix, withInput: boolean): LayerBackward => ({
  gradients: {
    weights: M.dotTransposeB(x)(dz), // ∂L/∂W = dZ·Xᵀ
    bias: M.rowSums(dz) // ∂L/∂b = dZ·1
  },
  input: withInput ? M.dotTransposeA(dz)(layer.weights) : undefined // ∂L/∂X = Wᵀ·dZ
})
