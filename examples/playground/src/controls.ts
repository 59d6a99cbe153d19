/**
 * The settings form: shows a store's settings in its controls, and reads them back, naming
 * the field that holds something unusable.
 */
import { formatLayers, parseLayers, type LossName, type OptimizerName, type Settings, type Task } from './settings.js'

const field = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`the page has no #${id}`)
  return el as T
}

export const controls = {
  dataset: () => field<HTMLSelectElement>('dataset'),
  points: () => field<HTMLInputElement>('points'),
  noise: () => field<HTMLInputElement>('noise'),
  testSplit: () => field<HTMLInputElement>('test-split'),
  layers: () => field<HTMLInputElement>('layers'),
  loss: () => field<HTMLSelectElement>('loss'),
  optimizer: () => field<HTMLSelectElement>('optimizer'),
  learningRate: () => field<HTMLInputElement>('learning-rate'),
  batchSize: () => field<HTMLInputElement>('batch-size'),
  epochs: () => field<HTMLInputElement>('epochs'),
  workers: () => field<HTMLInputElement>('workers'),
  seed: () => field<HTMLInputElement>('seed')
}

/** Puts settings into the form. */
export const showSettings = (s: Settings): void => {
  const c = controls
  c.dataset().value = s.task
  c.points().value = String(s.points)
  c.noise().value = String(Math.round(s.noise * 100))
  c.testSplit().value = String(Math.round(s.testFraction * 100))
  c.layers().value = formatLayers(s.layers)
  c.loss().value = s.loss
  c.optimizer().value = s.optimizer
  c.learningRate().value = String(s.learningRate)
  c.batchSize().value = String(s.batchSize)
  c.epochs().value = String(s.epochs)
  c.workers().value = String(s.workers)
  c.seed().value = String(s.seed)
}

/** A number field's value when it is an integer (or any finite number) within bounds, else a message. */
const numberIn = (name: string, el: HTMLInputElement, lower: number, upper: number, integer: boolean): number | string => {
  const v = Number(el.value)
  if (el.value.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < lower || v > upper)
    return `${name}: expected ${integer ? 'an integer' : 'a number'} from ${lower} to ${upper}, got "${el.value}"`
  return v
}

/** The settings the form holds, or a message naming the first unusable field. */
export const readSettings = (): Settings | string => {
  const c = controls
  const layers = parseLayers(c.layers().value)
  if ('error' in layers) return `hidden layers: ${layers.error}`
  const values = {
    points: numberIn('points', c.points(), 20, 2000, true),
    noise: numberIn('noise', c.noise(), 0, 100, false),
    testSplit: numberIn('test split', c.testSplit(), 0, 90, false),
    learningRate: numberIn('learning rate', c.learningRate(), 1e-6, 10, false),
    batchSize: numberIn('batch size', c.batchSize(), 1, 10_000, true),
    epochs: numberIn('epochs', c.epochs(), 1, 1_000_000, true),
    workers: numberIn('workers', c.workers(), 1, 4, true),
    seed: numberIn('seed', c.seed(), 0, 2 ** 31 - 1, true)
  }
  const bad = Object.values(values).find((v) => typeof v === 'string')
  if (typeof bad === 'string') return bad
  const n = values as Record<keyof typeof values, number>
  return {
    task: c.dataset().value as Task,
    layers: layers.layers,
    loss: c.loss().value as LossName,
    optimizer: c.optimizer().value as OptimizerName,
    learningRate: n.learningRate,
    batchSize: n.batchSize,
    seed: n.seed,
    epochs: n.epochs,
    workers: n.workers,
    points: n.points,
    noise: n.noise / 100,
    testFraction: n.testSplit / 100
  }
}
