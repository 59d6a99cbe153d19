/**
 * Building a network and running it forward: the tutorial's constructor, `addLayer`,
 * `randomizeWeights` and `predict`, as functions over plain data. Every function returns a
 * new network; none changes the one it was given.
 *
 * ```ts
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const [net, nextRng] = pipe(
 *   network(2),
 *   addLayer({ nodes: 2, activation: sigmoid }),
 *   addLayer({ nodes: 1, activation: sigmoid }),
 *   randomize(-1, 1)
 * )(rng(0)) // nextRng: the generator for the following draw
 * const { prediction } = predict([0, 1])(net)
 * prediction.length // => 1
 * prediction[0]! > 0 && prediction[0]! < 1 // => true
 * ```
 *
 * @since 0.1.0
 */
import { dual } from './internal/dual.js'
import * as M from '@purenn/matrix'
import type { Matrix, Rng } from '@purenn/matrix'
import type { State } from 'fp-ts/lib/State.js'
import { layerForward, layerOutput } from './Layer.js'
import { isActivationValue, unfitFor } from './Activation.js'
import type { Activation, Layer, Network } from './types.js'
import { matrix } from './internal/buffer.js'
import { describeValue, finite, networkArg, positiveInteger, rngArg, vectorArg } from './internal/describe.js'
import { checkInputs } from './internal/shapes.js'
import { isSmall, smallPredict } from './internal/small.js'

export type { Layer, Network } from './types.js'

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A network with `inputSize` inputs and no layers yet (the tutorial's
 * `new MultiLayerPerceptron({ inputDimension })`). Refuses a size that is not a positive
 * integer.
 *
 * @example
 * import { network } from '@purenn/network'
 * network(2) // => { inputSize: 2, layers: [] }
 *
 * @category constructors
 * @since 0.1.0
 */
export const network = (inputSize: number): Network => ({
  inputSize: positiveInteger('network', 'inputSize', inputSize),
  layers: []
})

/**
 * The number of values the network outputs: the last layer's node count (the input size for
 * a network without layers).
 *
 * @example
 * import { network, addLayer, outputSize, sigmoid } from '@purenn/network'
 * outputSize(addLayer({ nodes: 3, activation: sigmoid })(network(2))) // => 3
 *
 * @category destructors
 * @since 0.1.0
 */
export const outputSize = (net: Network): number => {
  const last = net.layers[net.layers.length - 1]
  return last === undefined ? net.inputSize : last.weights.rows
}

/**
 * What `addLayer` needs: the layer's number of nodes and its activation.
 *
 * @example
 * import { network, addLayer, relu, type LayerSpec } from '@purenn/network'
 * const hidden: LayerSpec = { nodes: 16, activation: relu }
 * addLayer(hidden)(network(4)).layers[0]!.weights.rows // => 16
 *
 * @category model
 * @since 0.1.0
 */
export interface LayerSpec {
  readonly nodes: number
  readonly activation: Activation
}


const addLayerTo = (net: Network, spec: LayerSpec): Network => {
  networkArg('addLayer', net)
  if (typeof spec !== 'object' || spec === null)
    throw new TypeError(`addLayer: expected { nodes, activation }, got ${describeValue(spec)}`)
  const nodes = positiveInteger('addLayer', 'nodes', spec.nodes)
  if (!isActivationValue(spec.activation))
    throw new TypeError(
      `addLayer: activation must be an activation (a built-in such as sigmoid, or one made with activation(name, f, df)), got ${describeValue(spec.activation)}`
    )
  const unfit = unfitFor(spec.activation, nodes)
  if (unfit !== undefined) throw new RangeError(`addLayer: ${unfit}`)
  const inputs = outputSize(net) // the previous layer's nodes, or the input size for the first
  const layer: Layer = { weights: M.zeros(nodes, inputs), bias: M.zeros(nodes, 1), activation: spec.activation }
  return { inputSize: net.inputSize, layers: [...net.layers, layer] }
}

/**
 * Appends a dense layer of `nodes` nodes (the tutorial's `addLayer`), returning a new network.
 * Its weights (`nodes x inputs`, inputs being the previous layer's width) and bias start at
 * zero, as the tutorial's do: use `randomize` or `initialize` next. Data-last for `pipe`, or
 * data-first: `addLayer(net, { nodes, activation })`. Refuses a node count that is not a
 * positive integer, a missing activation, and softmax on a single node (it always outputs 1).
 *
 * @example
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net = pipe(network(2), addLayer({ nodes: 2, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }))
 * net.layers.map((l) => [l.weights.rows, l.weights.cols]) // => [[2, 2], [1, 2]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const addLayer: {
  (spec: LayerSpec): (net: Network) => Network
  (net: Network, spec: LayerSpec): Network
} = dual(2, (net: Network, spec: LayerSpec) => addLayerTo(net, spec))

// -------------------------------------------------------------------------------------
// randomness
// -------------------------------------------------------------------------------------

/**
 * Replaces each layer's parameters by draws, threading the generator layer after layer; `fn`
 * (the public function) names a network or a generator that is not one.
 */
const redraw =
  (fn: string, draw: (layer: Layer, inputs: number) => State<Rng, { weights: Matrix; bias: Matrix }>) =>
  (net: Network): State<Rng, Network> => {
    networkArg(fn, net)
    return (r0) => {
      rngArg(fn, r0)
      let r = r0
      const layers: Layer[] = []
      for (const layer of net.layers) {
        const [params, next] = draw(layer, layer.weights.cols)(r)
        layers.push({ weights: params.weights, bias: params.bias, activation: layer.activation })
        r = next
      }
      return [{ inputSize: net.inputSize, layers }, r]
    }
  }

/**
 * The tutorial's `randomizeWeights(lower, upper)`, seeded: every weight and bias uniform in
 * [lower, upper) (−1 to 1 by default), drawn layer by layer, weights then bias. With
 * `lower === upper` every parameter is that value. A `State<Rng, Network>`: pass a generator,
 * get the network and the next generator; the same generator gives the same bits. Refuses
 * bounds that are not finite or with `lower > upper`.
 *
 * @example
 * import { network, addLayer, randomize, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net, next] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(42)) // `next` for the following draw
 * const { weights, bias } = net.layers[0]!
 * weights.data.every((w) => w >= -1 && w <= 1) && bias.data.every((b) => b >= -1 && b <= 1) // => true
 * // the same seed, the same network
 * pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(42))[0] // => net
 * // lower = upper fills every weight and bias with that value
 * pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize(0.5, 0.5))(next)[0].layers[0]!.weights.data // => [0.5, 0.5]
 *
 * @category randomness
 * @since 0.1.0
 */
export const randomize = (lower = -1, upper = 1): ((net: Network) => State<Rng, Network>) => {
  finite('randomize', 'lower', lower)
  finite('randomize', 'upper', upper)
  if (lower > upper) throw new RangeError(`randomize: lower (${lower}) must not exceed upper (${upper})`)
  return redraw('randomize', (layer) => (r) => {
    const [weights, r1] = M.uniform(layer.weights.rows, layer.weights.cols, lower, upper)(r)
    const [bias, r2] = M.uniform(layer.bias.rows, 1, lower, upper)(r1)
    return [{ weights, bias }, r2]
  })
}

/**
 * An initialisation scheme for `initialize`:
 * - `'uniform'`: the tutorial's, weights and biases uniform in [−1, 1) (`randomize(-1, 1)`);
 * - `'xavier'` (Glorot & Bengio, 2010): weights uniform in ±√(6/(inputs + nodes)), biases 0;
 * - `'he'` (He et al., 2015): weights normal with σ = √(2/inputs), biases 0, for relu layers.
 *
 * @example
 * import { network, addLayer, initialize, tanh, type InitScheme } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const schemes: InitScheme[] = ['uniform', 'xavier', 'he']
 * const layerOf = (s: InitScheme) => pipe(network(4), addLayer({ nodes: 2, activation: tanh }), initialize(s))(rng(0))[0].layers[0]!
 * // xavier: weights uniform within ±√(6/(in + out))
 * layerOf('xavier').weights.data.every((w) => Math.abs(w) <= Math.sqrt(6 / (4 + 2))) // => true
 * // uniform draws the biases too; xavier and he start them at 0
 * schemes.map((s) => layerOf(s).bias.data.every((b) => b === 0)) // => [false, true, true]
 *
 * @category model
 * @since 0.1.0
 */
export type InitScheme = 'uniform' | 'xavier' | 'he'

/**
 * Draws fresh parameters by a named scheme (see `InitScheme`), seeded, as a
 * `State<Rng, Network>`. Refuses an unknown scheme.
 *
 * @example
 * import { network, addLayer, initialize, relu } from '@purenn/network'
 * import { rng, shapeOf } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(784), addLayer({ nodes: 128, activation: relu }), initialize('he'))(rng(0))
 * const { weights, bias } = net.layers[0]!
 * shapeOf(weights) // => '128x784'
 * // he: weights drawn from a normal distribution of deviation √(2/784), biases 0
 * Math.sqrt(weights.data.reduce((s, w) => s + w * w, 0) / weights.data.length) // ≈ Math.sqrt(2 / 784) ± 0.001
 * bias.data.every((b) => b === 0) // => true
 *
 * @category randomness
 * @since 0.1.0
 */
export const initialize = (scheme: InitScheme): ((net: Network) => State<Rng, Network>) => {
  switch (scheme) {
    case 'uniform':
      return randomize(-1, 1)
    case 'xavier':
      return redraw('initialize', (layer, inputs) => (r) => {
        const limit = Math.sqrt(6 / (inputs + layer.weights.rows)) // Glorot: Var(w) = 2/(in + out)
        const [weights, next] = M.uniform(layer.weights.rows, inputs, -limit, limit)(r)
        return [{ weights, bias: M.zeros(layer.bias.rows, 1) }, next]
      })
    case 'he':
      return redraw('initialize', (layer, inputs) => (r) => {
        const [weights, next] = M.normal(layer.weights.rows, inputs, 0, Math.sqrt(2 / inputs))(r) // He: Var(w) = 2/in
        return [{ weights, bias: M.zeros(layer.bias.rows, 1) }, next]
      })
    default:
      throw new RangeError(`initialize: scheme must be 'uniform', 'xavier' or 'he', got ${describeValue(scheme)}`)
  }
}

// -------------------------------------------------------------------------------------
// forward
// -------------------------------------------------------------------------------------

/**
 * What `predict` returns, as in the tutorial: the output values, and every layer's
 * activations as columns (`activations[0]` is the input, `activations[k]` layer k's output).
 *
 * @example
 * import { network, addLayer, randomize, predict, linear, type Prediction } from '@purenn/network'
 * import { rng, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * const p: Prediction = predict([1, 2])(net)
 * p.prediction // => [4]
 * p.activations.map(toArray) // => [[1, 2], [4]]
 *
 * @category model
 * @since 0.1.0
 */
export interface Prediction {
  readonly prediction: number[]
  readonly activations: Matrix[]
}

const predictWith = (net: Network, input: ReadonlyArray<number>): Prediction => {
  networkArg('predict', net)
  const x = matrix(net.inputSize, 1, vectorArg('predict', 'input', input, net.inputSize, 'the network expects'))
  const activations: Matrix[] = [x]
  let a = x
  for (const layer of net.layers) {
    a = layerForward(layer, a).y // a_k = f(W_k·a_{k−1} + b_k)
    activations.push(a)
  }
  return { prediction: Array.from(a.data), activations }
}

/**
 * Runs one sample through the network (the tutorial's `predict`): returns the output values
 * and the activations of every layer, the input first. Data-last (`predict(input)(net)`) or
 * data-first (`predict(net, input)`). Refuses an input of the wrong length, naming both.
 *
 * @example
 * import { network, addLayer, randomize, predict, linear } from '@purenn/network'
 * import { rng, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // the tutorial's worked example: identity activation, every weight and bias 1
 * const [net] = pipe(network(2), addLayer({ nodes: 2, activation: linear }), addLayer({ nodes: 2, activation: linear }), randomize(1, 1))(rng(0))
 * predict(net, [1, 1]).prediction // => [7, 7]
 * predict([1, 1])(net).activations.map(toArray) // => [[1, 1], [3, 3], [7, 7]]
 *
 * @category forward
 * @since 0.1.0
 */
export const predict: {
  (input: ReadonlyArray<number>): (net: Network) => Prediction
  (net: Network, input: ReadonlyArray<number>): Prediction
} = dual(2, (net: Network, input: ReadonlyArray<number>) => predictWith(net, input))

const predictBatchWith = (net: Network, inputs: Matrix): Matrix => {
  networkArg('predictBatch', net)
  checkInputs('predictBatch', net, inputs)
  if (net.layers.length > 0 && isSmall(net, inputs.cols)) return smallPredict(net, inputs, undefined) // fused, same bits
  return densePredict(net, inputs)
}

/**
 * The general path of `predictBatch`: each layer's output (`layerOutput`, which is
 * `layerForward`'s `y` without keeping `Z`), layer after layer, by batched products.
 * Small networks take a fused path that agrees with this one bit for bit (`internal/small.ts`).
 *
 * @internal
 */
export const densePredict = (net: Network, inputs: Matrix): Matrix => {
  let a = inputs
  for (const layer of net.layers) a = layerOutput(layer, a) // A_k = f(W_k·A_{k−1} + b_k·1ᵀ), as layerForward's y
  return a
}

/**
 * Runs a batch of samples, one per column of `inputs` (`inputSize x B`), through batched
 * matrix products; returns the outputs, `outputs x B`. Data-last or data-first. Refuses
 * inputs with the wrong number of rows.
 *
 * @example
 * import { network, addLayer, randomize, predictBatch, linear } from '@purenn/network'
 * import { fromFunction, rng, toArray } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * const X = fromFunction(2, 4, (i, j) => (i === 0 ? j >> 1 : j & 1)) // the four XOR inputs as columns
 * toArray(predictBatch(X)(net)) // => [1, 2, 2, 3]
 *
 * @category forward
 * @since 0.1.0
 */
export const predictBatch: {
  (inputs: Matrix): (net: Network) => Matrix
  (net: Network, inputs: Matrix): Matrix
} = dual(2, (net: Network, inputs: Matrix) => predictBatchWith(net, inputs))
