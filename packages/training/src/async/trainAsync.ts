/**
 * `trainAsync` and `epochsAsync`: `train` and `epochs` that do not block. They give the event
 * loop a turn between batches (a page keeps answering), stop when their `signal` fires, and
 * with `workers` > 1 share each batch's gradients among worker threads. This module builds
 * them for a platform's workers; the core entry gives them Web Workers, `@purenn/training/node`
 * Node's worker threads.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Network } from '@purenn/network'
import { startOf } from '../epochs.js'
import { decodeOptions, type Config, type TrainOptions } from '../options.js'
import { invalidOptions, type EpochState, type TrainError, type TrainResult } from '../types.js'
import { fold } from '../internal/fold.js'
import type { Position } from '../internal/epoch.js'
import type { Platform } from './pool.js'
import { unsendable } from './protocol.js'
import { unfoldAsync } from './run.js'
import { webWorkers } from './webWorkers.js'

/** Decodes the options for an asynchronous run, then checks that its workers can be had and can be sent the network. */
const decodeAsync = (platform: Platform, options: unknown, net: Network): E.Either<TrainError, Config> => {
  const decoded = decodeOptions(options, net, 'async')
  if (E.isLeft(decoded) || decoded.right.workers === 1) return decoded
  const cfg = decoded.right
  if (platform.spawn === undefined) return E.left(invalidOptions('workers', `expected 1: ${platform.missing}, got ${cfg.workers}`))
  const why = unsendable(net, cfg.loss)
  return why === undefined ? decoded : E.left(invalidOptions('workers', `${why}, got ${cfg.workers}`))
}

/** One item, a `Left`: the run that cannot start. */
const failed = <S>(e: TrainError): AsyncIterable<E.Either<TrainError, EpochState<S>>> => ({
  async *[Symbol.asyncIterator]() {
    yield E.left(e)
  }
})

/**
 * `epochsAsync` on a platform's workers.
 *
 * @internal
 */
export const epochsAsyncOn =
  (platform: Platform) =>
  <S = unknown>(options: TrainOptions<S>) =>
  (net: Network): AsyncIterable<E.Either<TrainError, EpochState<S>>> => {
    const cfg = decodeAsync(platform, options, net)
    return E.isLeft(cfg) ? failed(cfg.left) : unfoldAsync(cfg.right, startOf(cfg.right, net) as Position<S>, platform.spawn)
  }

/**
 * `trainAsync` on a platform's workers.
 *
 * @internal
 */
export const trainAsyncOn =
  (platform: Platform) =>
  <S = unknown>(options: TrainOptions<S>) =>
  async (net: Network): Promise<E.Either<TrainError, TrainResult>> => {
    const decoded = decodeAsync(platform, options, net)
    if (E.isLeft(decoded)) return decoded
    const cfg = decoded.right
    const run = fold<S>(cfg, net)
    for await (const item of unfoldAsync(cfg, startOf(cfg, net) as Position<S>, platform.spawn)) {
      const added = run.add(item)
      if (E.isLeft(added)) return added
    }
    return run.result()
  }

/**
 * `epochs`, asynchronously: the same items (each epoch's state, or a `Left` that ends the
 * run), as an `AsyncIterable` that gives the event loop a turn between batches, so that a page
 * stays responsive. A `Left` of `InvalidOptions` is the only item when the options cannot be
 * used. Two options are its own (see `TrainOptions`):
 *
 * - `signal`: an `AbortSignal`. The run reads it before each step; once it has fired, the
 *   last item is a `Left` of `Aborted` carrying the network after the last finished step.
 * - `workers` (default 1): with n > 1, each batch is cut into n shards (sizes differing by at
 *   most one); this thread computes the gradients of the first and n − 1 Web Workers those of
 *   the others; they are combined in shard order, weighted by shard size (∇L = Σₖ (Bₖ/B)·gₖ),
 *   so that a run gives the same bits every time with the same seed and count, and equals the
 *   one-worker run up to rounding. The epoch's measures are shared among them too, chunk by
 *   chunk (the same bits as on one thread). Workers know the built-in activations and losses
 *   only. In Node, use `@purenn/training/node`'s `epochsAsync`.
 *
 * The iteration throws only when a worker fails (its script cannot be loaded, it crashes, its
 * thread exits), with an error that names the worker and the step it was computing (or the
 * epoch's measures), its own error (stack, exit code) as the `cause`.
 *
 * With one worker, the items are those of `epochs` for the same options, bit for bit. Each
 * iteration replays the run; breaking out of a `for await` ends it (and its workers).
 *
 * @example
 * import { epochsAsync } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const controller = new AbortController()
 * const progress = { value: 0 } // e.g. a <progress> element
 * for await (const item of epochsAsync({ ...xor, numEpochs: 1000, learningRate: 0.1, signal: controller.signal })(net)) {
 *   if (E.isLeft(item)) break // InvalidOptions, Diverged or Aborted (item.left.network: where it stopped)
 *   progress.value = item.right.epoch // the page repaints between batches
 *   if (item.right.epoch === 10) controller.abort() // a stop button
 * }
 * progress.value // => 10
 *
 * @category training
 * @since 0.1.0
 */
export const epochsAsync = epochsAsyncOn(webWorkers)

/**
 * `train`, asynchronously: a `Promise` of the same result (the trained network and the
 * epochs' reports, or a `Left`), from a run that gives the event loop a turn between batches
 * and stops when its `signal` fires: a `Left` of `Aborted` with the network after the last
 * finished step and the reports of the epochs before. With `workers` n > 1, this thread and
 * n − 1 Web Workers share each batch's gradients (see `epochsAsync`; in Node, use
 * `@purenn/training/node`).
 * With one worker, the result is `train`'s, bit for bit. The promise rejects only when a
 * worker fails (its script cannot be loaded, it crashes), with the error `epochsAsync` throws.
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
 * const stopButton = { onclick: () => controller.abort() } // a button of the page
 * const progress = { value: 0 }
 * const result = await trainAsync({
 *   ...xor,
 *   numEpochs: 1_000_000,
 *   learningRate: 0.1,
 *   signal: controller.signal,
 *   onEpoch: (r) => {
 *     progress.value = r.epoch
 *     if (r.epoch === 100) stopButton.onclick() // pressed while the run goes on
 *   }
 * })(net)
 * // keep what was learnt: the network after the last finished step
 * const trained = E.isLeft(result) && result.left._tag === 'Aborted' ? result.left.network : net
 * E.isLeft(result) && result.left._tag // => 'Aborted'
 * trained === net // => false
 * progress.value >= 100 // => true
 *
 * @category training
 * @since 0.1.0
 */
export const trainAsync = trainAsyncOn(webWorkers)
