/**
 * The tutorial's `trainIteration`: one step of stochastic gradient descent on one sample,
 * minimising ½‖t − y‖², returning a new network.
 *
 * For one sample x with target t, and η the learning rate, it is the gradient of that error,
 * by the one backward pass there is (`gradients` with `mse`, whose value on one sample is
 * ½‖t − y‖²), followed by a plain gradient-descent step:
 *
 *   (E, g) = gradients(mse, x, t)(θ),   θ' = θ + (−η)·g   for every weight and bias
 *
 * (`θ + (−η)·g` rather than `θ − η·g`: the same number, rounded as `sgd` rounds it, so that a
 * `trainIteration` and a step of `sgd` through `trainStep` on the same sample give the same
 * bits.) With the tutorial's sign, (t − y) and `+=`, the update is the same. One difference:
 * the tutorial computes δₖ₋₁ from the weights it has just updated, Wₖ', which is not the
 * gradient of anything; here every error flows back through the weights as they were before
 * the step, so the step is exact gradient descent on ½‖t − y‖².
 *
 * It is the tutorial's step, kept for its readers, not the fastest path: a loop that takes many
 * steps runs on `@purenn/training`'s engine (`trainSteps`, `train`).
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import { gradients } from './backprop.js'
import { mse } from './Loss.js'
import { outputSize } from './Network.js'
import type { Layer, Network } from './types.js'
import { addScaledInto } from './internal/axpy.js'
import { buf, matrix } from './internal/buffer.js'
import { checkedVector, networkArg, positiveFinite } from './internal/describe.js'

const step = (net: Network, input: ReadonlyArray<number>, target: ReadonlyArray<number>, eta: number): Network => {
  networkArg('trainIteration', net)
  const layers = net.layers
  if (layers.length === 0) throw new RangeError('trainIteration: the network has no layers')
  const x = checkedVector('trainIteration', 'input', input, net.inputSize, 'the network expects')
  const t = checkedVector('trainIteration', 'target', target, outputSize(net), 'the network outputs')
  const { gradients: g } = gradients(net, mse, column(x), column(t)) // ∂E/∂θ, E = ½‖t − y‖²
  const k = -eta
  const next: Layer[] = [] // pushed: a packed array, like every network's
  for (let l = 0; l < layers.length; l++) {
    const { weights, bias, activation } = layers[l]!
    // the gradient's buffers are fresh and ours: they take the new parameters
    next.push({ weights: matrix(weights.rows, weights.cols, descend(buf(weights), k, buf(g[l]!.weights))), bias: matrix(bias.rows, 1, descend(buf(bias), k, buf(g[l]!.bias))), activation })
  }
  return { inputSize: net.inputSize, layers: next }
}

/** A one-column matrix of the values (copied: the caller's array is its own). */
const column = (values: ArrayLike<number>): ReturnType<typeof matrix> => {
  const data = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) data[i] = values[i]!
  return matrix(values.length, 1, data)
}

/** `θ + k·g` (k = −η), entry by entry, written over `g` (a buffer `gradients` has just made, and nothing else holds), which it returns. */
const descend = (theta: Float64Array, k: number, g: Float64Array): Float64Array => {
  addScaledInto(theta, 0, k, g, g, 0)
  return g
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
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 2, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const after = trainIteration([0, 1], [1], 0.5)(net)
 * evaluate([[0, 1]], [[1]])(after) < evaluate([[0, 1]], [[1]])(net) // => true
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
