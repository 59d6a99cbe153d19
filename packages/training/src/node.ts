/// <reference types="node" />
/**
 * `@purenn/training/node`: `trainAsync` and `epochsAsync` whose `workers` are Node worker
 * threads. This is the one module of the package that imports a Node built-in; the core entry
 * point runs unchanged in browsers, where its `trainAsync` and `epochsAsync` use Web Workers.
 * With `workers: 1` (the default) the two entries run the same code and no thread starts.
 *
 * ```ts
 * import { trainAsync } from '@purenn/training/node'
 * import { network, addLayer, initialize, relu, softmax, crossEntropy } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // 512 samples of 8 inputs in 2 classes: batches of 256 are worth sharing between threads
 * const [x, r] = M.uniform(512, 8, -1, 1)(M.rng(1))
 * const trainData = M.toArrays(x)
 * const trainLabels = trainData.map((row) => (row[0]! + row[1]! > 0 ? [1, 0] : [0, 1]))
 * const [net] = pipe(network(8), addLayer({ nodes: 16, activation: relu }), addLayer({ nodes: 2, activation: softmax }), initialize('he'))(r)
 * const result = await trainAsync({ trainData, trainLabels, loss: crossEntropy, numEpochs: 5, learningRate: 0.1, batchSize: 256, workers: 2 })(net)
 * pipe(result, E.map((t) => t.history.length)) // => E.right(5)
 * ```
 *
 * @since 0.1.0
 * @module @purenn/training/node
 */
import { Worker } from 'node:worker_threads'
import type { Reply } from './async/protocol.js'
import type { Platform, WorkerPort } from './async/pool.js'
import { epochsAsyncOn, trainAsyncOn } from './async/trainAsync.js'

/** The part of a Node `Worker` a pool's port uses. */
type ThreadLike = Pick<Worker, 'postMessage' | 'on' | 'ref' | 'unref' | 'removeAllListeners' | 'terminate'>

/**
 * A worker thread as a pool's port. Any exit the pool did not ask for is a failure, whatever its
 * code: a thread that ended with code 0 (a `process.exit(0)` in code it ran) would otherwise
 * leave its request waiting for ever.
 *
 * @internal
 */
export const portOf = (worker: ThreadLike): WorkerPort => {
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen: (onReply, onError) => {
      worker.on('message', (reply: Reply) => onReply(reply))
      worker.on('error', (error: Error) => onError(error))
      worker.on('messageerror', (error: Error) => onError(error))
      worker.on('exit', (code: number) =>
        onError(new Error(code === 0 ? 'the worker thread exited (code 0) while the run still needed it' : `the worker thread exited with code ${code}`))
      )
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: () => {
      worker.removeAllListeners('exit') // ended on purpose: not a failure
      void worker.terminate()
    }
  }
}

/** One worker thread running `async/nodeWorker.js`, as a pool's port. */
const spawnThread = (): WorkerPort => portOf(new Worker(new URL('./async/nodeWorker.js', import.meta.url)))

/**
 * Node's worker threads, for the pool of an asynchronous run.
 *
 * @internal
 */
export const nodeWorkers: Platform = { spawn: spawnThread, missing: '' }

/**
 * `epochsAsync` of the core entry, with Node worker threads as its `workers`: the same
 * items, an `AsyncIterable` of epoch states or the `Left` that ends the run. See the core
 * entry's `epochsAsync`.
 *
 * @example
 * import { epochsAsync } from '@purenn/training/node'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const epochsSeen: number[] = []
 * // two worker threads share each batch (worth it for batches of hundreds of samples)
 * for await (const item of epochsAsync({ ...xor, numEpochs: 3, learningRate: 0.1, batchSize: 4, workers: 2 })(net)) {
 *   if (E.isLeft(item)) throw new Error(item.left.message)
 *   epochsSeen.push(item.right.epoch)
 * }
 * epochsSeen // => [1, 2, 3]
 *
 * @category training
 * @since 0.1.0
 */
export const epochsAsync = epochsAsyncOn(nodeWorkers)

/**
 * `trainAsync` of the core entry, with Node worker threads as its `workers`: a `Promise` of
 * `train`'s result, from a run that leaves the event loop free between batches and stops on
 * its `signal`. The threads start with the first batch and end with the run.
 *
 * @example
 * import { trainAsync } from '@purenn/training/node'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const controller = new AbortController()
 * const onInterrupt = () => controller.abort() // Ctrl-C keeps what was learnt so far
 * process.once('SIGINT', onInterrupt)
 * const result = await trainAsync({ ...xor, numEpochs: 5, learningRate: 0.1, batchSize: 4, workers: 2, signal: controller.signal })(net)
 * process.off('SIGINT', onInterrupt)
 * pipe(result, E.map((r) => r.history.length)) // => E.right(5)
 *
 * @category training
 * @since 0.1.0
 */
export const trainAsync = trainAsyncOn(nodeWorkers)
