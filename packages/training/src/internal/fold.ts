/**
 * The fold of a run's items into `train`'s result, shared by `train` (over the epochs'
 * iterable) and `trainAsync` (over the async one): the reports collected in order, the last
 * state kept; a `Left` ends the fold, carrying the reports of the epochs before it; at the end,
 * the last network or, with early stopping's `restoreBest`, the best one.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Network } from '@purenn/network'
import type { Config } from '../options.js'
import type { EpochReport, EpochState, StoppedBy, TrainError, TrainResult } from '../types.js'
import { patienceRunOut } from '../earlyStopping.js'
import { reached } from './epoch.js'

/** A fold in progress: `add` takes the next item (a `Left` when it ends the run), `result` gives the outcome. */
export interface Fold<S> {
  /** Takes an epoch's state, or the reports of epochs whose states are not read (see `unfoldReports`). */
  readonly add: (item: E.Either<TrainError, EpochState<S> | ReadonlyArray<EpochReport>>) => E.Either<TrainError, void>
  readonly result: () => E.Either<TrainError, TrainResult>
}

/** The error with the reports of the epochs completed before it (a run stopped by divergence or by its signal). */
const withHistory = (e: TrainError, history: ReadonlyArray<EpochReport>): TrainError =>
  e._tag === 'InvalidOptions' ? e : { ...e, history }

/**
 * Why a run that ended without a `Left` ended, read off its last state: a bound of `stopAt`
 * reached, early stopping out of patience, its last epoch, else `onEpoch`'s `'stop'` (the only
 * other way a run ends early). No state at all: the run had no epoch left to take.
 */
const whyEnded = <S>(cfg: Config, last: EpochState<S> | undefined): StoppedBy => {
  if (last === undefined) return 'numEpochs'
  if (reached(cfg.stopAt, last.report)) return 'stopAt'
  if (cfg.earlyStopping !== undefined && patienceRunOut(cfg.earlyStopping.patience, last.epoch, last.best)) return 'earlyStopping'
  return last.epoch >= cfg.numEpochs ? 'numEpochs' : 'onEpoch'
}

/** What `add` answers when the run goes on: one value for every item. */
const ADDED: E.Either<TrainError, void> = E.right(undefined)

const isReports = <S>(x: EpochState<S> | ReadonlyArray<EpochReport>): x is ReadonlyArray<EpochReport> => Array.isArray(x)

/**
 * A fold over a run that started from `start`. It collects into a buffer of its own, never
 * handed out while the fold goes on.
 */
export const fold = <S>(cfg: Config, start: Network): Fold<S> => {
  const history: EpochReport[] = []
  let last: EpochState<S> | undefined
  return {
    add: (item) => {
      if (E.isLeft(item)) return E.left(withHistory(item.left, history))
      const x = item.right
      if (isReports(x)) for (let i = 0; i < x.length; i++) history.push(x[i]!)
      else {
        history.push(x.report)
        last = x
      }
      return ADDED
    },
    result: () => {
      const stoppedBy = whyEnded(cfg, last)
      const restore = stoppedBy !== 'stopAt' && cfg.earlyStopping?.restoreBest === true && last?.best !== undefined // stopAt keeps the network it stopped at
      return E.right({ network: restore ? last!.best!.network : (last?.network ?? start), history, stoppedBy })
    }
  }
}
