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
 * import { train } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const lines: string[] = []
 * const result = train({
 *   ...xor,
 *   validationData: xor.trainData,
 *   validationLabels: xor.trainLabels,
 *   numEpochs: 10_000,
 *   learningRate: 0.1,
 *   verbose: 1000, // a line every 1000 epochs: `Epoch 1000; Error 1.99…`
 *   logger: (line) => lines.push(line) // console.log without it
 * })(net)
 * if (E.isLeft(result)) throw new Error(result.left.message)
 * lines.length // => 10
 * result.right.history.length // => 10_000
 * result.right.stoppedBy // => 'numEpochs'
 * xor.trainData.map((x) => predict(x)(result.right.network).prediction[0]) // ≈ [0, 1, 1, 0] ± 0.2
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
 * import { train, trainFrom, epochs, encodeCheckpoint, decodeCheckpoint, adam } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const options = { ...xor, numEpochs: 20, optimizer: adam({ learningRate: 0.05 }) }
 * // stop after 10 epochs, keeping a checkpoint as JSON text
 * const run = pipe(epochs(options)(net), E.getOrElseW((e) => { throw new Error(e.message) }))
 * let json = ''
 * for (const item of run) {
 *   if (E.isRight(item) && item.right.epoch === 10) {
 *     json = JSON.stringify(encodeCheckpoint(item.right))
 *     break
 *   }
 * }
 * // later: go on from it to epoch 20
 * const resumed = pipe(decodeCheckpoint(JSON.parse(json), adam({ learningRate: 0.05 })), E.chainW(trainFrom(options)))
 * const whole = train(options)(net)
 * // the network of the uninterrupted run, bit for bit
 * pipe(resumed, E.map((r) => r.network)) // => pipe(whole, E.map((r) => r.network))
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
