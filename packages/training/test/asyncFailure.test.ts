// A worker that fails during a run: trainAsync rejects with an error that says which worker,
// which step of the run (or which epoch's measures) it was at, and what went wrong, the worker's
// own error (its stack, or its exit code) chained as the cause. In-process workers that run the
// real protocol handler and fail where the test says, so that each case is deterministic.
import { describe, expect, it } from 'vitest'
import * as M from '@purenn/matrix'
import { mse } from '@purenn/network'
import type { Platform, WorkerPort } from '../src/async/pool.js'
import type { Reply, ToWorker } from '../src/async/protocol.js'
import { worker } from '../src/async/serve.js'
import { trainAsyncOn } from '../src/async/trainAsync.js'
import { sigmoidNet } from './helpers.js'

/** Where a worker fails: at its `n`-th request of that kind (from 1). */
interface FailAt {
  readonly kind: 'shard' | 'scores'
  readonly n: number
}

/**
 * Workers that answer each request in a later task (as a thread would), through the real
 * handler, except the first worker at `at`: there it dies with `error` instead of answering
 * (as a thread whose script throws, or that exits, does: no reply, the port's error).
 */
const failing = (at: FailAt, error: Error): Platform => {
  let spawned = 0
  return {
    missing: '',
    spawn: (): WorkerPort => {
      const k = spawned++
      const handle = worker()
      const counts = { shard: 0, scores: 0 }
      let reply: (r: Reply) => void = () => undefined
      let die: (e: Error) => void = () => undefined
      return {
        post: (message: ToWorker) => {
          if (message.kind !== 'start' && ++counts[message.kind] === at.n && k === 0 && message.kind === at.kind) {
            setTimeout(() => die(error), 0)
            return
          }
          const answer = handle(message)
          if (answer !== undefined)
            setTimeout(() => {
              reply(answer.reply)
              answer.then()
            }, 0)
        },
        listen: (onReply, onError) => {
          reply = onReply
          die = onError
        },
        hold: () => undefined,
        terminate: () => undefined
      }
    }
  }
}

const data = M.toArrays(M.uniform(32, 3, -1, 1)(M.rng(5))[0])
const options = { trainData: data, trainLabels: data.map(([a, b]) => [a! > b! ? 1 : 0, a! > 0 ? 1 : 0]), numEpochs: 3, learningRate: 0.1, batchSize: 8, loss: mse }
const net = sigmoidNet([3, 4, 2], 1)

/** The error a run rejects with. */
const rejection = async (platform: Platform, workers: number): Promise<Error> => {
  const error: unknown = await trainAsyncOn(platform)({ ...options, workers })(net).then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(error instanceof Error)) throw new Error(`expected the run to reject with an Error, got ${String(error)}`)
  return error
}

describe('a worker that dies during a run', () => {
  it('while computing a step: the run rejects naming the worker, the step (epoch, batch) and the exit code, the error as its cause', async () => {
    const exit = new Error('the worker thread exited with code 7')
    const error = await rejection(failing({ kind: 'shard', n: 6 }, exit), 2) // 4 batches an epoch: the 6th step is epoch 2's 2nd batch
    expect(error.message).toBe('worker 1 of 1 failed while computing the gradients of shard 1 of 1 for step 6 (epoch 2, batch 2 of 4): the worker thread exited with code 7')
    expect(error.cause).toBe(exit)
  })

  it('with more workers: the one that died, among them', async () => {
    const thrown = new TypeError('Cannot read properties of undefined')
    const error = await rejection(failing({ kind: 'shard', n: 1 }, thrown), 3)
    expect(error.message).toBe('worker 1 of 2 failed while computing the gradients of shard 1 of 2 for step 1 (epoch 1, batch 1 of 4): Cannot read properties of undefined')
    expect(error.cause).toBe(thrown) // its stack is the worker's
  })

  it("while measuring an epoch: the run rejects naming that epoch's measures", async () => {
    const validation = M.toArrays(M.uniform(600, 3, -1, 1)(M.rng(6))[0]) // 3 chunks of at most 256: the worker measures some
    const measured = { validationData: validation, validationLabels: validation.map(([a, b]) => [a! > b! ? 1 : 0, a! > 0 ? 1 : 0]) }
    const error: unknown = await trainAsyncOn(failing({ kind: 'scores', n: 2 }, new Error('out of memory')))({ ...options, ...measured, workers: 2 })(net).then(
      () => undefined,
      (e: unknown) => e
    )
    if (!(error instanceof Error)) throw new Error(`expected the run to reject with an Error, got ${String(error)}`)
    expect(error.message).toBe('worker 1 of 1 failed while computing the scores of chunk group 1 of 1 for the measures of epoch 2: out of memory')
  })
})

describe("a Node worker thread's port", () => {
  /** A stand-in for a Worker: records its listeners, so that a test can make it exit. */
  const fakeThread = () => {
    const listeners = new Map<string, Array<(value: unknown) => void>>()
    const thread = {
      postMessage: () => undefined,
      on: (event: string, f: (value: unknown) => void) => (listeners.set(event, [...(listeners.get(event) ?? []), f]), thread),
      ref: () => undefined,
      unref: () => undefined,
      removeAllListeners: (event: string) => (listeners.delete(event), thread),
      terminate: async () => 0
    }
    return { thread, emit: (event: string, value: unknown) => listeners.get(event)?.forEach((f) => f(value)) }
  }

  it('reports every exit the pool did not ask for, code 0 included, and none after terminate', async () => {
    const { portOf } = await import('../src/node.js')
    for (const [code, message] of [
      [0, 'the worker thread exited (code 0) while the run still needed it'],
      [7, 'the worker thread exited with code 7']
    ] as const) {
      const { thread, emit } = fakeThread()
      const errors: string[] = []
      portOf(thread as never).listen(() => undefined, (e) => errors.push(e.message))
      emit('exit', code)
      expect(errors).toEqual([message])
    }
    const { thread, emit } = fakeThread()
    const errors: string[] = []
    const port = portOf(thread as never)
    port.listen(() => undefined, (e) => errors.push(e.message))
    port.terminate()
    emit('exit', 1)
    expect(errors).toEqual([])
  })
})
