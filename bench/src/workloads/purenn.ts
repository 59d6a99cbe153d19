/**
 * purenn's side of every workload, through the public API only, as a user would write it.
 */
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import * as T from '@purenn/training'
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'
import { xorInputs, xorTargets, oneHot, type Digits } from '../data.js'

/** A 2-2-1 sigmoid network, weights uniform in [-1, 1], seeded. */
export const xorNetwork = (seed: number): N.Network =>
  pipe(
    N.network(2),
    N.addLayer({ nodes: 2, activation: N.sigmoid }),
    N.addLayer({ nodes: 1, activation: N.sigmoid }),
    N.randomize(-1, 1)
  )(M.rng(seed))[0]

/** Workload 1 through `train`: batchSize 1 (per-sample SGD), learning rate 0.1, shuffled every epoch. */
export const xorTrain = (epochs: number): { ms: number; steps: number } => {
  const net = xorNetwork(1)
  const t0 = performance.now()
  const result = T.train({ trainData: xorInputs, trainLabels: xorTargets, numEpochs: epochs, learningRate: 0.1, batchSize: 1, seed: 1 })(net)
  const ms = performance.now() - t0
  if (E.isLeft(result)) throw new Error(result.left.message)
  return { ms, steps: epochs * 4 }
}

/** Workload 1 through a loop of `trainIteration`, shuffled every epoch with our permutation. */
export const xorTrainIteration = (epochs: number): { ms: number; steps: number } => {
  let net = xorNetwork(1)
  let rng = M.rng(1)
  const t0 = performance.now()
  for (let e = 0; e < epochs; e++) {
    const [order, next] = M.permutation(4)(rng)
    rng = next
    for (const i of order) net = N.trainIteration(xorInputs[i]!, xorTargets[i]!, 0.1)(net)
  }
  return { ms: performance.now() - t0, steps: epochs * 4 }
}

/** 784-128-10: sigmoid hidden layer, softmax output (trained with cross-entropy). */
export const mnistNetwork = (seed: number): N.Network =>
  pipe(
    N.network(784),
    N.addLayer({ nodes: 128, activation: N.sigmoid }),
    N.addLayer({ nodes: 10, activation: N.softmax }),
    N.initialize('xavier')
  )(M.rng(seed))[0]

/**
 * Workload 2: SGD at learning rate 0.1, batch 32, softmax + cross-entropy, validating on the
 * test digits after every epoch (the epoch's time includes it, as for every library). `seed`
 * draws the initial weights and the shuffles.
 */
export const mnistTrain = (data: Digits, epochs: number, seed: number): { epochMs: number[]; accuracy: number } => {
  const epochMs: number[] = []
  let accuracy = 0
  let last = performance.now()
  const result = T.train({
    trainData: data.trainImages,
    trainLabels: data.trainLabels.map((k) => oneHot(k, 10)),
    validationData: data.testImages,
    validationLabels: data.testLabels.map((k) => oneHot(k, 10)),
    numEpochs: epochs,
    learningRate: 0.1,
    batchSize: 32,
    loss: N.crossEntropy,
    seed,
    onEpoch: (report) => {
      const now = performance.now()
      epochMs.push(now - last)
      last = now
      accuracy = report.accuracy ?? Number.NaN
    }
  })(mnistNetwork(seed))
  if (E.isLeft(result)) throw new Error(result.left.message)
  return { epochMs, accuracy }
}

/** Workload 3: milliseconds to predict all test digits in one `predictBatch` call. */
export const mnistInference = (data: Digits, reps: number): number[] => {
  const net = mnistNetwork(3)
  const inputs = M.transpose(E.getOrElseW((e: M.MatrixError) => { throw new Error(e.message) })(M.fromArrays(data.testImages)))
  N.predictBatch(inputs)(net)
  const times: number[] = []
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    N.predictBatch(inputs)(net)
    times.push(performance.now() - t0)
  }
  return times
}
