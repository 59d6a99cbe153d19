/**
 * MNIST digits: the 10,000 that the `mnist` package ships, split with the fixed rule (within
 * each digit, the samples whose index is 4 modulo 5 are test: 8,004 to train, 1,996 to test),
 * so results compare across libraries. A 784-256-10 network (relu, then softmax) trained with
 * cross-entropy and Adam under a cosine learning-rate schedule, in batches of 64. A progress
 * bar shows epoch, batch, loss, accuracy and samples per second while it trains (on a terminal
 * only); at the end, a confusion matrix, and the model saved. Target: at least 96% of the test
 * digits right with this seed.
 *
 * Run it: `node examples/dist/mnist/main.js` (after `pnpm build`); `--seed 2` or `--epochs 5`
 * change the seed or the number of epochs.
 *
 * @since 0.1.0
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { saveNetwork } from '@purenn/network/node'
import { adam, classAccuracy, classes, confusionMatrix, cosineDecay, oneHot, toColumns, train, type EpochReport } from '@purenn/training'
import { loadMnist } from '../shared/mnist.js'
import { formatConfusion } from '../shared/confusion.js'
import { progressBar, progressCallbacks } from '../shared/progress.js'
import { isMain } from '../shared/isMain.js'
import { numberArg } from '../shared/args.js'
import { outPath } from '../shared/paths.js'
import type { TaskResult } from '../shared/resultsTable.js'

/**
 * The settings of the run; `main` takes any of them.
 *
 * @category model
 * @since 0.1.0
 */
export interface MnistOptions {
  readonly numEpochs: number
  readonly hidden: number
  readonly batchSize: number
  /** The learning rate at the first step; it decays to 0 along a cosine over the run. */
  readonly learningRate: number
  readonly seed: number
  /** Train on this many training samples only (all 8,004 by default), for quick runs. */
  readonly trainSamples?: number
  /** Where to save the trained model (default `examples/out/mnist.json`). */
  readonly modelPath: string
  /** Show a progress bar (on a terminal only). */
  readonly progress: boolean
  readonly log: (line: string) => void
}

/**
 * The settings this example uses, and its seed.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: MnistOptions = {
  numEpochs: 20,
  hidden: 256,
  batchSize: 64,
  learningRate: 2e-3,
  seed: 1,
  modelPath: outPath('mnist.json'),
  progress: true,
  log: (line) => console.log(line)
}

/**
 * What the run gives back: the result row, the history of the run (one report per epoch) and
 * the confusion matrix on the test digits (rows: true digit, columns: predicted).
 *
 * @category model
 * @since 0.1.0
 */
export interface MnistResult extends TaskResult {
  /** The width of each layer, input first: `[784, 256, 10]`. */
  readonly sizes: ReadonlyArray<number>
  readonly history: ReadonlyArray<EpochReport>
  readonly confusion: ReadonlyArray<ReadonlyArray<number>>
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']

/**
 * Trains and evaluates the digit classifier, and saves it.
 *
 * @example
 * import { main } from './main.js'
 * const { accuracy } = await main({ numEpochs: 1, trainSamples: 1000 })
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (options: Partial<MnistOptions> = {}): Promise<MnistResult> => {
  const o = { ...defaults, ...options }

  // The digits, split 8,004 / 1,996 by index, as matrices with one digit a column; the
  // targets one-hot over the ten digits.
  const { train: all, test } = loadMnist()
  // A quick run keeps evenly spaced samples, so that every digit is in (they come digit by digit).
  const kept = Math.min(o.trainSamples ?? all.inputs.length, all.inputs.length)
  const picked = Array.from({ length: kept }, (_, k) => Math.floor((k * all.inputs.length) / kept))
  const trainLabels = picked.map((i) => all.labels[i]!)
  const decoded = pipe(
    E.Do,
    E.bind('trainX', () => toColumns(picked.map((i) => all.inputs[i]!), 'train')),
    E.bind('testX', () => toColumns(test.inputs, 'test'))
  )
  if (E.isLeft(decoded)) throw new Error(`mnist: ${decoded.left.message}`)
  const { trainX, testX } = decoded.right

  // 784 pixels -> hidden relu nodes -> 10 softmax outputs, He-initialised for the relus.
  const [net0] = pipe(
    N.network(784),
    N.addLayer({ nodes: o.hidden, activation: N.relu }),
    N.addLayer({ nodes: 10, activation: N.softmax }),
    N.initialize('he')
  )(M.rng(o.seed))

  // Adam, with a learning rate that follows a cosine from its start down to 0 over the run.
  const steps = o.numEpochs * Math.ceil(trainX.cols / o.batchSize)
  const optimizer = adam({ learningRate: cosineDecay({ init: o.learningRate, steps }) })

  // A progress bar on a terminal; elsewhere (or without progress), one line per epoch.
  const bar = progressBar({ task: 'mnist', epochs: o.numEpochs, enabled: o.progress })
  const andThen = (r: EpochReport): void => {
    if (!bar.active) o.log(epochLine(o.numEpochs, r))
  }
  const started = performance.now()
  const trained = train({
    trainData: trainX,
    trainLabels: oneHot(10)(trainLabels),
    validationData: testX,
    validationLabels: oneHot(10)(test.labels),
    numEpochs: o.numEpochs,
    loss: N.crossEntropy,
    optimizer,
    batchSize: o.batchSize,
    seed: o.seed,
    metrics: ['accuracy'],
    ...progressCallbacks(bar, { batchSize: o.batchSize, samples: trainX.cols, andThen })
  })(net0)
  const ms = performance.now() - started
  bar.stop()
  if (E.isLeft(trained)) throw new Error(`mnist: ${trained.left.message}`)
  const { network: net, history } = trained.right

  // The test digits: the prediction is the largest of the ten outputs.
  const predicted = classes(N.predictBatch(testX)(net))
  const confusion = confusionMatrix(10)(predicted, test.labels)
  const accuracy = classAccuracy(predicted, test.labels)
  o.log(`mnist: ${(100 * accuracy).toFixed(2)}% of ${test.labels.length} test digits right (seed ${o.seed})`)
  o.log(formatConfusion(confusion, DIGITS))

  await mkdir(dirname(o.modelPath), { recursive: true })
  const saved = await saveNetwork(o.modelPath, net)
  if (E.isLeft(saved)) throw new Error(`mnist: ${saved.left.message}`)
  o.log(`mnist: model saved to ${o.modelPath}`)

  return {
    task: 'mnist',
    epochs: o.numEpochs,
    accuracy,
    ms,
    samplesPerSecond: (trainX.cols * o.numEpochs) / (ms / 1000),
    sizes: [net.inputSize, ...net.layers.map((l) => l.weights.rows)],
    history,
    confusion
  }
}

/** One line per epoch, for logs that are not a terminal. */
const epochLine = (epochs: number, r: EpochReport): string =>
  `epoch ${r.epoch}/${epochs}: loss ${r.loss.toFixed(4)}` +
  (r.validationLoss === undefined ? '' : `, test loss ${r.validationLoss.toFixed(4)}`) +
  (r.accuracy === undefined ? '' : `, test accuracy ${(100 * r.accuracy).toFixed(2)}%`) +
  ` (${(r.ms / 1000).toFixed(1)} s)`

if (isMain(import.meta.url)) {
  const seed = numberArg(process.argv, 'seed')
  const numEpochs = numberArg(process.argv, 'epochs')
  await main({ ...(seed === undefined ? {} : { seed }), ...(numEpochs === undefined ? {} : { numEpochs }) })
}
