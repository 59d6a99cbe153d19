/**
 * The loss and accuracy chart (uPlot): training and test loss on the left axis, test accuracy
 * on the right, one point per epoch; it grows as the worker's reports arrive.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { History } from './store.js'

export const createChart = (host: HTMLElement): uPlot =>
  new uPlot(
    {
      width: Math.max(300, host.clientWidth),
      height: 200,
      legend: { show: true },
      scales: { x: { time: false }, loss: { auto: true }, acc: { range: [0, 1] } },
      axes: [
        { label: 'epoch' },
        { scale: 'loss', label: 'loss' },
        { scale: 'acc', side: 1, label: 'accuracy', grid: { show: false } }
      ],
      series: [
        { label: 'epoch' },
        { label: 'loss', scale: 'loss', stroke: '#0072b2', width: 2 },
        { label: 'test loss', scale: 'loss', stroke: '#d55e00', width: 2 },
        { label: 'accuracy', scale: 'acc', stroke: '#009e73', width: 2 }
      ]
    },
    [[], [], [], []],
    host
  )

export const drawChart = (chart: uPlot, history: History): void =>
  chart.setData([history.epoch, history.loss, history.testLoss, history.accuracy] as uPlot.AlignedData)
