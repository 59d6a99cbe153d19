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
 * The step is written for one sample: its vectors live in one small scratch buffer and no
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

/** How many scratch entries a step on `net` needs: the input, z and y per layer, and a δ per layer. */
const scratchSize = (net: Network): number => {
  let size = 2 * net.inputSize
  for (const layer of net.layers) size += 3 * layer.weights.rows
  return size
}

const step = (net: Network, input: ReadonlyArray<number>, target: ReadonlyArray<number>, eta: number): Network => {
  const layers = net.layers
  const L = layers.length
  if (L === 0) throw new RangeError('trainIteration: the network has no layers')
  const x0 = checkedVector('trainIteration', 'input', input, net.inputSize, 'the network expects')
  const t = checkedVector('trainIteration', 'target', target, outputSize(net), 'the network outputs')
  // scratch for the step's vectors (x, z and y of every layer, the δs): a few entries a node, never handed out
  return stepWith(new Float64Array(scratchSize(net)), layers, net.inputSize, x0, t, eta)
}

/**
 * The step itself, on scratch `s`: the vectors live at offsets in `s`, layer k's input at
 * `xo[k]` (its output is layer k + 1's input), its z at `zo[k]`.
 */
const stepWith = (
  s: Float64Array,
  layers: ReadonlyArray<Layer>,
  inputSize: number,
  x0: ArrayLike<number>,
  t: ArrayLike<number>,
  eta: number
): Network => {
  const L = layers.length
  const xo: number[] = [0]
  const zo: number[] = []
  for (let j = 0; j < inputSize; j++) s[j] = x0[j]!
  let top = inputSize

  // forward: zₖ = Wₖ·xₖ + bₖ, yₖ = fₖ(zₖ)
  for (let k = 0; k < L; k++) {
    const { weights, bias, activation } = layers[k]!
    const w = buf(weights)
    const b = buf(bias)
    const x = xo[k]!
    const n = weights.rows
    const m = weights.cols
    const z = top
    for (let i = 0; i < n; i++) {
      let sum = b[i]!
      for (let j = 0, o = i * m; j < m; j++, o++) sum += w[o]! * s[x + j]! // zᵢ = Σⱼ Wᵢⱼ xⱼ + bᵢ
      s[z + i] = sum
    }
    activateInto(activation, s, z, s, z + n, n, 1) // y = f(z)
    zo.push(z)
    xo.push(z + n)
    top = z + 2 * n
  }

  // output delta: δ_L = (y_L − t) ⊙ f'(z_L, y_L), the gradient of ½‖t − y‖² with respect to z_L
  const nL = layers[L - 1]!.weights.rows
  const yL = xo[L]!
  let delta = top
  for (let i = 0; i < nL; i++) s[delta + i] = s[yL + i]! - t[i]!
  activationBackwardInto(layers[L - 1]!.activation, s, zo[L - 1]!, s, yL, s, delta, s, delta, nL, 1)
  top += nL

  // reverse pass: new parameters from δₖ, and δₖ₋₁ from the old weights
  const reversed: Layer[] = [] // the last layer's first; pushed, so that the network's array is packed
  for (let k = L - 1; k >= 0; k--) {
    const { weights, bias, activation } = layers[k]!
    const w = buf(weights)
    const b = buf(bias)
    const x = xo[k]!
    const n = weights.rows
    const m = weights.cols
    const w2 = new Float64Array(n * m)
    const b2 = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const d = s[delta + i]!
      for (let j = 0, o = i * m; j < m; j++, o++) w2[o] = w[o]! - eta * d * s[x + j]! // W' = W − η·δ·xᵀ
      b2[i] = b[i]! - eta * d // b' = b − η·δ
    }
    reversed.push({ weights: matrix(n, m, w2), bias: matrix(n, 1, b2), activation })
    if (k > 0) {
      const back = top
      for (let j = 0; j < m; j++) s[back + j] = 0
      for (let i = 0; i < n; i++) {
        const d = s[delta + i]!
        for (let j = 0, o = i * m; j < m; j++, o++) s[back + j] = s[back + j]! + w[o]! * d // Wᵀ·δ, with the old W
      }
      activationBackwardInto(layers[k - 1]!.activation, s, zo[k - 1]!, s, x, s, back, s, back, m, 1) // δₖ₋₁ = (Wᵀ·δ) ⊙ f'(zₖ₋₁, yₖ₋₁)
      delta = back
      top += m
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
