/**
 * The training worker: it receives a task's data, settings and starting network, runs
 * `epochsAsync` on them (the `workers` setting can share each batch with further workers), and
 * posts the epochs' reports with the network and its decision boundary at most every few tens
 * of milliseconds, so that the page only draws. Pause holds the run between two epochs; Stop
 * aborts it before the next batch.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as N from '@purenn/network'
import { epochsAsync, type EpochReport } from '@purenn/training'
import { boundaryGrid } from './grid.js'
import { lossOf, optimizerOf, outputsFor, targetOf } from './model.js'
import type { FromWorker, Outcome, TaskData, ToWorker } from './protocol.js'
import type { Settings } from './settings.js'

/** The global scope of a dedicated worker, as far as used here (the page's types are the DOM's). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null
  postMessage(message: FromWorker, transfer?: Transferable[]): void
}
const scope = self as unknown as WorkerScope

/** The one run this worker holds: its abort controller, its pause, its step count. */
interface Run {
  readonly controller: AbortController
  step: number
  stepAtStop: number | undefined
  /** Resolves the pause in progress, if any. */
  resume: (() => void) | undefined
  pauseRequested: boolean
}

/** The worker's state: the run in progress, if any. */
const state: { run: Run | undefined } = { run: undefined }

const post = (message: FromWorker): void => {
  const grid = 'grid' in message ? message.grid : undefined
  scope.postMessage(message, grid === undefined ? [] : [grid.buffer as ArrayBuffer])
}

/**
 * How long to gather epochs before posting them: 10 times a second (each message redraws the
 * chart, the boundary and the network, and the page shares two cores with this worker), less
 * often for big networks, whose JSON costs more.
 */
const intervalFor = (net: N.Network): number => {
  const params = net.layers.reduce((n, l) => n + l.weights.data.length + l.bias.data.length, 0)
  return Math.min(500, Math.max(100, params / 100))
}

const train = async (settings: Settings, data: TaskData, start: N.Network, withGrid: boolean, run: Run): Promise<void> => {
  const outputs = outputsFor(data.classes, settings.loss)
  const targets = (labels: ReadonlyArray<number>): number[][] => labels.map((l) => targetOf(l, outputs))
  const validation = data.testInputs.length > 0 ? { validationData: data.testInputs, validationLabels: targets(data.testLabels) } : {}
  const items = epochsAsync({
    trainData: data.inputs,
    trainLabels: targets(data.labels),
    ...validation,
    numEpochs: settings.epochs,
    optimizer: optimizerOf(settings.optimizer, settings.learningRate),
    loss: lossOf(settings.loss),
    batchSize: Math.min(settings.batchSize, data.inputs.length),
    seed: settings.seed,
    workers: settings.workers,
    signal: run.controller.signal,
    onBatch: (p) => void (run.step = p.step)
  })(start)

  const interval = intervalFor(start)
  const gridOf = (net: N.Network): Float32Array | undefined => (withGrid ? boundaryGrid(net) : undefined)
  let pending: EpochReport[] = []
  let last = 0
  let net = start
  const flush = (): void => {
    post({ type: 'progress', reports: pending, network: N.encodeNetwork(net), grid: gridOf(net), step: run.step })
    pending = []
    last = performance.now()
  }
  const end = (outcome: Outcome, message: string, final: N.Network | undefined): void => {
    const shown = final ?? net
    post({ type: 'done', outcome, message, reports: pending, network: N.encodeNetwork(shown), grid: gridOf(shown), step: run.step, stepAtStop: run.stepAtStop })
  }

  try {
    for await (const item of items) {
      if (E.isLeft(item)) {
        const e = item.left
        const outcome: Outcome = e._tag === 'Aborted' ? 'stopped' : e._tag === 'Diverged' ? 'diverged' : 'failed'
        return end(outcome, e.message, 'network' in e ? e.network : undefined)
      }
      net = item.right.network
      pending.push(item.right.report)
      if (performance.now() - last >= interval) flush()
      if (run.pauseRequested) {
        flush()
        post({ type: 'paused', step: run.step })
        await new Promise<void>((resume) => (run.resume = resume))
      }
    }
    end('finished', `trained ${settings.epochs} epochs`, undefined)
  } catch (error) {
    end('failed', error instanceof Error ? error.message : String(error), undefined)
  }
}

scope.onmessage = (event) => {
  const message = event.data
  const run = state.run
  switch (message.type) {
    case 'start': {
      const decoded = N.decodeNetwork(message.network)
      if (E.isLeft(decoded)) {
        post({ type: 'done', outcome: 'failed', message: decoded.left.message, reports: [], network: undefined, grid: undefined, step: 0, stepAtStop: undefined })
        return
      }
      const next: Run = { controller: new AbortController(), step: 0, stepAtStop: undefined, resume: undefined, pauseRequested: false }
      state.run = next
      void train(message.settings, message.data, decoded.right, message.withGrid, next).finally(() => {
        if (state.run === next) state.run = undefined
      })
      return
    }
    case 'pause':
      if (run !== undefined) run.pauseRequested = true
      return
    case 'resume':
      if (run === undefined) return
      run.pauseRequested = false
      run.resume?.()
      run.resume = undefined
      return
    case 'stop':
      if (run === undefined) return
      run.stepAtStop = run.step
      run.controller.abort()
      run.pauseRequested = false
      run.resume?.()
      return
  }
}
