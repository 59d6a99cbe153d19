/**
 * The demo, the README's first command (`pnpm demo`): trains XOR, iris and the MNIST digits
 * one after another with visible progress, prints a results table (task, epochs, accuracy,
 * wall time, samples per second), draws the MNIST loss in the terminal, and writes the MNIST
 * loss and accuracy curves as an SVG chart to `examples/out/mnist-curves.svg`. It says at the
 * start what it will do and where its files go, and lists them at the end: the two trained
 * models (`xor.json`, `mnist.json`) and the chart.
 *
 * Run it: `node examples/dist/demo/main.js` (after `pnpm build`); `--quick` trains MNIST for
 * 2 epochs on 2,000 digits only, so the whole demo takes seconds (XOR and iris take about a
 * second each at full size, and always run in full).
 *
 * @since 0.1.0
 */
import { join } from 'node:path'
import { main as xor } from '../xor/main.js'
import { main as iris } from '../iris/main.js'
import { main as mnist, type MnistResult } from '../mnist/main.js'
import { resultsTable, type TaskResult } from '../shared/resultsTable.js'
import { lineChartSvg, type Chart } from '../shared/svgChart.js'
import { lossChart } from '../shared/terminalChart.js'
import { writeFileAtomic } from '../shared/atomicWrite.js'
import { isMain } from '../shared/isMain.js'
import { outPath } from '../shared/paths.js'

/**
 * The settings of the demo.
 *
 * @category model
 * @since 0.1.0
 */
export interface DemoOptions {
  /** Train MNIST briefly (2 epochs on 2,000 digits) instead of in full. */
  readonly quick: boolean
  /** Where to write the SVG chart of the MNIST run and the trained models. */
  readonly outDir: string
  /** Show progress bars (on a terminal only). */
  readonly progress: boolean
  readonly log: (line: string) => void
}

/**
 * The full demo's settings.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: DemoOptions = {
  quick: false,
  outDir: outPath(''),
  progress: true,
  log: (line) => console.log(line)
}

/** One colour per data set in both panels: training blue, test vermilion. */
const TRAINING = '#0072b2'
const TEST = '#d55e00'

/**
 * The chart of an MNIST run: the training and test loss per epoch on the left, the test
 * accuracy per epoch on the right.
 *
 * @example
 * import { mnistChart } from './main.js'
 * // lineChartSvg(mnistChart(result))
 *
 * @category charts
 * @since 0.1.0
 */
export const mnistChart = (result: MnistResult): Chart => ({
  title: `purenn, MNIST digits, ${result.sizes.join('-')} network: ${(100 * result.accuracy).toFixed(2)}% of the test digits right after ${result.epochs} epochs`,
  xLabel: 'epoch',
  panels: [
    {
      title: 'Loss (cross-entropy)',
      yLabel: 'loss',
      series: [
        { name: 'training', color: TRAINING, values: result.history.map((r) => r.loss) },
        { name: 'test', color: TEST, values: result.history.map((r) => r.validationLoss ?? Number.NaN) }
      ]
    },
    {
      title: 'Test accuracy',
      yLabel: 'accuracy',
      formatY: (y) => `${Number((100 * y).toPrecision(4))}%`,
      series: [{ name: 'test', color: TEST, values: result.history.map((r) => r.accuracy ?? Number.NaN) }]
    }
  ]
})

/**
 * Runs the demo and returns the results of the three tasks.
 *
 * @example
 * import { main } from './main.js'
 * const results = await main({ quick: true })
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (options: Partial<DemoOptions> = {}): Promise<ReadonlyArray<TaskResult>> => {
  const { quick, outDir, progress, log } = { ...defaults, ...options }
  const heading = (text: string): void => log(`\n== ${text}`)
  const files = {
    xor: join(outDir, 'xor.json'),
    mnist: join(outDir, 'mnist.json'),
    chart: join(outDir, 'mnist-curves.svg')
  }

  log(`purenn demo: trains XOR (about a second), the iris flowers (about a second), then the MNIST digits`)
  log(`(${quick ? 'briefly, --quick' : 'about a minute'}); writes two trained models and a chart to ${outDir}`)
  heading('XOR: the tutorial walkthrough, 2-2-2-1 sigmoid, per-sample SGD')
  const xorResult = await xor({ log, modelPath: files.xor })

  heading('iris: 4-8-3, softmax and cross-entropy, 30 flowers held out')
  const irisResult = await iris({ progress, log })

  heading('MNIST digits: 784-256-10, relu and softmax, Adam with a cosine schedule')
  const mnistResult = await mnist({ progress, log, modelPath: files.mnist, ...(quick ? { numEpochs: 2, trainSamples: 2_000 } : {}) })

  const results = [xorResult, irisResult, mnistResult]
  heading('results')
  log(resultsTable(results))
  log('')
  log(lossChart(mnistResult.history.map((r) => r.loss), { height: 10, width: 60 }))

  await writeFileAtomic(files.chart, lineChartSvg(mnistChart(mnistResult)))
  log(`\nMNIST loss and accuracy curves written to ${files.chart}`)

  heading('files written')
  const width = Math.max(...Object.values(files).map((f) => f.length))
  log(`${files.xor.padEnd(width)}  the XOR network (JSON, purenn/network format)`)
  log(`${files.mnist.padEnd(width)}  the MNIST network (JSON, purenn/network format)`)
  log(`${files.chart.padEnd(width)}  the MNIST loss and accuracy curves (SVG)`)
  log(`Read a model back with loadNetwork(path) from @purenn/network/node, then predict(input)(network).`)
  return results
}

if (isMain(import.meta.url)) await main({ quick: process.argv.includes('--quick') })
