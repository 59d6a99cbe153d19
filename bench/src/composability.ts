/**
 * The composability benchmark: what a training loop a user composes from the public pieces
 * costs next to ours, and what an optimizer costs next to SGD (the targets of issue 16). Every
 * figure comes from the public API, measured side by side in this one process: the variants of
 * a group run in interleaved rounds (the order reversed every other round, so that a slow spell
 * of the shared machine, or the garbage one variant leaves, falls on each of them alike), after
 * a warm-up, and each figure is the median of the rounds. A ratio is the median over the rounds
 * of the ratio within each round (the two sides ran next to each other), not a ratio of medians,
 * on two clocks: the wall clock, and this process's CPU time (user and system, all threads),
 * which a process waiting for one of the shared cores does not lose; targets are judged on it.
 *
 * 1. MNIST 784-128-10 (relu, softmax, cross-entropy, `initialize('he')` from seed 1), the 8,004
 *    training digits, batch 32, no validation set: an epoch of `train` against an epoch of the
 *    hand-written fold of the training README (`trainStep` reduced over `shuffledBatches`),
 *    for sgd, adam and `chain(clipByGlobalNorm(1), adam)`. `train` measures the Error on the
 *    training set after each epoch, so the fold does the same (`scores` of `@purenn/network`, on
 *    the same chunks of 256 digits, in order); both start from the same network, draw the same
 *    shuffles from the same seed and end on the same Error (checked). A run trains two epochs
 *    and times the second, so that what `train` does once a run (decoding its options, `init`)
 *    is not counted as an epoch's.
 * 2. Optimizers through `train`, from the runs of 1 (and two more): adam against sgd, and chains
 *    spelled out by hand from the built-in links against the optimizer each spells.
 * 3. XOR 2-2-1 sigmoid (workload 1's network, seed 1), mse, per-sample, learning rate 0.1,
 *    shuffled every epoch from seed 1: µs a step of a loop of `trainIteration`, of the fold of
 *    `trainStep(mse, sgd)` over `shuffledBatches(set, 1)`, and of `train` with sgd and adam.
 *
 * Before the tables, every variant's result is checked: the loss fell, and the sides that take
 * the same steps end on the same Error.
 *
 * Run: `npx tsc -b bench && node bench/dist/composability.js` (add `--quick` for a short run).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import * as T from '@purenn/training'
import { loadMnist } from '@purenn/examples/shared/mnist'
import { oneHot, xorInputs, xorTargets, type Digits } from './data.js'
import { fmt, median, runAsScript, table } from './harness.js'
import { xorNetwork } from './workloads/purenn.js'

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

/**
 * What one timed call of a variant measured: its wall time, the CPU time of this process over
 * the same span (user and system, all threads: on this shared machine a process waiting for a
 * core loses wall time, not CPU time), and what it trained to (for the checks).
 */
interface Run {
  readonly ms: number
  readonly cpu: number
  /** The tutorial's Error after the run, on the training set. */
  readonly error: number
}

/** A point in time on both clocks. */
interface Stamp {
  readonly wall: number
  readonly cpu: number
}

const stamp = (): Stamp => {
  const c = process.cpuUsage()
  return { wall: performance.now(), cpu: (c.user + c.system) / 1000 }
}

/** Milliseconds on both clocks from `a` to `b`, and the Error reached. */
const between = (a: Stamp, b: Stamp, error: number): Run => ({ ms: b.wall - a.wall, cpu: b.cpu - a.cpu, error })

/** A variant of a group: a name and a call that runs and times it. */
interface Variant {
  readonly name: string
  readonly run: () => Run
}

/**
 * Warms each variant up (`warmups` calls, and with `settle`, for a short loop, on until two
 * calls in a row agree within 10%, at most 12: a short loop's first calls run partly
 * unoptimised), then runs `reps` rounds over all of them, every other round in reverse order.
 * Returns each variant's runs, round by round.
 */
const rounds = (group: string, variants: ReadonlyArray<Variant>, reps: number, warmups: number, settle: boolean): Run[][] => {
  for (const v of variants) {
    log(`${group}: warming up ${v.name}`)
    let previous = v.run().ms
    for (let calls = 1; calls < (settle ? 12 : warmups); calls++) {
      const t = v.run().ms
      if (settle && calls >= Math.max(2, warmups - 1) && Math.abs(t - previous) <= 0.1 * Math.min(t, previous)) break
      previous = t
    }
  }
  const runs: Run[][] = variants.map(() => [])
  for (let r = 0; r < reps; r++) {
    log(`${group}: round ${r + 1} of ${reps}`)
    const order = variants.map((_, i) => i)
    if (r % 2 === 1) order.reverse()
    for (const i of order) runs[i]!.push(variants[i]!.run())
  }
  return runs
}

/** `a` against `b` measured in the same rounds: on each clock, the median of the rounds' ratios, and the CPU ratios' range. */
interface Ratio {
  readonly wall: number
  readonly cpu: number
  readonly low: number
  readonly high: number
}

const ratioOf = (a: ReadonlyArray<Run>, b: ReadonlyArray<Run>): Ratio => {
  const cpu = a.map((x, r) => x.cpu / b[r]!.cpu)
  return { wall: median(a.map((x, r) => x.ms / b[r]!.ms)), cpu: median(cpu), low: Math.min(...cpu), high: Math.max(...cpu) }
}

const x = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '–')

/** A ratio's cells: on the wall clock, on the CPU clock (with its range over the rounds), the target (at most `limit`), and whether the CPU ratio meets it. */
const ratioCells = (r: Ratio, limit?: number): string[] => [
  x(r.wall),
  `${x(r.cpu)} (${r.low.toFixed(2)}–${r.high.toFixed(2)})`,
  limit === undefined ? '' : `≤ ${limit.toFixed(2)}x`,
  limit === undefined ? '' : r.cpu <= limit ? 'yes' : '**no**'
]

const RATIO_HEADER = ['wall-clock ratio', 'CPU-time ratio (range)', 'target', 'met'] as const

const orThrow = <A>(e: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}

const check = (ok: boolean, what: string): void => {
  if (!ok) throw new Error(`composability benchmark: ${what}`)
}

/** Equal up to the last few bits (the sides take the same steps; `train` documents the same bits). */
const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))

const medianMs = (rs: ReadonlyArray<Run>): number => median(rs.map((r) => r.ms))

// -------------------------------------------------------------------------------------
// MNIST
// -------------------------------------------------------------------------------------

const MNIST_SEED = 1

/** 784-128-10, relu then softmax, He-initialised from seed 1. */
const mnistNetwork = (): N.Network =>
  pipe(
    N.network(784),
    N.addLayer({ nodes: 128, activation: N.relu }),
    N.addLayer({ nodes: 10, activation: N.softmax }),
    N.initialize('he')
  )(M.rng(MNIST_SEED))[0]

interface Optimizer {
  readonly name: string
  readonly make: () => T.GradientTransformation<unknown>
}

const as = <S>(tx: T.GradientTransformation<S>): T.GradientTransformation<unknown> => tx as T.GradientTransformation<unknown>

const SGD: Optimizer = { name: '`sgd({ learningRate: 0.1 })`', make: () => as(T.sgd({ learningRate: 0.1 })) }
const ADAM: Optimizer = { name: '`adam({ learningRate: 1e-3 })`', make: () => as(T.adam({ learningRate: 1e-3 })) }
const CLIP_ADAM: Optimizer = {
  name: '`chain(clipByGlobalNorm(1), adam({ learningRate: 1e-3 }))`',
  make: () => as(T.chain(T.clipByGlobalNorm(1), T.adam({ learningRate: 1e-3 })))
}
const SGD_SPELLED: Optimizer = { name: '`chain(scaleByLearningRate(0.1))`', make: () => as(T.chain(T.scaleByLearningRate(0.1))) }
const ADAM_SPELLED: Optimizer = {
  name: '`chain(scaleByAdam(), scaleByLearningRate(1e-3))`',
  make: () => as(T.chain(T.scaleByAdam(), T.scaleByLearningRate(1e-3)))
}

/** The size of the chunks `train` measures an epoch in (`CHUNK` of its `measure.ts`), which the fold measures in too. */
const MEASURE_CHUNK = 256

const mnist = (digits: Digits, quick: boolean): string => {
  const reps = quick ? 3 : 11
  // quick: every fourth training digit (2,001 of them, every class), so that the section takes well under a minute
  const kept = (_: unknown, s: number): boolean => !quick || s % 4 === 0
  const trainData = digits.trainImages.filter(kept)
  const trainLabels = digits.trainLabels.filter(kept).map((k) => oneHot(k, 10))
  const n = trainData.length
  const start = mnistNetwork()
  // the fold's data set, built once, as a user's loop builds it before its epochs (`train` decodes its options before its first)
  const set = T.sampleSet(orThrow(T.toColumns(trainData)), orThrow(T.toColumns(trainLabels)))
  const everyDigit = Array.from({ length: n }, (_, s) => s)
  const before = N.scores(start, N.crossEntropy, orThrow(T.toColumns(trainData)), orThrow(T.toColumns(trainLabels))).error

  /**
   * `train` for two epochs (`numEpochs: 2`, no validation set): the time of the second, from
   * `onEpoch` of the first to `onEpoch` of the second. It covers what an epoch of `train` does:
   * the shuffle, the steps (gathered 1,024 digits at a time), the measures of the trained
   * network on the training set (the Error, the loss and the accuracy, from one `scores` pass
   * over chunks of 256 digits) and the report, and nothing done once a run (decoding the options,
   * `init`), which the first epoch's span would include.
   */
  const viaTrain = (o: Optimizer): Variant => {
    const optimizer = o.make()
    return {
      name: `train, ${o.name}`,
      run: () => {
        const stamps: Stamp[] = []
        const r = orThrow(
          T.train({ trainData, trainLabels, numEpochs: 2, optimizer, batchSize: 32, loss: N.crossEntropy, seed: MNIST_SEED, onEpoch: () => void stamps.push(stamp()) })(start)
        )
        return between(stamps[0]!, stamps[1]!, r.history[1]!.error)
      }
    }
  }

  /**
   * The training README's hand-written loop for two epochs, timing the second: each epoch
   * `shuffledBatches` (which gathers the whole epoch's batches at once), `trainStep` reduced over
   * them, then the Error on the training set as `train` measures it (`scores`, over chunks of
   * 256 digits in order, gathered by `batches` as `train` gathers them). The step is built and
   * the state initialised once, before the first epoch, as `train` does.
   */
  const viaFold = (o: Optimizer): Variant => {
    const optimizer = o.make()
    const measured = (net: N.Network): number => {
      let error = 0
      for (const chunk of T.batches(set, everyDigit, MEASURE_CHUNK)) error += N.scores(net, N.crossEntropy, chunk.inputs, chunk.targets).error
      return error
    }
    return {
      name: `fold, ${o.name}`,
      run: () => {
        const step = T.trainStep(N.crossEntropy, optimizer)
        let state = T.initTrainState(optimizer, start, M.rng(MNIST_SEED))
        let error = Number.NaN
        let first = stamp()
        for (let epoch = 1; epoch <= 2; epoch++) {
          const [batches, next] = T.shuffledBatches(set, 32)(state.rng)
          state = pipe(batches, RA.reduce({ ...state, rng: next }, step))
          error = measured(state.network)
          if (epoch === 1) first = stamp()
        }
        return between(first, stamp(), error)
      }
    }
  }

  const paired = [SGD, ADAM, CLIP_ADAM]
  const spelled = [SGD_SPELLED, ADAM_SPELLED]
  const variants = [...paired.flatMap((o) => [viaTrain(o), viaFold(o)]), ...spelled.map(viaTrain)]
  const runs = rounds('mnist', variants, reps, 1, false)
  const byName = new Map(variants.map((v, i) => [v.name, runs[i]!]))
  const of = (how: 'train' | 'fold', o: Optimizer): Run[] => byName.get(`${how}, ${o.name}`)!

  // the checks: every run trained, the fold ended where train did, and a spelled chain where the optimizer it spells did
  for (const [name, rs] of byName) for (const r of rs) check(r.error < 0.5 * before, `${name}: Error ${r.error} after two epochs, ${before} before`)
  for (const o of paired) check(same(of('fold', o)[0]!.error, of('train', o)[0]!.error), `${o.name}: the fold ended on Error ${of('fold', o)[0]!.error}, train on ${of('train', o)[0]!.error}`)
  check(same(of('train', SGD_SPELLED)[0]!.error, of('train', SGD)[0]!.error), 'chain(scaleByLearningRate(0.1)) did not end where sgd did')
  check(same(of('train', ADAM_SPELLED)[0]!.error, of('train', ADAM)[0]!.error), 'chain(scaleByAdam(), scaleByLearningRate(1e-3)) did not end where adam did')

  const ms = (rs: ReadonlyArray<Run>): string => fmt(medianMs(rs))
  // 1: the fold against train, each optimizer
  const foldRows = paired.map((o) => [o.name, ms(of('train', o)), ms(of('fold', o)), ...ratioCells(ratioOf(of('fold', o), of('train', o)), 1.25)])
  // 2: through train, adam against sgd, and each chain spelled out against the optimizer it spells
  const optimizerRows = [
    ['an adam epoch / an sgd epoch', ms(of('train', ADAM)), ms(of('train', SGD)), ...ratioCells(ratioOf(of('train', ADAM), of('train', SGD)), 1.3)],
    [`${SGD_SPELLED.name} / ${SGD.name}`, ms(of('train', SGD_SPELLED)), ms(of('train', SGD)), ...ratioCells(ratioOf(of('train', SGD_SPELLED), of('train', SGD)), 1.05)],
    [`${ADAM_SPELLED.name} / ${ADAM.name}`, ms(of('train', ADAM_SPELLED)), ms(of('train', ADAM)), ...ratioCells(ratioOf(of('train', ADAM_SPELLED), of('train', ADAM)), 1.05)]
  ]
  const errors = [...paired, ...spelled].map((o) => `${o.name} ${fmt(of('train', o)[0]!.error, 4)}`).join(', ')
  return [
    `MNIST 784-128-10 (relu, softmax, cross-entropy, \`initialize('he')\` from seed 1), ${n.toLocaleString('en-US')} training digits${quick ? ' (quick: every fourth)' : ''}, batch 32, shuffled from seed 1, no validation set: after each epoch both sides measure the Error on the training set. Each run trains two epochs and times the second (what an epoch costs once the run has started: \`train\` decodes its options and initialises the optimizer before its first, the fold builds its data set before it), from the end of the first epoch's measure to the end of the second's (\`onEpoch\` for \`train\`). Medians of ${reps} interleaved rounds after a warm-up; a ratio is the median of the rounds' ratios, and its target is met by the CPU-time one.`,
    '',
    '**1. The hand-written fold (`trainStep` reduced over `shuffledBatches`, then `scores`) against `train`, the same optimizer:**',
    '',
    table(['optimizer', '`train` (ms an epoch)', 'fold (ms an epoch)', ...RATIO_HEADER], foldRows),
    '',
    '**2. Optimizers, through `train` (the same runs):**',
    '',
    table(['ratio', 'numerator (ms an epoch)', 'denominator (ms an epoch)', ...RATIO_HEADER], optimizerRows),
    '',
    `Checked: each fold ends on the Error of \`train\` with the same optimizer, each spelled chain on that of the optimizer it spells (the same steps, the same bits), and every run at most half the Error before training (${fmt(before, 4)}); after two epochs: ${errors}.`
  ].join('\n')
}

// -------------------------------------------------------------------------------------
// XOR
// -------------------------------------------------------------------------------------

const XOR_SEED = 1
const XOR_RATE = 0.1

/** The tutorial's Error of a network on the four XOR rows. */
const xorError = (net: N.Network): number => N.evaluate(net, xorInputs, xorTargets)

const xor = (quick: boolean): string => {
  const epochs = quick ? 1000 : 10_000
  const reps = quick ? 5 : 21
  const steps = 4 * epochs
  const start = xorNetwork(XOR_SEED)
  const before = xorError(start)
  const columns = (rows: ReadonlyArray<ReadonlyArray<number>>): M.Matrix => orThrow(T.toColumns(rows))
  const set = T.sampleSet(columns(xorInputs), columns(xorTargets)) // built once, outside the clock
  const sgd = T.sgd({ learningRate: XOR_RATE })
  const adam = T.adam({ learningRate: XOR_RATE })
  const viaTrain = (optimizer: T.GradientTransformation<unknown>) => (): Run => {
    const t0 = stamp()
    const r = orThrow(T.train({ trainData: xorInputs, trainLabels: xorTargets, numEpochs: epochs, optimizer, batchSize: 1, seed: XOR_SEED })(start))
    return between(t0, stamp(), r.history.at(-1)!.error)
  }

  const variants: Variant[] = [
    {
      // workload 1's loop: a permutation of the four rows an epoch from seed 1, one `trainIteration` a sample
      name: 'a loop of `trainIteration`',
      run: () => {
        let net = start
        let rng = M.rng(XOR_SEED)
        const t0 = stamp()
        for (let e = 0; e < epochs; e++) {
          const [order, next] = M.permutation(4)(rng)
          rng = next
          for (const i of order) net = N.trainIteration(xorInputs[i]!, xorTargets[i]!, XOR_RATE)(net)
        }
        return between(t0, stamp(), xorError(net))
      }
    },
    {
      // the README's loop: each epoch `shuffledBatches(set, 1)` (the same permutation from the same generator), `trainStep` reduced over it;
      // the step is built and the state initialised before the clock starts
      name: 'the fold of `trainStep(mse, sgd)` over `shuffledBatches(set, 1)`',
      run: () => {
        const step = T.trainStep(N.mse, sgd)
        let state = T.initTrainState(sgd, start, M.rng(XOR_SEED))
        const t0 = stamp()
        for (let e = 0; e < epochs; e++) {
          const [batches, next] = T.shuffledBatches(set, 1)(state.rng)
          state = pipe(batches, RA.reduce({ ...state, rng: next }, step))
        }
        return between(t0, stamp(), xorError(state.network))
      }
    },
    // workload 1's `train` (its `learningRate: 0.1` builds this sgd): it also measures the Error on the four rows after every epoch, and decodes its options
    { name: '`train`, `sgd({ learningRate: 0.1 })`', run: viaTrain(sgd as T.GradientTransformation<unknown>) },
    // the same run with adam at the same rate
    { name: '`train`, `adam({ learningRate: 0.1 })`', run: viaTrain(adam as T.GradientTransformation<unknown>) }
  ]
  const runs = rounds('xor', variants, reps, 3, true)
  const [iteration, fold, trainSgd, trainAdam] = runs as [Run[], Run[], Run[], Run[]]

  // the checks: every run trained, and the three SGD loops (the same steps in the same order) ended on the same Error
  for (const [i, rs] of runs.entries()) for (const r of rs) check(r.error < before, `${variants[i]!.name}: Error ${r.error} after ${epochs} epochs, ${before} before`)
  check(same(fold[0]!.error, iteration[0]!.error), `the fold ended on Error ${fold[0]!.error}, the loop of trainIteration on ${iteration[0]!.error}`)
  check(same(trainSgd[0]!.error, iteration[0]!.error), `train ended on Error ${trainSgd[0]!.error}, the loop of trainIteration on ${iteration[0]!.error}`)

  const us = (rs: ReadonlyArray<Run>): string => fmt((1000 * medianMs(rs)) / steps)
  const rows = [
    [variants[0]!.name, us(iteration), '', '', '', '', ''],
    [variants[1]!.name, us(fold), 'fold / `trainIteration` loop', ...ratioCells(ratioOf(fold, iteration), 1.25)],
    [variants[2]!.name, us(trainSgd), '`trainIteration` loop / `train` (for reference)', ...ratioCells(ratioOf(iteration, trainSgd))],
    [variants[3]!.name, us(trainAdam), 'an adam step / an sgd step, through `train`', ...ratioCells(ratioOf(trainAdam, trainSgd), 1.5)]
  ]
  return [
    `XOR 2-2-1 sigmoid (workload 1's network, seed 1), mse, per-sample (batch 1), learning rate 0.1, shuffled every epoch from seed 1, ${epochs.toLocaleString('en-US')} epochs (${steps.toLocaleString('en-US')} steps) a run. Medians of ${reps} interleaved rounds after a warm-up; a ratio is the median of the rounds' ratios, and its target is met by the CPU-time one. \`train\` also measures the Error on the four rows after every epoch and decodes its options (the loops do neither).`,
    '',
    '**3. XOR, per-sample steps:**',
    '',
    table(['how', 'µs a step', 'ratio', ...RATIO_HEADER], rows),
    '',
    `Checked: every run's Error fell (${fmt(before, 4)} before); the loop of \`trainIteration\`, the fold and \`train\` with sgd take the same steps and end on the same Error (${fmt(iteration[0]!.error, 4)}); adam ends on ${fmt(trainAdam[0]!.error, 4)}.`
  ].join('\n')
}

// -------------------------------------------------------------------------------------
// the section
// -------------------------------------------------------------------------------------

const digits = (): Digits => {
  const { train, test } = loadMnist()
  return { trainImages: train.inputs, trainLabels: train.labels, testImages: test.inputs, testLabels: test.labels }
}

/**
 * Runs the benchmark and returns markdown (MNIST's two tables, then XOR's). XOR runs first: its
 * short loops would otherwise start from the JIT state the MNIST runs leave. `quick` runs fewer
 * XOR epochs, fewer rounds and every fourth training digit (under a minute).
 */
export async function run(options: { quick: boolean }): Promise<string> {
  const t0 = performance.now()
  const xorText = xor(options.quick)
  await new Promise((resolve) => setImmediate(resolve)) // let a caller's timers and output through
  const mnistText = mnist(digits(), options.quick)
  return [
    `Composability and optimizers (issue 16's targets), with the public API only, ${options.quick ? 'quick' : 'full'} run, Node ${process.versions.node}, ${fmt((performance.now() - t0) / 1000)} s. Wall-clock and CPU-time ratios are both given: on this shared machine a process waiting for a core loses wall time, not CPU time (the process's, all its threads: V8's collector included).`,
    '',
    mnistText,
    '',
    xorText
  ].join('\n')
}

runAsScript(import.meta.url, run)
