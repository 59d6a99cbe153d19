import { ShapeError } from '../errors.js'
import type { Matrix } from '../Matrix.js'

/** Throws a `ShapeError` unless `a` and `b` have the same shape (for element-wise ops). */
export const assertSameShape = (op: string, a: Matrix, b: Matrix): void => {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new ShapeError(op, `shapes ${a.rows}x${a.cols} and ${b.rows}x${b.cols} differ`, [
      [a.rows, a.cols],
      [b.rows, b.cols]
    ])
}
