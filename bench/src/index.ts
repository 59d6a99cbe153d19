/**
 * purenn's benchmark suite: `pnpm bench` (full run, writes BENCHMARKS.md at the repository
 * root) or `pnpm bench --quick` (one epoch, few repetitions, for development). `--only=1,2`
 * runs only those workloads (1 XOR, 2 MNIST training, 3 inference, 4 products, `network`
 * the network kernels, `workers` data-parallel training, `composability` the hand-written fold
 * against `train` and the optimizers against SGD) and writes nothing.
 *
 * Every section runs in a fresh Node process of its own (see `inProcessOf`); within it, purenn
 * and each peer run after a warm-up, and the tables report medians; ratios are against purenn,
 * measured in the same process.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadMnist } from '@purenn/examples/shared/mnist'
import { describeError, fmt, machine, median, ratio, table, versionOf } from './harness.js'
import type { Digits } from './data.js'
import * as purenn from './workloads/purenn.js'
import * as tutorial from './workloads/tutorial.js'
import * as brain from './peers/brain.js'
import * as synaptic from './peers/synaptic.js'
import * as tfjs from './peers/tfjs.js'
import { run as runProducts } from './products.js'
import { run as runNetwork } from './network.js'
import { run as runWorkers } from './workers.js'
import { run as runComposability } from './composability.js'

interface Settings {
  readonly quick: boolean
  readonly xorEpochs: number
  readonly tfjsXorEpochs: number
  readonly mnistEpochs: number
  readonly synapticSamples: number
  readonly reps: number
  /** Training runs of purenn and tfjs-wasm in workload 2, for a median accuracy. */
  readonly accuracyRuns: number
}

const settings = (quick: boolean): Settings =>
  quick
    ? { quick, xorEpochs: 1000, tfjsXorEpochs: 25, mnistEpochs: 1, synapticSamples: 200, reps: 3, accuracyRuns: 1 }
    : { quick, xorEpochs: 10_000, tfjsXorEpochs: 250, mnistEpochs: 5, synapticSamples: 1000, reps: 5, accuracyRuns: 5 }

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

// -------------------------------------------------------------------------------------
// workload 1: XOR
// -------------------------------------------------------------------------------------

interface Steps {
  readonly ms: number
  readonly steps: number
}

/**
 * Runs `f` (which returns its time) until the JIT has settled: at least 3 calls, then until two
 * calls in a row agree within 10%, at most 12 calls. The first calls of a loop this short run
 * partly unoptimised, so a single warm-up call leaves the figures to chance.
 */
const warmUp = (f: () => number): void => {
  let previous = f()
  for (let calls = 1; calls < 12; calls++) {
    const t = f()
    if (calls >= 2 && Math.abs(t - previous) <= 0.1 * Math.min(t, previous)) return
    previous = t
  }
}

const xorWorkload = async (s: Settings): Promise<string> => {
  const reps = s.quick ? 3 : 15
  const synchronous: Array<{ library: string; how: string; f: () => Steps }> = []
  const add = (library: string, how: string, f: () => Steps): void => {
    synchronous.push({ library, how, f })
  }
  add('purenn', '`train`, batchSize 1', () => purenn.xorTrain(s.xorEpochs))
  add('purenn', 'loop of `trainIteration`', () => purenn.xorTrainIteration(s.xorEpochs))
  add("tutorial's algorithm", 'per sample', () => tutorial.xorSteps(s.xorEpochs))
  add('brain.js 1.6.1', '`train` once an epoch', () => brain.xorSteps('brain1', s.xorEpochs, false))
  add('brain.js 1.6.1', 'one `train` call (unshuffled)', () => brain.xorSteps('brain1', s.xorEpochs, true))
  add('brain.js 2.0.0-beta.24', '`train` once an epoch', () => brain.xorSteps('brain2', s.xorEpochs, false))
  add('brain.js 2.0.0-beta.24', 'one `train` call (unshuffled)', () => brain.xorSteps('brain2', s.xorEpochs, true))
  add('synaptic 1.1.4', '`activate` + `propagate`', () => synaptic.xorSteps(s.xorEpochs))
  for (const { library, how, f } of synchronous) {
    log(`xor: warming up ${library} (${how})`)
    warmUp(() => f().ms)
  }
  // the repetitions go round the libraries, so that a slow spell of the shared machine falls on all of them
  const times: number[][] = synchronous.map(() => [])
  const steps: number[] = synchronous.map(() => 0)
  for (let r = 0; r < reps; r++) {
    log(`xor: repetition ${r + 1} of ${reps}`)
    synchronous.forEach(({ f }, i) => {
      const run = f()
      times[i]!.push(run.ms)
      steps[i] = run.steps
    })
  }
  const rows: Array<{ library: string; how: string; epochs: number; r: Steps }> = synchronous.map(({ library, how }, i) => ({
    library,
    how,
    epochs: s.xorEpochs,
    r: { ms: median(times[i]!), steps: steps[i]! }
  }))
  for (const backend of ['wasm', 'cpu'] as const) {
    log(`xor: tfjs ${backend}`)
    await tfjs.xorSteps(backend, 5)
    const runs: Steps[] = []
    for (let i = 0; i < 3; i++) runs.push(await tfjs.xorSteps(backend, s.tfjsXorEpochs))
    rows.push({ library: `tfjs-layers ${backend}`, how: 'a `fit` call per sample', epochs: s.tfjsXorEpochs, r: { ms: median(runs.map((r) => r.ms)), steps: runs[0]!.steps } })
  }
  const base = rows[0]!.r.ms / rows[0]!.r.steps
  return table(
    ['library', 'how', 'epochs', 'wall time (ms)', 'µs per step', 'purenn `train` is … faster'],
    rows.map(({ library, how, epochs, r }) => [library, how, String(epochs), fmt(r.ms), fmt((1000 * r.ms) / r.steps), ratio(r.ms / r.steps, base)])
  )
}

// -------------------------------------------------------------------------------------
// workload 2: MNIST training
// -------------------------------------------------------------------------------------

/**
 * Test accuracy after a few epochs of SGD at batch 32 moves by about a point from one seed to
 * the next (initial weights and shuffles), more than the gap the targets care about; so purenn
 * and tfjs on wasm train `accuracyRuns` times (purenn with seeds 1, 2, …; tfjs draws its own)
 * and the table gives the median accuracy with its range. The other peers run once.
 */
const mnistWorkload = async (s: Settings, data: Digits): Promise<string> => {
  const n = data.trainImages.length
  type Run = { epochMs: number[]; accuracy: number }
  const rows: Array<{ library: string; how: string; epochMs: number; accuracy: string; note: string }> = []
  const add = async (library: string, how: string, runs: number, f: (run: number) => Promise<Run> | Run, note = ''): Promise<void> => {
    const results: Run[] = []
    for (let r = 0; r < runs; r++) {
      log(`mnist: ${library}${runs > 1 ? ` (run ${r + 1} of ${runs})` : ''}`)
      results.push(await f(r))
    }
    const accuracies = results.map((x) => 100 * x.accuracy)
    const accuracy =
      runs === 1
        ? `${accuracies[0]!.toFixed(2)}%`
        : `${median(accuracies).toFixed(2)}% (median of ${runs}; ${Math.min(...accuracies).toFixed(2)}–${Math.max(...accuracies).toFixed(2)})`
    rows.push({ library, how, epochMs: median(results.flatMap((x) => x.epochMs)), accuracy, note })
  }
  const e = s.mnistEpochs
  const runs = s.accuracyRuns
  await add('purenn', 'batch 32, softmax + cross-entropy', runs, (r) => purenn.mnistTrain(data, e, r + 1))
  await add('tfjs-layers wasm', 'batch 32, softmax + cross-entropy', runs, () => tfjs.mnistTrain('wasm', data, e))
  await add('tfjs-layers cpu', 'batch 32, softmax + cross-entropy', 1, () => tfjs.mnistTrain('cpu', data, e))
  await add('brain.js 2.0.0-beta.24', 'per sample, sigmoid output', 1, () => brain.mnistTrain('brain2', data, e))
  await add('brain.js 1.6.1', 'per sample, sigmoid output', 1, () => brain.mnistTrain('brain1', data, e))
  await add("tutorial's algorithm", 'per sample, sigmoid output', 1, () => tutorial.mnistTrain(data, e))
  const synapticEpochs = Math.min(e, 2)
  await add(
    'synaptic 1.1.4',
    'per sample, sigmoid output',
    1,
    () => synaptic.mnistTrain(data, synapticEpochs, s.synapticSamples),
    `time scaled from ${s.synapticSamples} samples an epoch; accuracy after ${synapticEpochs} such epoch(s), not comparable`
  )
  const base = rows[0]!.epochMs
  return table(
    ['library', 'how', 's per epoch', 'samples/s', `test accuracy after ${e} epoch${e === 1 ? '' : 's'}`, 'purenn is … faster', 'note'],
    rows.map((r) => [r.library, r.how, fmt(r.epochMs / 1000), fmt((n * 1000) / r.epochMs), r.accuracy, ratio(r.epochMs, base), r.note])
  )
}

// -------------------------------------------------------------------------------------
// workload 3: inference
// -------------------------------------------------------------------------------------

const inferenceWorkload = async (s: Settings, data: Digits): Promise<string> => {
  const reps = s.quick ? 3 : 10
  const rows: Array<{ library: string; how: string; ms: number }> = []
  const add = async (library: string, how: string, f: () => Promise<number[]> | number[]): Promise<void> => {
    log(`inference: ${library}`)
    rows.push({ library, how, ms: median(await f()) })
  }
  await add('purenn', '`predictBatch`, one call', () => purenn.mnistInference(data, reps))
  await add('tfjs-layers wasm', '`predict`, batchSize = all', () => tfjs.mnistInference('wasm', data, reps))
  await add('tfjs-layers cpu', '`predict`, batchSize = all', () => tfjs.mnistInference('cpu', data, reps))
  await add('brain.js 2.0.0-beta.24', '`run` per sample', () => brain.mnistInference('brain2', data, reps))
  await add('brain.js 1.6.1', '`run` per sample', () => brain.mnistInference('brain1', data, reps))
  await add('synaptic 1.1.4', '`activate` per sample', () => synaptic.mnistInference(data, reps))
  await add("tutorial's algorithm", '`predict` per sample', () => tutorial.mnistInference(data, reps))
  const n = data.testImages.length
  const base = rows[0]!.ms
  return table(
    ['library', 'how', `ms for ${n} digits`, 'samples/s', 'purenn is … faster'],
    rows.map((r) => [r.library, r.how, fmt(r.ms), fmt((n * 1000) / r.ms), ratio(r.ms, base)])
  )
}

// -------------------------------------------------------------------------------------
// main
// -------------------------------------------------------------------------------------

const digits = (): Digits => {
  const { train, test } = loadMnist()
  return { trainImages: train.inputs, trainLabels: train.labels, testImages: test.inputs, testLabels: test.labels }
}

const versions = (): string =>
  table(
    ['package', 'version'],
    [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      'brain1',
      'brain2',
      'synaptic',
      'ml-matrix',
      'typescript'
    ].map((p) => [p === 'brain1' || p === 'brain2' ? `brain.js (${p})` : p, versionOf(p)])
  )

/** A section of the report: its key (for `--only`), its title, and the run that writes its table. */
interface Section {
  readonly key: string
  readonly title: string
  readonly body: () => Promise<string>
}

const sectionsOf = (s: Settings): ReadonlyArray<Section> => [
  { key: '4', title: 'Workload 4: matrix products (GFLOP/s)', body: () => runProducts({ quick: s.quick }) },
  { key: 'network', title: 'Network kernels', body: () => runNetwork({ quick: s.quick }) },
  { key: '1', title: 'Workload 1: XOR, 2-2-1 sigmoid, per-sample SGD at 0.1, shuffled every epoch', body: () => xorWorkload(s) },
  {
    key: '2',
    title: `Workload 2: MNIST digits, 784-128-10, SGD at 0.1, ${s.mnistEpochs} epoch(s), validating on the 1,996 test digits every epoch`,
    body: () => mnistWorkload(s, digits())
  },
  {
    key: 'composability',
    title: 'Composability and optimizers: the hand-written fold against `train`, Adam against SGD (issue 16)',
    body: () => runComposability({ quick: s.quick })
  },
  { key: '3', title: 'Workload 3: inference, the 1,996 test digits in one call', body: () => inferenceWorkload(s, digits()) },
  { key: 'workers', title: 'Workers: MNIST epochs at batch 256 on 1 and 2 worker threads', body: () => runWorkers({ quick: s.quick }) }
]

/** What a section's process writes to its result file: its title and table. */
interface SectionResult {
  readonly title: string
  readonly text: string
}

/**
 * Runs one section in this process (started by `inProcessOf`) and writes its result, as JSON,
 * to `out`. When the section fails, or this process ends any other way before the result is
 * written (a signal, an event loop that emptied while the section waited: exit code 13), it
 * says why on standard error, and writes the error's message and stack to `out` + `.error`
 * for the parent to quote.
 */
const runSection = async (s: Settings, key: string, out: string): Promise<void> => {
  const t0 = performance.now()
  const seconds = (): string => ((performance.now() - t0) / 1000).toFixed(1)
  let done = false
  const why = (text: string): void => {
    log(`bench: section ${key}: ${text}`)
    try {
      writeFileSync(`${out}.error`, text)
    } catch {
      // the parent says what it can without it
    }
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.once(signal, () => {
      done = true
      why(`stopped by ${signal} after ${seconds()} s, still running (its last progress line is above)`)
      process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15))
    })
  process.once('exit', (code) => {
    if (done) return
    const status = process.exitCode ?? code // an unsettled top-level await: the event says 0, the process ends with 13
    why(
      status === 13
        ? `ended after ${seconds()} s waiting for a promise that nothing could settle any more: nothing kept the event loop alive (exit code 13)`
        : `exited after ${seconds()} s with code ${status}, before writing its result`
    )
  })
  try {
    const section = sectionsOf(s).find((x) => x.key === key)
    if (section === undefined) throw new Error(`bench: no section ${JSON.stringify(key)}`)
    const result: SectionResult = { title: section.title, text: await section.body() }
    writeFileSync(out, JSON.stringify(result))
    done = true
  } catch (error) {
    done = true
    why(`failed after ${seconds()} s: ${describeError(error)}`)
    process.exitCode = 1
  }
}

/** The longest a section may run (the full MNIST training section takes about 8 minutes here). */
const SECTION_TIMEOUT_MS = 60 * 60 * 1000

/**
 * Runs a section in a fresh Node process and returns its result. Each workload starts from a
 * cold JIT: what one section teaches the compiler never slows or speeds the next. (Run in one
 * process, the tutorial's Matrix class, used at every size by the products and kernels
 * sections, ran XOR 5x slower than on its own: 12.2 against 2.4 µs a step.) The child's
 * output (progress, and whatever the peers print) goes to this process's standard error; its
 * result comes back in a file. When the section fails, the error says how the child ended
 * (exit code or signal, after how long) and quotes why, as the child wrote it (the error's
 * message and stack). A SIGINT or SIGTERM sent to this process while a section runs is passed
 * on to the child, which says where it was, and then ends this process.
 */
const inProcessOf = async (key: string, quick: boolean): Promise<SectionResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'purenn-bench-'))
  const out = join(dir, 'result.json')
  const t0 = performance.now()
  try {
    const args = [fileURLToPath(import.meta.url), `--section=${key}`, `--out=${out}`, ...(quick ? ['--quick'] : [])]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 2, 2] })
    let stoppedBy: NodeJS.Signals | undefined
    const pass = (signal: NodeJS.Signals) => (): void => {
      stoppedBy ??= signal
      child.kill(signal)
    }
    const onInt = pass('SIGINT')
    const onTerm = pass('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGTERM')
    }, SECTION_TIMEOUT_MS)
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | Error>((resolve) => {
      child.once('error', resolve)
      child.once('exit', (code, signal) => resolve({ code, signal }))
    })
    clearTimeout(timer)
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
    if (ended instanceof Error) throw new Error(`bench: section ${key} could not run: ${ended.message}`, { cause: ended })
    if (ended.code !== 0) {
      const how = ended.signal !== null ? `killed by ${ended.signal}` : `exit code ${ended.code}`
      const after = `${((performance.now() - t0) / 1000).toFixed(1)} s`
      const reason = existsSync(`${out}.error`) ? readFileSync(`${out}.error`, 'utf8') : 'it said nothing (killed before it could)'
      const context = timedOut ? `, timed out after ${SECTION_TIMEOUT_MS / 60000} min` : stoppedBy !== undefined ? `, stopped by ${stoppedBy} sent to the benchmark` : ''
      const error = new Error(`bench: section ${key} failed (${how}, after ${after}${context}): ${reason}`)
      if (stoppedBy !== undefined) {
        log(error.message)
        rmSync(dir, { recursive: true, force: true }) // process.exit skips the finally
        process.exit(128 + (stoppedBy === 'SIGINT' ? 2 : 15))
      }
      throw error
    }
    return JSON.parse(readFileSync(out, 'utf8')) as SectionResult
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const main = async (argv: ReadonlyArray<string>): Promise<string> => {
  const s = settings(argv.includes('--quick'))
  const started = new Date()
  const t0 = performance.now()
  const onlyArg = argv.find((a) => a.startsWith('--only='))
  const only = onlyArg === undefined ? undefined : new Set(onlyArg.slice('--only='.length).split(','))
  const sections: Array<[string, string]> = []
  for (const { key, title } of sectionsOf(s)) {
    if (only !== undefined && !only.has(key)) continue
    log(`== ${title}`)
    const result = await inProcessOf(key, s.quick)
    sections.push([result.title, result.text])
    process.stdout.write(`\n## ${result.title}\n\n${result.text}\n`)
  }
  const minutes = (performance.now() - t0) / 60000
  const report = [
    '# purenn benchmarks',
    '',
    `Run on ${started.toISOString().slice(0, 10)} on ${machine()}, ${s.quick ? 'quick mode' : 'full run'}, ${fmt(minutes)} minutes.`,
    'Reproduce with `pnpm bench` (this full run) or `pnpm bench --quick` (one epoch, few repetitions).',
    'Each section runs in a fresh Node process; figures are medians after a warm-up, and ratios compare with purenn',
    'measured in the same process. The machine is shared, so absolute figures move from run to run more than the',
    'ratios do.',
    '',
    ...sections.flatMap(([title, text]) => [`## ${title}`, '', text, '']),
    '## Versions',
    '',
    versions(),
    ''
  ].join('\n')
  return report
}

const here = dirname(fileURLToPath(import.meta.url))
const sectionArg = process.argv.find((a) => a.startsWith('--section='))
const outArg = process.argv.find((a) => a.startsWith('--out='))
if (sectionArg !== undefined && outArg !== undefined)
  await runSection(settings(process.argv.includes('--quick')), sectionArg.slice('--section='.length), outArg.slice('--out='.length))
else if (process.argv[1] && resolve(process.argv[1]) === resolve(here, 'index.js')) {
  try {
    const report = await main(process.argv.slice(2))
    if (!process.argv.includes('--quick') && !process.argv.some((a) => a.startsWith('--only='))) {
      const target = resolve(here, '../../BENCHMARKS.md')
      writeFileSync(`${target}.tmp`, report)
      renameSync(`${target}.tmp`, target)
      log(`wrote ${target}`)
    }
  } catch (error) {
    log(describeError(error))
    process.exitCode = 1
  }
}

