/**
 * Helpers over `Gradients`, the tree of matrices that mirrors a network (one `{ weights, bias }`
 * per layer): gradients, updates and optimizer moments all have this shape. Each helper runs a
 * kernel once per matrix; the kernel is a plain loop that fills a fresh buffer.
 */
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import type { Gradients, LayerGradients, Network } from '@purenn/network'
import { buf, matrix } from './buffer.js'
import { count } from './describe.js'

/** A kernel over one matrix: reads `x` and fills `out` (same length, fresh). */
export type Kernel1 = (x: Float64Array, out: Float64Array) => void

/** A kernel over two matrices of the same shape: reads `x` and `y`, fills `out`. */
export type Kernel2 = (x: Float64Array, y: Float64Array, out: Float64Array) => void

const run1 = (m: Matrix, f: Kernel1): Matrix => {
  const out = new Float64Array(m.rows * m.cols)
  f(buf(m), out)
  return matrix(m.rows, m.cols, out)
}

const run2 = (fn: string, a: Matrix, b: Matrix, f: Kernel2): Matrix => {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new M.ShapeError(fn, `shapes ${M.shapeOf(a)} and ${M.shapeOf(b)} differ`, [
      [a.rows, a.cols],
      [b.rows, b.cols]
    ])
  const out = new Float64Array(a.rows * a.cols)
  f(buf(a), buf(b), out)
  return matrix(a.rows, a.cols, out)
}

/** Applies `f` to every matrix of the tree. */
export const map1 = (a: Gradients, f: Kernel1): Gradients => {
  const out: LayerGradients[] = [] // pushed: a packed array, like the gradients it maps
  for (let k = 0; k < a.length; k++) out.push({ weights: run1(a[k]!.weights, f), bias: run1(a[k]!.bias, f) })
  return out
}

/** Applies `f` to the matching matrices of two trees; throws when their shapes differ. */
export const map2 = (fn: string, a: Gradients, b: Gradients, f: Kernel2): Gradients => {
  if (a.length !== b.length)
    throw new RangeError(`${fn}: expected ${count(a.length, 'layer')} of state, got ${count(b.length, 'layer')}`)
  const out: LayerGradients[] = [] // pushed: a packed array, like the gradients it maps
  for (let k = 0; k < a.length; k++) out.push({ weights: run2(fn, a[k]!.weights, b[k]!.weights, f), bias: run2(fn, a[k]!.bias, b[k]!.bias, f) })
  return out
}

/** Zeros shaped like the network's parameters: the initial value of a moment or a trace. */
export const zerosLike = (net: Network): Gradients =>
  net.layers.map((l) => ({ weights: M.zeros(l.weights.rows, l.weights.cols), bias: M.zeros(l.bias.rows, l.bias.cols) }))

/** The global norm of a tree: `‖g‖ = √(Σ over every entry of g²)`. */
export const globalNorm = (g: Gradients): number => {
  let s = 0
  for (let k = 0; k < g.length; k++) s += M.sumOfSquares(g[k]!.weights) + M.sumOfSquares(g[k]!.bias)
  return Math.sqrt(s)
}

/** True when every weight and bias of the network is a finite number. */
export const isFiniteNetwork = (net: Network): boolean => {
  for (const layer of net.layers) if (!allFinite(buf(layer.weights)) || !allFinite(buf(layer.bias))) return false
  return true
}

/** `x − x` is 0 for a finite `x` and NaN for ±∞ and NaN, so one sum tells whether all are finite. */
const allFinite = (x: Float64Array): boolean => {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! - x[i]!
  return s === 0
}
