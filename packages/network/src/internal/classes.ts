/**
 * How classifiers are scored: the rule `accuracy` and `scores` count right answers by.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */

/**
 * How many of the `cols` samples are classified right, given `rows x cols` blocks of the
 * predictions `y` (from `yo`) and of the labels `t` (from `to`), one sample per column. With
 * several outputs, a sample is right when its largest output is at the index of its label's
 * largest entry (the first, on ties); with one output, when the output and the label fall on
 * the same side of 0.5.
 */
export const correctIn = (y: Float64Array, yo: number, t: Float64Array, to: number, rows: number, cols: number): number => {
  let right = 0
  for (let j = 0; j < cols; j++) {
    if (rows === 1) {
      if (y[yo + j]! >= 0.5 === t[to + j]! >= 0.5) right++
      continue
    }
    let best = 0
    let truth = 0
    for (let i = 1; i < rows; i++) {
      if (y[yo + i * cols + j]! > y[yo + best * cols + j]!) best = i
      if (t[to + i * cols + j]! > t[to + truth * cols + j]!) truth = i
    }
    if (best === truth) right++
  }
  return right
}
