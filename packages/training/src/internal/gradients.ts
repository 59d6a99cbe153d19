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

/** The blocks of a tree: layer 0's weights, its bias, layer 1's weights, … (its own buffers). */
export const blocksOf = (g: Gradients): ReadonlyArray<Float64Array> => {
  const out: Float64Array[] = [] // pushed: a packed array
  for (let k = 0; k < g.length; k++) out.push(buf(g[k]!.weights), buf(g[k]!.bias))
  return out
}

/** Σ x² over a block, in order. */
const sumOfSquares = (x: Float64Array): number => {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!
  return s
}

/**
 * The global norm of a tree given as blocks (see `blocksOf`): `‖g‖ = √(Σ over every entry of
 * g²)`, summed a layer at a time (its weights' sum plus its bias's, added on in layer order).
 */
export const globalNorm = (g: ReadonlyArray<Float64Array>): number => {
  let s = 0
  for (let b = 0; b + 1 < g.length; b += 2) s += sumOfSquares(g[b]!) + sumOfSquares(g[b + 1]!)
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
