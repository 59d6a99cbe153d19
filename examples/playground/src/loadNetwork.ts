/**
 * Showing a network that came from a file: the run in progress is dropped, the task and the
 * model settings follow the network (784 inputs: the digits; 2 inputs: a 2-D set), and the
 * network becomes the one shown and trained next.
 */
import type { Network } from '@purenn/network'
import { boundaryGrid } from './grid.js'
import { ACTIVATIONS, type ActivationName, type LayerSpec, type Settings } from './settings.js'
import { touch, type Store } from './store.js'
import { rebuild } from './task.js'
import { abandon } from './trainer.js'

/** The settings that describe a network, or a message saying why the page cannot use it. */
export const settingsFor = (net: Network, current: Settings): Settings | string => {
  if (net.inputSize !== 784 && net.inputSize !== 2) return `the page trains networks of 2 inputs (the 2-D sets) or 784 (the digits), not ${net.inputSize}`
  const hidden = net.layers.slice(0, -1)
  const unknown = hidden.find((l) => !ACTIVATIONS.includes(l.activation.name as ActivationName))
  if (unknown !== undefined) return `the page cannot show a hidden layer of activation ${unknown.activation.name}`
  const layers: LayerSpec[] = hidden.map((l) => ({ nodes: l.weights.rows, activation: l.activation.name as ActivationName }))
  const softmax = net.layers.at(-1)?.activation.name === 'softmax'
  const loss = softmax ? 'crossEntropy' : current.loss === 'crossEntropy' ? 'binaryCrossEntropy' : current.loss
  const task = net.inputSize === 784 ? 'mnist' : current.task === 'mnist' ? 'xor' : current.task
  return { ...current, task, layers, loss }
}

/** Makes `net` the network shown; returns a message when the page cannot use it. */
export const showLoaded = (store: Store, net: Network, source: string): string | undefined => {
  const settings = settingsFor(net, store.settings)
  if (typeof settings === 'string') return `${source}: ${settings}`
  abandon(store)
  store.settings = settings
  rebuild(store) // the task's points, a fresh history
  store.network = net
  store.grid = settings.task === 'mnist' ? undefined : boundaryGrid(net)
  store.message = `loaded ${source}`
  touch(store, 'stats', 'boundary', 'network', 'digit', 'layout')
  return undefined
}
