/**
 * Shape checks of a batch (one sample per column) against a network. A batch whose rows are
 * not the network's sizes, or whose inputs and targets hold different numbers of samples, is a
 * mismatch between values the library built (matrices and a network): it is refused with a
 * `ShapeError` (a `RangeError`, from `@purenn/matrix`) naming both shapes, e.g.
 * `predictBatch: inputs has 3 rows, the network expects 2 (one sample per column); inputs is
 * 3x4, expected 2x4`. A value that is not a matrix at all is a `TypeError`.
 */
import { ShapeError, type Matrix } from '@purenn/matrix'
import type { Network } from '../types.js'
import { count, describeValue, isMatrix } from './describe.js'

/**
 * Refuses `m` (the argument `name` of `fn`) unless it has `rows` rows: `what` says whose size
 * that is (`the network expects`, `the network outputs`), `note` how a matrix holds samples.
 */
export const checkRows = (fn: string, name: string, m: Matrix, rows: number, what: string, note = 'one sample per column'): void => {
  if (m.rows !== rows)
    throw new ShapeError(fn, `${name} has ${count(m.rows, 'row')}, ${what} ${rows} (${note}); ${name} is ${m.rows}x${m.cols}, expected ${rows}x${m.cols}`, [
      [m.rows, m.cols],
      [rows, m.cols]
    ])
}

/** Refuses `inputs` that is not a matrix of the network's inputs (a sample per column). */
export const checkInputs = (fn: string, net: Network, inputs: unknown): void => {
  if (!isMatrix(inputs)) throw new TypeError(`${fn}: inputs must be a Matrix (one sample per column), got ${describeValue(inputs)}`)
  checkRows(fn, 'inputs', inputs, net.inputSize, 'the network expects')
}

/**
 * Refuses a batch unless `inputs` and `targets` are matrices of the network's inputs and its
 * `width` outputs, with as many samples (columns) each.
 */
export const checkBatch = (fn: string, net: Network, width: number, inputs: unknown, targets: unknown): void => {
  checkInputs(fn, net, inputs)
  if (!isMatrix(targets)) throw new TypeError(`${fn}: targets must be a Matrix (one sample per column), got ${describeValue(targets)}`)
  const x = inputs as Matrix
  checkRows(fn, 'targets', targets, width, 'the network outputs')
  if (targets.cols !== x.cols) throw samplesError(fn, x, targets)
}

/** Inputs and targets (or labels: `name`) of different numbers of samples (columns), both shapes named. */
export const samplesError = (fn: string, inputs: Matrix, targets: Matrix, name = 'targets'): ShapeError =>
  new ShapeError(fn, `inputs has ${count(inputs.cols, 'sample')} (columns) but ${name} has ${targets.cols}; inputs is ${inputs.rows}x${inputs.cols}, ${name} is ${targets.rows}x${targets.cols}`, [
    [inputs.rows, inputs.cols],
    [targets.rows, targets.cols]
  ])
