/**
 * This build against another build of purenn, in one process: the per-sample XOR workloads
 * (workload 1's network and data) through each build's public API, for a change of a few
 * percent, which runs in separate processes on this shared machine cannot show (two runs of the
 * same build differ by more than that).
 *
 * Both builds are loaded side by side (each its own modules, `<root>/packages/<name>/dist`);
 * each round runs a workload on one build, then on the other (the order swapped every round, so
 * that the garbage one leaves falls on each alike), and times each call in this process's CPU
 * time. A ratio is the median over the rounds of this build's time over the other's within a
 * round. Every round also checks that the two builds end on the same bits (the table says when
 * they do not: a change of rounding, which CHANGELOGs must say).
 *
 * Run: `pnpm build && node bench/dist/compare.js <root of the other checkout, built>`, for example
 * `git worktree add /tmp/base <commit>`, then in /tmp/base `pnpm install --frozen-lockfile
 * --offline && pnpm build`, then `node bench/dist/compare.js /tmp/base` (options: `--rounds=N`,
 * `--only=train,adam,fold,iteration`).
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type * as M0 from '@purenn/matrix'
import type * as N0 from '@purenn/network'
import type * as T0 from '@purenn/training'
import { xorInputs, xorTargets } from './data.js'
import { fmt, median, ratio, table } from './harness.js'

/** A build's public API. */
interface Build {
  readonly M: typeof M0
  readonly N: typeof N0
  readonly T: typeof T0
}

const load = async (root: string): Promise<Build> => {
  const at = (name: string): string => pathToFileURL(resolve(root, 'packages', name, 'dist', 'index.js')).href
  return { M: (await import(at('matrix'))) as typeof M0, N: (await import(at('network'))) as typeof N0, T: (await import(at('training'))) as typeof T0 }
}

const EPOCHS = 10_000
const STEPS = 4 * EPOCHS

/** Workload 1's network: 2-2-1 sigmoid, `initialize('xavier')` from seed 1. */
const xorNetwork = ({ M, N }: Build): N0.Network =>
  N.initialize('xavier')(N.addLayer({ nodes: 1, activation: N.sigmoid })(N.addLayer({ nodes: 2, activation: N.sigmoid })(N.network(2))))(M.rng(1))[0]

/** `train` on the four XOR samples, one a batch, shuffled from seed 1, with the optimizer. */
const trainOn =
  (optimizer: (T: typeof T0) => T0.GradientTransformation<unknown>) =>
  (b: Build): (() => N0.Network) => {
    const net = xorNetwork(b)
    const opt = optimizer(b.T)
    return () => {
      const r = b.T.train({ trainData: xorInputs, trainLabels: xorTargets, numEpochs: EPOCHS, optimizer: opt, batchSize: 1, seed: 1 })(net)
      if (r._tag === 'Left') throw new Error(`train: ${JSON.stringify(r.left)}`)
      return r.right.network
    }
  }

/** The workloads: a key, what it is, and for a build the function that runs it once and returns the final network. */
const workloads: ReadonlyArray<readonly [string, string, (b: Build) => () => N0.Network]> = [
  ['train', '`train`, sgd 0.1 (with each epoch’s Error)', trainOn((T) => T.sgd({ learningRate: 0.1 }) as T0.GradientTransformation<unknown>)],
  ['adam', '`train`, adam 0.1 (with each epoch’s Error)', trainOn((T) => T.adam({ learningRate: 0.1 }) as T0.GradientTransformation<unknown>)],
  [
    'fold',
    'the fold of `trainStep(mse, sgd)`, the samples in order',
    (b) => {
      const net = xorNetwork(b)
      const opt = b.T.sgd({ learningRate: 0.1 })
      const samples = xorInputs.map((x, i) => ({ inputs: b.M.fromArray(x), targets: b.M.fromArray(xorTargets[i]!) }))
      return () => {
        const step = b.T.trainStep(b.N.mse, opt)
        let st = b.T.initTrainState(opt, net, b.M.rng(0))
        for (let e = 0; e < EPOCHS; e++) for (const s of samples) st = step(st, s)
        return st.network
      }
    }
  ],
  [
    'iteration',
    'a loop of `trainIteration`, the samples in order',
    (b) => {
      const net = xorNetwork(b)
      return () => {
        let n = net
        for (let e = 0; e < EPOCHS; e++) for (let i = 0; i < 4; i++) n = b.N.trainIteration(xorInputs[i]!, xorTargets[i]!, 0.1)(n)
        return n
      }
    }
  ]
]

/** The bits of a network's parameters, to compare two builds' results. */
const bitsOf = (net: N0.Network): string =>
  net.layers.map((l) => Array.from(new BigUint64Array(Float64Array.from([...l.weights.data, ...l.bias.data]).buffer), (x) => x.toString(16)).join(',')).join(';')

/** CPU microseconds a step of one call of `f` (user and system time of this process). */
const timed = (f: () => N0.Network): { readonly us: number; readonly net: N0.Network } => {
  const t0 = process.cpuUsage()
  const net = f()
  const d = process.cpuUsage(t0)
  return { us: (d.user + d.system) / STEPS, net }
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  const other = args.find((a) => !a.startsWith('--'))
  if (other === undefined) throw new Error('compare: give the root of the other checkout (built), e.g. node bench/dist/compare.js /tmp/base')
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 21)
  const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',')
  const here = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
  const [base, self] = [await load(other), await load(here)]
  const rows: string[][] = []
  for (const [key, what, make] of workloads) {
    if (only !== undefined && !only.includes(key)) continue
    const a = make(base)
    const b = make(self)
    for (let i = 0; i < 5; i++) {
      a() // warm-up
      b()
    }
    const ta: number[] = []
    const tb: number[] = []
    const q: number[] = []
    let same = true
    for (let r = 0; r < rounds; r++) {
      let x: ReturnType<typeof timed>
      let y: ReturnType<typeof timed>
      if (r % 2 === 0) {
        x = timed(a)
        y = timed(b)
      } else {
        y = timed(b)
        x = timed(a)
      }
      ta.push(x.us)
      tb.push(y.us)
      q.push(y.us / x.us)
      same &&= bitsOf(x.net) === bitsOf(y.net)
    }
    const sorted = [...q].sort((u, v) => u - v)
    const quartiles = `${fmt(sorted[Math.floor(rounds / 4)]!)}–${fmt(sorted[Math.floor((3 * rounds) / 4)]!)}`
    rows.push([what, fmt(median(ta)), fmt(median(tb)), `${ratio(median(q), 1)} (${quartiles})`, same ? 'yes' : '**no**'])
    process.stderr.write(`compare: ${key} done\n`)
  }
  process.stdout.write(
    `XOR 2-2-1 sigmoid, ${EPOCHS} epochs (${STEPS} steps) a call, ${rounds} rounds; CPU µs a step, medians; this build = ${here}, the other = ${resolve(other)}\n\n` +
      table(['workload', 'the other build (µs a step)', 'this build (µs a step)', 'this / the other (quartiles)', 'same bits'], rows) +
      '\n'
  )
}

await main()
