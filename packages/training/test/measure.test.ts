// How an epoch's measures cut the measured set (src/measure.ts): chunks of CHUNK samples in
// order, a small set cut once for the run, a large one gathered afresh each time, and the
// measures of the chunks folded into those of the whole set.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { sampleSet } from '../src/batches.js'
import { CHUNK, chunksOf, measure } from '../src/measure.js'
import { sigmoidNet } from './helpers.js'

/** A set of `n` samples of 2 inputs and 1 target, sample s holding (s, −s) and s mod 2. */
const setOf = (n: number) => sampleSet(M.fromFunction(2, n, (i, j) => (i === 0 ? j : -j)), M.fromFunction(1, n, (_, j) => j % 2))

describe('chunksOf', () => {
  it('cuts a set into chunks of CHUNK samples, in order, the last one what is left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 * CHUNK + 3 }), (n) => {
        const chunks = [...chunksOf(setOf(n))()]
        expect(chunks.map((c) => c.inputs.cols)).toEqual(Array.from({ length: Math.ceil(n / CHUNK) }, (_, k) => Math.min(CHUNK, n - k * CHUNK)))
        const firsts = chunks.flatMap((c) => Array.from({ length: c.inputs.cols }, (_, j) => c.inputs.data[j]!)) // row 0 holds the sample's number
        expect(firsts).toEqual(Array.from({ length: n }, (_, s) => s))
        expect(chunks.flatMap((c) => [...c.targets.data])).toEqual(Array.from({ length: n }, (_, s) => s % 2))
      }),
      { numRuns: 40 }
    )
  })

  it('cuts a small set once for the run (the same array every epoch), and gathers a large one afresh', () => {
    const small = chunksOf(setOf(3 * CHUNK))
    expect(Array.isArray(small())).toBe(true)
    expect(small()).toBe(small())
    expect(Array.isArray(chunksOf(setOf(1024))())).toBe(true) // the largest set held
    expect(Array.isArray(chunksOf(setOf(1025))())).toBe(false)
    const large = chunksOf(setOf(5 * CHUNK))
    expect(Array.isArray(large())).toBe(false)
    const [a] = [...large()]
    const [b] = [...large()]
    expect(a).not.toBe(b)
    expect(M.toArrays(a!.inputs)).toEqual(M.toArrays(b!.inputs))
  })
})

describe('measure', () => {
  it('folds the chunks into the measures of the whole set: Σ |y − t|, the mean loss, the accuracy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * CHUNK }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const net = sigmoidNet([2, 3, 1], seed)
        const data = M.fromFunction(2, n, (i, j) => Math.sin(seed + 7 * j + i))
        const labels = M.fromFunction(1, n, (_, j) => (Math.cos(seed + j) > 0 ? 1 : 0))
        const m = measure(net, chunksOf(sampleSet(data, labels))(), N.mse, true)
        const Y = N.predictBatch(net, data) // the whole set in one pass
        let error = 0
        let right = 0
        for (let s = 0; s < n; s++) {
          error += Math.abs(Y.data[s]! - labels.data[s]!)
          if (Y.data[s]! >= 0.5 === labels.data[s]! >= 0.5) right++
        }
        const tol = 1e-12 * n // the chunks' sums are added in another order
        expect(Math.abs(m.error - error)).toBeLessThanOrEqual(tol)
        expect(Math.abs(m.loss - N.mse.value(Y, labels))).toBeLessThanOrEqual(tol)
        expect(m.accuracy).toBe(right / n)
      }),
      { numRuns: 25 }
    )
  })
})
