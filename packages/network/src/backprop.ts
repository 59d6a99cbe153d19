/**
 * Backpropagation: the gradient of a loss over a batch with respect to every weight and bias,
 * in one forward pass and one reverse pass. Samples are columns; the weights of layer k are
 * `nodes x inputs`. With X₀ the inputs and Xₖ = Yₖ₋₁ each later layer's input:
 *
 *   forward, k = 1..L:   Zₖ = Wₖ·Xₖ + bₖ·1ᵀ,  Yₖ = fₖ(Zₖ)                  (layerForward)
 *   loss:                L = loss(Y_L, T)                                  (outputLoss)
 *   output delta:        dZ_L = ∂L/∂Y_L ⊙ f'_L(Z_L, Y_L)                   (outputDelta)
 *   reverse, k = L..1:   ∂L/∂Wₖ = dZₖ·Xₖᵀ,  ∂L/∂bₖ = dZₖ·1                 (layerBackward)
 *                        dYₖ₋₁ = Wₖᵀ·dZₖ                                   (layerBackward)
 *                        dZₖ₋₁ = dYₖ₋₁ ⊙ f'ₖ₋₁(Zₖ₋₁, Yₖ₋₁)                 (activationBackward)
 *
 * Every product reads the weights as they are: nothing is updated here (an optimizer applies
 * the gradients afterwards, see `@purenn/training`). `denseGradients` below is the reference,
 * these formulas one a line; small networks on small batches take a fused path with the same
 * formulas and the same bits (`internal/small.ts`), checked against it.
 *
 * @since 0.1.0
 */
import { dual } from './internal/dual.js'
import type { Matrix } from '@purenn/matrix'
import { activationBackward } from './Activation.js'
import { layerBackward, layerForward, type LayerOutput } from './Layer.js'
import { outputDelta, outputLoss, type Loss } from './Loss.js'
import { outputSize } from './Network.js'
import type { Gradients, LayerGradients, Network } from './types.js'
import { matrix } from './internal/buffer.js'
import { networkArg } from './internal/describe.js'
import { checkBatch } from './internal/shapes.js'
import { smallGradients, smallGradientsApply } from './internal/small.js'
import { workspace, type Workspace } from './Workspace.js'

/**
 * What `gradients` returns: the loss of the batch and one `{ weights, bias }` gradient per
 * layer, with the layers' shapes.
 *
 * @example
 * import { network, addLayer, randomize, gradients, mse, linear, type GradientsResult } from '@purenn/network'
 * import { fromArray, rng, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // y = w·x + b with w = b = 1: for x = 2, y = 3 against a target of 1
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * const r: GradientsResult = gradients(mse, fromArray([2]), fromArray([1]))(net)
 * r.loss // => 2
 * // dL/dy = y − t = 2, so dL/dw = 2·x = 4 and dL/db = 2
 * r.gradients.map((g) => [toArrays(g.weights), toArrays(g.bias)]) // => [[[[4]], [[2]]]]
 *
 * @category model
 * @since 0.1.0
 */
export interface GradientsResult {
  readonly loss: number
  readonly gradients: Gradients
}

const gradientsWith = (net: Network, loss: Loss, inputs: Matrix, targets: Matrix, ws: Workspace | undefined): GradientsResult => {
  networkArg('gradients', net)
  const L = net.layers.length
  if (L === 0) throw new RangeError('gradients: the network has no layers')
  checkBatch('gradients', net, outputSize(net), inputs, targets)
  return smallGradientsApply(net, loss, inputs.cols) ? smallGradients(net, loss, inputs, targets, ws) : denseGradients(net, loss, inputs, targets)
}

/**
 * The reference: `gradients` by the dense layer's rules (`layerForward`, `layerBackward`) and
 * the activations' backward rule, one formula a line, over batched products. Every faster path
 * (the fused loops of `internal/small.ts`, the kernels written out for tiny shapes, the
 * descents) is checked against this function by a property test of its own. The caller has
 * checked the shapes.
 *
 * @internal
 */
export const denseGradients = (net: Network, loss: Loss, inputs: Matrix, targets: Matrix): GradientsResult => {
  const layers = net.layers
  const L = layers.length

  // forward, k = 1..L: keep each layer's input Xₖ and its Zₖ, Yₖ
  const xs: Matrix[] = [inputs]
  const outs: LayerOutput[] = []
  for (let k = 0; k < L; k++) {
    const out = layerForward(layers[k]!, xs[k]!) // Zₖ = Wₖ·Xₖ + bₖ·1ᵀ, Yₖ = fₖ(Zₖ)
    outs.push(out)
    xs.push(out.y)
  }

  // the loss, and dZ_L = ∂L/∂Y_L ⊙ f'_L(Z_L, Y_L) (fused with the activation where that is exact)
  const { z: zL, y: yL } = outs[L - 1]!
  const value = outputLoss(loss, layers[L - 1]!.activation, zL, yL, targets)
  let dz = matrix(zL.rows, zL.cols, outputDelta(loss, layers[L - 1]!.activation, zL, yL, targets))

  // reverse, k = L..1
  const reversed: LayerGradients[] = [] // the last layer's first; pushed, so that the array is packed
  for (let k = L - 1; k >= 0; k--) {
    const back = layerBackward(layers[k]!, xs[k]!, dz, k > 0) // ∂L/∂Wₖ = dZₖ·Xₖᵀ, ∂L/∂bₖ = dZₖ·1, dYₖ₋₁ = Wₖᵀ·dZₖ
    reversed.push(back.gradients)
    if (k > 0) dz = activationBackward(layers[k - 1]!.activation)(outs[k - 1]!.z, outs[k - 1]!.y, back.input!) // dZₖ₋₁ = dYₖ₋₁ ⊙ f'ₖ₋₁(Zₖ₋₁, Yₖ₋₁)
  }
  return { loss: value, gradients: reversed.reverse() }
}

/**
 * The loss of a batch and its gradient with respect to every weight and bias, by one
 * forward and one reverse pass (see the module comment for the formulas). `inputs` is
 * `inputSize x B` and `targets` is `outputs x B`, one sample per column. The loss is the
 * mean over the batch (see `Loss`). Data-last, `gradients(loss, inputs, targets)(net)`, or
 * data-first, `gradients(net, loss, inputs, targets)`. Refuses mismatched sizes, naming them.
 *
 * @example
 * import { network, addLayer, randomize, gradients, mse, sigmoid } from '@purenn/network'
 * import { fromFunction, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const X = fromFunction(2, 2, (i, j) => (i === j ? 0 : 1)) // two samples as columns: [0, 1] and [1, 0]
 * const T = fromFunction(1, 2, () => 1)
 * const { loss, gradients: g } = gradients(mse, X, T)(net)
 * loss > 0 // => true
 * // one { weights, bias } per layer, shaped as the layer's
 * g.map((l) => [l.weights.rows, l.weights.cols, l.bias.rows, l.bias.cols]) // => [[1, 2, 1, 1]]
 *
 * @category backprop
 * @since 0.1.0
 */
export const gradients: {
  (loss: Loss, inputs: Matrix, targets: Matrix): (net: Network) => GradientsResult
  (net: Network, loss: Loss, inputs: Matrix, targets: Matrix): GradientsResult
} = dual(4, (net: Network, loss: Loss, inputs: Matrix, targets: Matrix) => gradientsWith(net, loss, inputs, targets, undefined))

/**
 * `gradients` for one loss, as a function that keeps a workspace (see `Workspace`) from one
 * call to the next: a loop that takes its gradients step after step (`trainStep` does) then
 * allocates only what each call returns. The same results as `gradients`, bit for bit.
 *
 * @example
 * import { network, addLayer, randomize, compileGradients, gradients, mse, sigmoid } from '@purenn/network'
 * import { fromFunction, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const X = fromFunction(2, 2, (i, j) => (i === j ? 0 : 1))
 * const T = fromFunction(1, 2, () => 1)
 * const grad = compileGradients(mse)
 * grad(net, X, T).loss === gradients(mse, X, T)(net).loss // => true
 *
 * @category backprop
 * @since 0.2.0
 */
export const compileGradients = (loss: Loss, ws: Workspace = workspace()): ((net: Network, inputs: Matrix, targets: Matrix) => GradientsResult) => {
  return (net, inputs, targets) => gradientsWith(net, loss, inputs, targets, ws)
}
