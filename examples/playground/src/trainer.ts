/**
 * The page's side of training: it hands the task to the worker (trainer.worker.ts) and folds
 * the worker's messages into the store. Train starts a run from the network shown; Pause
 * holds it (and resumes it); Stop ends it before its next batch; Reset drops the run and the
 * worker and starts again from the seeded network.
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeNetwork, encodeNetwork, type NetworkJson } from '@purenn/network'
import type { EpochReport } from '@purenn/training'
import type { FromWorker, ToWorker } from './protocol.js'
import { touch, type Store } from './store.js'
import { is2D, rebuild, taskData } from './task.js'

const send = (store: Store, message: ToWorker): void => store.worker?.postMessage(message)

/** Appends a run's epochs to the history. */
const record = (store: Store, reports: ReadonlyArray<EpochReport>): void => {
  for (const r of reports) {
    store.history.epoch.push(store.epochOffset + r.epoch)
    store.history.loss.push(r.loss)
    store.history.testLoss.push(r.validationLoss ?? null)
    store.history.accuracy.push(r.accuracy ?? null)
  }
}

const showNetwork = (store: Store, json: NetworkJson | undefined, grid: Float32Array | undefined): void => {
  if (json === undefined) return
  const decoded = decodeNetwork(json)
  if (E.isRight(decoded)) store.network = decoded.right
  if (grid !== undefined) store.grid = grid
}

/** Folds one message of the worker into the store. */
const receive = (store: Store, message: FromWorker): void => {
  switch (message.type) {
    case 'progress':
      record(store, message.reports)
      showNetwork(store, message.network, message.grid)
      store.step = message.step
      break
    case 'paused':
      store.status = 'paused'
      store.step = message.step
      break
    case 'done':
      record(store, message.reports)
      showNetwork(store, message.network, message.grid)
      store.step = message.step
      store.status = message.outcome
      store.message =
        message.outcome === 'stopped' && message.stepAtStop !== undefined
          ? `after step ${message.step} (Stop came after step ${message.stepAtStop}); ${message.message}`
          : message.message
      store.epochOffset = store.history.epoch.at(-1) ?? store.epochOffset
      break
  }
  touch(store, 'stats', 'chart', 'boundary', 'network', 'digit')
}

const workerOf = (store: Store): Worker => {
  if (store.worker !== undefined) return store.worker
  const worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'purenn-trainer' })
  worker.onmessage = (event: MessageEvent<FromWorker>) => receive(store, event.data)
  worker.onerror = (event) => {
    store.status = 'failed'
    store.message = `the training worker failed: ${event.message}`
    touch(store, 'stats')
  }
  store.worker = worker
  return worker
}

export const isRunning = (store: Store): boolean => ['training', 'pausing', 'paused', 'stopping'].includes(store.status)

/** Starts a run from the network shown (a paused run resumes instead). */
export const train = (store: Store): void => {
  if (store.status === 'paused' || store.status === 'pausing') return pause(store)
  if (isRunning(store)) return
  const data = taskData(store)
  if (data === undefined) {
    store.message = 'the MNIST digits are still loading'
    touch(store, 'stats')
    return
  }
  workerOf(store)
  store.status = 'training'
  store.message = ''
  send(store, { type: 'start', settings: store.settings, data, network: encodeNetwork(store.network), withGrid: is2D(store) })
  touch(store, 'stats')
}

/** Pauses a run, or resumes a paused one. */
export const pause = (store: Store): void => {
  if (store.status === 'training') {
    store.status = 'pausing'
    send(store, { type: 'pause' })
  } else if (store.status === 'paused' || store.status === 'pausing') {
    store.status = 'training'
    send(store, { type: 'resume' })
  }
  touch(store, 'stats')
}

/** Stops a run before its next batch; the network it had reached stays. */
export const stop = (store: Store): void => {
  if (!isRunning(store)) return
  store.status = 'stopping'
  send(store, { type: 'stop' })
  touch(store, 'stats')
}

/** Drops the run (and its worker) at once. */
export const abandon = (store: Store): void => {
  store.worker?.terminate()
  store.worker = undefined
}

/** Drops the run and starts again from the seeded network and freshly generated points. */
export const reset = (store: Store): void => {
  abandon(store)
  rebuild(store)
}
