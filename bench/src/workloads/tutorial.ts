/**
 * The tutorial's algorithm on each workload (baselines/tutorial-mlp.ts): nested `number[][]`
 * rows, a new matrix per operation, one sample at a time, sigmoid output and squared error
 * (the tutorial has neither batches nor softmax).
 */
import { MultiLayerPerceptron, tutorialSigmoid } from '../baselines/tutorial-mlp.js'
import { argmax, oneHot, shuffler, xorInputs, xorTargets, type Digits } from '../data.js'

/** A seeded source of numbers in [0, 1) for `randomizeWeights`. */
const source = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

const mlp = (sizes: ReadonlyArray<number>, seed: number): MultiLayerPerceptron => {
  const net = new MultiLayerPerceptron({ inputDimension: sizes[0]! })
  for (const nodes of sizes.slice(1)) net.addLayer({ nodes, activation: tutorialSigmoid })
  return net.randomizeWeights(-1, 1, source(seed))
}

/** Workload 1: 2-2-1, per-sample SGD at 0.1, shuffled every epoch. */
export const xorSteps = (epochs: number): { ms: number; steps: number } => {
  const net = mlp([2, 2, 1], 1)
  const order = shuffler(1)
  const t0 = performance.now()
  for (let e = 0; e < epochs; e++) for (const i of order(4)) net.trainIteration(xorInputs[i]!, xorTargets[i]!, 0.1)
  return { ms: performance.now() - t0, steps: epochs * 4 }
}

const testAccuracy = (net: MultiLayerPerceptron, data: Digits): number => {
  let right = 0
  for (let i = 0; i < data.testImages.length; i++) if (argmax(net.predict(data.testImages[i]!).prediction) === data.testLabels[i]) right++
  return right / data.testImages.length
}

/** Workload 2: 784-128-10 sigmoid, per-sample SGD at 0.1, validating on the test digits after every epoch. */
export const mnistTrain = (data: Digits, epochs: number): { epochMs: number[]; accuracy: number } => {
  const net = mlp([784, 128, 10], 2)
  const order = shuffler(2)
  const targets = data.trainLabels.map((k) => oneHot(k, 10))
  const epochMs: number[] = []
  let accuracy = 0
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now()
    for (const i of order(data.trainImages.length)) net.trainIteration(data.trainImages[i]!, targets[i]!, 0.1)
    accuracy = testAccuracy(net, data)
    epochMs.push(performance.now() - t0)
  }
  return { epochMs, accuracy }
}

/** Workload 3: milliseconds to predict every test digit, one `predict` each. */
export const mnistInference = (data: Digits, reps: number): number[] => {
  const net = mlp([784, 128, 10], 3)
  const times: number[] = []
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now()
    for (const x of data.testImages) net.predict(x)
    if (r > 0) times.push(performance.now() - t0)
  }
  return times
}
