// trainAsync and epochsAsync of @purenn/training/node with real worker threads. A worker
// thread runs JavaScript, not the TypeScript sources vitest runs, so these tests take the
// Node entry from the built package (dist/, which the test run's global setup builds first:
// test/globalSetup.ts); the sync runs they compare with come from the sources.
import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Network } from '@purenn/network'
import { adam, sampleSet, train, type GradientTransformation, type TrainOptions } from '@purenn/training'
import { chunksOf, measure } from '../src/measure.js'
import { columns, netOf, paramsOf, right, sigmoidNet } from './helpers.js'

const entry = new URL('../dist/node.js', import.meta.url)
if (!existsSync(entry)) throw new Error(`${fileURLToPath(entry)} is missing: the test run's global setup builds it (test/globalSetup.ts); or run npx tsc -b packages/training`)
const { trainAsync, epochsAsync } = (await import(entry.href)) as typeof import('../src/node.js')

/** 96 samples of a smooth map from 3 inputs to 2 outputs in (0, 1). */
const data = M.toArrays(M.uniform(96, 3, -1, 1)(M.rng(5))[0])
const labels = data.map(([a, b, c]) => [0.5 + 0.4 * Math.tanh(a! - b!), 0.5 + 0.4 * Math.sin(b! * c! + a!)])
const net = sigmoidNet([3, 12, 2], 6)

const base: TrainOptions = { trainData: data, trainLabels: labels, numEpochs: 4, batchSize: 16, learningRate: 0.5, seed: 3 } // 6 steps an epoch

/** The largest |θ| of a network: the scale of its rounding errors. */
const scale = (n: Network): number => Math.max(1, ...paramsOf(n).map(Math.abs))

describe('workers share each batch: the single-worker run up to rounding, the same bits every time', () => {
  const cases: Array<[string, TrainOptions]> = [
    ['sgd', base],
    ['adam, a validation set', { ...base, learningRate: undefined, optimizer: adam({ learningRate: 0.02 }) as unknown as GradientTransformation<unknown>, validationData: data.slice(0, 20), validationLabels: labels.slice(0, 20) }]
  ]

  it.each(cases)('%s: 1, 2 and 4 workers', async (_name, options) => {
    const sync = right(train(options)(net))
    const one = right(await trainAsync({ ...options, workers: 1 })(net))
    expect(paramsOf(one.network)).toEqual(paramsOf(sync.network)) // one worker: this thread, train's steps exactly
    const steps = 4 * 6
    // Sharding regroups each gradient's sum over the batch: an error of a few ulps of the
    // parameters' scale a step, carried through the run's 24 steps (with room for their growth).
    const tol = steps * 1024 * Number.EPSILON * scale(sync.network)
    for (const workers of [2, 4]) {
      const a = right(await trainAsync({ ...options, workers })(net))
      const b = right(await trainAsync({ ...options, workers })(net))
      expect(paramsOf(b.network)).toEqual(paramsOf(a.network)) // same count, same bits
      expect(b.history.map((r) => r.loss)).toEqual(a.history.map((r) => r.loss))
      const diff = Math.max(...paramsOf(a.network).map((v, i) => Math.abs(v - paramsOf(sync.network)[i]!)))
      expect(diff).toBeLessThanOrEqual(tol)
      expect(diff).toBeGreaterThan(0) // the shards really were summed apart (else this test would check nothing)
      a.history.forEach((r, e) => expect(Math.abs(r.loss - sync.history[e]!.loss)).toBeLessThanOrEqual(tol))
      expect(a.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4])
    }
  })

  it('more workers than samples in a batch: each sample its own shard, the rest idle', async () => {
    const options = { ...base, batchSize: 3, numEpochs: 1 } // batches of 3, the last of 0 … 3
    const sync = right(train(options)(net))
    const many = right(await trainAsync({ ...options, workers: 5 })(net))
    const diff = Math.max(...paramsOf(many.network).map((v, i) => Math.abs(v - paramsOf(sync.network)[i]!)))
    expect(diff).toBeLessThanOrEqual(32 * 1024 * Number.EPSILON * scale(sync.network))
  })

  it('epochsAsync gives the states of the same run as trainAsync', async () => {
    const items = []
    for await (const item of epochsAsync({ ...base, workers: 2 })(net)) items.push(right(item))
    const folded = right(await trainAsync({ ...base, workers: 2 })(net))
    expect(items.map((s) => s.step)).toEqual([6, 12, 18, 24])
    expect(paramsOf(items.at(-1)!.network)).toEqual(paramsOf(folded.network))
  })
})

describe('the networks a run with workers hands out', () => {
  it('are never written after: each epoch’s state, and the network it started from, keep their values while the run goes on', async () => {
    const start = paramsOf(net)
    const states: Array<{ readonly network: Network; readonly params: number[] }> = []
    for await (const item of epochsAsync({ ...base, numEpochs: 5, workers: 2 })(net)) {
      const state = right(item)
      states.push({ network: state.network, params: paramsOf(state.network) }) // as handed out; the run goes on
    }
    expect(states).toHaveLength(5)
    for (const s of states) expect(paramsOf(s.network)).toEqual(s.params)
    expect(new Set(states.flatMap((s) => s.network.layers.map((l) => l.weights.data))).size).toBe(5 * net.layers.length) // no two share a buffer
    expect(paramsOf(net)).toEqual(start)
  })
})

describe('the epoch’s measures, shared among the workers chunk by chunk', () => {
  it('are those of measuring on one thread, bit for bit (a set of 10 chunks gathered each epoch, and one of 3 held for the run, over 2 and 3 threads)', async () => {
    for (const n of [2500, 600]) {
      const rows = M.toArrays(M.uniform(n, 3, -1, 1)(M.rng(8))[0]) // chunks of CHUNK = 256; a set of over 1,024 samples is gathered each epoch
      const classes = rows.map(([a, b]) => (a! * b! > 0 ? [1, 0] : [0, 1]))
      const small = sigmoidNet([3, 4, 2], 2)
      const options: TrainOptions = { trainData: rows.slice(0, 300), trainLabels: classes.slice(0, 300), validationData: rows, validationLabels: classes, numEpochs: 2, batchSize: 100, learningRate: 0.5 }
      const validation = sampleSet(columns(rows), columns(classes))
      for (const workers of [2, 3]) {
        for await (const item of epochsAsync({ ...options, workers })(small)) {
          const state = right(item)
          const m = measure(state.network, chunksOf(validation)(), N.mse, true)
          expect([state.report.error, state.report.validationLoss, state.report.accuracy]).toEqual([m.error, m.loss, m.accuracy])
        }
      }
    }
  })
})

describe('abort with workers', () => {
  it('between two steps: the network after the last finished step', async () => {
    const controller = new AbortController()
    let steps = 0
    const r = await trainAsync({ ...base, workers: 2, signal: controller.signal, onBatch: (p) => ((steps = p.step), p.step === 12 ? controller.abort() : undefined) })(net)
    expect(steps).toBe(12)
    if (E.isRight(r) || r.left._tag !== 'Aborted') throw new Error('expected Aborted')
    const twoEpochs = right(await trainAsync({ ...base, numEpochs: 2, workers: 2 })(net))
    expect(paramsOf(r.left.network)).toEqual(paramsOf(twoEpochs.network))
    expect(r.left.history).toHaveLength(1) // the second epoch's steps are done, but it was stopped before being measured
  })

  it('while the workers compute: the run stops without waiting for them, and takes no other step', async () => {
    const controller = new AbortController()
    let steps = 0
    let stepsAtAbort = -1
    const big = sigmoidNet([3, 64, 64, 2], 1)
    // The abort is armed after the first step (not at a fixed time, which a loaded machine
    // could reach before any step) and fires from a timer while later steps are computing.
    const abortSoon = (): void => {
      setTimeout(() => {
        stepsAtAbort = steps
        controller.abort()
      }, 20)
    }
    const onBatch = (): void => {
      steps++
      if (steps === 1) abortSoon()
    }
    const long = { ...base, numEpochs: 10_000, batchSize: 96, workers: 2, signal: controller.signal, onBatch }
    const r = await trainAsync(long)(big)
    expect(stepsAtAbort).toBeGreaterThan(0)
    expect(steps).toBe(stepsAtAbort)
    expect(E.isLeft(r) && r.left._tag).toBe('Aborted')
  })
})

describe('divergence with workers', () => {
  it('ends the run with a Left Diverged carrying the last finite network, as on one thread', async () => {
    const [grows] = N.randomize(0.5, 0.5)(N.addLayer({ nodes: 1, activation: N.linear })(N.network(1)))(M.rng(0)) // linear: |w| grows ×~10⁵ a step
    const options = { trainData: [[10], [10]], trainLabels: [[0], [0]], numEpochs: 1000, learningRate: 1000, batchSize: 2 }
    const one = await trainAsync(options)(grows)
    const two = await trainAsync({ ...options, workers: 2 })(grows)
    if (E.isRight(one) || E.isRight(two) || one.left._tag !== 'Diverged' || two.left._tag !== 'Diverged') throw new Error('expected both to diverge')
    expect(paramsOf(two.left.network).every(Number.isFinite)).toBe(true)
    expect([two.left.epoch, two.left.step, two.left.message]).toEqual([one.left.epoch, one.left.step, one.left.message]) // the two shards are equal: the same numbers
  })
})

describe('what workers cannot do', () => {
  it('a custom activation or loss stays on one thread, with a message saying why', async () => {
    const linear = netOf([{ weights: [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]], bias: [0, 0] }])
    const r = await trainAsync({ ...base, workers: 2 })(linear)
    expect(r).toEqual(
      E.left({
        _tag: 'InvalidOptions',
        path: 'workers',
        message: 'workers: expected 1 with a custom activation ("linear" in layer 0): a worker knows only the built-in activations, got 2'
      })
    )
    const custom = { ...N.mse, name: 'myLoss' }
    const l = await trainAsync({ ...base, loss: custom, workers: 2 })(net)
    expect(E.isLeft(l) && l.left.message).toMatch(/^workers: expected 1 with a custom loss \("myLoss"\)/)
    expect(E.isRight(await trainAsync({ ...base, numEpochs: 1, loss: custom })(net))).toBe(true)
  })
})

describe('the pool ends with the run: a Node program exits by itself', () => {
  const program = fileURLToPath(new URL('./fixtures/workersExit.mjs', import.meta.url))
  const run = promisify(execFile)

  it.each([
    ['finish', { tag: 'Right', epochs: 3 }],
    ['abandon', { tag: 'Right', epoch: 1 }],
    ['break', { epochs: 1 }]
  ])('%s', async (how, printed) => {
    const { stdout } = await run(process.execPath, [program, how], { timeout: 30_000 }) // rejects if killed by the timeout
    expect(JSON.parse(stdout)).toEqual(printed)
  })
})
