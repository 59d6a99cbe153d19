/**
 * A training loop written by hand, without `train`: proof that the pieces compose. The task is
 * a small regression, y = sin x on [−π, π], with a 1-16-16-1 network (tanh, tanh, linear) and
 * mean squared error. The optimizer is a chain, clipping by global norm then Adam, and Adam's
 * learning rate is a schedule: a linear warm-up joined to a cosine decay. Each epoch shuffles
 * the samples with the seeded generator, cuts them into batches and folds `trainStep` over
 * them; the loop logs what it likes (here: the loss and the learning rate every few epochs).
 *
 * Run it: `node examples/dist/custom-loop/main.js` (after `pnpm build`).
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import {
  adam,
  chain,
  clipByGlobalNorm,
  cosineDecay,
  initTrainState,
  join,
  linearWarmup,
  sampleSet,
  shuffledBatches,
  trainStep,
  type StateOf,
  type TrainState
} from '@purenn/training'
import { isMain } from '../shared/isMain.js'

/**
 * The settings of the run; `main` takes any of them.
 *
 * @category model
 * @since 0.1.0
 */
export interface CustomLoopOptions {
  readonly numEpochs: number
  readonly batchSize: number
  /** The peak learning rate, reached at the end of the warm-up. */
  readonly learningRate: number
  readonly warmupSteps: number
  readonly seed: number
  /** Log every this many epochs. */
  readonly logEvery: number
  readonly log: (line: string) => void
}

/**
 * The settings this example uses.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: CustomLoopOptions = {
  numEpochs: 400,
  batchSize: 16,
  learningRate: 0.01,
  warmupSteps: 100,
  seed: 3,
  logEvery: 50,
  log: (line) => console.log(line)
}

/**
 * What the loop gives back: the loss before and after, the largest error of the trained
 * network on a fine grid of [−π, π], and the steps taken.
 *
 * @category model
 * @since 0.1.0
 */
export interface CustomLoopResult {
  readonly initialLoss: number
  readonly finalLoss: number
  readonly maxError: number
  readonly steps: number
  readonly ms: number
}

/** `count` evenly spaced points of [−π, π], as a `1 x count` row (one sample a column). */
const grid = (count: number): M.Matrix => M.fromFunction(1, count, (_, j) => -Math.PI + (2 * Math.PI * j) / (count - 1))

/**
 * Runs the hand-written loop.
 *
 * @example
 * import { main } from './main.js'
 * const { finalLoss } = await main({ numEpochs: 20 })
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (options: Partial<CustomLoopOptions> = {}): Promise<CustomLoopResult> => {
  const { numEpochs, batchSize, learningRate, warmupSteps, seed, logEvery, log } = { ...defaults, ...options }

  // The data: 200 points of the sine, one sample a column.
  const inputs = grid(200)
  const targets = pipe(inputs, M.map(Math.sin))
  const loss = (net: N.Network): number => N.mse.value(N.predictBatch(inputs)(net), targets)

  // The network, initialised from the generator; the generator handed back shuffles the batches.
  const [net0, rng0] = pipe(
    N.network(1),
    N.addLayer({ nodes: 16, activation: N.tanh }),
    N.addLayer({ nodes: 16, activation: N.tanh }),
    N.addLayer({ nodes: 1, activation: N.linear }),
    N.initialize('xavier')
  )(M.rng(seed))

  // The optimizer: clip the gradient's global norm to 1, then Adam with a warm-up and a cosine decay.
  const batchesPerEpoch = Math.ceil(inputs.cols / batchSize)
  const totalSteps = numEpochs * batchesPerEpoch
  const warmup = Math.min(warmupSteps, Math.max(1, totalSteps - 1))
  const schedule = join(
    [linearWarmup({ to: learningRate, steps: warmup }), cosineDecay({ init: learningRate, steps: Math.max(1, totalSteps - warmup) })],
    [warmup]
  )
  const optimizer = chain(clipByGlobalNorm(1), adam({ learningRate: schedule }))
  const step = trainStep(N.mse, optimizer)

  // One epoch: the samples shuffled with the generator in the state, cut into batches, folded
  // with trainStep. The state carries the generator on to the next epoch.
  type State = TrainState<StateOf<typeof optimizer>>
  const data = sampleSet(inputs, targets)
  const epoch = (state: State): State => {
    const [batches, rng] = shuffledBatches(data, batchSize)(state.rng)
    return pipe(batches, RA.reduce({ ...state, rng }, step))
  }

  const initialLoss = loss(net0)
  log(`custom loop: ${numEpochs} epochs of ${batchesPerEpoch} batches; initial mse ${initialLoss.toExponential(2)}`)
  const started = performance.now()
  let state = initTrainState(optimizer, net0, rng0)
  for (let e = 1; e <= numEpochs; e++) {
    state = epoch(state)
    if (e % logEvery === 0 || e === numEpochs) {
      log(`epoch ${e}: mse ${loss(state.network).toExponential(2)}, learning rate ${schedule(state.step).toExponential(2)}`)
    }
  }
  const ms = performance.now() - started

  // How close the trained network is to the sine, between and beyond the training points.
  const fine = grid(1001)
  const predictions = N.predictBatch(fine)(state.network)
  const maxError = M.maxAbs(pipe(predictions, M.subtract(pipe(fine, M.map(Math.sin)))))
  const finalLoss = loss(state.network)
  log(`custom loop: final mse ${finalLoss.toExponential(2)}, largest error on [−π, π] ${maxError.toFixed(4)}`)
  return { initialLoss, finalLoss, maxError, steps: state.step, ms }
}

if (isMain(import.meta.url)) await main()
