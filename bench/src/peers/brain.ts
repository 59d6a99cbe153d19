/**
 * brain.js 1.6.1 and 2.0.0-beta.24: per-sample networks with their own training loops. Both
 * train in place; version 2 refuses `errorThresh: 0`, so a tiny positive threshold forces the
 * full number of iterations. Momentum is set to 1e-9 (brain.js refuses 0), so that the step is plain SGD, as ours.
 */
import { requirePeer } from './load.js'
import { argmax, shuffler, xorInputs, xorTargets, type Digits } from '../data.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any

export type BrainVersion = 'brain1' | 'brain2'

const load = (version: BrainVersion): Any => requirePeer(version)

const trainOptions = (iterations: number): Record<string, unknown> => ({
  iterations,
  errorThresh: 1e-12,
  learningRate: 0.1,
  momentum: 1e-9, // brain.js refuses 0; this is plain SGD to 9 digits
  log: false,
  timeout: Infinity
})

const xorData = xorInputs.map((input, i) => ({ input: [...input], output: [...xorTargets[i]!] }))

/**
 * Workload 1: a 2-2-1 sigmoid net for `epochs` epochs. `oneCall`: brain's own loop over the
 * unshuffled data in one `train` call; otherwise one `train` call per epoch on data we shuffle.
 */
export const xorSteps = (version: BrainVersion, epochs: number, oneCall: boolean): { ms: number; steps: number } => {
  const brain = load(version)
  const net = new brain.NeuralNetwork({ hiddenLayers: [2], activation: 'sigmoid', learningRate: 0.1, momentum: 1e-9 })
  net.train(xorData, trainOptions(1)) // initialises the weights outside the timing
  const order = shuffler(1)
  const t0 = performance.now()
  if (oneCall) net.train(xorData, trainOptions(epochs))
  else for (let e = 0; e < epochs; e++) net.train(order(4).map((i) => xorData[i]!), trainOptions(1))
  return { ms: performance.now() - t0, steps: epochs * 4 }
}

/** Workload 2 for brain.js: 784-128-10 sigmoid, per-sample SGD (brain has no batches nor softmax). */
export const mnistTrain = (version: BrainVersion, data: Digits, epochs: number): { epochMs: number[]; accuracy: number } => {
  const brain = load(version)
  const net = new brain.NeuralNetwork({ hiddenLayers: [128], activation: 'sigmoid', learningRate: 0.1, momentum: 1e-9 })
  const train = data.trainImages.map((input, i) => ({
    input: input as number[],
    output: Array.from({ length: 10 }, (_, k) => (k === data.trainLabels[i] ? 1 : 0))
  }))
  const order = shuffler(2)
  const epochMs: number[] = []
  let accuracy = 0
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now()
    net.train(
      order(train.length).map((i) => train[i]!),
      trainOptions(1)
    )
    accuracy = testAccuracy(net, data)
    epochMs.push(performance.now() - t0)
  }
  return { epochMs, accuracy }
}

const testAccuracy = (net: Any, data: Digits): number => {
  let right = 0
  for (let i = 0; i < data.testImages.length; i++) if (argmax(net.run(data.testImages[i]) as number[]) === data.testLabels[i]) right++
  return right / data.testImages.length
}

/** Workload 3: milliseconds to predict every test digit (brain has no batch call: one `run` each). */
export const mnistInference = (version: BrainVersion, data: Digits, reps: number): number[] => {
  const brain = load(version)
  const net = new brain.NeuralNetwork({ hiddenLayers: [128], activation: 'sigmoid' })
  net.train([{ input: data.testImages[0] as number[], output: Array.from({ length: 10 }, () => 0) }], trainOptions(1))
  const times: number[] = []
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now()
    for (const x of data.testImages) net.run(x)
    if (r > 0) times.push(performance.now() - t0)
  }
  return times
}
