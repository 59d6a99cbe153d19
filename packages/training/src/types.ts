/**
 * The values a training run reports and hands back: an epoch's report, an epoch's state
 * (everything needed to go on, so it is also a checkpoint), a batch's progress, and the
 * tagged errors.
 *
 * @since 0.1.0
 */
import type { Rng } from '@purenn/matrix'
import type { Network } from '@purenn/network'

/**
 * What one epoch measured. `epoch` counts from 1, as the tutorial's loop does.
 *
 * - `loss`: the mean training loss over the epoch's batches (each measured before its update,
 *   weighted by its size);
 * - `error`: the tutorial's "Error", Σ |prediction − label| over every sample and output of the
 *   validation set (the training set if there is none), after the epoch;
 * - `validationLoss`: the mean loss over the validation set after the epoch, when there is one;
 * - `accuracy`: the fraction classified right on the validation set (training set if none),
 *   when its labels are classes: one-hot columns (right when the largest output is at the
 *   label's 1), or a single 0/1 output (right when the output is on the label's side of 0.5);
 * - `ms`: how long the epoch took, in milliseconds (the only field that is not deterministic).
 *   Epochs of a tiny training set (at most 512 samples, with a built-in optimizer, loss and
 *   activations, and no `onBatch`) may run several in one run of steps, and then share its time
 *   equally.
 *
 * @example
 * import { train, verboseLine, type EpochReport } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const report: EpochReport = { epoch: 10, loss: 0.2, error: 1.5, ms: 3 }
 * verboseLine(report) // => 'Epoch 10; Error 1.5'
 * const reports: EpochReport[] = []
 * train({ ...xor, numEpochs: 3, learningRate: 0.1, onEpoch: (r) => void reports.push(r) })(net)
 * reports.map((r) => r.epoch) // => [1, 2, 3]
 * reports.every((r) => r.loss > 0 && r.error > 0 && r.accuracy !== undefined) // => true
 *
 * @category model
 * @since 0.1.0
 */
export interface EpochReport {
  readonly epoch: number
  readonly loss: number
  readonly error: number
  readonly validationLoss?: number
  readonly accuracy?: number
  readonly ms: number
}

/**
 * The best epoch so far by the monitored loss (the validation loss or, without a validation
 * set, the training set's loss measured after the epoch), kept when early stopping is on.
 *
 * @example
 * import { improve, type Best } from '@purenn/training'
 * import { network } from '@purenn/network'
 * const net = network(2)
 * const best: Best = improve(undefined, 1, 0.3, net, 0)
 * best // => { epoch: 1, loss: 0.3, network: net }
 *
 * @category model
 * @since 0.1.0
 */
export interface Best {
  readonly epoch: number
  readonly loss: number
  readonly network: Network
}

/**
 * Where a run stands after an epoch: the network, the optimizer's state, the generator for
 * the next shuffle, the number of steps taken, the epoch's report and, with early stopping,
 * the best epoch so far. Plain data: `encodeCheckpoint` turns it into JSON and
 * `decodeCheckpoint` back, and `epochsFrom` goes on from it.
 *
 * @example
 * import { epochs, type EpochState } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const run = pipe(epochs({ ...xor, numEpochs: 3, learningRate: 0.1 })(net), E.getOrElseW((e) => { throw new Error(e.message) }))
 * const seen: Array<EpochState> = []
 * for (const item of run) if (E.isRight(item)) seen.push(item.right)
 * seen.map((s) => [s.epoch, s.step]) // => [[1, 4], [2, 8], [3, 12]]
 * seen[0]!.report.epoch // => 1
 *
 * @category model
 * @since 0.1.0
 */
export interface EpochState<S = unknown> {
  readonly epoch: number
  readonly step: number
  readonly network: Network
  readonly optimizerState: S
  readonly rng: Rng
  readonly report: EpochReport
  readonly best?: Best
}

/**
 * What `onBatch` is told after each batch: the epoch (from 1), the batch within it (from 1)
 * out of `batches`, the number of steps taken in all, and the batch's loss.
 *
 * @example
 * import { train, type BatchProgress } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const progress: BatchProgress[] = []
 * train({ ...xor, numEpochs: 2, learningRate: 0.1, batchSize: 2, onBatch: (p) => void progress.push(p) })(net) // e.g. a progress bar's update
 * progress.map((p) => [p.epoch, p.batch, p.batches, p.step]) // => [[1, 1, 2, 1], [1, 2, 2, 2], [2, 1, 2, 3], [2, 2, 2, 4]]
 *
 * @category model
 * @since 0.1.0
 */
export interface BatchProgress {
  readonly epoch: number
  readonly batch: number
  readonly batches: number
  readonly step: number
  readonly loss: number
}

/**
 * Options that cannot be used, with the path of the first offending field and a message that
 * names it, e.g. `trainLabels[3]: expected 1 value, got 3`.
 *
 * @example
 * import { train } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * train({ ...xor, numEpochs: 0, learningRate: 0.1 })(net)
 * // => E.left({ _tag: 'InvalidOptions', path: 'numEpochs', message: 'numEpochs: expected a positive integer, got number 0' })
 * pipe(train({ ...xor, trainLabels: [[0], [1], [1], [0, 1]], numEpochs: 1, learningRate: 0.1 })(net), E.mapLeft((e) => e.message))
 * // => E.left('trainLabels[3]: expected 1 value, got 2 (the network has 1 output)')
 *
 * @category errors
 * @since 0.1.0
 */
export interface InvalidOptions {
  readonly _tag: 'InvalidOptions'
  readonly message: string
  readonly path: string
}

/**
 * A run whose loss or parameters stopped being finite numbers. `epoch` (from 1) and `step`
 * (the global step, from 0) say where; `network` is the last network whose parameters were
 * all finite, the one that entered the failing step; `history` holds the reports of the
 * epochs completed before (when the run was driven by `train`).
 *
 * @example
 * import { train } from '@purenn/training'
 * import { network, addLayer, randomize, linear } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize())(rng(0))
 * // a far too large learning rate: every step overshoots more, until the numbers overflow
 * const result = train({ trainData: [[1], [2]], trainLabels: [[2], [4]], numEpochs: 10_000, learningRate: 10 })(net)
 * E.isLeft(result) && result.left._tag // => 'Diverged'
 * E.isLeft(result) && result.left._tag === 'Diverged' && result.left.network.layers[0]!.weights.data.every(Number.isFinite) // => true
 *
 * @category errors
 * @since 0.1.0
 */
export interface Diverged {
  readonly _tag: 'Diverged'
  readonly message: string
  readonly epoch: number
  readonly step: number
  readonly network: Network
  readonly history?: ReadonlyArray<EpochReport>
}

/**
 * A run of `trainAsync` or `epochsAsync` stopped by its `signal`: `network` is the network
 * after the last step that finished before the abort (the starting network if none did);
 * `history` holds the reports of the epochs completed before (when the run was driven by
 * `trainAsync`).
 *
 * @example
 * import { trainAsync } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const controller = new AbortController()
 * controller.abort() // a stop button pressed before the first step
 * const result = await trainAsync({ ...xor, numEpochs: 1000, learningRate: 0.1, signal: controller.signal })(net)
 * E.isLeft(result) && result.left._tag // => 'Aborted'
 * E.isLeft(result) && result.left._tag === 'Aborted' && result.left.network // => net
 *
 * @category errors
 * @since 0.1.0
 */
export interface Aborted {
  readonly _tag: 'Aborted'
  readonly message: string
  readonly network: Network
  readonly history?: ReadonlyArray<EpochReport>
}

/**
 * Why a run could not start or could not go on.
 *
 * @example
 * import { train, type TrainError } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const describe = (e: TrainError): string => (e._tag === 'Diverged' ? `stopped at epoch ${e.epoch}` : e._tag === 'Aborted' ? 'stopped by its signal' : `bad option ${e.path}`)
 * pipe(train({ ...xor, numEpochs: 1, batchSize: 0, learningRate: 0.1 })(net), E.mapLeft(describe)) // => E.left('bad option batchSize')
 *
 * @category errors
 * @since 0.1.0
 */
export type TrainError = InvalidOptions | Diverged | Aborted

/**
 * An `InvalidOptions` error.
 *
 * @example
 * import { invalidOptions } from '@purenn/training'
 * invalidOptions('numEpochs', 'expected a positive integer, got number 0')
 * // => { _tag: 'InvalidOptions', path: 'numEpochs', message: 'numEpochs: expected a positive integer, got number 0' }
 *
 * @category errors
 * @since 0.1.0
 */
export const invalidOptions = (path: string, problem: string): InvalidOptions => ({
  _tag: 'InvalidOptions',
  path,
  message: `${path}: ${problem}`
})

/**
 * A `Diverged` error; `what` says what stopped being finite.
 *
 * @example
 * import { diverged } from '@purenn/training'
 * import { network } from '@purenn/network'
 * diverged(3, 17, network(2), 'the loss is NaN').message
 * // => 'Diverged at epoch 3, step 17: the loss is NaN; the network returned is the last finite one, from before that step'
 *
 * @category errors
 * @since 0.1.0
 */
export const diverged = (epoch: number, step: number, network: Network, what: string): Diverged => ({
  _tag: 'Diverged',
  epoch,
  step,
  network,
  message: `Diverged at epoch ${epoch}, step ${step}: ${what}; the network returned is the last finite one, from before that step`
})

/**
 * An `Aborted` error: the run stopped by its signal at `epoch` (from 1) after `step` steps in
 * all, with the network as it was after the last of them.
 *
 * @example
 * import { aborted } from '@purenn/training'
 * import { network } from '@purenn/network'
 * aborted(2, 7, network(2)).message // => 'Aborted in epoch 2, after step 7: the network returned is the one that step left'
 *
 * @category errors
 * @since 0.1.0
 */
export const aborted = (epoch: number, step: number, network: Network): Aborted => ({
  _tag: 'Aborted',
  network,
  message:
    step === 0
      ? 'Aborted before the first step: the network returned is the one the run started from'
      : `Aborted in epoch ${epoch}, after step ${step}: the network returned is the one that step left`
})

/**
 * Why a run ended: a bound of `stopAt` reached, early stopping out of patience, its last epoch
 * (`numEpochs`), or `onEpoch` returning `'stop'`; when several hold at the last epoch, the
 * first of them in that order (a bound reached at the last epoch is `'stopAt'`).
 *
 * @example
 * import { train, type StoppedBy } from '@purenn/training'
 * import { network, addLayer, randomize, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]], learningRate: 0.1 }
 * const why = (r: ReturnType<ReturnType<typeof train>>): StoppedBy | undefined => (E.isRight(r) ? r.right.stoppedBy : undefined)
 * why(train({ ...xor, numEpochs: 3 })(net)) // => 'numEpochs'
 * why(train({ ...xor, numEpochs: 3, onEpoch: (r) => (r.epoch === 2 ? 'stop' : undefined) })(net)) // => 'onEpoch'
 * // a bound reached at the last epoch: 'stopAt', not 'numEpochs'
 * why(train({ ...xor, numEpochs: 1, stopAt: { error: 1e9 } })(net)) // => 'stopAt'
 *
 * @category model
 * @since 0.2.0
 */
export type StoppedBy = 'numEpochs' | 'stopAt' | 'earlyStopping' | 'onEpoch'

/**
 * What a finished run gives: the trained network and one report per epoch.
 *
 * @example
 * import { train, type TrainResult } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const r = train({ ...xor, numEpochs: 100, learningRate: 0.1, stopAt: { error: 3 } })(net)
 * if (E.isLeft(r)) throw new Error(r.left.message)
 * const result: TrainResult = r.right
 * result.stoppedBy // => 'stopAt'
 * result.history.at(-1)!.error <= 3 // => true
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainResult {
  readonly network: Network
  readonly history: ReadonlyArray<EpochReport>
  readonly stoppedBy: StoppedBy
}
