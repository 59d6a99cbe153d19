/**
 * The tutorial's `trainIteration`: one step of stochastic gradient descent on one sample,
 * minimising ½‖t − y‖², returning a new network.
 *
 * For one sample x with target t, and η the learning rate:
 *
 *   forward, k = 1..L:  zₖ = Wₖ·xₖ + bₖ,  yₖ = fₖ(zₖ)  (x₁ = x, xₖ₊₁ = yₖ)
 *   output delta:       δ_L = (y_L − t) ⊙ f'_L(z_L, y_L)
 *   reverse, k = L..1:  Wₖ' = Wₖ − η·δₖ·xₖᵀ,  bₖ' = bₖ − η·δₖ
 *                       δₖ₋₁ = (Wₖᵀ·δₖ) ⊙ f'ₖ₋₁(zₖ₋₁, yₖ₋₁)   ← Wₖ, before the update
 *
 * With the tutorial's sign, (t − y) and `+=`, the update is the same. One difference: the
 * tutorial computes δₖ₋₁ from the weights it has just updated, Wₖ', which is not the gradient
 * of anything; here every δ uses the weights as they were before the step, so the step is
 * exact gradient descent on ½‖t − y‖² (the same as `gradients(mse, x, t)` followed by
 * W − η·∂L/∂W). A softmax output goes through its own backward rule.
 *
 * The step is written for one sample: its vectors live in small blocks, one a layer, and no
 * matrix is built except the new weights and biases, so a step on the tutorial's 2-2-1
 * network costs a fraction of a microsecond.
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import { activateInto, activationBackwardInto } from './Activation.js'
import { outputSize } from './Network.js'
import type { Layer, Network } from './types.js'
import { buf, matrix } from './internal/buffer.js'
import { checkedVector, positiveFinite } from './internal/describe.js'

const step = (net: Network, input: ReadonlyArray<number>, target: ReadonlyArray<number>, eta: number): Network => {
  const layers = net.layers
  const L = layers.length
  if (L === 0) throw new RangeError('trainIteration: the network has no layers')
  const x0 = checkedVector('trainIteration', 'input', input, net.inputSize, 'the network expects')
  const t = checkedVector('trainIteration', 'target', target, outputSize(net), 'the network outputs')
  return stepWith(layers, net.inputSize, x0, t, eta)
}

/**
 * The step itself. Each layer's vectors live in a block of its own, z, then y, then δ (3·nodes
 * entries), and the input in one more: small blocks, which V8 allocates on its own heap (a
 * typed array of at most 64 bytes costs a tenth of a larger one), so that a step on a tiny
 * network allocates little besides the weights and biases it returns.
 */
const stepWith = (layers: ReadonlyArray<Layer>, inputSize: number, x0: ArrayLike<number>, t: ArrayLike<number>, eta: number): Network => {
  const L = layers.length
  const input = new Float64Array(inputSize)
  for (let j = 0; j < inputSize; j++) input[j] = x0[j]!
  const blocks: Float64Array[] = [] // layer k's z at 0, y at n, δ at 2n

  // forward: zₖ = Wₖ·xₖ + bₖ, yₖ = fₖ(zₖ)
  for (let k = 0; k < L; k++) {
    const { weights, bias, activation } = layers[k]!
    const w = buf(weights)
    const b = buf(bias)
    const n = weights.rows
    const m = weights.cols
    const x = k === 0 ? input : blocks[k - 1]!
    const xo = k === 0 ? 0 : layers[k - 1]!.weights.rows // the previous layer's y
    const s = new Float64Array(3 * n)
    for (let i = 0; i < n; i++) {
      let sum = b[i]!
      for (let j = 0, o = i * m; j < m; j++, o++) sum += w[o]! * x[xo + j]! // zᵢ = Σⱼ Wᵢⱼ xⱼ + bᵢ
      s[i] = sum
    }
    activateInto(activation, s, 0, s, n, n, 1) // y = f(z)
    blocks.push(s)
  }

  // output delta: δ_L = (y_L − t) ⊙ f'(z_L, y_L), the gradient of ½‖t − y‖² with respect to z_L
  const nL = layers[L - 1]!.weights.rows
  const out = blocks[L - 1]!
  for (let i = 0; i < nL; i++) out[2 * nL + i] = out[nL + i]! - t[i]!
  activationBackwardInto(layers[L - 1]!.activation, out, 0, out, nL, out, 2 * nL, out, 2 * nL, nL, 1)

  // reverse pass: new parameters from δₖ, and δₖ₋₁ from the old weights
  const reversed: Layer[] = [] // the last layer's first; pushed, so that the network's array is packed
  for (let k = L - 1; k >= 0; k--) {
    const { weights, bias, activation } = layers[k]!
    const w = buf(weights)
    const b = buf(bias)
    const n = weights.rows
    const m = weights.cols
    const s = blocks[k]!
    const x = k === 0 ? input : blocks[k - 1]!
    const xo = k === 0 ? 0 : m // the previous layer's y (m = its nodes)
    const w2 = new Float64Array(n * m)
    const b2 = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const d = s[2 * n + i]!
      for (let j = 0, o = i * m; j < m; j++, o++) w2[o] = w[o]! - eta * d * x[xo + j]! // W' = W − η·δ·xᵀ
      b2[i] = b[i]! - eta * d // b' = b − η·δ
    }
    reversed.push({ weights: matrix(n, m, w2), bias: matrix(n, 1, b2), activation })
    if (k > 0) {
      const prev = blocks[k - 1]! // δₖ₋₁ goes to its block's δ, at 2m
      for (let j = 0; j < m; j++) prev[2 * m + j] = 0
      for (let i = 0; i < n; i++) {
        const d = s[2 * n + i]!
        for (let j = 0, o = i * m; j < m; j++, o++) prev[2 * m + j] = prev[2 * m + j]! + w[o]! * d // Wᵀ·δ, with the old W
      }
      activationBackwardInto(layers[k - 1]!.activation, prev, 0, prev, m, prev, 2 * m, prev, 2 * m, m, 1) // δₖ₋₁ = (Wᵀ·δ) ⊙ f'(zₖ₋₁, yₖ₋₁)
    }
  }
  return { inputSize, layers: reversed.reverse() }
}

/**
 * One step of gradient descent on one sample (the tutorial's `trainIteration`): returns the
 * network after W ← W − η·∂E/∂W, b ← b − η·∂E/∂b for every layer, with E = ½‖t − y‖². Unlike
 * the tutorial, the errors flow back through the weights as they were before the step (see
 * the module comment). Data-last, `trainIteration(input, target, learningRate)(net)`, or
 * data-first, `trainIteration(net, input, target, learningRate)`. Refuses a learning rate that
 * is not a positive finite number and an input or target of the wrong length.
 *
 * @example
 * import { network, addLayer, randomize, trainIteration, evaluate, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/function'
 * const [net] = pipe(network(2), addLayer({ nodes: 2, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const after = trainIteration([0, 1], [1], 0.5)(net)
 * evaluate([[0, 1]], [[1]])(after) < evaluate([[0, 1]], [[1]])(net) // true
 *
 * @category training
 * @since 0.1.0
 */
export function trainIteration(
  input: ReadonlyArray<number>,
  target: ReadonlyArray<number>,
  learningRate: number
): (net: Network) => Network
export function trainIteration(net: Network, input: ReadonlyArray<number>, target: ReadonlyArray<number>, learningRate: number): Network
export function trainIteration(
  ...args: [ReadonlyArray<number>, ReadonlyArray<number>, number] | [Network, ReadonlyArray<number>, ReadonlyArray<number>, number]
): Network | ((net: Network) => Network) {
  if (args.length >= 4) {
    const [net, input, target, learningRate] = args as [Network, ReadonlyArray<number>, ReadonlyArray<number>, number]
    return step(net, input, target, positiveFinite('trainIteration', 'learningRate', learningRate))
  }
  const [input, target, learningRate] = args as [ReadonlyArray<number>, ReadonlyArray<number>, number]
  const eta = positiveFinite('trainIteration', 'learningRate', learningRate)
  return (net) => step(net, input, target, eta)
}
