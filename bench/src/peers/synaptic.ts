/**
 * synaptic 1.1.4: an architecture-free library whose networks are graphs of neuron objects.
 * Training is `activate` then `propagate(rate, target)` per sample.
 */
import { requirePeer } from './load.js'
import { argmax, shuffler, xorInputs, xorTargets, type Digits } from '../data.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any

const synaptic: Any = requirePeer('synaptic')

/** Workload 1: a 2-2-1 perceptron, per-sample SGD at rate 0.1, shuffled every epoch. */
export const xorSteps = (epochs: number): { ms: number; steps: number } => {
  const net = new synaptic.Architect.Perceptron(2, 2, 1)
  const order = shuffler(1)
  const t0 = performance.now()
  for (let e = 0; e < epochs; e++) {
    for (const i of order(4)) {
      net.activate(xorInputs[i])
      net.propagate(0.1, xorTargets[i])
    }
  }
  return { ms: performance.now() - t0, steps: epochs * 4 }
}

/**
 * Workload 2 for synaptic: 784-128-10, per-sample SGD. It takes minutes an epoch, so the
 * suite trains on the first `limit` shuffled samples of each epoch and scales the time to the
 * whole epoch (said in the report).
 */
export const mnistTrain = (data: Digits, epochs: number, limit: number): { epochMs: number[]; accuracy: number; fraction: number } => {
  const net = new synaptic.Architect.Perceptron(784, 128, 10)
  const order = shuffler(2)
  const n = data.trainImages.length
  const used = Math.min(limit, n)
  const epochMs: number[] = []
  let accuracy = 0
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now()
    for (const i of order(n).slice(0, used)) {
      net.activate(data.trainImages[i])
      net.propagate(0.1, Array.from({ length: 10 }, (_, k) => (k === data.trainLabels[i] ? 1 : 0)))
    }
    const trainMs = performance.now() - t0
    const t1 = performance.now()
    let right = 0
    for (let i = 0; i < data.testImages.length; i++) if (argmax(net.activate(data.testImages[i]) as number[]) === data.testLabels[i]) right++
    accuracy = right / data.testImages.length
    epochMs.push((trainMs * n) / used + (performance.now() - t1))
  }
  return { epochMs, accuracy, fraction: used / n }
}

/** Workload 3: milliseconds to predict every test digit, one `activate` each. */
export const mnistInference = (data: Digits, reps: number): number[] => {
  const net = new synaptic.Architect.Perceptron(784, 128, 10)
  const times: number[] = []
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now()
    for (const x of data.testImages) net.activate(x)
    if (r > 0) times.push(performance.now() - t0)
  }
  return times
}
