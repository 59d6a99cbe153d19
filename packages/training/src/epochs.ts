/**
 * A training run as a lazy sequence of epochs: an unfold. From where the run stands (the
 * network, the optimizer's state, the generator, the step count), one epoch shuffles the
 * training set with the generator, reduces `trainStep` over its batches, measures the
 * result, and gives the next state. The sequence ends after `numEpochs`, when early stopping
 * runs out of patience, when `onEpoch` returns `'stop'`, or with a `Left` when the run diverges.
 *
 * Nothing happens until the sequence is iterated, and iterating it again replays the same
 * run, bit for bit (callbacks and verbose lines included).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import type { Rng } from '@purenn/matrix'
import type { Network } from '@purenn/network'
import { cut, type Batch } from './batches.js'
import { improve, patienceRunOut } from './earlyStopping.js'
import { chunksOf, measure } from './measure.js'
import { decodeOptions, type Config, type TrainOptions } from './options.js'
import { trainStep, type TrainState } from './trainStep.js'
import { diverged, type Best, type Diverged, type EpochReport, type EpochState, type TrainError } from './types.js'
import { printsAt, verboseLine } from './verbose.js'
import { isFiniteNetwork } from './internal/gradients.js'

/** Where a run stands between epochs (an epoch state without its report; epoch 0 at the start). */
interface Position<S> {
  readonly epoch: number
  readonly step: number
  readonly network: Network
  readonly optimizerState: S
  readonly rng: Rng
  readonly best?: Best
}

/** The reducer an epoch folds over its batches. */
type Step<S> = (state: TrainState<S>, batch: Batch) => TrainState<S>

/** Milliseconds from a monotonic clock where there is one (`performance`), else from `Date`. */
const now = (): number => {
  const p = (globalThis as { performance?: { now: () => number } }).performance
  return p !== undefined ? p.now() : Date.now()
}

/** Runs one epoch from `at`: a `Left` if it diverges, else the epoch's state. */
const runEpoch = <S>(cfg: Config, step: Step<S>, measured: () => Iterable<Batch>, at: Position<S>): E.Either<Diverged, EpochState<S>> => {
  const start = now()
  const epoch = at.epoch + 1
  const [order, rng] = M.permutation(cfg.train.size)(at.rng) // Fisher–Yates from the run's generator
  const bs = cut(cfg.train, order, cfg.batchSize)
  let st: TrainState<S> = { network: at.network, opt: at.optimizerState, rng, step: at.step }
  let sum = 0 // Σ over batches of (batch loss · batch size)
  for (let b = 0; b < bs.length; b++) {
    const batch = bs[b]!
    const next = step(st, batch)
    const loss = next.loss!
    if (!Number.isFinite(loss)) return E.left(diverged(epoch, st.step, st.network, `the loss is ${loss}`))
    if (!isFiniteNetwork(next.network)) return E.left(diverged(epoch, st.step, st.network, 'a weight or a bias is no longer a finite number'))
    sum += loss * batch.inputs.cols
    st = next
    if (cfg.onBatch !== undefined) cfg.onBatch({ epoch, batch: b + 1, batches: bs.length, step: st.step, loss })
  }
  const m = measure(st.network, measured(), cfg.loss, cfg.classes)
  const report: EpochReport = {
    epoch,
    loss: sum / cfg.train.size,
    error: m.error,
    ...(cfg.validation !== undefined ? { validationLoss: m.loss } : {}),
    ...(m.accuracy !== undefined ? { accuracy: m.accuracy } : {}),
    ms: now() - start
  }
  const es = cfg.earlyStopping
  const best = es === undefined ? undefined : improve(at.best, epoch, m.loss, st.network, es.minDelta) // m.loss: after the epoch, on the set measured
  return E.right({
    epoch,
    step: st.step,
    network: st.network,
    optimizerState: st.opt,
    rng,
    report,
    ...(best !== undefined ? { best } : {})
  })
}

/** True when no epoch follows `at`: the last epoch is done, or early stopping ran out of patience. */
const finished = (cfg: Config, at: Position<unknown>): boolean =>
  at.epoch >= cfg.numEpochs || (cfg.earlyStopping !== undefined && patienceRunOut(cfg.earlyStopping.patience, at.epoch, at.best))

/**
 * The epochs after `start`, lazily; each iteration replays them from `start`.
 *
 * @internal
 */
export const unfold = <S>(cfg: Config, start: Position<S>): Iterable<E.Either<TrainError, EpochState<S>>> => {
  const step = trainStep(cfg.loss, cfg.optimizer) as Step<S>
  const measured = chunksOf(cfg.validation ?? cfg.train) // Error and losses are measured there
  return {
    *[Symbol.iterator]() {
      let at = start
      while (!finished(cfg, at)) {
        const result = runEpoch(cfg, step, measured, at)
        if (E.isLeft(result)) {
          yield result
          return
        }
        const state = result.right
        if (printsAt(cfg.verbose, state.epoch)) cfg.logger(verboseLine(state.report, cfg.metrics))
        const stop = cfg.onEpoch !== undefined && cfg.onEpoch(state.report) === 'stop'
        yield result
        if (stop) return
        at = state
      }
    }
  }
}

/**
 * The state a run starts from: epoch 0, the optimizer initialised, the generator seeded.
 *
 * @internal
 */
export const startOf = (cfg: Config, network: Network): Position<unknown> => ({
  epoch: 0,
  step: 0,
  network,
  optimizerState: cfg.optimizer.init(network),
  rng: M.rng(cfg.seed)
})

/**
 * A training run as a lazy sequence of epochs (an unfold): `Left` of `InvalidOptions` if the
 * options cannot be used, else an iterable whose items are the epochs' states, in order. A
 * diverging run ends with a `Left` of `Diverged` carrying the last finite network. See
 * `TrainOptions` for the options; `train` is a fold over this sequence.
 *
 * @example
 * import * as E from 'fp-ts/Either'
 * import { epochs } from '@purenn/training'
 * const run = epochs({ trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]], numEpochs: 1000, learningRate: 0.1 })(net)
 * if (E.isRight(run)) for (const item of run.right) {
 *   if (E.isLeft(item)) break // diverged: item.left.network is the last finite one
 *   if (item.right.report.error < 0.1) break // a stopping rule of one's own
 * }
 *
 * @category training
 * @since 0.1.0
 */
export const epochs =
  <S = unknown>(options: TrainOptions<S>) =>
  (net: Network): E.Either<TrainError, Iterable<E.Either<TrainError, EpochState<S>>>> =>
    pipe(
      decodeOptions(options, net),
      E.map((cfg) => unfold(cfg, startOf(cfg, net) as Position<S>))
    )

/**
 * The epochs that follow an epoch state, lazily: how a run goes on from a checkpoint. With
 * the options of the original run, the states are those the uninterrupted run gives, bit for
 * bit (`numEpochs` counts from the start of the run, not from the checkpoint).
 *
 * @example
 * import { epochsFrom, decodeCheckpoint } from '@purenn/training'
 * // pipe(decodeCheckpoint(json, options.optimizer), E.chain((state) => epochsFrom(options)(state)))
 *
 * @category training
 * @since 0.1.0
 */
export const epochsFrom =
  <S>(options: TrainOptions<S>) =>
  (state: EpochState<S>): E.Either<TrainError, Iterable<E.Either<TrainError, EpochState<S>>>> =>
    pipe(
      decodeOptions(options, state.network),
      E.map((cfg) => unfold(cfg, state))
    )
