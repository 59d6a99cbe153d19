/**
 * @purenn/network: a neural network is plain data, and everything done with it is a pure
 * function that returns a new value.
 *
 * ```ts
 * import { network, addLayer, randomize, predict, trainIteration, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const [net] = pipe(
 *   network(2),
 *   addLayer({ nodes: 2, activation: sigmoid }),
 *   addLayer({ nodes: 1, activation: sigmoid }),
 *   randomize(-1, 1)
 * )(rng(0))
 * const trained = trainIteration([0, 1], [1], 0.1)(net) // one step of gradient descent towards 1
 * predict([0, 1])(trained).prediction[0]! > predict([0, 1])(net).prediction[0]! // => true
 * ```
 *
 * File IO (`saveNetwork`, `loadNetwork`) lives in `@purenn/network/node`.
 *
 * @since 0.1.0
 * @module @purenn/network
 */
export type { Activation, ElementwiseActivation, ColumnActivation, Layer, Network, LayerGradients, Gradients, Scores } from './types.js'
export {
  type BuiltinActivationName,
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  elu,
  softplus,
  linear,
  softmax,
  builtinActivations,
  isBuiltinName,
  activation,
  activate,
  activationBackward
} from './Activation.js'
export { type LayerOutput, type LayerBackward, layerForward, layerBackward } from './Layer.js'
export {
  type LayerSpec,
  type InitScheme,
  type Prediction,
  network,
  outputSize,
  addLayer,
  randomize,
  initialize,
  predict,
  predictBatch
} from './Network.js'
export { type Loss, mse, meanAbsoluteError, binaryCrossEntropy, crossEntropy } from './Loss.js'
export { type GradientsResult, gradients, compileGradients } from './backprop.js'
export { type Workspace, workspace } from './Workspace.js'
export { trainIteration } from './sgd.js'
export { type Backprop, compileBackprop, parameterBlocks, networkOver } from './compiledBackprop.js'
export { type DataSet, type Metric, evaluate, accuracy, meanLoss, scores } from './metrics.js'
export { type NetworkProblem, networkProblem } from './networkProblem.js'
export {
  type NetworkJson,
  type NetworkError,
  type CustomActivations,
  type PositiveIntBrand,
  PositiveInt,
  LayerJson,
  NetworkJsonCodec,
  TutorialWeightsCodec,
  encodeNetwork,
  decodeNetwork,
  fromTutorialWeights
} from './codec.js'
