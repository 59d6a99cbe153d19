/**
 * The pieces of an epoch that every driver of a run shares: the synchronous unfold
 * (`epochs`, `train`) and the asynchronous one (`epochsAsync`, `trainAsync`), which differ
 * only in how they get from one batch to the next: straight on, or after a turn of the event
 * loop when one is due (and, with workers, once the workers have answered). Built from the
 * same pieces, the drivers give the same networks and reports, bit for bit.
 *
 * An epoch is: `shuffle` (the epoch's order of the samples, drawn from the run's generator),
 * then, for each batch (`batchCount` of them, `batchesOf` gathers a few at a time), a step checked by
 * `checkStep`, then `closeEpoch` (from the network's measures, write the report, keep the best);
 * `announce` prints the verbose line and asks `onEpoch`; `finished` says whether another
 * epoch follows.
 */
import * as M from '@purenn/matrix'
import type { Rng } from '@purenn/matrix'
import type { Network } from '@purenn/network'
import { cut, type Batch } from '../batches.js'
import { improve, patienceRunOut } from '../earlyStopping.js'
import type { Measures } from '../measure.js'
import type { Config, StopAt } from '../options.js'
import type { TrainState } from '../TrainState.js'
import { diverged, type Best, type Diverged, type EpochReport, type EpochState } from '../types.js'
import { printsAt, verboseLine } from '../verbose.js'
import { isFiniteNetwork } from './gradients.js'

/** Where a run stands between epochs (an epoch state without its report; epoch 0 at the start). */
export interface Position<S> {
  readonly epoch: number
  readonly step: number
  readonly network: Network
  readonly optimizerState: S
  readonly rng: Rng
  readonly best?: Best
}

/** Where an epoch's batches leave the run: the network, the optimizer's state, the step count, Σ (batch loss · batch size). */
export interface Trained<S> {
  readonly network: Network
  readonly opt: S
  readonly step: number
  readonly sum: number
}

/** An epoch under way: its number (from 1), when it started, the order of its samples, the generator for the next epoch. */
export interface Shuffled {
  readonly epoch: number
  readonly started: number
  readonly order: ReadonlyArray<number>
  readonly rng: Rng
}

/**
 * Milliseconds from a monotonic clock where there is one (`performance`), else from `Date`.
 * The clock is looked up once: in Node, `globalThis.performance` is a getter that costs more
 * than reading the clock, and an asynchronous run reads it after every batch.
 */
const clock: { now: () => number } = (globalThis as { performance?: { now: () => number } }).performance ?? Date
export const now = (): number => clock.now()

/** The words of a `Diverged` error whose parameters stopped being finite. */
export const NOT_FINITE = 'a weight or a bias is no longer a finite number'

/** The run's shuffle: a Fisher–Yates permutation of the training set drawn from a generator (built once a run). */
export type Permute = (r: Rng) => readonly [ReadonlyArray<number>, Rng]

/** The shuffle of a run's training set. */
export const permuter = (cfg: Config): Permute => M.permutation(cfg.train.size)

/**
 * Starts the epoch after `at` (a position, or the epoch before): its samples in the order of a
 * permutation drawn from the run's generator. `started` is when it starts (now, unless given:
 * epochs run together share their group's start).
 */
export const shuffle = (permute: Permute, at: { readonly epoch: number; readonly rng: Rng }, started: number = now()): Shuffled => {
  const [order, rng] = permute(at.rng)
  return { epoch: at.epoch + 1, started, order, rng }
}

/** How many batches an epoch has: ⌈N / batchSize⌉, the last one holding what is left. */
export const batchCount = (cfg: Config): number => Math.ceil(cfg.train.size / cfg.batchSize)

/**
 * Batches `from … to − 1` of the epoch (each `batchSize` samples in the epoch's order, the last
 * batch of the epoch holding what is left), gathered now. An epoch gathers its batches a few at
 * a time, never all at once: a copy of the whole training set per epoch (50 MB for 8,000 MNIST
 * digits) would be allocated, filled and dropped every epoch.
 */
export const batchesOf = (cfg: Config, epoch: Shuffled, from: number, to: number): Batch[] => {
  const order = epoch.order
  const whole = from === 0 && to * cfg.batchSize >= order.length // the whole epoch (a small data set): no copy of the order
  return cut(cfg.train, whole ? order : order.slice(from * cfg.batchSize, to * cfg.batchSize), cfg.batchSize)
}

/** How many samples the synchronous loop gathers at a time (whole batches, at least one). */
const GROUP_SAMPLES = 1024

/** How many batches the synchronous loop gathers at a time: `GROUP_SAMPLES` samples' worth, at least one. */
export const groupSize = (cfg: Config): number => Math.max(1, Math.floor(GROUP_SAMPLES / cfg.batchSize))

/** How many whole epochs of the training set fit in `GROUP_SAMPLES` samples (0 for a set larger than that). */
export const epochsPerGroup = (cfg: Config): number => Math.floor(GROUP_SAMPLES / cfg.train.size)

/**
 * Checks a step from `before` to `after` (which carries the batch's loss): a `Diverged` with
 * the network that entered the step if the loss or a parameter is no longer finite, else
 * undefined, after telling `onBatch` (batch `b` from 0, of `batches`). `finite` says the
 * caller has already checked every parameter on the way (a fused step). (No `Either` here: it
 * runs after every step, and an allocation a step shows on a small network.)
 */
export const checkStep = <S>(
  cfg: Config,
  epoch: number,
  b: number,
  batches: number,
  before: TrainState<S>,
  after: TrainState<S>,
  finite?: true
): Diverged | undefined => {
  const loss = after.loss!
  if (!Number.isFinite(loss)) return diverged(epoch, before.step, before.network, `the loss is ${loss}`)
  if (finite !== true && !isFiniteNetwork(after.network)) return diverged(epoch, before.step, before.network, NOT_FINITE)
  if (cfg.onBatch !== undefined) cfg.onBatch({ epoch, batch: b + 1, batches, step: after.step, loss })
  return undefined
}

/**
 * Ends an epoch: from the measures of the trained network on the validation set (the training
 * set if there is none; see `measure`), writes the report and, with early stopping, keeps the
 * best epoch. The report's `ms` is the time since the epoch started, unless `ms` is given (an
 * epoch run together with others, which share their time).
 */
export const closeEpoch = <S>(cfg: Config, m: Measures, at: Position<S>, epoch: Shuffled, st: Trained<S>, ms?: number): EpochState<S> => {
  const report = epochReport(cfg, m, epoch, st.sum, ms)
  const es = cfg.earlyStopping
  const best = es === undefined ? undefined : improve(at.best, epoch.epoch, m.loss, st.network, es.minDelta) // m.loss: after the epoch, on the set measured
  const state: { -readonly [K in keyof EpochState<S>]: EpochState<S>[K] } = {
    epoch: epoch.epoch,
    step: st.step,
    network: st.network,
    optimizerState: st.opt,
    rng: epoch.rng,
    report
  }
  if (best !== undefined) state.best = best
  return state
}

/**
 * The report of an epoch (see `closeEpoch`): `sum` is Σ over its batches of (batch loss ·
 * batch size), `m` the measures of the trained network; `ms` as for `closeEpoch`.
 */
export const epochReport = (cfg: Config, m: Measures, epoch: Shuffled, sum: number, ms?: number): EpochReport =>
  reportOf(epoch.epoch, sum / cfg.train.size, m.error, cfg.validation !== undefined ? m.loss : undefined, m.accuracy, ms ?? now() - epoch.started)

/**
 * An epoch's report, its optional fields present only when measured, in the order of
 * `EpochReport`. Each shape is one literal: an object that gains fields after it is made
 * grows a second store for them, a cost an epoch of a tiny network notices.
 */
const reportOf = (
  epoch: number,
  loss: number,
  error: number,
  validationLoss: number | undefined,
  accuracy: number | undefined,
  ms: number
): EpochReport =>
  validationLoss === undefined
    ? accuracy === undefined
      ? { epoch, loss, error, ms }
      : { epoch, loss, error, accuracy, ms }
    : accuracy === undefined
      ? { epoch, loss, error, validationLoss, ms }
      : { epoch, loss, error, validationLoss, accuracy, ms }

/** True when no epoch follows `at`: the last epoch is done, or early stopping ran out of patience. */
export const finished = (cfg: Config, at: Position<unknown>): boolean =>
  at.epoch >= cfg.numEpochs || (cfg.earlyStopping !== undefined && patienceRunOut(cfg.earlyStopping.patience, at.epoch, at.best))

/**
 * Prints the epoch's verbose line when one is due, then tells `onEpoch`: true when the run
 * stops after this epoch, because `onEpoch` says `'stop'` or a bound of `stopAt` is reached.
 */
export const announce = (cfg: Config, report: EpochReport): boolean => {
  if (printsAt(cfg.verbose, report.epoch)) cfg.logger(verboseLine(report, cfg.metrics))
  const asked = cfg.onEpoch !== undefined && cfg.onEpoch(report) === 'stop'
  return asked || reached(cfg.stopAt, report)
}

/** True when the report reaches a bound of `stopAt`: a loss or the Error at or below its bound, the accuracy at or above. */
export const reached = (stopAt: StopAt | undefined, r: EpochReport): boolean =>
  stopAt !== undefined &&
  ((stopAt.loss !== undefined && r.loss <= stopAt.loss) ||
    (stopAt.validationLoss !== undefined && r.validationLoss !== undefined && r.validationLoss <= stopAt.validationLoss) ||
    (stopAt.error !== undefined && r.error <= stopAt.error) ||
    (stopAt.accuracy !== undefined && r.accuracy !== undefined && r.accuracy >= stopAt.accuracy))
