/**
 * The messages between the page and its training worker. Everything is plain data: the
 * network travels as our model JSON, the settings as they are, the data as arrays.
 */
import type { NetworkJson } from '@purenn/network'
import type { EpochReport } from '@purenn/training'
import type { Settings } from './settings.js'

/** A training set as the worker needs it: one input row per sample, a class label per sample. */
export interface TaskData {
  readonly inputs: ReadonlyArray<ReadonlyArray<number>>
  readonly labels: ReadonlyArray<number>
  readonly testInputs: ReadonlyArray<ReadonlyArray<number>>
  readonly testLabels: ReadonlyArray<number>
  readonly classes: number
}

export type ToWorker =
  | { readonly type: 'start'; readonly settings: Settings; readonly data: TaskData; readonly network: NetworkJson; readonly withGrid: boolean }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }

/** How a run ended. */
export type Outcome = 'finished' | 'stopped' | 'diverged' | 'failed'

export type FromWorker =
  /** The epochs since the last message, the network after the last of them, and its boundary (2-D tasks). */
  | { readonly type: 'progress'; readonly reports: ReadonlyArray<EpochReport>; readonly network: NetworkJson; readonly grid: Float32Array | undefined; readonly step: number }
  | { readonly type: 'paused'; readonly step: number }
  /** The end of a run; `stepAtStop` is the step count when Stop arrived (stopped runs only). */
  | {
      readonly type: 'done'
      readonly outcome: Outcome
      readonly message: string
      readonly reports: ReadonlyArray<EpochReport>
      readonly network: NetworkJson | undefined
      readonly grid: Float32Array | undefined
      readonly step: number
      readonly stepAtStop: number | undefined
    }
