/**
 * The decision boundary of a 2-D network: the probability of class 1 at every cell of a
 * `size` x `size` grid over [-1, 1]², row by row from the top (y = 1) down, as drawn.
 */
import { fromFunction } from '@purenn/matrix'
import { predictBatch, type Network } from '@purenn/network'

/** The grid's resolution. */
export const GRID_SIZE = 50

/** The centre of cell `k` of `size` along an axis, in [-1, 1]. */
export const cellCentre = (k: number, size: number): number => -1 + (2 * (k + 0.5)) / size

/** Class 1's probability at each cell (one sigmoid output: the output; several: the second). */
export const boundaryGrid = (net: Network, size: number = GRID_SIZE): Float32Array => {
  const inputs = fromFunction(2, size * size, (i, j) => (i === 0 ? cellCentre(j % size, size) : -cellCentre(Math.floor(j / size), size)))
  const out = predictBatch(inputs)(net)
  const row = out.rows === 1 ? 0 : 1
  return Float32Array.from({ length: size * size }, (_, j) => out.data[row * out.cols + j]!)
}
