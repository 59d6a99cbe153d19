/**
 * The workers benchmark: how much faster an MNIST epoch runs when `trainAsync` shares each
 * batch among worker threads (`workers: 2`, `4`) than on one thread (`workers: 1`, the
 * default), batch 256, the 784-128-10 network of workload 2 (sigmoid, softmax with
 * cross-entropy, SGD at 0.1), validating on the 1,996 test digits after each epoch (the
 * epoch's time includes it, as in workload 2). The issue's target: 2 workers at least 1.6x
 * faster than 1.
 *
 * Each run trains a few epochs from the same network; the first epoch also pays for starting
 * the pool (threads load the package and compile the WebAssembly kernel), so the table gives
 * it apart and times the epochs after it. Runs of each worker count are interleaved, and the
 * table gives medians. The machine is shared: read the ratio, measured in the same run, more
 * than the milliseconds. Before timing, the script checks that the runs agree (the same
 * accuracy at the end, up to rounding).
 *
 * What two threads can gain depends on the machine as much as on the pool: on two cores of
 * which another process holds one, nothing. So the script also measures, between the runs,
 * the ceiling: how much more work two threads get through than one when each computes
 * gradients of its own 128 samples with no messages at all (`capacity`).
 *
 * Last, abort latency (the issue's other target): runs of 1 and 2 workers stopped by a timer,
 * timed from `abort()` to the promise settling, against the time of a batch.
 *
 * Run: `npx tsc -b bench && node bench/dist/workers.js` (add `--quick` for a short run).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { trainAsync } from '@purenn/training/node'
import { loadMnist } from '@purenn/examples/shared/mnist'
import { oneHot } from './data.js'
import { median, runAsScript } from './harness.js'
import { mnistNetwork } from './workloads/purenn.js'

/** One run's figures: each epoch's milliseconds (from its report) and the final accuracy. */
interface Run {
  readonly epochMs: ReadonlyArray<number>
  readonly accuracy: number
}

/** The MNIST network of workload 2 (784-128-10, sigmoid then softmax, Xavier-initialised from seed 2). */
const network = (): N.Network => mnistNetwork(2)

/** A progress line on standard error: where the benchmark is, so that a run that fails or hangs shows where. */
const progress = (line: string): void => {
  process.stderr.write(`workers: ${line}\n`)
}

const fmt = (x: number): string => (x >= 100 ? Math.round(x).toString() : x.toPrecision(3))

/** Milliseconds a `gradients` call takes on 128 random digits-sized samples, the median of `reps` after a warm-up. */
const gradientMs = (reps: number): number => {
  const net = network()
  const X = M.uniform(784, 128, 0, 1)(M.rng(1))[0]
  const T = M.fromFunction(10, 128, (i, j) => (j % 10 === i ? 1 : 0))
  for (let i = 0; i < 3; i++) N.gradients(net, N.crossEntropy, X, T)
  const times: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    N.gradients(net, N.crossEntropy, X, T)
    times.push(performance.now() - t0)
  }
  return median(times)
}

/** `gradientMs` in `n` threads at once (this script, started as a worker); one figure per thread. */
const inThreads = (n: number, reps: number): Promise<number[]> =>
  Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { reps } })
          worker.once('message', (ms: number) => {
            resolve(ms)
            void worker.terminate()
          })
          worker.once('error', reject)
        })
    )
  )

/**
 * How much more work two threads get through than one, each computing gradients on its own
 * (no messages): 2·t₁/t₂, with t₁ the time of a call in a thread alone and t₂ in each of two
 * threads at once. 2 on two idle cores; about 1 when another process holds one of them.
 */
const capacity = async (reps: number): Promise<number> => {
  const [alone] = await inThreads(1, reps)
  const both = await inThreads(2, reps)
  return (2 * alone!) / Math.max(...both)
}

/** One stopped run: milliseconds from `abort()` to the promise settling, from the moment the abort was due (its timer's) to settling, and the run's median batch time. */
interface Stop {
  readonly afterAbort: number
  readonly afterDue: number
  readonly batchMs: number
}

/**
 * The issue's second target, abort latency: a run of `workers` is stopped by a timer `delay`
 * ms after its first batch (as a click on a stop button would, from another task of the event
 * loop), and the promise must settle within one batch's time of `abort()`. A batch's time is
 * the median gap between two `onBatch` calls of the same run. The timer is armed at the first
 * batch, not at the start: the first batch of a run with workers also starts the pool, which
 * took 0.5–1.5 s on a loaded machine, so that a timer armed at the start could fire before a
 * second batch (no batch time: NaN in the table) and time an abort of the pool's start.
 */
const stopOnce = async (options: Parameters<typeof trainAsync>[0], net: N.Network, workers: number, delay: number): Promise<Stop> => {
  const controller = new AbortController()
  const gaps: number[] = []
  let last: number | undefined
  let aborted = Number.NaN
  let due = Number.NaN
  const onBatch = (): void => {
    const t = performance.now()
    if (last !== undefined) gaps.push(t - last)
    else {
      due = t + delay
      setTimeout(() => {
        aborted = performance.now()
        controller.abort()
      }, delay)
    }
    last = t
  }
  const result = await trainAsync({ ...options, numEpochs: 1000, workers, signal: controller.signal, onBatch })(net)
  const settled = performance.now()
  if (E.isRight(result) || result.left._tag !== 'Aborted')
    throw new Error(`workers ${workers}: the run was not aborted: it ended with ${E.isRight(result) ? 'a result' : `${result.left._tag}: ${result.left.message}`}`)
  return { afterAbort: settled - aborted, afterDue: settled - due, batchMs: median(gaps) }
}

/**
 * Runs the benchmark and returns markdown: for 1, 2 and 4 workers, the median time of an
 * epoch after the first, of the first (with the pool's start), and the speed-up over one
 * worker (the median, over repetitions, of the ratio within each: the runs of one repetition
 * follow each other, so a load that comes and goes weighs on both sides of a ratio); then each
 * repetition with the machine's capacity measured right after it. `quick` runs fewer epochs
 * and repetitions.
 */
export async function run(options: { quick: boolean }): Promise<string> {
  const epochs = options.quick ? 2 : 5
  const reps = options.quick ? 2 : 9
  const counts = [1, 2, 4]
  const { train, test } = loadMnist()
  const start = network()
  const settings = {
    trainData: train.inputs,
    trainLabels: train.labels.map((k) => oneHot(k, 10)),
    validationData: test.inputs,
    validationLabels: test.labels.map((k) => oneHot(k, 10)),
    numEpochs: epochs,
    learningRate: 0.1,
    batchSize: 256,
    loss: N.crossEntropy,
    seed: 2
  }
  const once = async (workers: number): Promise<Run> => {
    const result = await trainAsync({ ...settings, workers })(start)
    if (E.isLeft(result)) throw new Error(`workers ${workers}: ${result.left.message}`)
    return { epochMs: result.right.history.map((r) => r.ms), accuracy: result.right.history.at(-1)!.accuracy ?? Number.NaN }
  }
  const runs = new Map<number, Run[]>(counts.map((w) => [w, []]))
  const ceilings: number[] = []
  progress('warm-up, 1 worker')
  await once(1) // warm-up: compiles the training loop on this thread
  for (let r = 0; r < reps; r++) {
    for (const w of counts) {
      progress(`repetition ${r + 1} of ${reps}: ${epochs} epochs on ${w} worker${w === 1 ? '' : 's'}`)
      runs.get(w)!.push(await once(w))
    }
    progress(`repetition ${r + 1} of ${reps}: capacity`)
    ceilings.push(await capacity(options.quick ? 10 : 30))
  }
  // abort latency: timers due at different points of a step (and of an epoch), for 1 and 2 workers
  const stops = new Map<number, Stop[]>([1, 2].map((w) => [w, []]))
  for (let r = 0; r < reps; r++)
    for (const w of [1, 2]) {
      progress(`abort latency ${r + 1} of ${reps}: ${w} worker${w === 1 ? '' : 's'}, stopped ${600 + 37 * r} ms after its first batch`)
      stops.get(w)!.push(await stopOnce(settings, start, w, 600 + 37 * r))
    }
  progress('done')
  const accuracy = runs.get(1)![0]!.accuracy
  for (const [w, rs] of runs)
    for (const x of rs)
      if (Math.abs(x.accuracy - accuracy) > 2 / test.inputs.length) throw new Error(`workers ${w}: accuracy ${x.accuracy}, one worker ${accuracy}`)
  const epochOf = (x: Run): number => median(x.epochMs.slice(1)) // an epoch after the first, in one run
  const steady = (w: number): number => median(runs.get(w)!.map(epochOf))
  const first = (w: number): number => median(runs.get(w)!.map((x) => x.epochMs[0]!))
  const ratios = (w: number): number[] => runs.get(w)!.map((x, r) => epochOf(runs.get(1)![r]!) / epochOf(x))
  const x2 = (v: number): string => `${v.toFixed(2)}x`
  return [
    `MNIST, 784-128-10, batch 256, ${train.inputs.length} training digits, validating on ${test.inputs.length} after each epoch, ${epochs} epochs a run, ${reps} repetitions of 1, 2 and 4 workers (${options.quick ? 'quick' : 'full'} run, Node ${process.versions.node}); accuracy after the last epoch ${fmt(100 * accuracy)}% for every count`,
    '',
    '| workers | an epoch (ms, median) | first epoch, with the pool’s start (ms) | speed-up over 1 worker (median of the repetitions’) |',
    '|---:|---:|---:|---:|',
    ...counts.map((w) => `| ${w} | ${fmt(steady(w))} | ${fmt(first(w))} | ${x2(median(ratios(w)))} |`),
    '',
    'Each repetition: an epoch on 1 worker (ms), the speed-up of 2 workers, and the capacity of the machine right after (two threads computing gradients apart, with no messages, against one: about 2 on two idle cores, 1 when another process holds a core; the speed-up of 2 workers cannot exceed it):',
    '',
    '| repetition | 1 worker (ms) | 2 workers | capacity |',
    '|---:|---:|---:|---:|',
    ...ceilings.map((c, r) => `| ${r + 1} | ${fmt(epochOf(runs.get(1)![r]!))} | ${x2(ratios(2)[r]!)} | ${x2(c)} |`),
    '',
    `Abort latency: ${reps} runs of each count stopped by a timer due 600 ms to ${600 + 37 * (reps - 1)} ms after their first batch (a stop button's click, from another task of the event loop), mid-step at different points; a batch's time is the median gap between two \`onBatch\` calls of the run. The target: the promise settles within one batch's time of \`abort()\`.`,
    '',
    '| workers | a batch (ms, median) | `abort()` → settled (ms, median / max) | timer due → settled (ms, median / max) | worst `abort()` → settled, in batches |',
    '|---:|---:|---:|---:|---:|',
    ...[...stops].map(([w, xs]) => {
      const batch = median(xs.map((x) => x.batchMs))
      const worst = Math.max(...xs.map((x) => x.afterAbort / x.batchMs))
      const pair = (f: (x: Stop) => number): string => `${fmt(median(xs.map(f)))} / ${fmt(Math.max(...xs.map(f)))}`
      return `| ${w} | ${fmt(batch)} | ${pair((x) => x.afterAbort)} | ${pair((x) => x.afterDue)} | ${worst.toFixed(2)} |`
    })
  ].join('\n')
}

if (!isMainThread) parentPort!.postMessage(gradientMs((workerData as { reps: number }).reps)) // a thread of `capacity`
else runAsScript(import.meta.url, run)
