/**
 * TensorFlow.js 4.22 (tfjs-core + tfjs-layers) on its cpu and wasm backends: the library most
 * users pick. The wasm backend runs with SIMD on one thread in Node.
 */
import { requirePeer } from './load.js'
import { argmax, oneHot, shuffler, xorInputs, xorTargets, type Digits } from '../data.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any

const tf: Any = requirePeer('@tensorflow/tfjs-core')
requirePeer('@tensorflow/tfjs-backend-cpu')
const wasm: Any = requirePeer('@tensorflow/tfjs-backend-wasm')
const tfl: Any = requirePeer('@tensorflow/tfjs-layers')

export type TfBackend = 'cpu' | 'wasm'

/** Switches tfjs to a backend (one thread for wasm) and waits until it is ready. */
export const useBackend = async (backend: TfBackend): Promise<void> => {
  if (backend === 'wasm') wasm.setThreadsCount?.(1)
  await tf.setBackend(backend)
  await tf.ready()
  if (tf.getBackend() !== backend) throw new Error(`tfjs: could not switch to the ${backend} backend`)
}

/** 784-128-10: sigmoid hidden layer, softmax output, categorical cross-entropy, SGD. */
const mnistModel = (learningRate: number): Any => {
  const model = tfl.sequential()
  model.add(tfl.layers.dense({ inputShape: [784], units: 128, activation: 'sigmoid' }))
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }))
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

export interface EpochFigures {
  /** Milliseconds of each training epoch. */
  readonly epochMs: number[]
  /** Test accuracy after the last epoch, in [0, 1]. */
  readonly accuracy: number
}

/** Test accuracy of a tfjs model on the test digits. */
const testAccuracy = (model: Any, xs: Any, labels: ReadonlyArray<number>): number => {
  const out = model.predict(xs, { batchSize: labels.length })
  const predicted: number[] = Array.from(tf.argMax(out, 1).dataSync() as Int32Array)
  out.dispose()
  let right = 0
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++
  return right / labels.length
}

/**
 * Workload 2: `epochs` epochs of SGD (learning rate 0.1, batch 32, shuffled), validating on
 * the test digits after every epoch as the other libraries do; the time of each epoch
 * includes its validation.
 */
export const mnistTrain = async (backend: TfBackend, data: Digits, epochs: number): Promise<EpochFigures> => {
  await useBackend(backend)
  const model = mnistModel(0.1)
  const x = tf.tensor2d(data.trainImages as number[][])
  const y = tf.tensor2d(data.trainLabels.map((k) => oneHot(k, 10)))
  const tx = tf.tensor2d(data.testImages as number[][])
  const ty = tf.tensor2d(data.testLabels.map((k) => oneHot(k, 10)))
  const epochMs: number[] = []
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now()
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: true, validationData: [tx, ty], verbose: 0 })
    epochMs.push(performance.now() - t0)
  }
  const accuracy = testAccuracy(model, tx, data.testLabels)
  tf.dispose([x, y, tx, ty])
  model.dispose()
  return { epochMs, accuracy }
}

/** Workload 3: milliseconds to predict all test digits in one call, one batch; median of `reps`. */
export const mnistInference = async (backend: TfBackend, data: Digits, reps: number): Promise<number[]> => {
  await useBackend(backend)
  const model = mnistModel(0.1)
  const xs = tf.tensor2d(data.testImages as number[][])
  const once = (): void => {
    const out = model.predict(xs, { batchSize: data.testImages.length })
    out.dataSync()
    out.dispose()
  }
  once()
  const times: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    once()
    times.push(performance.now() - t0)
  }
  xs.dispose()
  model.dispose()
  return times
}

/** Workload 1 for tfjs: a 2-2-1 sigmoid net, one `fit` call per sample (batch of one), shuffled. */
export const xorSteps = async (backend: TfBackend, epochs: number): Promise<{ ms: number; steps: number }> => {
  await useBackend(backend)
  const model = tfl.sequential()
  model.add(tfl.layers.dense({ inputShape: [2], units: 2, activation: 'sigmoid' }))
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }))
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' })
  const x = tf.tensor2d(xorInputs as number[][])
  const y = tf.tensor2d(xorTargets as number[][])
  const order = shuffler(1)
  const t0 = performance.now()
  for (let e = 0; e < epochs; e++) {
    for (const i of order(4)) {
      const xi = tf.slice(x, [i, 0], [1, 2])
      const yi = tf.slice(y, [i, 0], [1, 1])
      await model.fit(xi, yi, { epochs: 1, batchSize: 1, verbose: 0 })
      tf.dispose([xi, yi])
    }
  }
  const ms = performance.now() - t0
  tf.dispose([x, y])
  model.dispose()
  return { ms, steps: epochs * 4 }
}

export { argmax }
