/**
 * Helpers over `Gradients`, the tree of matrices that mirrors a network (one `{ weights, bias }`
 * per layer): gradients, updates and optimizer moments all have this shape.
 */
import * as M from '@purenn/matrix'
import type { Gradients, Network } from '@purenn/network'
import { buf } from './buffer.js'

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
