/**
 * The page's state, in one explicit object that the modules receive: the settings, the data,
 * the network shown, the run's progress and what needs redrawing. Messages from the worker
 * and the controls change it; the frame loop (render.ts) draws what it marks dirty.
 */
import type { Network } from '@purenn/network'
import type { Split2D } from './datasets.js'
import type { TaskData } from './protocol.js'
import { defaults, type Settings } from './settings.js'

export type Status = 'idle' | 'training' | 'pausing' | 'paused' | 'stopping' | 'stopped' | 'finished' | 'diverged' | 'failed'

/** The curves of the chart: one entry per epoch. */
export interface History {
  readonly epoch: number[]
  readonly loss: number[]
  readonly testLoss: Array<number | null>
  readonly accuracy: Array<number | null>
}

export type Part = 'stats' | 'chart' | 'boundary' | 'network' | 'digit' | 'layout'

export interface Store {
  settings: Settings
  /** The 2-D task's points (undefined for MNIST). */
  points: Split2D | undefined
  /** The MNIST digits, once loaded, and what the page says about them. */
  digits: TaskData | undefined
  digitsMessage: string
  /** The network shown (and trained next), and its boundary on the 2-D tasks. */
  network: Network
  grid: Float32Array | undefined
  history: History
  /** Epochs of earlier runs on this network: a run's epochs are counted after them. */
  epochOffset: number
  status: Status
  message: string
  step: number
  /** The drawn digit, 784 grey levels, when there is one. */
  digit: number[] | undefined
  worker: Worker | undefined
  dirty: Set<Part>
}

export const emptyHistory = (): History => ({ epoch: [], loss: [], testLoss: [], accuracy: [] })

export const createStore = (network: Network): Store => ({
  settings: defaults,
  points: undefined,
  digits: undefined,
  digitsMessage: 'loading the MNIST digits…',
  network,
  grid: undefined,
  history: emptyHistory(),
  epochOffset: 0,
  status: 'idle',
  message: '',
  step: 0,
  digit: undefined,
  worker: undefined,
  dirty: new Set<Part>(['stats', 'chart', 'boundary', 'network', 'digit', 'layout'])
})

/** Marks parts of the page for the next frame. */
export const touch = (store: Store, ...parts: Part[]): void => parts.forEach((p) => store.dirty.add(p))
