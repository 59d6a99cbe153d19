/**
 * The network benchmark: how many samples a second purenn's backpropagation gets through,
 * next to the tutorial's algorithm (`baselines/tutorial-mlp.ts`: nested `number[][]` rows, a
 * new matrix per operation, one sample at a time) measured in the same run on the same
 * weights and data.
 *
 * - `gradients(mse, X, T)` on a 784-128-10 sigmoid network, a batch of 32 samples as the
 *   columns of X, against 32 of the tutorial's one-sample `trainIteration`s (each computes the
 *   same per-sample gradient, then adds it to the weights);
 * - one-sample `trainIteration` on the same 784-128-10 network, against the tutorial's;
 * - one-sample `trainIteration` on a 2-2-1 network over the XOR rows, where bookkeeping and
 *   allocation, not arithmetic, decide the speed.
 *
 * The machine is shared and noisy, so what matters is the ratio: the two implementations run
 * one after the other in each repetition (interleaved), after a warm-up, and the table gives
 * the median over repetitions. Before timing, each workload checks that both sides compute
 * the same predictions from the same weights.
 *
 * Run: `npx tsc -b bench && node bench/dist/network.js` (add `--quick` for a short run).
 */
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Network } from '@purenn/network'
import { MultiLayerPerceptron, tutorialSigmoid } from './baselines/tutorial-mlp.js'
import { seededSource } from './baselines/tutorial-matrix.js'
import { calibrate, median, runAsScript } from './harness.js'

/** Keeps results alive so that no engine can drop the work. */
let sink = 0

/** A sigmoid network with the given widths, parameters uniform in [−1, 1)·scale from a seed. */
const sigmoidNetwork = (widths: ReadonlyArray<number>, seed: number, scale: number): Network => {
  const [first, ...rest] = widths
  const spec = rest.reduce((net, nodes) => N.addLayer(net, { nodes, activation: N.sigmoid }), N.network(first!))
  return N.randomize(-scale, scale)(spec)(M.rng(seed))[0]
}

/** The tutorial's network on the same weights. */
const tutorialCopy = (net: Network): MultiLayerPerceptron =>
  MultiLayerPerceptron.fromWeights(
    net.inputSize,
    net.layers.map((l) => M.toArrays(l.weights)),
    net.layers.map((l) => M.toArray(l.bias)),
    tutorialSigmoid
  )

/** Refuses to time two implementations that predict different things from the same weights. */
const checkSame = (what: string, net: Network, mlp: MultiLayerPerceptron, inputs: ReadonlyArray<ReadonlyArray<number>>): void => {
  for (const x of inputs) {
    const ours = N.predict(net, x).prediction
    const theirs = mlp.predict(x).prediction
    ours.forEach((v, i) => {
      if (Math.abs(v - theirs[i]!) > 1e-9) throw new Error(`network benchmark (${what}): predictions differ at output ${i}: ${v} and ${theirs[i]}`)
    })
  }
}

/** One side of a workload: a thunk that processes `samples` samples. */
interface Side {
  readonly run: () => void
  readonly samples: number
}

/** Seconds taken by `iterations` calls. */
const time = (side: Side, iterations: number): number => {
  const start = performance.now()
  for (let i = 0; i < iterations; i++) side.run()
  return (performance.now() - start) / 1000
}

/**
 * Samples a second of each side: warm up until each has run `warmup` seconds (twice at least),
 * pick an iteration count lasting about `target` seconds, then time `reps` interleaved
 * repetitions and keep the median rate.
 */
const measure = (
  sides: ReadonlyArray<Side>,
  settings: { readonly warmup: number; readonly target: number; readonly reps: number }
): number[] => {
  const iterations = sides.map((side) => calibrate(() => time(side, 1), settings.warmup, settings.target))
  const rates: number[][] = sides.map(() => [])
  for (let r = 0; r < settings.reps; r++)
    sides.forEach((side, i) => {
      const its = iterations[i]!
      rates[i]!.push((side.samples * its) / time(side, its))
    })
  return rates.map(median)
}

/** Seeded inputs in [0, 1) and one-hot targets, `n` samples as rows. */
const data = (inputs: number, outputs: number, n: number, seed: number): { xs: number[][]; ts: number[][] } => {
  const source = seededSource(seed)
  const xs = Array.from({ length: n }, () => Array.from({ length: inputs }, () => source()))
  const ts = Array.from({ length: n }, (_, s) => Array.from({ length: outputs }, (_, i) => (i === s % outputs ? 1 : 0)))
  return { xs, ts }
}

/** Rows (one sample a row) as a matrix with one sample per column. */
const columns = (rows: ReadonlyArray<ReadonlyArray<number>>): M.Matrix => M.fromFunction(rows[0]!.length, rows.length, (i, j) => rows[j]![i]!)

interface Row {
  readonly workload: string
  readonly unit: string
  readonly ours: number
  readonly theirs: number
}

/** `gradients` on a batch of 32 against the tutorial's 32 one-sample steps. */
const mnistBatch = (settings: Parameters<typeof measure>[1]): Row => {
  const net = sigmoidNetwork([784, 128, 10], 1, 0.1)
  const mlp = tutorialCopy(net)
  const { xs, ts } = data(784, 10, 32, 2)
  checkSame('784-128-10', net, mlp, xs.slice(0, 4))
  const X = columns(xs)
  const T = columns(ts)
  const [ours, theirs] = measure(
    [
      { samples: 32, run: () => (sink += N.gradients(N.mse, X, T)(net).loss) },
      { samples: 32, run: () => xs.forEach((x, s) => mlp.trainIteration(x, ts[s]!, 0.01)) }
    ],
    settings
  ) as [number, number]
  return { workload: '`gradients(mse)`, 784-128-10, a batch of 32 (tutorial: 32 one-sample steps)', unit: 'samples/s', ours, theirs }
}

/** One-sample `trainIteration` on 784-128-10, both sides. */
const mnistStep = (settings: Parameters<typeof measure>[1]): Row => {
  const start = sigmoidNetwork([784, 128, 10], 3, 0.1)
  const mlp = tutorialCopy(start)
  const { xs, ts } = data(784, 10, 8, 4)
  checkSame('784-128-10', start, mlp, xs.slice(0, 2))
  let net = start
  let s = 0
  const [ours, theirs] = measure(
    [
      {
        samples: 1,
        run: () => {
          net = N.trainIteration(xs[s % 8]!, ts[s % 8]!, 0.01)(net)
          s++
        }
      },
      { samples: 1, run: () => mlp.trainIteration(xs[s % 8]!, ts[s % 8]!, 0.01) }
    ],
    settings
  ) as [number, number]
  sink += net.layers.length
  return { workload: '`trainIteration`, 784-128-10, one sample', unit: 'samples/s', ours, theirs }
}

/** One-sample `trainIteration` on the tutorial's 2-2-1 XOR network, 4 steps (an epoch) a run. */
const xorStep = (settings: Parameters<typeof measure>[1]): Row => {
  const start = sigmoidNetwork([2, 2, 1], 5, 1)
  const mlp = tutorialCopy(start)
  const xs = [[0, 0], [0, 1], [1, 0], [1, 1]]
  const ts = [[0], [1], [1], [0]]
  checkSame('2-2-1', start, mlp, xs)
  let net = start
  const [ours, theirs] = measure(
    [
      {
        samples: 4,
        run: () => {
          for (let s = 0; s < 4; s++) net = N.trainIteration(xs[s]!, ts[s]!, 0.1)(net)
        }
      },
      {
        samples: 4,
        run: () => {
          for (let s = 0; s < 4; s++) mlp.trainIteration(xs[s]!, ts[s]!, 0.1)
        }
      }
    ],
    settings
  ) as [number, number]
  sink += net.layers.length
  return { workload: '`trainIteration`, 2-2-1 (XOR), one sample', unit: 'steps/s', ours, theirs }
}

const fmt = (x: number): string => (x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3))
const micros = (rate: number): string => (1e6 / rate).toPrecision(3)

/**
 * Runs the benchmark and returns a markdown table: samples (or steps) a second of purenn and
 * of the tutorial's algorithm, the time of one sample, and the speed-up. `quick` shortens
 * warm-up and repetitions (for a demo; the figures are noisier).
 */
export async function run(options: { quick: boolean }): Promise<string> {
  const settings = options.quick ? { warmup: 0.05, target: 0.05, reps: 3 } : { warmup: 0.3, target: 0.25, reps: 7 }
  // XOR first: after a 784-128-10 run, the tutorial's Matrix class (shared by both) runs its
  // 2-2-1 steps about 4x slower in the same process, a cost of the JIT's history, not of the step
  const rows: Row[] = []
  for (const workload of [xorStep, mnistBatch, mnistStep]) {
    rows.push(workload(settings))
    await new Promise((resolve) => setImmediate(resolve)) // let a caller's timers and output through
  }
  rows.push(rows.shift()!) // the table lists XOR last
  const lines = [
    `Backpropagation, samples a second (median of ${settings.reps} interleaved repetitions, ${options.quick ? 'quick' : 'full'} run, Node ${process.versions.node})`,
    '',
    '| workload | purenn | tutorial’s algorithm | µs a sample, purenn | µs a sample, tutorial | speed-up |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.workload} | ${fmt(r.ours)} ${r.unit} | ${fmt(r.theirs)} ${r.unit} | ${micros(r.ours)} | ${micros(r.theirs)} | ${(r.ours / r.theirs).toFixed(1)}x |`
    )
  ]
  if (Number.isNaN(sink)) lines.push('') // reads the sink, so the work stays observable
  return lines.join('\n')
}

runAsScript(import.meta.url, run)
