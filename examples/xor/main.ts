/**
 * XOR, the tutorial's walkthrough step by step: the four points of XOR, a 2-2-2-1 network of
 * sigmoids built with `addLayer`, weights drawn uniformly in [-1, 1], then per-sample SGD with
 * learning rate 0.1 for 100,000 epochs, reporting the error every 10,000. The error sits near 2
 * (every prediction near 0.5) until about epoch 40,000: the output says what that plateau is
 * when it shows it, and when the error leaves it. Then the four predictions, rounded to 3
 * decimals, and the model saved to a file, loaded back, and shown to predict the same. Seeded:
 * the output is the same on every run.
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
import { train, type EpochReport } from '@purenn/training'
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
 * Where the tutorial's Error (Σ |prediction − target| over the four points) counts as still on
 * the plateau: 2 is every prediction at 0.5; below 1.9 the predictions have begun to move apart.
 *
 * @category constants
 * @since 0.1.0
 */
export const PLATEAU = 1.9

/**
 * The four points of XOR, one sample a row, and their targets.
 *
 * @category constants
 * @since 0.1.0
 */
export const dataset = {
  inputs: [[0, 0], [0, 1], [1, 0], [1, 1]],
  targets: [[0], [1], [1], [0]]
} as const

/**
 * The tutorial's network before training: 2 inputs, then layers of 2, 2 and 1 sigmoid nodes
 * (the tutorial's addLayer), every weight and bias uniform in [-1, 1] from a generator seeded
 * with `seed` (the tutorial's randomizeWeights).
 *
 * @example
 * import { initialNetwork } from './main.js'
 * const net = initialNetwork(2)
 *
 * @category model
 * @since 0.1.0
 */
export const initialNetwork = (seed: number): N.Network => {
  const mlp = pipe(
    N.network(2),
    N.addLayer({ nodes: 2, activation: N.sigmoid }),
    N.addLayer({ nodes: 2, activation: N.sigmoid }),
    N.addLayer({ nodes: 1, activation: N.sigmoid })
  )
  return N.randomize(-1, 1)(mlp)(M.rng(seed))[0]
}

/** A prediction as shown: 3 decimals are enough to read 0.009 as "0" and 0.992 as "1". */
const shown = (p: number): string => p.toFixed(3)

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

  // The network: 2-2-2-1 sigmoids, weights and biases uniform in [-1, 1] (see initialNetwork).
  const randomized = initialNetwork(seed)

  // What the Error lines mean, and, after the line that shows them, the plateau and its end.
  // onEpoch runs after each epoch's verbose line, so a note follows the line it explains.
  if (verbose !== false) log(`Error is the tutorial's Σ |prediction − target| over the four points: 2 when every prediction is 0.5, 0 when all four are right.`)
  let onPlateau = false // a plateau note was printed and its end not yet
  let leftAt: number | undefined // the first epoch whose Error fell below PLATEAU
  const onEpoch = (report: EpochReport): void => {
    if (leftAt === undefined && report.error < PLATEAU) leftAt = report.epoch
    if (verbose === false || report.epoch % verbose !== 0) return
    if (report.error >= PLATEAU && !onPlateau && leftAt === undefined) {
      onPlateau = true
      log('  A plateau, not a failure: the network has learnt XOR\'s average, 0.5 for every input. Its last')
      log('  hidden layer still gives nearly the same values for all four inputs, so the output cannot tell')
      log('  them apart, and the four samples\' gradients nearly cancel: the weights move slowly. Once the')
      log('  hidden units separate the inputs, the Error falls within a few thousand epochs.')
    } else if (onPlateau && leftAt !== undefined) {
      onPlateau = false
      log(`  The hidden units have separated the inputs: the Error left the plateau (fell below ${PLATEAU}) at epoch ${leftAt.toLocaleString('en-US')}.`)
    }
  }

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
    onEpoch,
    seed
  })(randomized)
  const ms = performance.now() - started
  if (E.isLeft(trained)) throw new Error(`xor: ${trained.left.message}`)
  const net = trained.right.network

  // predict: the four predictions, as the tutorial prints them, rounded, beside their targets.
  const predictions = dataset.inputs.map((input) => N.predict(input)(net).prediction[0]!)
  dataset.inputs.forEach((input, i) => log(`predict([${input.join(', ')}]) = [${shown(predictions[i]!)}]   target ${dataset.targets[i]![0]}`))

  // saveWeights / loadWeights: save the model, load it back, predict again.
  await mkdir(dirname(modelPath), { recursive: true })
  const saved = await saveNetwork(modelPath, net)
  if (E.isLeft(saved)) throw new Error(`xor: ${saved.left.message}`)
  const loaded = await loadNetwork(modelPath)
  if (E.isLeft(loaded)) throw new Error(`xor: ${loaded.left.message}`)
  const reloaded = dataset.inputs.map((input) => N.predict(input)(loaded.right).prediction[0]!)
  const same = reloaded.every((p, i) => p === predictions[i])
  log(`model saved to ${modelPath} (the trained network as JSON; loadNetwork reads it back)`)
  log(`the reloaded network predicts ${same ? 'exactly the same' : 'differently!'}: [${reloaded.map(shown).join(', ')}]`)

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
