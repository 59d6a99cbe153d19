/**
 * The playground page: builds the store, wires the controls, loads the MNIST digits, and
 * draws once a frame. Training happens in the worker (trainer.ts, trainer.worker.ts).
 */
import * as E from 'fp-ts/lib/Either.js'
import './style.css'
import { createChart } from './chart.js'
import { readSettings, showSettings } from './controls.js'
import { digitPad } from './digitPad.js'
import { acceptDrops, parseNetwork, readNetwork, saveNetwork } from './files.js'
import { showLoaded } from './loadNetwork.js'
import { loadDigits } from './mnistDigits.js'
import { initialNetwork } from './model.js'
import { render, type View } from './render.js'
import { defaults, type Settings } from './settings.js'
import { createStore, touch, type Store } from './store.js'
import { rebuild } from './task.js'
import { pause, reset, stop, train } from './trainer.js'

const el = (id: string): HTMLElement => {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`the page has no #${id}`)
  return found
}

/** The model settings each kind of task starts with when the data set switches to it. */
const modelDefaults = (task: Settings['task']): Partial<Settings> =>
  task === 'mnist'
    ? { layers: [{ nodes: 32, activation: 'relu' }], loss: 'crossEntropy', optimizer: 'adam', learningRate: 0.002, batchSize: 32, epochs: 20 }
    : { layers: defaults.layers, loss: defaults.loss, optimizer: defaults.optimizer, learningRate: defaults.learningRate, batchSize: defaults.batchSize, epochs: defaults.epochs }

const showError = (message: string): void => void (el('settings-error').textContent = message)

/** Takes the form's settings when they differ from the store's: a new task, so a reset. Returns false when they are unusable. */
const applySettings = (store: Store): boolean => {
  const read = readSettings()
  if (typeof read === 'string') {
    showError(read)
    return false
  }
  showError('')
  const kindChanged = (read.task === 'mnist') !== (store.settings.task === 'mnist')
  const next = kindChanged ? { ...read, ...modelDefaults(read.task) } : read
  if (JSON.stringify(next) === JSON.stringify(store.settings)) return true
  store.settings = next
  if (kindChanged) showSettings(next)
  reset(store)
  return true
}

const loadFile = async (store: Store, file: File): Promise<void> => {
  const net = await readNetwork(file)
  const problem = E.isLeft(net) ? net.left : showLoaded(store, net.right, file.name)
  if (problem !== undefined) showError(problem)
  else {
    showError('')
    showSettings(store.settings)
  }
}

const loadPretrained = async (store: Store): Promise<void> => {
  const url = new URL('../models/mnist-small.json', import.meta.url)
  const response = await fetch(url)
  const net = parseNetwork('mnist-small.json', await response.text())
  const problem = E.isLeft(net) ? net.left : showLoaded(store, net.right, 'the small MNIST model')
  showError(problem ?? '')
  if (problem === undefined) showSettings(store.settings)
}

const start = (): void => {
  const store = createStore(initialNetwork(defaults, 2, 2))
  showSettings(store.settings)
  rebuild(store)
  const view: View = { chart: createChart(el('chart')), el }

  el('controls').addEventListener('change', (e) => {
    if ((e.target as HTMLElement).id === 'load') return // a model file, read by its own listener
    applySettings(store)
  })
  el('train').addEventListener('click', () => applySettings(store) && train(store))
  el('pause').addEventListener('click', () => pause(store))
  el('stop').addEventListener('click', () => stop(store))
  el('reset').addEventListener('click', () => applySettings(store) && reset(store))
  el('save').addEventListener('click', () => saveNetwork(store.network))
  const load = el('load') as HTMLInputElement
  load.addEventListener('change', () => {
    const file = load.files?.[0]
    if (file !== undefined) void loadFile(store, file).finally(() => (load.value = ''))
  })
  el('pretrained').addEventListener('click', () => void loadPretrained(store))
  acceptDrops(document.body, (file) => void loadFile(store, file))

  const pad = digitPad(el('digit-canvas') as HTMLCanvasElement, (digit) => {
    store.digit = digit
    touch(store, 'digit')
  })
  el('clear-digit').addEventListener('click', () => pad.clear())

  loadDigits().then(
    (digits) => {
      store.digits = digits
      store.digitsMessage = `${digits.inputs.length.toLocaleString('en')} training and ${digits.testInputs.length.toLocaleString('en')} test digits loaded`
      touch(store, 'stats')
    },
    (error: unknown) => {
      store.digitsMessage = `the MNIST digits could not be loaded: ${error instanceof Error ? error.message : String(error)}`
      touch(store, 'stats')
    }
  )

  const frame = (): void => {
    try {
      render(store, view)
    } finally {
      requestAnimationFrame(frame) // a drawing that throws (reported on the console) does not stop the next ones
    }
  }
  requestAnimationFrame(frame)
  document.body.dataset['ready'] = 'true'
}

start()
