/**
 * The tutorial's progress line, `Epoch 10; Error 1.9860974914165457`, with the loss and the
 * accuracy after it when `metrics` asks for them.
 *
 * @since 0.1.0
 */
import type { EpochReport } from './types.js'

/**
 * The verbose line for an epoch's report: `Epoch n; Error e`, then `; Loss l` (and
 * `; Validation loss v` when there is a validation set) if `loss` is asked for, then
 * `; Accuracy a` if `accuracy` is asked for and the report has one. Numbers are printed in
 * full, as the tutorial does.
 *
 * @example
 * import { verboseLine } from '@purenn/training'
 * verboseLine({ epoch: 10, loss: 0.5, error: 1.9860974914165457, ms: 1 }) // => 'Epoch 10; Error 1.9860974914165457'
 * verboseLine({ epoch: 10, loss: 0.5, error: 2, accuracy: 0.75, ms: 1 }, { loss: true, accuracy: true })
 * // => 'Epoch 10; Error 2; Loss 0.5; Accuracy 0.75'
 *
 * @category verbose
 * @since 0.1.0
 */
export const verboseLine = (report: EpochReport, show: { readonly loss?: boolean; readonly accuracy?: boolean } = {}): string => {
  let line = `Epoch ${report.epoch}; Error ${report.error}`
  if (show.loss === true) {
    line += `; Loss ${report.loss}`
    if (report.validationLoss !== undefined) line += `; Validation loss ${report.validationLoss}`
  }
  if (show.accuracy === true && report.accuracy !== undefined) line += `; Accuracy ${report.accuracy}`
  return line
}

/**
 * Whether epoch `epoch` (from 1) prints a line when verbose is `every` (1: every epoch; 0: never).
 *
 * @internal
 */
export const printsAt = (every: number, epoch: number): boolean => every > 0 && epoch % every === 0
