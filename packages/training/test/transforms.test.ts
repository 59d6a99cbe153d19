import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import {
  addDecayedWeights,
  clipByGlobalNorm,
  clipByValue,
  scale,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  trace
} from '@purenn/training'
import { entriesOf, gradientsLike, netOf } from './helpers.js'

// one layer, weights 1x2 and bias 1x1: three parameters
const net = netOf([{ weights: [[1, -2]], bias: [0.5] }])
const g = (...v: number[]) => gradientsLike(net, v)

describe('scale and scaleByLearningRate', () => {
  it('scale multiplies every entry', () => {
    expect(entriesOf(scale(3).update(g(1, -2, 0.5), {}, net)[0])).toEqual([3, -6, 1.5])
  })

  it('scaleByLearningRate flips the sign and counts its steps', () => {
    const tx = scaleByLearningRate(0.5)
    const [u, s] = tx.update(g(1, -2, 4), tx.init(net), net)
    expect(entriesOf(u)).toEqual([-0.5, 1, -2])
    expect(s).toEqual({ count: 1 })
  })

  it('reads a schedule at the count, from 0', () => {
    const seen: number[] = []
    const tx = scaleByLearningRate((t) => (seen.push(t), 1 / (t + 1)))
    let s = tx.init(net)
    const us: number[][] = []
    for (let i = 0; i < 3; i++) {
      const [u, next] = tx.update(g(6, 6, 6), s, net)
      us.push(entriesOf(u))
      s = next
    }
    expect(seen).toEqual([0, 1, 2])
    expect(us.map((u) => u[0])).toEqual([-6, -3, -2])
  })

  it('refuses a learning rate that is not positive', () => {
    expect(() => scaleByLearningRate(0)).toThrow('scaleByLearningRate: learningRate must be a positive finite number, got number 0')
    expect(() => scale(Number.NaN)).toThrow('scale: k must be a finite number')
  })
})

describe('trace (momentum)', () => {
  it('keeps t ← g + decay · t and proposes t', () => {
    const tx = trace({ decay: 0.5 })
    const [u1, s1] = tx.update(g(1, 2, 4), tx.init(net), net)
    expect(entriesOf(u1)).toEqual([1, 2, 4])
    const [u2, s2] = tx.update(g(1, 0, -4), s1, net)
    expect(entriesOf(u2)).toEqual([1.5, 1, -2])
    expect(entriesOf(s2.trace)).toEqual([1.5, 1, -2])
  })

  it('with Nesterov proposes g + decay · t, with the new t', () => {
    const tx = trace({ decay: 0.5, nesterov: true })
    const [u1, s1] = tx.update(g(1, 2, 4), tx.init(net), net)
    expect(entriesOf(u1)).toEqual([1.5, 3, 6]) // t = g; u = g + ½ g
    const [u2, s2] = tx.update(g(1, 0, -4), s1, net)
    expect(entriesOf(s2.trace)).toEqual([1.5, 1, -2])
    expect(entriesOf(u2)).toEqual([1.75, 0.5, -5]) // g + ½ t
  })

  it('refuses a decay outside [0, 1)', () => {
    expect(() => trace({ decay: 1 })).toThrow('trace: decay must be in [0, 1), got number 1')
  })
})

describe('scaleByRms', () => {
  it('divides by the root of the running mean square', () => {
    const tx = scaleByRms({ decay: 0.75, eps: 0 })
    const [u1, s1] = tx.update(g(2, -4, 0.5), tx.init(net), net)
    // ν = ¼ g², so u = g / (|g| / 2) = 2·sign(g)
    expect(entriesOf(s1.nu)).toEqual([1, 4, 0.0625])
    expect(entriesOf(u1)).toEqual([2, -2, 2])
    const [u2, s2] = tx.update(g(0, 0, 0.5), s1, net)
    expect(entriesOf(s2.nu)).toEqual([0.75, 3, 0.109375]) // ¾ν + ¼g²
    expect(entriesOf(u2)[2]).toBeCloseTo(0.5 / Math.sqrt(0.109375), 15)
    expect(entriesOf(u2).slice(0, 2)).toEqual([0, 0])
  })
})

describe('scaleByAdam', () => {
  it('bias-corrects its moments: the first update is g / |g| (up to ε)', () => {
    const tx = scaleByAdam({ eps: 0 })
    const [u1, s1] = tx.update(g(3, -0.25, 7), tx.init(net), net)
    expect(entriesOf(u1).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, -1, 1])
    expect(s1.count).toBe(1)
    expect(entriesOf(s1.mu).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.3, -0.025, 0.7])
  })
})

describe('addDecayedWeights', () => {
  it('adds rate · θ to the weights, and to biases only when asked', () => {
    const [u] = addDecayedWeights(0.5).update(g(1, 1, 1), {}, net)
    expect(entriesOf(u)).toEqual([1.5, 0, 1])
    const [ub] = addDecayedWeights(0.5, { bias: true }).update(g(1, 1, 1), {}, net)
    expect(entriesOf(ub)).toEqual([1.5, 0, 1.25])
  })
})

describe('clipping', () => {
  it('clipByGlobalNorm rescales long updates to the bound and keeps short ones', () => {
    const long = g(3, 0, 4) // norm 5
    const [u] = clipByGlobalNorm(1).update(long, {}, net)
    expect(entriesOf(u)).toEqual([3 * (1 / 5), 0, 4 * (1 / 5)]) // u · maxNorm / ‖u‖
    const short = g(0.3, 0, 0.4)
    expect(clipByGlobalNorm(1).update(short, {}, net)[0]).toBe(short)
  })

  it('clipByGlobalNorm never leaves a norm above the bound (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.double({ min: 0.01, max: 10, noNaN: true }), (v, max) => {
        const [u] = clipByGlobalNorm(max).update(gradientsLike(net, v), {}, net)
        const norm = Math.hypot(...entriesOf(u))
        expect(norm).toBeLessThanOrEqual(max * (1 + 1e-12))
        const before = Math.hypot(...v)
        if (before > 0) entriesOf(u).forEach((x, i) => expect(x * before).toBeCloseTo(v[i]! * Math.min(before, max), 6))
      })
    )
  })

  it('clipByValue clips each entry', () => {
    expect(entriesOf(clipByValue(1).update(g(3, -0.5, -9), {}, net)[0])).toEqual([1, -0.5, -1])
  })
})

describe('purity', () => {
  it('no transform changes the gradients, the state or the network it is given', () => {
    const transforms = [
      scale(2),
      scaleByLearningRate(0.1),
      trace({ decay: 0.9, nesterov: true }),
      scaleByRms(),
      scaleByAdam(),
      addDecayedWeights(0.1, { bias: true }),
      clipByGlobalNorm(0.1),
      clipByValue(0.1)
    ] as const
    for (const tx of transforms) {
      const grads = g(1, -2, 3)
      const update = tx.update as (a: unknown, b: unknown, c: unknown) => readonly [unknown, unknown]
      const [, s1] = update(grads, tx.init(net), net)
      const snapshot = JSON.stringify([entriesOf(grads), s1, net], (_, v) => (v instanceof Float64Array ? [...v] : v))
      update(grads, s1, net)
      expect(JSON.stringify([entriesOf(grads), s1, net], (_, v) => (v instanceof Float64Array ? [...v] : v))).toBe(snapshot)
    }
  })
})
