// The worker pool, with in-process workers that run the real protocol handler after a delay
// of the test's choosing: lazy start, answers in shard order whatever order they arrive in,
// holding workers only while waiting, failures, and closing.
import { describe, expect, it, vi } from 'vitest'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { sampleSet } from '@purenn/training'
import { pool, type WorkerPort } from '../src/async/pool.js'
import type { Reply, ToWorker } from '../src/async/protocol.js'
import { worker } from '../src/async/serve.js'
import { entriesOf, paramsOf, sigmoidNet } from './helpers.js'

const net = sigmoidNet([3, 5, 2], 1)
const X = M.uniform(3, 12, -1, 1)(M.rng(2))[0]
const T = M.uniform(2, 12, 0, 1)(M.rng(3))[0]
const data = sampleSet(X, T)

/** Gradients of the listed samples on this thread. */
const expected = (samples: ReadonlyArray<number>) =>
  N.gradients(
    net,
    N.mse,
    M.fromFunction(3, samples.length, (i, j) => M.get(X, i, samples[j]!)),
    M.fromFunction(2, samples.length, (i, j) => M.get(T, i, samples[j]!))
  )

interface Fake {
  readonly spawned: number
  readonly log: string[]
  readonly spawn: () => WorkerPort
  readonly crash: (k: number, message: string) => void
}

/** In-process workers: worker k answers after `delays[k]` ms, through the real handler. */
const fakes = (delays: ReadonlyArray<number>): Fake => {
  const log: string[] = []
  const errors: Array<(e: Error) => void> = []
  let spawned = 0
  return {
    get spawned() {
      return spawned
    },
    log,
    crash: (k, message) => errors[k]!(new Error(message)),
    spawn: () => {
      const k = spawned++
      const handle = worker()
      let reply: (r: Reply) => void = () => undefined
      return {
        post: (message: ToWorker) => {
          log.push(`${k}:${message.kind}`)
          const answer = handle(message)
          if (answer !== undefined)
            setTimeout(() => {
              reply(answer.reply)
              answer.then()
            }, delays[k] ?? 0)
        },
        listen: (onReply, onError) => {
          reply = onReply
          errors[k] = onError
        },
        hold: (busy) => log.push(`${k}:${busy ? 'hold' : 'free'}`),
        terminate: () => log.push(`${k}:end`)
      }
    }
  }
}

describe('the worker pool', () => {
  it('starts nothing until asked, then sets each worker up once', async () => {
    const f = fakes([0, 0])
    const p = pool(f.spawn, 2, { loss: N.mse, data, measured: data, network: net })
    expect(f.spawned).toBe(0)
    await p.gradients(net, [[0, 1], [2, 3]])
    await p.gradients(net, [[4], [5]])
    expect(f.spawned).toBe(2)
    expect(f.log.filter((l) => l.endsWith('start'))).toEqual(['0:start', '1:start'])
    p.close()
  })

  it('answers in shard order, bit for bit, whichever worker answers first', async () => {
    const f = fakes([30, 0, 10])
    const p = pool(f.spawn, 3, { loss: N.mse, data, measured: data, network: net })
    const shards = [[0, 5, 7], [1, 2], [11, 3, 4, 6]]
    const results = await p.gradients(net, shards)
    results.forEach((r, k) => {
      const e = expected(shards[k]!)
      expect(r.size).toBe(shards[k]!.length)
      expect(r.loss).toBe(e.loss)
      expect(entriesOf(r.gradients)).toEqual(entriesOf(e.gradients))
    })
    p.close()
  })

  it('the shards gathered ahead are the ones asked for next, or else gathered again: the same bits either way', async () => {
    const f = fakes([0, 0])
    const p = pool(f.spawn, 2, { loss: N.mse, data, measured: data, network: net })
    await p.gradients(net, [[0, 1], [2, 3]], [[4, 5], [6, 7]])
    const check = (results: ReadonlyArray<{ gradients: N.Gradients }>, shards: number[][]): void => // read before the next request overwrites them
      results.forEach((r, k) => expect(entriesOf(r.gradients)).toEqual(entriesOf(expected(shards[k]!).gradients)))
    check(await p.gradients(net, [[4, 5], [6, 7]], [[8], [9]]), [[4, 5], [6, 7]])
    check(await p.gradients(net, [[10, 11], [1]]), [[10, 11], [1]]) // not the [8], [9] announced
    p.close()
  })

  it('shares its parameters buffer once started; a request whose parameters the caller wrote there is not copied over', async () => {
    const f = fakes([0, 0])
    const p = pool(f.spawn, 2, { loss: N.mse, data, measured: data, network: net })
    expect(p.sharedParameters()).toBeUndefined() // not started
    await p.gradients(net, [[0, 1], [2, 3]])
    const params = p.sharedParameters()!
    expect([...params]).toEqual(paramsOf(net))
    const other = sigmoidNet([3, 5, 2], 4)
    params.set(paramsOf(other)) // written by the caller, between requests
    const byOther = (samples: number[]) =>
      N.gradients(other, N.mse, M.fromFunction(3, samples.length, (i, j) => M.get(X, i, samples[j]!)), M.fromFunction(2, samples.length, (i, j) => M.get(T, i, samples[j]!)))
    const written = await p.gradients(net, [[4, 5], [6]], undefined, true) // `net` named, `other` written: the workers read what was written
    expect(entriesOf(written[0]!.gradients)).toEqual(entriesOf(byOther([4, 5]).gradients))
    expect([...params]).toEqual(paramsOf(other))
    const copied = await p.gradients(net, [[4, 5], [6]]) // not written: the pool writes `net` there
    expect(entriesOf(copied[0]!.gradients)).toEqual(entriesOf(expected([4, 5]).gradients))
    expect([...params]).toEqual(paramsOf(net))
    p.close()
  })

  it('without shared memory, it sends each request the parameters of the network it names, whatever the caller says it wrote', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined) // as on a page that is not cross-origin isolated
    try {
      const f = fakes([0, 0])
      const p = pool(f.spawn, 2, { loss: N.mse, data, measured: data, network: net })
      await p.gradients(net, [[0, 1], [2, 3]])
      expect(p.sharedParameters()).toBeUndefined()
      const results = await p.gradients(net, [[4, 5], [6]], undefined, true)
      expect(entriesOf(results[0]!.gradients)).toEqual(entriesOf(expected([4, 5]).gradients))
      p.close()
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('scores chunks of the measured set, group by group in order, for the network it is given', async () => {
    const validation = sampleSet(M.uniform(3, 9, -1, 1)(M.rng(7))[0], M.uniform(2, 9, 0, 1)(M.rng(8))[0])
    const f = fakes([20, 0])
    const p = pool(f.spawn, 2, { loss: N.mse, data, measured: validation, network: net })
    const other = sigmoidNet([3, 5, 2], 9) // not the network the pool was set up with: the parameters travel with the request
    const groups = await p.scores(other, [[[0, 4]], [[4, 6], [6, 9]]])
    const at = (from: number, to: number) =>
      N.scores(other, N.mse, M.fromFunction(3, to - from, (i, j) => M.get(validation.inputs.columns[from + j]!, i, 0)), M.fromFunction(2, to - from, (i, j) => M.get(validation.targets.columns[from + j]!, i, 0)))
    expect(groups).toEqual([[at(0, 4)], [at(4, 6), at(6, 9)]])
    p.close()
  })

  it('uses as many workers as there are shards, holds them while waiting, and lets them go after', async () => {
    const f = fakes([0, 0, 0])
    const p = pool(f.spawn, 3, { loss: N.mse, data, measured: data, network: net })
    await p.gradients(net, [[0], [1]])
    expect(f.log.filter((l) => !l.endsWith('start'))).toEqual(['0:hold', '1:hold', '0:shard', '1:shard', '0:free', '1:free'])
    p.close()
    expect(f.log.slice(-3)).toEqual(['0:end', '1:end', '2:end'])
    await expect(p.gradients(net, [[0]])).rejects.toThrow('the worker pool is closed')
  })

  it('a worker that fails fails the request, and every later one, naming the worker, what it was computing, and its error as the cause', async () => {
    const f = fakes([50, 50])
    const p = pool(f.spawn, 2, { loss: N.mse, data, measured: data, network: net })
    const pending = p.gradients(net, [[0], [1]], undefined, false, 'step 7 (epoch 2, batch 3 of 4)')
    f.crash(1, 'the worker thread exited with code 3')
    const error: unknown = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('worker 2 of 2 failed while computing the gradients of shard 2 of 2 for step 7 (epoch 2, batch 3 of 4): the worker thread exited with code 3')
    expect(((error as Error).cause as Error).message).toBe('the worker thread exited with code 3') // its own stack with it
    await expect(p.gradients(net, [[0]])).rejects.toThrow('worker 2 of 2 failed')
    p.close()
  })

  it('a worker that fails between requests says which it answered last', async () => {
    const f = fakes([0, 0])
    const p = pool(f.spawn, 2, { loss: N.mse, data, measured: data, network: net })
    await p.scores(net, [[[0, 4]], [[4, 6]]], 'the measures of epoch 1')
    f.crash(0, 'out of memory')
    await expect(p.gradients(net, [[0], [1]])).rejects.toThrow('worker 1 of 2 failed after answering the scores of chunk group 1 of 2 for the measures of epoch 1: out of memory')
    p.close()
  })

  it('a shard the worker cannot compute rejects with its message', async () => {
    const f = fakes([0])
    const p = pool(f.spawn, 1, { loss: N.mse, data, measured: data, network: net })
    await expect(p.gradients(net, [[99]], undefined, false, 'step 1 (epoch 1, batch 1 of 1)')).rejects.toThrow(
      /^worker 1 of 1 could not answer the gradients of shard 1 of 1 for step 1 \(epoch 1, batch 1 of 1\): .+/
    ) // no sample 99
    p.close()
  })
})
