import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import {
  classAccuracy,
  classes,
  confusionMatrix,
  decodeStandardizer,
  encodeStandardizer,
  fitStandardizer,
  oneHot,
  standardize,
  stratifiedSplit,
  toColumns,
  toRows
} from '@purenn/training'
import { right } from './helpers.js'

describe('rows and columns', () => {
  it('toColumns puts each row in a column, and toRows undoes it', () => {
    const m = right(toColumns([[1, 2], [3, 4], [5, 6]]))
    expect([m.rows, m.cols]).toEqual([2, 3])
    expect(M.toArrays(m)).toEqual([[1, 3, 5], [2, 4, 6]])
    expect(toRows(m)).toEqual([[1, 2], [3, 4], [5, 6]])
  })

  it('toColumns names a ragged row', () => {
    const r = toColumns([[1, 2], [3]], 'trainData')
    expect(E.isLeft(r) && r.left.message).toBe('trainData[1]: expected 2 values, got 1')
  })
})

describe('one-hot', () => {
  it('oneHot and classes are inverses (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.nat(k - 1), { maxLength: 20 }))), ([k, labels]) => {
        const m = oneHot(k)(labels)
        expect([m.rows, m.cols]).toEqual([k, labels.length])
        if (k > 1) expect(classes(m)).toEqual(labels)
        expect(M.colSums(m).data.every((s) => s === 1)).toBe(true)
      })
    )
  })

  it('reads a single output as a probability, and refuses a bad label', () => {
    expect(classes(M.fromFunction(1, 3, (_, j) => [0.2, 0.5, 0.9][j]!))).toEqual([0, 1, 1])
    expect(() => oneHot(3)([0, 3])).toThrow('oneHot: labels[1] must be a class in 0 .. 2, got number 3')
  })
})

describe('standardisation', () => {
  const train = M.fromFunction(2, 4, (i, j) => (i === 0 ? 2 * j : 5)) // feature 0: 0, 2, 4, 6; feature 1 constant

  it('fits mean and deviation on training data, and applies them to other data', () => {
    const s = fitStandardizer(train)
    expect(s.mean).toEqual([3, 5])
    expect(s.std[0]).toBeCloseTo(Math.sqrt(5), 15)
    expect(s.std[1]).toBe(1) // a constant feature is only centred
    const z = standardize(s)(train)
    expect(M.rowMeans(z).data[0]).toBeCloseTo(0, 15)
    expect(Math.sqrt(M.sumOfSquares(M.row(0)(z)) / 4)).toBeCloseTo(1, 15)
    const test = M.fromFunction(2, 1, (i) => (i === 0 ? 3 + Math.sqrt(5) : 7))
    expect(M.toArray(standardize(s)(test))).toEqual([1, 2])
  })

  it('encodes to JSON and decodes back; a bad document is named', () => {
    const s = fitStandardizer(train)
    expect(right(decodeStandardizer(JSON.parse(JSON.stringify(encodeStandardizer(s)))))).toEqual(s)
    const bad = decodeStandardizer({ ...encodeStandardizer(s), std: [1, 0] })
    expect(E.isLeft(bad) && bad.left.message).toBe('std[1]: expected a positive number, got number 0')
    const short = decodeStandardizer({ ...encodeStandardizer(s), std: [1] })
    expect(E.isLeft(short) && short.left.message).toBe('std: expected 2 values (one per mean), got 1')
    expect(E.isLeft(decodeStandardizer('x'))).toBe(true)
  })

  it('refuses data of another width', () => {
    expect(() => standardize(fitStandardizer(train))(M.zeros(3, 1))).toThrow('standardize: data has 3 features (rows), the standardizer was fitted on 2')
  })
})

describe('stratified split', () => {
  const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]

  it('keeps each class’s share in the test set, and covers every sample once', () => {
    const [{ train, test }] = stratifiedSplit(labels, 0.25)(M.rng(0))
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i))
    const countIn = (set: number[], c: number) => set.filter((i) => labels[i] === c).length
    expect([0, 1, 2].map((c) => countIn(test, c))).toEqual([2, 1, 2])
    expect(train).toEqual([...train].sort((a, b) => a - b))
  })

  it('is deterministic in the generator', () => {
    const a = stratifiedSplit(labels, 0.5)(M.rng(4))
    const b = stratifiedSplit(labels, 0.5)(M.rng(4))
    const c = stratifiedSplit(labels, 0.5)(M.rng(5))
    expect(a).toEqual(b)
    expect(a[0]).not.toEqual(c[0])
  })

  it('refuses a fraction outside [0, 1]', () => {
    expect(() => stratifiedSplit(labels, 1.5)(M.rng(0))).toThrow('stratifiedSplit: testFraction must be in [0, 1], got number 1.5')
  })
})

describe('scoring classes', () => {
  it('accuracy and confusion matrix', () => {
    expect(classAccuracy([0, 1, 2, 2], [0, 1, 1, 2])).toBe(0.75)
    expect(confusionMatrix(3)([0, 1, 2, 2], [0, 1, 1, 2])).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1]
    ])
  })

  it('the confusion matrix’s diagonal over its total is the accuracy (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: 1, maxLength: 30 }), (pairs) => {
        const predicted = pairs.map(([p]) => p)
        const actual = pairs.map(([, a]) => a)
        const cm = confusionMatrix(4)(predicted, actual)
        const diagonal = cm.reduce((s, row, i) => s + row[i]!, 0)
        expect(diagonal / pairs.length).toBe(classAccuracy(predicted, actual))
        expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(pairs.length)
      })
    )
  })

  it('refuses lists of different lengths or classes out of range', () => {
    expect(() => classAccuracy([0], [0, 1])).toThrow('classAccuracy: predicted has 1 classes but actual has 2')
    expect(() => confusionMatrix(2)([0, 2], [0, 1])).toThrow('confusionMatrix: predicted[1] must be a class in 0 .. 1, got number 2')
  })
})
