/**
 * The task the settings describe: its points (2-D) or digits (MNIST), as the data the worker
 * trains on, and the network a run of it starts from.
 */
import { generate, type Dataset2D } from './datasets.js'
import { initialNetwork } from './model.js'
import type { TaskData } from './protocol.js'
import { emptyHistory, touch, type Store } from './store.js'
import { boundaryGrid } from './grid.js'

/** Whether the task is one of the 2-D sets. */
export const is2D = (store: Store): boolean => store.settings.task !== 'mnist'

/** The data of the current task, or undefined while the digits are loading. */
export const taskData = (store: Store): TaskData | undefined => {
  if (store.settings.task === 'mnist') return store.digits
  const points = store.points
  if (points === undefined) return undefined
  return {
    inputs: points.train.map((p) => [p.x, p.y]),
    labels: points.train.map((p) => p.label),
    testInputs: points.test.map((p) => [p.x, p.y]),
    testLabels: points.test.map((p) => p.label),
    classes: 2
  }
}

/** Regenerates the points from the settings and starts again from the seeded network. */
export const rebuild = (store: Store): void => {
  const s = store.settings
  store.points = s.task === 'mnist' ? undefined : generate(s.task as Dataset2D, { points: s.points, noise: s.noise, testFraction: s.testFraction, seed: s.seed })
  store.network = initialNetwork(s, s.task === 'mnist' ? 784 : 2, s.task === 'mnist' ? 10 : 2)
  store.grid = s.task === 'mnist' ? undefined : boundaryGrid(store.network)
  store.history = emptyHistory()
  store.epochOffset = 0
  store.step = 0
  store.status = 'idle'
  store.message = ''
  touch(store, 'stats', 'chart', 'boundary', 'network', 'digit', 'layout')
}
