/**
 * The tutorial's `train`, as a fold over the lazy sequence of epochs: the last epoch's
 * network (or, with early stopping's `restoreBest`, the best epoch's) and the reports of
 * every epoch, in order.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Network } from '@purenn/network'
import { startOf, unfoldReports } from './epochs.js'
import { decodeOptions, type Config, type TrainOptions } from './options.js'
import type { EpochReport, EpochState, TrainError, TrainResult } from './types.js'

export type { TrainResult } from './types.js'
import { fold } from './internal/fold.js'

/** Folds the epochs (see `internal/fold.ts`, which `trainAsync` folds its epochs with too); a `Left` ends the fold. */
const foldAll = <S>(cfg: Config, start: Network, items: Iterable<E.Either<TrainError, EpochState<S> | ReadonlyArray<EpochReport>>>): E.Either<TrainError, TrainResult> => {
  const run = fold<S>(cfg, start)
  for (const item of items) {
    const added = run.add(item)
    if (E.isLeft(added)) return added
  }
  return run.result()
}

/**
 * Trains a network: decodes the options (a `Left` of `InvalidOptions` naming the first bad
 * field), then runs the epochs, shuffling the training set each epoch and updating the network
 * batch by batch. Returns the trained network and the history of epoch reports, or a `Left`
 * of `Diverged` with the last finite network. With the same options and network, the same
 * result, bit for bit.
 *
 * @example
 * import * as E from 'fp-ts/Either'
 * import { train } from '@purenn/training'
 * const result = train({
 *   trainData: [[0, 0], [0, 1], [1, 0], [1, 1]],
 *   trainLabels: [[0], [1], [1], [0]],
 *   validationData: [[0, 0], [0, 1], [1, 0], [1, 1]],
 *   validationLabels: [[0], [1], [1], [0]],
 *   numEpochs: 10000,
 *   learningRate: 0.1,
 *   verbose: 1000
 * })(net) // prints `Epoch 1000; Error 0.93…` every 1000 epochs
 *
 * @category training
 * @since 0.1.0
 */
export const train =
  <S = unknown>(options: TrainOptions<S>) =>
  (net: Network): E.Either<TrainError, TrainResult> =>
    pipe(
      decodeOptions(options, net),
      E.chain((cfg) => foldAll(cfg, net, unfoldReports(cfg, startOf(cfg, net))))
    )

/**
 * `train`, going on from an epoch state (a checkpoint) to `numEpochs`: the result of the
 * uninterrupted run, bit for bit, with the history of the epochs run here.
 *
 * @example
 * import { trainFrom } from '@purenn/training'
 * // pipe(decodeCheckpoint(json, optimizer), E.chain(trainFrom(options)))
 *
 * @category training
 * @since 0.1.0
 */
export const trainFrom =
  <S>(options: TrainOptions<S>) =>
  (state: EpochState<S>): E.Either<TrainError, TrainResult> =>
    pipe(
      decodeOptions(options, state.network),
      E.chain((cfg) => foldAll(cfg, state.network, unfoldReports(cfg, state)))
    )
