/**
 * The settings of a run, as plain data (they travel to the worker and back), with the parser
 * of the layers field: hidden layers written as `nodes activation`, separated by commas, e.g.
 * `8 tanh, 8 tanh`. The output layer follows from the task and the loss (see `model.ts`).
 */
import type { Dataset2D } from './datasets.js'

export type Task = Dataset2D | 'mnist'
export type LossName = 'binaryCrossEntropy' | 'crossEntropy' | 'mse'
export type OptimizerName = 'sgd' | 'momentum' | 'adam'
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'leakyRelu', 'elu', 'softplus', 'linear'] as const
export type ActivationName = (typeof ACTIVATIONS)[number]

export interface LayerSpec {
  readonly nodes: number
  readonly activation: ActivationName
}

export interface Settings {
  readonly task: Task
  readonly layers: ReadonlyArray<LayerSpec>
  readonly loss: LossName
  readonly optimizer: OptimizerName
  readonly learningRate: number
  readonly batchSize: number
  readonly seed: number
  readonly epochs: number
  readonly workers: number
  /** 2-D tasks: how many points, their noise (0..1) and the fraction held out for testing. */
  readonly points: number
  readonly noise: number
  readonly testFraction: number
}

export const defaults: Settings = {
  task: 'xor',
  layers: [
    { nodes: 8, activation: 'tanh' },
    { nodes: 8, activation: 'tanh' }
  ],
  loss: 'binaryCrossEntropy',
  optimizer: 'adam',
  learningRate: 0.03,
  batchSize: 10,
  seed: 1,
  epochs: 1000,
  workers: 1,
  points: 300,
  noise: 0,
  testFraction: 0.3
}

/** The layers written as text, as the field shows them. */
export const formatLayers = (layers: ReadonlyArray<LayerSpec>): string => layers.map((l) => `${l.nodes} ${l.activation}`).join(', ')

/** The layers a text gives, or a message saying what is wrong with it. An empty text is no hidden layer. */
export const parseLayers = (text: string): { readonly layers: LayerSpec[] } | { readonly error: string } => {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '')
  const layers: LayerSpec[] = []
  for (const [i, part] of parts.entries()) {
    const match = /^(\d+)(?:\s+(\w+))?$/.exec(part)
    const nodes = match === null ? NaN : Number(match[1])
    const activation = (match?.[2] ?? 'tanh') as ActivationName
    if (!(nodes >= 1 && nodes <= 512)) return { error: `layer ${i + 1}: expected a node count from 1 to 512, got "${part}"` }
    if (!ACTIVATIONS.includes(activation)) return { error: `layer ${i + 1}: unknown activation "${activation}" (one of ${ACTIVATIONS.join(', ')})` }
    layers.push({ nodes, activation })
  }
  return { layers }
}
