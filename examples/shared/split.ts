/**
 * The fixed split the examples use, so that results compare across runs and libraries:
 * within each class, the samples whose index is 4 modulo 5 are held out for testing and
 * the others are for training. No randomness, no shuffling: the same split everywhere.
 *
 * @since 0.1.0
 */

/**
 * Whether the sample at `index` (counted within its class, from 0) belongs to the test part:
 * `index mod 5 = 4`, one sample in five.
 *
 * @example
 * import { isTestIndex } from './split.js'
 * ;[0, 1, 2, 3, 4, 5, 9].map(isTestIndex) // [false, false, false, false, true, false, true]
 *
 * @category split
 * @since 0.1.0
 */
export const isTestIndex = (index: number): boolean => index % 5 === 4

/**
 * Samples with their class, as plain rows: `inputs[k]` is sample `k`'s features and
 * `labels[k]` its class, an integer from 0.
 *
 * @category model
 * @since 0.1.0
 */
export interface Samples {
  readonly inputs: ReadonlyArray<ReadonlyArray<number>>
  readonly labels: ReadonlyArray<number>
}

/**
 * A data set split into a training part and a test part.
 *
 * @category model
 * @since 0.1.0
 */
export interface Split {
  readonly train: Samples
  readonly test: Samples
}

/**
 * Splits samples grouped by class (`byClass[c]` holds the samples of class `c`, in their
 * order) with {@link isTestIndex}, labelling each with its class.
 *
 * @example
 * import { splitByClass } from './split.js'
 * const { train, test } = splitByClass([[[0], [1], [2], [3], [4]], [[5], [6]]])
 * // train.inputs [[0], [1], [2], [3], [5], [6]], train.labels [0, 0, 0, 0, 1, 1]
 * // test.inputs [[4]], test.labels [0]
 *
 * @category split
 * @since 0.1.0
 */
export const splitByClass = (byClass: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>): Split => {
  const train = { inputs: [] as Array<ReadonlyArray<number>>, labels: [] as number[] }
  const test = { inputs: [] as Array<ReadonlyArray<number>>, labels: [] as number[] }
  byClass.forEach((samples, label) =>
    samples.forEach((sample, index) => {
      const part = isTestIndex(index) ? test : train
      part.inputs.push(sample)
      part.labels.push(label)
    })
  )
  return { train, test }
}
