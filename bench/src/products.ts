/**
 * The matrix-product benchmark: GFLOP/s of purenn's `a·b`, `a·bᵀ` and `aᵀ·b` (on its default
 * kernel, WebAssembly SIMD where available) next to baselines measured in the same run, on the
 * same inputs:
 *
 * - purenn's plain TypeScript kernel, chosen with `withKernel(kernels.plain)`;
 * - a plain typed-array i-k-j loop over flat row-major `Float64Array`s (for the transposed
 *   forms it first materialises the transpose, timed with the product);
 * - the tutorial's algorithm: nested `number[][]` rows and a new matrix per operation
 *   (`Matrix.dot`, with `Matrix.transpose` for the transposed forms), see
 *   `baselines/tutorial-matrix.ts`.
 *
 * The machine is shared and noisy, so what matters is the ratio to the baselines: after a
 * warm-up, each repetition times the three implementations one after the other, the ratios
 * are taken within each repetition, and the table reports medians over repetitions (of the
 * rates, and of the ratios). A product of `m x k` by `k x n` counts `2mkn` floating-point
 * operations. Before timing, every implementation's result is checked against purenn's.
 *
 * Run: `npx tsc -b bench && node bench/dist/products.js` (add `--quick` for a short run).
 */
import * as M from '@purenn/matrix'
import { calibrate, median, runAsScript } from './harness.js'
import { Matrix as TutorialMatrix, seededSource } from './baselines/tutorial-matrix.js'

// Typed-array reads use `!`: every index is in bounds by construction (loops run over the shapes).

/** The product forms, as backpropagation uses them. */
type Form = 'a·b' | 'a·bᵀ' | 'aᵀ·b'

const FORMS: ReadonlyArray<Form> = ['a·b', 'a·bᵀ', 'aᵀ·b']

/**
 * The shapes `[m, k, n]` of the result `m x n` and inner size `k`: an MNIST-sized layer, the
 * hidden layer of workload 2 on a batch of 32, and two squares.
 */
const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [64, 784, 128],
  [128, 784, 32],
  [128, 128, 128],
  [512, 512, 512]
]

// -------------------------------------------------------------------------------------
// the i-k-j baseline
// -------------------------------------------------------------------------------------

/** `rows x cols` row-major `x` transposed into a fresh buffer. */
const transposeFlat = (rows: number, cols: number, x: Float64Array): Float64Array => {
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!
  return out
}

/** `C = A·B` by the i-k-j loop: for each row i of A and each p, add `A(i, p)·B(p, :)` to `C(i, :)`. */
const ikj = (m: number, k: number, n: number, a: Float64Array, b: Float64Array): Float64Array => {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    const ci = i * n
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!
      const bp = p * n
      for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[bp + j]!
    }
  }
  return c
}

// -------------------------------------------------------------------------------------
// timing
// -------------------------------------------------------------------------------------

/** One implementation of one form at one shape: a thunk that computes the product. */
interface Candidate {
  readonly name: 'purenn' | 'purenn, plain kernel' | 'i-k-j' | 'tutorial'
  readonly run: () => ArrayLike<number> | number[][]
}

/** Keeps results alive so that no engine can drop the work. */
let sink = 0
const consume = (r: ArrayLike<number> | number[][]): void => {
  const first = r[0]
  sink += typeof first === 'number' ? first : Array.isArray(first) ? (first[0] ?? 0) : 0
}

/** Seconds taken by `iterations` calls. */
const time = (c: Candidate, iterations: number): number => {
  const start = performance.now()
  for (let i = 0; i < iterations; i++) consume(c.run())
  return (performance.now() - start) / 1000
}


/** What `measure` reports: the median rate of each candidate, and the median of the per-repetition ratios. */
interface Measured {
  /** Median GFLOP/s of each candidate, in the order given. */
  readonly rates: ReadonlyArray<number>
  /** Median over repetitions of `rate[0] / rate[i]`: the first candidate against each of the others. */
  readonly ratios: ReadonlyArray<number>
}

/**
 * GFLOP/s of each candidate: warm up until each has run for `warmup` seconds (at least
 * twice), choose a per-repetition iteration count that takes about `target` seconds, then
 * time `reps` repetitions, each running every candidate once, one after the other. Ratios
 * are taken within a repetition (a burst of load from elsewhere then slows both sides) and
 * their median reported.
 */
const measure = (
  candidates: ReadonlyArray<Candidate>,
  flops: number,
  settings: { readonly warmup: number; readonly target: number; readonly reps: number }
): Measured => {
  const iterations = candidates.map((c) => calibrate(() => time(c, 1), settings.warmup, settings.target))
  const rates: number[][] = candidates.map(() => [])
  const ratios: number[][] = candidates.map(() => [])
  for (let r = 0; r < settings.reps; r++) {
    const now = candidates.map((c, i) => (flops * iterations[i]!) / time(c, iterations[i]!) / 1e9)
    now.forEach((rate, i) => {
      rates[i]!.push(rate)
      ratios[i]!.push(now[0]! / rate)
    })
  }
  return { rates: rates.map(median), ratios: ratios.map(median) }
}

// -------------------------------------------------------------------------------------
// the benchmark
// -------------------------------------------------------------------------------------

/** The products on the plain TypeScript kernel, whatever the default kernel is. */
const plain = M.withKernel(M.kernels.plain)

/** The implementations of `form` at shape `m x k` by `k x n`, on seeded inputs. */
const candidates = (form: Form, m: number, k: number, n: number): Candidate[] => {
  // What is stored: for a·bᵀ the right operand is kept as n x k, for aᵀ·b the left one as k x m.
  const aShape: readonly [number, number] = form === 'aᵀ·b' ? [k, m] : [m, k]
  const bShape: readonly [number, number] = form === 'a·bᵀ' ? [n, k] : [k, n]
  const source = seededSource(m * 1_000_003 + k * 1009 + n)
  const ta = new TutorialMatrix(aShape[0], aShape[1]).randomize(-1, 1, source)
  const tb = new TutorialMatrix(bShape[0], bShape[1]).randomize(-1, 1, source)
  const a = M.fromFunction(aShape[0], aShape[1], (i, j) => ta.data[i]![j]!)
  const b = M.fromFunction(bShape[0], bShape[1], (i, j) => tb.data[i]![j]!)
  const fa = Float64Array.from(M.toArray(a))
  const fb = Float64Array.from(M.toArray(b))
  switch (form) {
    case 'a·b':
      return [
        { name: 'purenn', run: () => M.dot(b)(a).data },
        { name: 'purenn, plain kernel', run: () => plain.dot(b)(a).data },
        { name: 'i-k-j', run: () => ikj(m, k, n, fa, fb) },
        { name: 'tutorial', run: () => TutorialMatrix.dot(ta, tb).data }
      ]
    case 'a·bᵀ':
      return [
        { name: 'purenn', run: () => M.dotTransposeB(b)(a).data },
        { name: 'purenn, plain kernel', run: () => plain.dotTransposeB(b)(a).data },
        { name: 'i-k-j', run: () => ikj(m, k, n, fa, transposeFlat(n, k, fb)) },
        { name: 'tutorial', run: () => TutorialMatrix.dot(ta, TutorialMatrix.transpose(tb)).data }
      ]
    case 'aᵀ·b':
      return [
        { name: 'purenn', run: () => M.dotTransposeA(b)(a).data },
        { name: 'purenn, plain kernel', run: () => plain.dotTransposeA(b)(a).data },
        { name: 'i-k-j', run: () => ikj(m, k, n, transposeFlat(k, m, fa), fb) },
        { name: 'tutorial', run: () => TutorialMatrix.dot(TutorialMatrix.transpose(ta), tb).data }
      ]
  }
}

/** Refuses to time an implementation that computes something else than purenn (the first). */
const check = (form: Form, cs: ReadonlyArray<Candidate>): void => {
  const flat = (r: ArrayLike<number> | number[][]): number[] =>
    Array.isArray(r) && Array.isArray(r[0]) ? (r as number[][]).flat() : Array.from(r as ArrayLike<number>)
  const [ours, ...others] = cs.map((c) => flat(c.run()))
  others.forEach((other, o) =>
    ours!.forEach((x, i) => {
      if (!(Math.abs(x - other[i]!) <= 1e-9))
        throw new Error(`products benchmark: ${form} by ${cs[o + 1]!.name} differs from purenn at entry ${i}: ${other[i]} vs ${x}`)
    })
  )
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits)

/**
 * Runs the benchmark and returns a markdown table: one row per form and shape, GFLOP/s of
 * purenn and of both baselines, and purenn's speed-up over each. `quick` shortens warm-up and
 * repetitions (for a demo; the figures are noisier).
 */
export async function run(options: { quick: boolean }): Promise<string> {
  const settings = options.quick ? { warmup: 0.05, target: 0.03, reps: 3 } : { warmup: 0.3, target: 0.1, reps: 11 }
  const lines = [
    `Matrix products, GFLOP/s (2mkn flops / time; medians of ${settings.reps} repetitions; ratios are medians of per-repetition ratios; ${options.quick ? 'quick' : 'full'} run, Node ${process.versions.node})`,
    '',
    `purenn runs on its default kernel (${M.defaultKernel.name}); the plain TypeScript kernel is measured beside it.`,
    '',
    '| product | shape (m x k · k x n) | purenn | plain kernel | i-k-j loop | tutorial | vs plain kernel | vs i-k-j | vs tutorial |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|'
  ]
  for (const form of FORMS) {
    for (const [m, k, n] of SHAPES) {
      const cs = candidates(form, m, k, n)
      check(form, cs)
      const { rates, ratios } = measure(cs, 2 * m * k * n, settings)
      const [ours, plainRate, loop, tutorial] = rates as [number, number, number, number]
      lines.push(
        `| ${form} | ${m}x${k} · ${k}x${n} | ${fmt(ours)} | ${fmt(plainRate)} | ${fmt(loop)} | ${fmt(tutorial)} | ${fmt(ratios[1]!, 1)}x | ${fmt(ratios[2]!, 1)}x | ${fmt(ratios[3]!, 1)}x |`
      )
      await new Promise((resolve) => setImmediate(resolve)) // let a caller's timers and output through
    }
  }
  if (Number.isNaN(sink)) lines.push('') // reads the sink, so the work stays observable
  return lines.join('\n')
}

runAsScript(import.meta.url, run)
