import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Loss } from '@purenn/network'
import { referenceLoss } from './reference.js'

const losses: ReadonlyArray<Loss> = [N.mse, N.meanAbsoluteError, N.binaryCrossEntropy, N.crossEntropy]

/** Predictions in (0, 1) and targets in [0, 1], `rows x cols`, suitable for every loss. */
const arbPair = fc
  .record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, cols }) =>
    fc.tuple(
      fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols })
    ).map(([y, t]) => [M.fromFunction(rows, cols, (i, j) => y[i * cols + j]!), M.fromFunction(rows, cols, (i, j) => t[i * cols + j]!)] as const)
  )

const samples = (m: M.Matrix): number[][] => M.toArrays(M.transpose(m))

describe('losses', () => {
  it.each(losses.map((l) => [l.name, l] as const))('%s: the mean over samples of the per-sample loss summed over outputs', (_, loss) => {
    fc.assert(
      fc.property(arbPair, ([y, t]) => {
        const per = loss.perSample(y, t)
        expect([per.rows, per.cols]).toEqual([1, y.cols])
        expect(loss.value(y, t)).toBeCloseTo(M.sum(per) / y.cols, 12)
        expect(loss.value(y, t)).toBeCloseTo(referenceLoss(loss, samples(y), samples(t)), 10)
      }),
      { numRuns: 50 }
    )
  })

  it.each(losses.map((l) => [l.name, l] as const))('%s: gradient is the derivative of value (central differences)', (_, loss) => {
    fc.assert(
      fc.property(arbPair, ([y, t]) => {
        const g = loss.gradient(y, t)
        const h = 1e-6
        for (let k = 0; k < y.data.length; k++) {
          const p = y.data[k]!
          if (loss === N.meanAbsoluteError && Math.abs(p - t.data[k]!) <= h) continue // the kink of |y − t|
          const at = (v: number): number => loss.value({ ...y, data: y.data.map((x, i) => (i === k ? v : x)) }, t)
          const f = (at(p + h) - at(p - h)) / (2 * h)
          expect(Math.abs(g.data[k]! - f)).toBeLessThanOrEqual(1e-6 * Math.max(1e-2, Math.abs(g.data[k]!) + Math.abs(f)))
        }
      }),
      { numRuns: 30 }
    )
  })

  it('mse is ½‖y − t‖², so a batch of one is the tutorial step', () => {
    expect(N.mse.value(M.fromArray([1, 2]), M.fromArray([0, 0]))).toBe(2.5)
    expect(M.toArray(N.mse.gradient(M.fromArray([1, 2]), M.fromArray([0, 0])))).toEqual([1, 2])
  })

  it('divides the gradient by the batch size', () => {
    const y = M.fromArrays([[1, 2]])
    const t = M.fromArrays([[0, 0]])
    if (y._tag === 'Left' || t._tag === 'Left') throw new Error('unreachable')
    expect(M.toArray(N.mse.gradient(y.right, t.right))).toEqual([0.5, 1])
    expect(N.meanAbsoluteError.value(y.right, t.right)).toBe(1.5)
  })

  it('cross-entropies stay finite when a probability underflows to 0 or 1', () => {
    expect(Number.isFinite(N.crossEntropy.value(M.fromArray([0, 1]), M.fromArray([1, 0])))).toBe(true)
    expect(Number.isFinite(N.binaryCrossEntropy.value(M.fromArray([1]), M.fromArray([0])))).toBe(true)
    expect(N.binaryCrossEntropy.value(M.fromArray([1]), M.fromArray([1]))).toBe(0)
  })

  it('refuse predictions and targets of different shapes', () => {
    expect(() => N.mse.value(M.zeros(2, 1), M.zeros(3, 1))).toThrow('mse.value: predictions are 2x1 but targets are 3x1')
    expect(() => N.crossEntropy.gradient(M.zeros(2, 1), M.zeros(2, 2))).toThrow(M.ShapeError)
  })
})
