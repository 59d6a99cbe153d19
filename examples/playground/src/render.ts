/**
 * The frame loop's drawing: each animation frame draws the parts of the page the store marks
 * dirty (numbers, chart, boundary, network, digit), so that however fast the worker reports,
 * the page draws at most once a frame.
 */
import type uPlot from 'uplot'
import { predict } from '@purenn/network'
import { drawChart } from './chart.js'
import { drawBoundary } from './drawBoundary.js'
import { drawNetwork } from './drawNetwork.js'
import { classProbabilities } from './model.js'
import type { Store } from './store.js'

export interface View {
  readonly chart: uPlot
  readonly el: (id: string) => HTMLElement
}

const fixed = (v: number | null | undefined, digits: number): string => (v === null || v === undefined ? '–' : v.toFixed(digits))

/** Sets an output's text and its exact value (`data-value`, which the tests read). */
const output = (el: HTMLElement, text: string, value: number | null | undefined): void => {
  el.textContent = text
  if (value === null || value === undefined) delete el.dataset['value']
  else el.dataset['value'] = String(value)
}

const drawStats = (store: Store, view: View): void => {
  const h = store.history
  const last = h.epoch.length - 1
  output(view.el('epoch'), String(h.epoch[last] ?? store.epochOffset), h.epoch[last] ?? store.epochOffset)
  output(view.el('loss-value'), fixed(h.loss[last], 4), h.loss[last])
  output(view.el('test-loss'), fixed(h.testLoss[last], 4), h.testLoss[last])
  const acc = h.accuracy[last]
  output(view.el('accuracy'), acc === null || acc === undefined ? '–' : `${(100 * acc).toFixed(1)}%`, acc)
  const status = view.el('status')
  status.dataset['status'] = store.status
  status.textContent = store.message === '' ? store.status : `${store.status}: ${store.message}`
  view.el('digits-status').textContent = store.digitsMessage
  const pause = view.el('pause')
  pause.textContent = store.status === 'paused' || store.status === 'pausing' ? 'Resume' : 'Pause'
}

const drawDigit = (store: Store, view: View): void => {
  const prediction = view.el('digit-prediction')
  const bars = view.el('digit-probabilities')
  const net = store.network
  if (store.digit === undefined || net.inputSize !== store.digit.length) {
    output(prediction, store.digit === undefined ? '–' : `the network takes ${net.inputSize} inputs, not 784`, undefined)
    bars.replaceChildren()
    return
  }
  const p = classProbabilities(predict(net, store.digit).prediction)
  const best = p.indexOf(Math.max(...p))
  output(prediction, String(best), best)
  prediction.dataset['probabilities'] = JSON.stringify(p)
  bars.replaceChildren(
    ...p.map((v, k) => {
      const li = document.createElement('li')
      const bar = document.createElement('span')
      bar.style.height = `${Math.round(60 * v)}px`
      li.append(bar, `${k}: ${(100 * v).toFixed(0)}%`)
      return li
    })
  )
}

/** Draws what is dirty, then forgets it. */
export const render = (store: Store, view: View): void => {
  const d = store.dirty
  if (d.size === 0) return
  if (d.has('layout')) document.body.classList.toggle('task-mnist', store.settings.task === 'mnist')
  if (d.has('stats')) drawStats(store, view)
  if (d.has('chart')) drawChart(view.chart, store.history)
  if (store.settings.task !== 'mnist') {
    if (d.has('boundary')) drawBoundary(view.el('boundary') as HTMLCanvasElement, store.grid, store.points)
    if (d.has('network')) drawNetwork(view.el('network') as HTMLCanvasElement, store.network)
  }
  if (d.has('digit')) drawDigit(store, view)
  d.clear()
}
