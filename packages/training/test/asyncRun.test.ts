// trainAsync and epochsAsync on one worker: the same run as train and epochs, bit for bit,
// that gives the event loop turns and stops on its signal between two steps.
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import { mse, type Network } from '@purenn/network'
import {
  adam,
  epochs,
  epochsAsync,
  sampleSet,
  shuffledBatches,
  sgd,
  train,
  trainAsync,
  trainStep,
  type EpochReport,
  type EpochState,
  type GradientTransformation,
  type TrainError,
  type TrainOptions,
  type TrainState
} from '@purenn/training'
import { columns, netOf, paramsOf, right, sigmoidNet, xorData, xorLabels } from './helpers.js'
import type { Platform, WorkerPort } from '../src/async/pool.js'
import type { Reply, ToWorker } from '../src/async/protocol.js'
import { worker } from '../src/async/serve.js'
import { trainAsyncOn } from '../src/async/trainAsync.js'

/** An optimizer as the options' default type holds it (a case list mixes optimizers of several states). */
const erase = <S>(tx: GradientTransformation<S>): GradientTransformation<unknown> => tx as unknown as GradientTransformation<unknown>

/** A report without its time, the one field that is not deterministic. */
const timeless = ({ ms: _ms, ...rest }: EpochReport) => rest

/** Everything of an epoch state but the report's time, as comparable values (parameters flattened). */
const stateOf = (s: EpochState<unknown>) => ({
  epoch: s.epoch,
  step: s.step,
  network: paramsOf(s.network),
  optimizerState: s.optimizerState,
  rng: s.rng,
  report: timeless(s.report),
  best: s.best === undefined ? undefined : { epoch: s.best.epoch, loss: s.best.loss, network: paramsOf(s.best.network) }
})

const itemOf = (item: E.Either<TrainError, EpochState<unknown>>) => (E.isLeft(item) ? item : E.right(stateOf(item.right)))

const collectAsync = async <A>(items: AsyncIterable<A>): Promise<A[]> => {
  const out: A[] = []
  for await (const item of items) out.push(item)
  return out
}

/** 64 samples of a smooth function of 3 inputs, 2 outputs in (0, 1): enough batches to take many steps. */
const wavy = (() => {
  const r = M.uniform(64, 3, -1, 1)(M.rng(7))[0]
  const data = M.toArrays(r)
  const labels = data.map(([a, b, c]) => [0.5 + 0.4 * Math.sin(a! + b!), 0.5 + 0.4 * Math.cos(b! * c!)])
  return { data, labels }
})()

/** The XOR data set as `batches` sees it. */
const xorSet = sampleSet(columns(xorData), columns(xorLabels))

/**
 * The network after `k` steps of the sync run of `options` (batch size `batchSize`): the epochs
 * before by `epochs`, then the steps of the next epoch folded by hand with `trainStep`.
 */
const afterSteps = (options: TrainOptions, net: Network, k: number, perEpoch: number, batchSize: number): Network => {
  const whole = Math.floor(k / perEpoch)
  let st: TrainState<unknown>
  if (whole === 0) st = { network: net, opt: (options.optimizer ?? sgd({ learningRate: options.learningRate as number })).init(net), rng: M.rng(options.seed ?? 0), step: 0 }
  else {
    const items = [...right(epochs({ ...options, numEpochs: whole })(net))].map(right)
    const last = items.at(-1)!
    st = { network: last.network, opt: last.optimizerState, rng: last.rng, step: last.step }
  }
  const [bs] = shuffledBatches(xorSet, batchSize)(st.rng)
  const step = trainStep(mse, options.optimizer ?? erase(sgd({ learningRate: options.learningRate as number })))
  for (const batch of bs.slice(0, k - whole * perEpoch)) st = step(st, batch)
  return st.network
}

describe('trainAsync and epochsAsync give the sync run, bit for bit', () => {
  const cases: Array<[string, TrainOptions]> = [
    ['sgd, one sample a batch (the tutorial)', { trainData: xorData, trainLabels: xorLabels, numEpochs: 300, learningRate: 0.5 }],
    [
      'sgd on a schedule, batches of 3, a validation set, metrics, verbose',
      {
        trainData: wavy.data,
        trainLabels: wavy.labels,
        validationData: wavy.data.slice(0, 16),
        validationLabels: wavy.labels.slice(0, 16),
        numEpochs: 40,
        learningRate: (t: number) => 0.5 / (1 + t / 100),
        batchSize: 3,
        seed: 11,
        verbose: 10,
        metrics: ['loss']
      }
    ],
    ['adam, batches of 8, early stopping', { trainData: wavy.data, trainLabels: wavy.labels, numEpochs: 60, optimizer: erase(adam({ learningRate: 0.05 })), batchSize: 8, earlyStopping: { patience: 2, minDelta: 1e-3 } }],
    ['XOR accuracy, onEpoch stops it', { trainData: xorData, trainLabels: xorLabels, numEpochs: 500, learningRate: 1, onEpoch: (r: EpochReport) => (r.epoch === 77 ? 'stop' : undefined) }]
  ]

  it.each(cases)('%s: trainAsync = train', async (_name, options) => {
    const net = sigmoidNet([options.trainData === xorData ? 2 : 3, 4, options.trainData === xorData ? 1 : 2], 3)
    const linesSync: string[] = []
    const linesAsync: string[] = []
    const progressSync: unknown[] = []
    const progressAsync: unknown[] = []
    const sync = right(train({ ...options, logger: (l) => linesSync.push(l), onBatch: (p) => progressSync.push(p) })(net))
    const async = right(await trainAsync({ ...options, logger: (l) => linesAsync.push(l), onBatch: (p) => progressAsync.push(p) })(net))
    expect(paramsOf(async.network)).toEqual(paramsOf(sync.network))
    expect(async.history.map(timeless)).toEqual(sync.history.map(timeless))
    expect(progressAsync).toEqual(progressSync)
    expect(linesAsync.map((l) => l.replace(/; .*/, ''))).toEqual(linesSync.map((l) => l.replace(/; .*/, '')))
    expect(linesAsync.length).toBe(options.verbose === 10 ? 4 : 0)
  })

  it.each(cases)('%s: epochsAsync = epochs', async (_name, options) => {
    const net = sigmoidNet([options.trainData === xorData ? 2 : 3, 4, options.trainData === xorData ? 1 : 2], 5)
    const quiet = { ...options, logger: () => undefined }
    const sync = [...right(epochs(quiet)(net))].map(itemOf)
    const async = (await collectAsync(epochsAsync(quiet)(net))).map(itemOf)
    expect(async).toEqual(sync)
    expect(async.length).toBeGreaterThan(1)
  })

  it('a diverging run ends alike: the same Left, with the last finite network and the history', async () => {
    const options = { trainData: [[10]], trainLabels: [[0]], numEpochs: 1000, learningRate: 1000 }
    const net = netOf([{ weights: [[0.5]], bias: [0.1] }]) // linear: |w| grows ×~10⁵ a step
    const sync = train(options)(net)
    const async = await trainAsync(options)(net)
    if (E.isRight(sync) || E.isRight(async) || sync.left._tag !== 'Diverged' || async.left._tag !== 'Diverged') throw new Error('expected both to diverge')
    expect({ ...async.left, network: paramsOf(async.left.network), history: async.left.history!.map(timeless) }).toEqual({
      ...sync.left,
      network: paramsOf(sync.left.network),
      history: sync.left.history!.map(timeless)
    })
  })

  it('each iteration of epochsAsync replays the run; breaking out ends it', async () => {
    const options = { trainData: xorData, trainLabels: xorLabels, numEpochs: 5, learningRate: 0.5 }
    const run = epochsAsync(options)(sigmoidNet([2, 2, 1], 1))
    const first = (await collectAsync(run)).map(itemOf)
    const second = (await collectAsync(run)).map(itemOf)
    expect(second).toEqual(first)
    let epochsRun = 0
    for await (const item of epochsAsync({ ...options, onEpoch: () => void epochsRun++ })(sigmoidNet([2, 2, 1], 1))) {
      if (right(item).epoch === 2) break
    }
    expect(epochsRun).toBe(2)
  })
})

describe('abort', () => {
  const options = { trainData: xorData, trainLabels: xorLabels, numEpochs: 50, learningRate: 0.5, batchSize: 3 } // 2 steps an epoch
  const net = sigmoidNet([2, 3, 1], 2)

  it.each([1, 2, 7, 30])('aborted during step %i, the run ends there with the network that step left', async (k) => {
    const controller = new AbortController()
    let steps = 0
    const result = await trainAsync({
      ...options,
      signal: controller.signal,
      onBatch: (p) => {
        steps = p.step
        if (p.step === k) controller.abort()
      }
    })(net)
    expect(steps).toBe(k) // no step after the abort
    if (E.isRight(result) || result.left._tag !== 'Aborted') throw new Error('expected Aborted')
    expect(paramsOf(result.left.network)).toEqual(paramsOf(afterSteps(options, net, k, 2, 3)))
    const epoch = Math.ceil(k / 2) // the epoch of step k, stopped before its next step or, after its last, before it is measured
    expect(result.left.message).toBe(`Aborted in epoch ${epoch}, after step ${k}: the network returned is the one that step left`)
    expect(result.left.history!.map((r) => r.epoch)).toEqual(Array.from({ length: epoch - 1 }, (_, i) => i + 1))
  })

  it('epochsAsync ends with the Aborted item after the epochs completed before', async () => {
    const controller = new AbortController()
    const items = await collectAsync(epochsAsync({ ...options, signal: controller.signal, onBatch: (p) => (p.step === 5 ? controller.abort() : undefined) })(net))
    expect(items.map((i) => (E.isLeft(i) ? i.left._tag : i.right.epoch))).toEqual([1, 2, 'Aborted'])
    const last = items.at(-1)!
    if (E.isRight(last) || last.left._tag !== 'Aborted') throw new Error('expected Aborted')
    expect(paramsOf(last.left.network)).toEqual(paramsOf(afterSteps(options, net, 5, 2, 3)))
  })

  it('an already aborted signal stops the run before its first step, with the starting network', async () => {
    const controller = new AbortController()
    controller.abort()
    let batches = 0
    const result = await trainAsync({ ...options, signal: controller.signal, onBatch: () => void batches++ })(net)
    expect(batches).toBe(0)
    expect(result).toEqual(E.left({ _tag: 'Aborted', network: net, history: [], message: 'Aborted before the first step: the network returned is the one the run started from' }))
    const items = await collectAsync(epochsAsync({ ...options, signal: controller.signal })(net))
    expect(items).toHaveLength(1)
    expect(E.isLeft(items[0]!) && items[0].left._tag).toBe('Aborted')
  })

  it('an abort from another task (a timer) is heard at the next turn: no step is taken after it', async () => {
    const controller = new AbortController()
    let steps = 0
    let stepsAtAbort = -1
    const long = { ...options, trainData: wavy.data, trainLabels: wavy.labels, numEpochs: 100_000, batchSize: 1 }
    const start = sigmoidNet([3, 8, 2], 4)
    // Armed at the first step, not before the run: on a loaded machine a timer armed before it
    // can be due at the run's first turn, which may come before its first step.
    const onBatch = (p: { readonly step: number }): void => {
      steps = p.step
      if (steps === 1)
        setTimeout(() => {
          stepsAtAbort = steps
          controller.abort()
        }, 20)
    }
    const result = await trainAsync({ ...long, signal: controller.signal, onBatch })(start)
    expect(stepsAtAbort).toBeGreaterThan(0)
    expect(steps).toBe(stepsAtAbort) // the abort stopped the run before its next step
    if (E.isRight(result) || result.left._tag !== 'Aborted') throw new Error('expected Aborted')
    expect(result.left.message).toContain(`after step ${stepsAtAbort}:`)
  })
})

/**
 * The steps after which a 1 ms interval fired while a run went on (between its first and its
 * last step), how many steps it took and how long. `go` runs it with the `onBatch` given.
 */
const timersDuring = async (go: (onBatch: () => void) => Promise<unknown>): Promise<{ readonly during: number[]; readonly steps: number; readonly ms: number }> => {
  let steps = 0
  const fired: number[] = []
  const timer = setInterval(() => fired.push(steps), 1)
  try {
    const start = performance.now()
    await go(() => void steps++)
    return { during: fired.filter((s) => s > 0 && s < steps), steps, ms: performance.now() - start }
  } finally {
    clearInterval(timer)
  }
}

describe('the event loop runs during a run', () => {
  it('timers fire between batches, while the run goes on', async () => {
    const options = { trainData: wavy.data, trainLabels: wavy.labels, numEpochs: 300, learningRate: 0.1 }
    const { during, steps, ms } = await timersDuring(async (onBatch) => right(await trainAsync({ ...options, onBatch })(sigmoidNet([3, 8, 2], 4))))
    expect(steps).toBe(300 * 64)
    // the interval fired while the run was between its first and its last step, about once a slice
    expect(during.length).toBeGreaterThanOrEqual(Math.max(1, Math.min(3, Math.floor(ms / 20))))
    expect(new Set(during).size).toBe(during.length) // each turn came after more steps
  })
})

/** Workers that answer at once, inside `post`: every wait of the run for them is over before it begins. */
const instant: Platform = {
  missing: '',
  spawn: (): WorkerPort => {
    const handle = worker()
    let reply: (r: Reply) => void = () => undefined
    return {
      post: (message: ToWorker) => {
        const answer = handle(message)
        if (answer === undefined) return
        reply(answer.reply)
        answer.then()
      },
      listen: (onReply) => void (reply = onReply),
      hold: () => undefined,
      terminate: () => undefined
    }
  }
}

describe('the event loop runs while an epoch is measured', () => {
  // 8 chunks of 256: more than a run holds (1,024 samples), so each chunk is gathered as it is measured
  const rows = M.toArrays(M.uniform(2048, 64, -1, 1)(M.rng(4))[0])
  const labels = rows.map((r) => Array.from({ length: 10 }, (_, k) => (k === (r[0]! > 0 ? 1 : 0) ? 1 : 0)))
  const net = sigmoidNet([64, 512, 10], 2)
  // one step an epoch: after it, the measure, long next to a turn's 8 ms
  const options = { trainData: rows.slice(0, 8), trainLabels: labels.slice(0, 8), validationData: rows, validationLabels: labels, numEpochs: 4, batchSize: 8, learningRate: 0.1 }

  it.each([1, 2])('timers fire between the chunks of a large validation set (%i workers)', async (workers) => {
    let measuring = false
    let firedWhileMeasuring = 0
    const timer = setInterval(() => void (measuring && firedWhileMeasuring++), 1)
    try {
      const a = right(await trainAsyncOn(instant)({ ...options, workers, onBatch: () => void (measuring = true), onEpoch: () => void (measuring = false) })(net))
      if (workers === 1) expect(a.history.map(timeless)).toEqual(right(train(options)(net)).history.map(timeless)) // measured chunk by chunk: train's bits
      expect(firedWhileMeasuring).toBeGreaterThan(options.numEpochs) // more than the one turn an epoch may take before it is measured
    } finally {
      clearInterval(timer)
    }
  })

  it.each([1, 2])('an abort while an epoch is measured ends the run with the network its steps left, the epoch unreported (%i workers)', async (workers) => {
    const controller = new AbortController()
    let measuring = false
    const timer = setInterval(() => void (measuring && controller.abort()), 1)
    try {
      const once = { ...options, numEpochs: 1, workers }
      const r = await trainAsyncOn(instant)({ ...once, signal: controller.signal, onBatch: () => void (measuring = true) })(net)
      if (E.isRight(r) || r.left._tag !== 'Aborted') throw new Error(`expected Aborted, got ${JSON.stringify(E.isRight(r) ? 'a result' : r.left._tag)}`)
      expect(r.left.history).toEqual([])
      expect(paramsOf(r.left.network)).toEqual(paramsOf(right(await trainAsyncOn(instant)(once)(net)).network)) // the step was taken; only its measures were not
    } finally {
      clearInterval(timer)
    }
  })
})

describe('the event loop runs during a run with workers', () => {
  it('timers fire between batches even when the workers have always answered before the run waits', async () => {
    // A wait for an answer that is in already lets nothing else run (in Node, neither does one
    // for answers queued while this thread computed: a port hands them over in one go), so
    // such waits must not stand for the run's turns.
    const options = { trainData: wavy.data, trainLabels: wavy.labels, numEpochs: 200, batchSize: 8, learningRate: 0.1, workers: 2 }
    const { during, steps, ms } = await timersDuring(async (onBatch) => right(await trainAsyncOn(instant)({ ...options, onBatch })(sigmoidNet([3, 8, 2], 4))))
    expect(steps).toBe(200 * 8)
    expect(during.length).toBeGreaterThanOrEqual(Math.max(1, Math.min(3, Math.floor(ms / 20))))
  })
})

describe('options of the async runs', () => {
  const base = { trainData: xorData, trainLabels: xorLabels, numEpochs: 1, learningRate: 0.1 }
  const net = sigmoidNet([2, 2, 1], 0)

  it('train and epochs refuse a signal and workers, naming the async versions', () => {
    const controller = new AbortController()
    expect(train({ ...base, signal: controller.signal })(net)).toEqual(
      E.left({
        _tag: 'InvalidOptions',
        path: 'signal',
        message: 'signal: expected no signal: train and epochs never give the event loop a turn, so nothing could abort them (use trainAsync or epochsAsync)'
      })
    )
    const w = epochs({ ...base, workers: 2 })(net)
    expect(E.isLeft(w) && w.left.message).toBe('workers: expected 1: train and epochs run on this thread (use trainAsync or epochsAsync for workers), got 2')
    expect(E.isRight(train({ ...base, workers: 1 })(net))).toBe(true)
  })

  it('a bad signal or worker count is named', async () => {
    const bad = await trainAsync({ ...base, signal: { aborted: false } as never })(net)
    expect(E.isLeft(bad) && bad.left.message).toBe(
      'signal: expected an AbortSignal (an object with aborted, addEventListener and removeEventListener), got object'
    )
    const zero = await trainAsync({ ...base, workers: 0 })(net)
    expect(E.isLeft(zero) && zero.left.message).toBe('workers: expected a positive integer, got number 0')
    const half = await collectAsync(epochsAsync({ ...base, workers: 1.5 })(net))
    expect(half).toEqual([E.left({ _tag: 'InvalidOptions', path: 'workers', message: 'workers: expected a positive integer, got number 1.5' })])
    const typo = await trainAsync({ ...base, worker: 2 } as never)(net)
    expect(E.isLeft(typo) && typo.left.message).toMatch(/^worker: unknown option \(the options are .*, onBatch, signal, workers\)$/)
  })

  it('without Web Workers (Node), the core entry asks for @purenn/training/node', async () => {
    const r = await trainAsync({ ...base, workers: 2 })(net)
    expect(r).toEqual(
      E.left({
        _tag: 'InvalidOptions',
        path: 'workers',
        message:
          "workers: expected 1: this platform has no Web Workers (in Node, import trainAsync and epochsAsync from '@purenn/training/node' for worker threads), got 2"
      })
    )
  })
})
