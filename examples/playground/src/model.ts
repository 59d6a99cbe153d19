/**
 * From settings to purenn values: the network a run starts from (seeded), its loss and its
 * optimizer, and the targets of a class label. Used by the page (to show the starting network)
 * and by the worker (to train it), so both agree.
 */
import { rng } from '@purenn/matrix'
import * as N from '@purenn/network'
import { adam, momentum, sgd, type GradientTransformation } from '@purenn/training'
import type { ActivationName, LossName, OptimizerName, Settings } from './settings.js'

const activations: Readonly<Record<ActivationName, N.Activation>> = {
  tanh: N.tanh,
  relu: N.relu,
  sigmoid: N.sigmoid,
  leakyRelu: N.leakyRelu,
  elu: N.elu,
  softplus: N.softplus,
  linear: N.linear
}

/** The loss a name stands for. */
export const lossOf = (name: LossName): N.Loss =>
  name === 'crossEntropy' ? N.crossEntropy : name === 'mse' ? N.mse : N.binaryCrossEntropy

/** The optimizer a name stands for, at a learning rate. */
export const optimizerOf = (name: OptimizerName, learningRate: number): GradientTransformation<unknown> =>
  (name === 'sgd' ? sgd({ learningRate }) : name === 'momentum' ? momentum({ learningRate, beta: 0.9 }) : adam({ learningRate })) as GradientTransformation<unknown>

/** How many outputs a network has for `classes` classes and a loss: softmax over all of them for cross-entropy, else one sigmoid for two classes. */
export const outputsFor = (classes: number, loss: LossName): number => (loss === 'crossEntropy' || classes > 2 ? classes : 1)

/** The targets of a label for a network with `outputs` outputs: the label itself for one, else one-hot. */
export const targetOf = (label: number, outputs: number): number[] =>
  outputs === 1 ? [label] : Array.from({ length: outputs }, (_, k) => (k === label ? 1 : 0))

/** The seed of the starting weights, apart from the data's. */
const initSeed = (seed: number): number => seed + 1_000_003

/** The network a run starts from: the hidden layers of the settings, then the output layer; seeded Xavier weights. */
export const initialNetwork = (settings: Settings, inputSize: number, classes: number): N.Network => {
  const outputs = outputsFor(classes, settings.loss)
  const hidden = settings.layers.reduce((net, l) => N.addLayer({ nodes: l.nodes, activation: activations[l.activation] })(net), N.network(inputSize))
  const out = N.addLayer({ nodes: outputs, activation: outputs > 1 && settings.loss === 'crossEntropy' ? N.softmax : N.sigmoid })(hidden)
  return N.initialize('xavier')(out)(rng(initSeed(settings.seed)))[0]
}

/** The probability of each class in a network's output (one output: [1 − y, y]). */
export const classProbabilities = (output: ReadonlyArray<number>): number[] => (output.length === 1 ? [1 - output[0]!, output[0]!] : [...output])
