/**
 * Kernels written out for one network shape: the tutorial's case (a tiny network of
 * element-wise layers, trained one sample at a time) as straight-line code in which every
 * index is a constant and every intermediate a local variable, compiled once a shape with
 * `new Function` and kept.
 *
 * Why: on the 2-2-1 XOR network a step of the fused loops (`samplePass` in `small.ts`) spends
 * more on its loops (trip counts of 1 and 2, sizes read from arrays, every Z, Y and delta
 * stored in and read back from the scratch buffer) and on calling the activation by number
 * than on its two dozen multiply-adds and three exponentials. Written out, a step of `train` on
 * XOR (with its share of the epoch's scoring) went from about 0.41 to 0.30 µs (the benchmark's
 * workload 1, `node bench/dist/index.js --only=1`).
 *
 * What it must agree with: `samplePass` and `forward` in `small.ts`, bit for bit. It takes the
 * same operations in the same order: each sum starts from 0 and adds its terms in order of
 * the inner index (`0 + a·b + c·d + …` is evaluated left to right, as the loops accumulate),
 * the bias is added after the products, the activations are the statements of
 * `forwardSource` / `backwardSource` (tested against `forwardAt` / `backwardAt`), and the loss
 * runs through the very functions `samplePass` calls (`meanLoss`, `gradientAt`). The tests
 * compare the two paths on random shapes (test/generated.test.ts).
 *
 * Where code cannot be generated (a page whose Content-Security-Policy forbids
 * `'unsafe-eval'`), `new Function` throws; the shape then gets no kernels and the fused loops
 * run instead, with the same bits. Nothing of the caller's reaches the generated source: it is
 * built from numbers (sizes, offsets, activation numbers) and the loss's term, a fixed word.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import { backwardAt, backwardSource, forwardAt, forwardSource } from '../Activation.js'
import { gradientAt, meanLoss, type Term } from '../Loss.js'

/**
 * The gradients of one sample for one shape: `samplePass`, written out. Reads the parameters θ
 * from `th` (the flat layout, see `small.ts`: layer 0's weights row by row, its bias, layer 1's
 * weights, …), the sample `x` and its target `t` (one column each, from 0); writes the gradients
 * into `g` (the same layout), each entry as `samplePass` computes it, and the sample's loss into
 * `s[0]` (a number in a buffer, where a number returned would be boxed on the heap every step).
 * Uses `s` from 0 for the outputs (as many entries as the network has outputs).
 */
export type SampleGradients = (th: Float64Array, g: Float64Array, s: Float64Array, x: Float64Array, t: Float64Array) => void

/**
 * `SampleGradients` with the gradient added to the parameters as it is found (BLAS's axpy,
 * fused): instead of storing gᵢ into `g`, writes θᵢ + k·gᵢ into `next[i]` (the flat layout),
 * each gᵢ as `SampleGradients` computes it; the loss into `s[0]` and Σ (vᵢ − vᵢ) over the
 * entries written into `s[1]` (0 when each is finite, NaN otherwise).
 */
export type SampleAxpy = (th: Float64Array, next: Float64Array, s: Float64Array, x: Float64Array, t: Float64Array, k: number) => void

/**
 * The forward pass of `forward` for one shape, on a block of `B` samples (one per column of
 * `x`, entry (j, c) at j·B + c): writes the outputs, a `outputs x B` block, into `s` from
 * `out`, with the parameters read from `th` (the flat layout).
 */
export type BlockForward = (th: Float64Array, x: Float64Array, B: number, s: Float64Array, out: number) => void

/** The kernels of one shape. */
export interface Kernels {
  readonly gradients: SampleGradients
  readonly axpy: SampleAxpy
  readonly forward: BlockForward
}

/** The shape of a network as the kernels see it: each layer's nodes and inputs side by side (`dims[2k]`, `dims[2k + 1]`), each layer's activation number, and the loss's term. */
export interface Shape {
  readonly dims: ReadonlyArray<number>
  readonly codes: ReadonlyArray<number>
  readonly term: Term
}

/**
 * The most parameters a shape may have for its kernels to be written out: the code grows with
 * them (a statement or two per weight), and past a few hundred the loops cost no more than the
 * straight line.
 */
export const MAX_GENERATED_PARAMETERS = 256

/** Σ over the summands, from 0, in order: `0 + a + b + …` (JavaScript adds left to right). */
const sumOf = (terms: ReadonlyArray<string>): string => ['0', ...terms].join(' + ')

/**
 * The statements of the forward pass of one column: `input(j)` names input j of the sample;
 * declares `z{k}_{i}` and `y{k}_{i}` for every layer k and node i.
 */
const forwardLines = (shape: Shape, input: (j: number) => string): string[] => {
  const { dims, codes } = shape
  const lines: string[] = []
  let x = input
  for (let k = 0, p = 0; k < codes.length; k++) {
    const n = dims[2 * k]!
    const m = dims[2 * k + 1]!
    for (let i = 0; i < n; i++) {
      const products = Array.from({ length: m }, (_, j) => `th[${p + i * m + j}] * ${x(j)}`) // Wᵢⱼ·xⱼ
      lines.push(`const z${k}_${i} = ${sumOf(products)} + th[${p + n * m + i}];`) // (Σⱼ Wᵢⱼ xⱼ) + bᵢ
      lines.push(`let y${k}_${i};`, forwardSource(codes[k]!, `z${k}_${i}`, `y${k}_${i}`)) // y = f(z)
    }
    p += n * (m + 1)
    const layer = k
    x = (j) => `y${layer}_${j}`
  }
  return lines
}

/**
 * The source of the `SampleGradients` of a shape (see `samplePass` for the rules, step by step),
 * or with `axpy` of its `SampleAxpy`: each gradient entry, an expression, goes to `store`.
 */
const stepSource = (shape: Shape, axpy: boolean): string => {
  const store = (at: number, g: string): string => (axpy ? `{ const v = th[${at}] + k * (${g}); next[${at}] = v; bad += v - v; }` : `g[${at}] = ${g};`) // θ + k·g, rounded as the engine's final pass rounds it
  const { dims, codes } = shape
  const L = codes.length
  const input = (k: number, j: number): string => (k === 0 ? `x[${j}]` : `y${k - 1}_${j}`)
  const lines = forwardLines(shape, (j) => input(0, j))
  // the loss, through meanLoss on the outputs (copied to the work area), and the output delta dz = ℓ'(y, t) ⊙ f'(z, y)
  const nL = dims[2 * L - 2]!
  for (let i = 0; i < nL; i++) lines.push(`s[${i}] = y${L - 1}_${i};`)
  lines.push(`const value = meanLoss(term, s, 0, t, 0, ${nL}, 1);`)
  for (let i = 0; i < nL; i++) {
    lines.push(`const g${i} = gradientAt(term, y${L - 1}_${i}, t[${i}], 1);`)
    lines.push(`const d${L - 1}_${i} = ${backwardSource(codes[L - 1]!, `g${i}`, `z${L - 1}_${i}`, `y${L - 1}_${i}`)};`)
  }
  // reverse: ∂L/∂W = dz·xᵀ and ∂L/∂b = dz (sums of one term: 0 + …), then dx = (Wᵀ·dz) ⊙ f'(z, y) of the layer before
  const starts: number[] = [] // where each layer's parameters start in the flat layout
  for (let k = 0, p = 0; k < L; k++) {
    starts.push(p)
    p += dims[2 * k]! * (dims[2 * k + 1]! + 1)
  }
  for (let k = L - 1; k >= 0; k--) {
    const n = dims[2 * k]!
    const m = dims[2 * k + 1]!
    const p = starts[k]!
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) lines.push(store(p + i * m + j, `0 + d${k}_${i} * ${input(k, j)}`))
      lines.push(store(p + n * m + i, `0 + d${k}_${i}`))
    }
    if (k === 0) break // the input's gradient is not needed
    for (let j = 0; j < m; j++) {
      const products = Array.from({ length: n }, (_, i) => `th[${p + i * m + j}] * d${k}_${i}`) // Wᵢⱼ·dzᵢ
      lines.push(`const e${k - 1}_${j} = ${sumOf(products)};`)
      lines.push(`const d${k - 1}_${j} = ${backwardSource(codes[k - 1]!, `e${k - 1}_${j}`, `z${k - 1}_${j}`, `y${k - 1}_${j}`)};`)
    }
  }
  lines.push('s[0] = value;')
  return axpy ? ['let bad = 0;', ...lines, 's[1] = bad;'].join('\n') : lines.join('\n')
}

/** The source of the `BlockForward` of a shape: the forward pass of each column in turn. */
const forwardSourceOf = (shape: Shape): string => {
  const { dims, codes } = shape
  const L = codes.length
  const nL = dims[2 * L - 2]!
  const lines = ['for (let c = 0; c < B; c++) {', ...forwardLines(shape, (j) => `x[${j} * B + c]`)]
  for (let i = 0; i < nL; i++) lines.push(`s[out + ${i} * B + c] = y${L - 1}_${i};`)
  lines.push('}')
  return lines.join('\n')
}

/**
 * The kernels of a shape, compiled; undefined where code cannot be generated: `new Function`
 * then throws an `EvalError` (a Content-Security-Policy without `'unsafe-eval'`). Any other
 * error is a bug of the generator and is thrown.
 */
export const compile = (shape: Shape): Kernels | undefined => {
  const step = stepSource(shape, false)
  const axpy = stepSource(shape, true)
  const forward = forwardSourceOf(shape)
  const scope = ['forwardAt', 'backwardAt', 'gradientAt', 'meanLoss', 'term']
  const make = (params: string, body: string): unknown =>
    new Function(...scope, `"use strict"; return function (${params}) {\n${body}\n}`)(forwardAt, backwardAt, gradientAt, meanLoss, shape.term)
  try {
    return {
      gradients: make('th, g, s, x, t', step) as SampleGradients,
      axpy: make('th, next, s, x, t, k', axpy) as SampleAxpy,
      forward: make('th, x, B, s, out', forward) as BlockForward
    }
  } catch (e) {
    if (e instanceof EvalError) return undefined // no code generation here: the fused loops run
    throw e
  }
}
