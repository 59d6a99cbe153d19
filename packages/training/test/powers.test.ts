// βⁿ carried from step to step as a double-double, and 1 − βⁿ decided from it
// (src/internal/powers.ts): the corrections must be the doubles `1 - Math.pow(β, n)` gives, at
// every step of a run, whether the powers advance one step at a time (the engine's steps),
// jump (a run resumed from another count), or start afresh (the reference's update).
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { biasCorrection, settledAt } from '../src/internal/links.js'
import { oneMinusPower, powersAt, startPowers } from '../src/internal/powers.js'

/** 1 − βⁿ as the formula reads, the oracle. */
const written = (beta: number, n: number): number => 1 - Math.pow(beta, n)

/** A fresh buffer of powers at β⁰ = 1, as `scalarsOf` makes Adam's. */
const fresh = (): Float64Array => {
  const c = new Float64Array(5)
  startPowers(c, 0, 2)
  return c
}

/** Walks n = 1, 2, … up to `last`, checking both corrections at each step; returns how many of them the bracket decided. */
const walk = (beta1: number, beta2: number, last: number): number => {
  const c = fresh()
  let decided = 0
  const s1 = settledAt(beta1) // β₁ⁿ is left behind from there, as the engine leaves it
  const s2 = settledAt(beta2)
  for (let n = 1; n <= last; n++) {
    powersAt(c, 0, n, beta1, beta2, s1)
    const a = biasCorrection(beta1, n, s1, c[1]!)
    const b = biasCorrection(beta2, n, s2, c[3]!)
    if (!Object.is(a, written(beta1, n))) throw new Error(`β = ${beta1}, n = ${n}: ${a}, Math.pow gives ${written(beta1, n)}`)
    if (!Object.is(b, written(beta2, n))) throw new Error(`β = ${beta2}, n = ${n}: ${b}, Math.pow gives ${written(beta2, n)}`)
    const hi = c[3]!
    if (1 - hi * (1 + 2 ** -48) === 1 - hi * (1 - 2 ** -48)) decided++
  }
  return decided
}

describe('oneMinusPower, step by step', () => {
  it("is 1 − Math.pow(β, n) at every step until β₂ = 0.999 settles, and spares most of the calls", () => {
    const last = settledAt(0.999)
    const decided = walk(0.9, 0.999, last)
    // the bracket straddles a rounding boundary mostly while βⁿ is above 2⁻⁶ (n < 4,155)
    expect(decided).toBeGreaterThan(0.85 * last)
  })

  it('holds for other βs, up to where each settles', () => {
    for (const [b1, b2] of [
      [0.5, 0.99],
      [0.95, 0.9999],
      [0.8, 0.98],
      [0.1, 0.995]
    ] as const) {
      walk(b1, b2, Math.min(settledAt(b2), 400_000))
    }
  })

  it('holds for random βs over a run’s first steps and around their thresholds', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.9999, noNaN: true }), fc.double({ min: 0.5, max: 0.99999, noNaN: true }), (b1, b2) => {
        walk(b1, b2, Math.min(3000, settledAt(b2)))
      }),
      { numRuns: 30 }
    )
  })
})

describe('powersAt, by jumps', () => {
  it('gives the same corrections whatever exponent it was at before (resumed runs, fresh buffers)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.9999, noNaN: true }),
        fc.double({ min: 0.9, max: 0.99999, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 20 }),
        (b1, b2, ns) => {
          const c = fresh()
          for (const n of ns) {
            powersAt(c, 0, n, b1, b2, Infinity)
            expect(c[0]).toBe(n)
            expect(Object.is(oneMinusPower(b1, n, c[1]!), written(b1, n))).toBe(true)
            expect(Object.is(oneMinusPower(b2, n, c[3]!), written(b2, n))).toBe(true)
            // a step on from there agrees too
            powersAt(c, 0, n + 1, b1, b2, Infinity)
            expect(Object.is(oneMinusPower(b2, n + 1, c[3]!), written(b2, n + 1))).toBe(true)
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it('carries βⁿ far closer than an ulp: the double-double agrees with the powers by squaring', () => {
    const c = fresh()
    const d = fresh()
    for (let n = 1; n <= 20_000; n++) powersAt(c, 0, n, 0.9, 0.999, Infinity)
    powersAt(d, 0, 20_000, 0.9, 0.999, Infinity)
    // two roundings of the same βⁿ at about 106 bits: their high parts match, the low parts nearly
    expect(c[3]).toBe(d[3])
    expect(Math.abs(c[4]! - d[4]!)).toBeLessThan(Math.abs(c[3]!) * 2 ** -90)
  })
})

describe('a bracket that cannot decide', () => {
  it('falls back on Math.pow: a wrong high part still gives the right answer when the bracket straddles', () => {
    // for n = 1, β¹ = β: hand it an hi off by far more than the margin, within the straddling region (βⁿ near 1/2)
    const beta = 0.5 + 2 ** -30
    expect(Object.is(oneMinusPower(beta, 1, beta), written(beta, 1))).toBe(true)
  })
})
