// Adam's bias corrections, 1 − βⁿ: from the step `settledAt(β)` on they are exactly 1 and are
// answered without `Math.pow`, and before it they are decided from βⁿ carried as a double-double
// (src/internal/links.ts, src/internal/powers.ts). These tests hold both shortcuts to the formula
// written out with Math.pow, bit for bit: before the threshold, at it, and far past it, for any
// β, and through scaleByAdam's own update (which the engine's step is held to in
// fusedUpdate.test.ts). powers.test.ts walks every step of whole runs.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { scaleByAdam, type AdamState } from '@purenn/training'
import { biasCorrection, settledAt } from '../src/internal/links.js'
import { powersAt, startPowers } from '../src/internal/powers.js'
import { bits, entriesOf, gradientsLike, netOf } from './helpers.js'

/** 1 − βⁿ as the formula reads, the oracle. */
const written = (beta: number, n: number): number => 1 - Math.pow(beta, n)

/** A β of Adam's range [0, 1), from tiny to within a few ulps of 1. */
const beta = fc.oneof(
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.double({ min: 0.99, max: 1, maxExcluded: true, noNaN: true }),
  fc.integer({ min: 1, max: 1 << 20 }).map((k) => 1 - k * 2 ** -53), // the doubles just below 1
  fc.constantFrom(0, 0.9, 0.99, 0.999, 0.9999)
)

describe('settledAt', () => {
  it('from that step on, 1 − βⁿ is exactly 1 (the answer the shortcut gives)', () => {
    fc.assert(
      fc.property(beta, fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 2 ** 40 })), (b, k) => {
        const n = settledAt(b) + k
        expect(written(b, n)).toBe(1)
      }),
      { numRuns: 2000 }
    )
  })

  it('is not far past the first such step: a few steps before it, 1 − βⁿ is still below 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.9999, noNaN: true }), (b) => {
        // while βᵐ ≥ 2⁻⁵⁴ (m ≤ 54·ln 2 / −ln β), 1 − βᵐ rounds below 1; the threshold aims at 2⁻⁵⁶, two halvings later
        const m = Math.floor((54 * Math.LN2) / -Math.log(b)) - 1
        expect(written(b, m)).toBeLessThan(1)
        expect(settledAt(b) - m).toBeLessThanOrEqual(Math.ceil((2 * Math.LN2) / -Math.log(b)) + 4)
      })
    )
  })

  it('is Infinity for β = 1, whose correction never settles, and 1 for β = 0', () => {
    expect(settledAt(1)).toBe(Infinity)
    expect(settledAt(0)).toBe(1)
    expect(settledAt(0.9)).toBe(370)
  })
})

describe('biasCorrection', () => {
  it('is 1 − Math.pow(β, n), bit for bit, on both sides of the threshold', () => {
    fc.assert(
      fc.property(beta, fc.integer({ min: -200, max: 200 }), (b, d) => {
        const s = settledAt(b)
        const n = Number.isFinite(s) ? Math.max(1, s + d) : Math.abs(d) + 1
        const c = new Float64Array(5)
        startPowers(c, 0, 2)
        powersAt(c, 0, n, b, b, Infinity) // βⁿ afresh, by squaring
        expect(Object.is(biasCorrection(b, n, s, c[1]!), written(b, n))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })
})

describe("scaleByAdam's update at any count", () => {
  const net = netOf([{ weights: [[1, -2, 0.5]], bias: [0.25] }])
  it('is μ / (1 − β₁ⁿ) / (√(ν / (1 − β₂ⁿ)) + ε), the corrections by Math.pow, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
        fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 30_000, max: 200_000 })),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (beta1, beta2, count, g, mu, nu) => {
          const tx = scaleByAdam({ beta1, beta2, eps: 1e-8 })
          const state: AdamState = { count, mu: gradientsLike(net, mu), nu: gradientsLike(net, nu) }
          const [u, next] = tx.update(gradientsLike(net, g), state, net)
          const n = count + 1
          const expected = g.map((gi, i) => {
            const m = beta1 * mu[i]! + (1 - beta1) * gi
            const v = beta2 * nu[i]! + (1 - beta2) * gi * gi
            return m / (1 - Math.pow(beta1, n)) / (Math.sqrt(v / (1 - Math.pow(beta2, n))) + 1e-8)
          })
          expect(bits(entriesOf(u))).toEqual(bits(expected))
          expect(next.count).toBe(n)
        }
      ),
      { numRuns: 500 }
    )
  })
})
