/**
 * The `ShapeError`s of a batch that does not fit (API.md: shape mismatches between values the
 * library built throw a `ShapeError` naming both shapes): `at` says where the matrices are, as
 * the caller's function names them (`batches[3].inputs`, or `inputs` alone).
 *
 * @internal
 */
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import { count } from './describe.js'

/** The matrix at `at` has other than `rows` rows (`what`: whose size that is, e.g. `the network expects`). */
export const rowsError = (fn: string, at: string, m: Matrix, rows: number, what: string): M.ShapeError =>
  new M.ShapeError(fn, `${at} has ${count(m.rows, 'row')}, ${what} ${rows} (one sample per column); ${at} is ${m.rows}x${m.cols}, expected ${rows}x${m.cols}`, [
    [m.rows, m.cols],
    [rows, m.cols]
  ])

/** Inputs and targets hold different numbers of samples (columns); `at` prefixes `inputs` (`batches[3].`, or `''`). */
export const samplesError = (fn: string, at: string, inputs: Matrix, targets: Matrix): M.ShapeError =>
  new M.ShapeError(
    fn,
    `${at}inputs has ${count(inputs.cols, 'sample')} (columns) but targets has ${targets.cols}; inputs is ${inputs.rows}x${inputs.cols}, targets is ${targets.rows}x${targets.cols}`,
    [
      [inputs.rows, inputs.cols],
      [targets.rows, targets.cols]
    ]
  )
