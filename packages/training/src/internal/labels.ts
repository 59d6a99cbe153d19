/**
 * Labels a loss cannot learn from, found when the options are decoded: binary cross-entropy
 * reads each label as a probability, so one outside [0, 1] makes the loss negative and
 * unbounded below; cross-entropy reads each label row as a distribution over the classes. Both
 * would train "successfully" towards nothing. Losses of the caller's own are not checked.
 */
import { binaryCrossEntropy, crossEntropy, type Loss } from '@purenn/network'
import { invalidOptions, type InvalidOptions } from '../types.js'

/** How far a cross-entropy label's sum may be from 1. */
const SUM_TOLERANCE = 1e-6

/**
 * The first label (of `width` numbers a sample, sample-major in `data`) that `loss` cannot
 * learn from, as an `InvalidOptions` naming it (`trainLabels[4][0]: …`); undefined when there is
 * none.
 */
export const labelProblem = (loss: Loss, name: string, width: number, data: Float64Array): InvalidOptions | undefined => {
  if (loss === binaryCrossEntropy) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!
      if (!(v >= 0 && v <= 1))
        return invalidOptions(`${name}[${Math.floor(i / width)}][${i % width}]`, `binaryCrossEntropy needs labels in [0, 1], got ${v}`)
    }
  }
  if (loss === crossEntropy) {
    for (let s = 0, o = 0; o < data.length; s++, o += width) {
      let sum = 0
      for (let j = 0; j < width; j++) {
        const v = data[o + j]!
        if (v < 0) return invalidOptions(`${name}[${s}][${j}]`, `crossEntropy needs non-negative labels (a distribution over the classes), got ${v}`)
        sum += v
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE)
        return invalidOptions(`${name}[${s}]`, `crossEntropy needs labels that sum to 1 (a distribution over the classes, e.g. one-hot), got a sum of ${sum}`)
    }
  }
  return undefined
}
