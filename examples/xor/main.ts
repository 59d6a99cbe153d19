/**
 * XOR, the tutorial's walkthrough step by step: the four points of XOR, a 2-2-2-1 network of
 * sigmoids built with `addLayer`, weights drawn uniformly in [-1, 1], then per-sample SGD with
 * learning rate 0.1 for 100,000 epochs, reporting the error every 10,000. Then the four
 * predictions, printed as the tutorial prints them, and the model saved to a file, loaded
 * back, and shown to predict the same. Seeded: the output is the same on every run.
 *
 * Run it: `node examples/dist/xor/main.js` (after `pnpm build`).
 *
 * @since 0.1.0
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { loadNetwork, saveNetwork } from '@purenn/network/node'
import { train } from '@purenn/training'
import { isMain } from '../shared/isMain.js'
import { outPath } from '../shared/paths.js'
import type { TaskResult } from '../shared/resultsTable.js'

/**
 * The settings of the run; `main` takes any of them, the rest are the tutorial's.
 *
 * @category model
 * @since 0.1.0
 */
export interface XorOptions {
  /** Epochs of per-sample SGD (the tutorial's 100,000). */
  readonly numEpochs: number
  /** Print the error every this many epochs (the tutorial's verbose; false for none). */
  readonly verbose: number | false
  /** Seed of the initial weights and of the shuffling. */
  readonly seed: number
  /** Where to save the trained model (default `examples/out/xor.json`). */
  readonly modelPath: string
  /** Where the printed lines go. */
  readonly log: (line: string) => void
}

/**
 * The tutorial's settings, and the seed this example uses (it solves XOR).
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: XorOptions = {
  numEpochs: 100_000,
  verbose: 10_000,
  seed: 2,
  modelPath: outPath('xor.json'),
  log: (line) => console.log(line)
}

/**
 * What the run gives back: the result row for the demo's table, the four predictions, those
 * of the reloaded model, and whether XOR is solved (every prediction within 0.1 of its target,
 * the tutorial's reading).
 *
 * @category model
 * @since 0.1.0
 */
export interface XorResult extends TaskResult {
  readonly predictions: ReadonlyArray<number>
  readonly reloaded: ReadonlyArray<number>
  readonly solved: boolean
}

/**
 * Runs the walkthrough. Rejects with a readable message if training or saving fails.
 *
 * @example
 * import { main } from './main.js'
 * const result = await main({ numEpochs: 2000, verbose: false })
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (options: Partial<XorOptions> = {}): Promise<XorResult> => {
  const { numEpochs, verbose, seed, modelPath, log } = { ...defaults, ...options }

  // The data: every input of XOR with its target, one sample a row.
  const dataset = {
    inputs: [[0, 0], [0, 1], [1, 0], [1, 1]],
    targets: [[0], [1], [1], [0]]
  }

  // The network: 2 inputs, then layers of 2, 2 and 1 sigmoid nodes (the tutorial's addLayer).
  const mlp = pipe(
    N.network(2),
    N.addLayer({ nodes: 2, activation: N.sigmoid }),
    N.addLayer({ nodes: 2, activation: N.sigmoid }),
    N.addLayer({ nodes: 1, activation: N.sigmoid })
  )

  // randomizeWeights: every weight and bias uniform in [-1, 1], from a seeded generator.
  const [randomized] = N.randomize(-1, 1)(mlp)(M.rng(seed))

  // train: per-sample SGD (batch size 1), learning rate 0.1, reporting `Epoch n; Error e`.
  const started = performance.now()
  const trained = train({
    trainData: dataset.inputs,
    trainLabels: dataset.targets,
    validationData: dataset.inputs,
    validationLabels: dataset.targets,
    numEpochs,
    learningRate: 0.1,
    verbose,
    logger: log,
    seed
  })(randomized)
  const ms = performance.now() - started
  if (E.isLeft(trained)) throw new Error(`xor: ${trained.left.message}`)
  const net = trained.right.network

  // predict: the four predictions, as the tutorial prints them.
  const predictions = dataset.inputs.map((input) => N.predict(input)(net).prediction[0]!)
  dataset.inputs.forEach((input, i) => log(`predict([${input.join(', ')}]) = [${predictions[i]}]`))

  // saveWeights / loadWeights: save the model, load it back, predict again.
  await mkdir(dirname(modelPath), { recursive: true })
  const saved = await saveNetwork(modelPath, net)
  if (E.isLeft(saved)) throw new Error(`xor: ${saved.left.message}`)
  const loaded = await loadNetwork(modelPath)
  if (E.isLeft(loaded)) throw new Error(`xor: ${loaded.left.message}`)
  const reloaded = dataset.inputs.map((input) => N.predict(input)(loaded.right).prediction[0]!)
  const same = reloaded.every((p, i) => p === predictions[i])
  log(`saved to ${modelPath}; the reloaded network predicts ${same ? 'the same' : 'differently!'}: [${reloaded.join(', ')}]`)

  const correct = predictions.filter((p, i) => Math.round(p) === dataset.targets[i]![0]).length
  return {
    task: 'xor',
    epochs: numEpochs,
    accuracy: correct / predictions.length,
    ms,
    samplesPerSecond: (dataset.inputs.length * numEpochs) / (ms / 1000),
    predictions,
    reloaded,
    solved: predictions.every((p, i) => Math.abs(p - dataset.targets[i]![0]!) < 0.1)
  }
}

if (isMain(import.meta.url)) await main()
