import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import { batches, sampleSet, shuffledBatches } from '@purenn/training'
import { gatherSamples, gatherer } from '../src/batches.js'

/** n samples of 2 inputs and 1 target: sample s is ([s, −s], [10s]), so each can be recognised. */
const numbered = (n: number) =>
  sampleSet(
    M.fromFunction(2, n, (i, s) => (i === 0 ? s : -s)),
    M.fromFunction(1, n, (_, s) => 10 * s)
  )

/** The samples of a batch list, in order, read back from their input columns. */
const samplesOf = (bs: ReturnType<typeof batches>): number[] => bs.flatMap((b) => Array.from({ length: b.inputs.cols }, (_, k) => b.inputs.data[k]!))

describe('batches', () => {
  it('cuts the samples in the given order, keeping the last partial batch', () => {
    const bs = batches(numbered(5), [4, 2, 0, 1, 3], 2)
    expect(bs.map((b) => [b.inputs.rows, b.inputs.cols, b.targets.rows, b.targets.cols])).toEqual([
      [2, 2, 1, 2],
      [2, 2, 1, 2],
      [2, 1, 1, 1]
    ])
    expect(M.toArrays(bs[0]!.inputs)).toEqual([
      [4, 2],
      [-4, -2]
    ])
    expect(M.toArrays(bs[0]!.targets)).toEqual([[40, 20]])
    expect(M.toArrays(bs[2]!.inputs)).toEqual([[3], [-3]])
  })

  it('a batch size above the sample count gives one batch of all', () => {
    expect(batches(numbered(3), [2, 1, 0], 10).map((b) => b.inputs.cols)).toEqual([3])
  })

  it('refuses a bad batch size or order', () => {
    expect(() => batches(numbered(3), [0, 1, 2], 0)).toThrow('batches: batchSize must be a positive integer, got 0')
    expect(() => batches(numbered(3), [0, 3], 1)).toThrow('batches: order[1] = 3 is not a sample of 0 .. 2')
  })

  it('every sample lands in exactly one batch, in the order given (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 }), fc.integer(), (n, size, seed) => {
        const [order] = M.permutation(n)(M.rng(seed))
        const bs = batches(numbered(n), order, size)
        expect(bs).toHaveLength(Math.ceil(n / size))
        expect(samplesOf(bs)).toEqual(order)
        bs.forEach((b, k) => expect(b.inputs.cols).toBe(k < bs.length - 1 ? size : n - size * (bs.length - 1)))
      })
    )
  })

  it('puts sample order[k] in column k of its batch, whole, for any width (property)', () => {
    // widths across the gathering's tiles of 8 values (1 … 26: none, one or three tiles and a rest), batches across its groups of 4 samples
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 26 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (n, width, size, seed) => {
        const [X] = M.uniform(width, n, -1, 1)(M.rng(seed))
        const [order] = M.permutation(n)(M.rng(seed + 1))
        const data = sampleSet(X, M.fromFunction(1, n, (_, s) => s))
        batches(data, order, size).forEach((b, j) => {
          for (let k = 0; k < b.inputs.cols; k++)
            for (let i = 0; i < width; i++) expect(b.inputs.data[i * b.inputs.cols + k]).toBe(X.data[i * n + order[j * size + k]!])
        })
      })
    )
  })

  it('copies the data once: the caller’s matrices are never shared or changed', () => {
    const inputs = M.fromFunction(1, 3, (_, s) => s)
    const targets = M.fromFunction(1, 3, (_, s) => s)
    const before = Array.from(inputs.data)
    const data = sampleSet(inputs, targets)
    const bs = batches(data, [2, 1, 0], 1)
    expect(bs.every((b) => b.inputs.data.buffer !== inputs.data.buffer)).toBe(true)
    expect(Array.from(inputs.data)).toEqual(before)
    expect(() => sampleSet(inputs, M.zeros(1, 2))).toThrow('sampleSet: inputs has 3 samples (columns) but targets has 2')
  })
})

describe('shuffledBatches', () => {
  it('shuffles with a Fisher–Yates permutation from the generator, and hands the next one back', () => {
    const data = numbered(6)
    const [bs, next] = shuffledBatches(data, 4)(M.rng(3))
    const [order, expectedNext] = M.permutation(6)(M.rng(3))
    expect(samplesOf(bs)).toEqual(order)
    expect(next).toEqual(expectedNext)
    expect(samplesOf(shuffledBatches(data, 4)(M.rng(3))[0])).toEqual(order) // same seed, same order
  })

  it('every order is reachable and none is favoured (chi-squared over the 6 orders of 3 samples)', () => {
    const data = numbered(3)
    const counts = new Map<string, number>()
    let r = M.rng(0)
    const draws = 6000
    for (let i = 0; i < draws; i++) {
      const [bs, next] = shuffledBatches(data, 3)(r)
      r = next
      const key = samplesOf(bs).join('')
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    expect(counts.size).toBe(6)
    const expected = draws / 6
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0)
    expect(chi2).toBeLessThan(20.5) // p ≈ 0.001 with 5 degrees of freedom
  })
})

describe('gathering a batch into buffers kept for reuse', () => {
  const [X] = M.uniform(13, 40, -1, 1)(M.rng(5))
  const data = sampleSet(X, M.fromFunction(3, 40, (i, s) => i * 100 + s))
  const picks = [
    [3, 1, 4, 15, 9, 2, 6],
    [5, 35, 8, 9, 7],
    [30, 20, 10, 0, 39, 38, 37, 36, 1],
    [12],
    [2, 11]
  ]

  it('gathers what a fresh gathering gives, bit for bit, growing its buffers for a larger batch', () => {
    const gather = gatherer(data)
    for (const samples of picks) {
      const b = gather(samples)
      const fresh = gatherSamples(data, samples)
      expect([b.inputs.rows, b.inputs.cols, b.targets.rows, b.targets.cols]).toEqual([13, samples.length, 3, samples.length])
      expect([...b.inputs.data]).toEqual([...fresh.inputs.data])
      expect([...b.targets.data]).toEqual([...fresh.targets.data])
    }
  })

  it('writes its two buffers by turns: a batch stays as it was until the gathering after the next', () => {
    const gather = gatherer(data)
    const first = gather(picks[0]!)
    const kept = [...first.inputs.data]
    const second = gather(picks[0]!)
    expect(second.inputs.data.buffer).not.toBe(first.inputs.data.buffer)
    gather(picks[1]!) // into the first batch's buffers again
    expect([...second.inputs.data]).toEqual(kept)
    expect([...first.inputs.data]).not.toEqual(kept)
  })

  it('allocates nothing once its buffers have room: the same two buffers by turns', () => {
    const gather = gatherer(data)
    const buffers = picks.filter((p) => p.length > 1).map((p) => gather(p).inputs.data.buffer)
    const largest = gather(picks[2]!).inputs.data.buffer // the largest batch again: no new buffer
    expect(new Set([...buffers.slice(2), largest]).size).toBe(2)
  })
})
