import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { constant, cosineDecay, exponentialDecay, join, linearWarmup, piecewise, stepDecay, toSchedule } from '@purenn/training'

describe('schedule values (steps count from 0)', () => {
  it('constant and toSchedule', () => {
    expect(constant(0.3)(0)).toBe(0.3)
    expect(constant(0.3)(1e6)).toBe(0.3)
    expect(toSchedule(0.2)(7)).toBe(0.2)
    const s = (t: number): number => t
    expect(toSchedule(s)).toBe(s)
  })

  it('stepDecay multiplies by the factor every `every` steps', () => {
    const lr = stepDecay({ init: 0.8, factor: 0.5, every: 10 })
    expect([0, 9, 10, 19, 20, 35].map(lr)).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.1])
  })

  it('piecewise switches value at each boundary, the boundary step included', () => {
    const lr = piecewise({ values: [3, 2, 1], boundaries: [5, 8] })
    expect([0, 4, 5, 7, 8, 100].map(lr)).toEqual([3, 3, 2, 2, 1, 1])
  })

  it('exponentialDecay, smooth and staircase', () => {
    const smooth = exponentialDecay({ init: 2, rate: 0.25, steps: 4 })
    expect(smooth(0)).toBe(2)
    expect(smooth(2)).toBeCloseTo(1, 15) // 2 · 0.25^(1/2)
    expect(smooth(8)).toBe(0.125) // 2 · 0.25²
    const stairs = exponentialDecay({ init: 2, rate: 0.25, steps: 4, staircase: true })
    expect([0, 3, 4, 7, 8].map(stairs)).toEqual([2, 2, 0.5, 0.5, 0.125])
  })

  it('cosineDecay follows half a cosine down to alpha · init, then stays', () => {
    const lr = cosineDecay({ init: 1, steps: 100, alpha: 0.1 })
    expect(lr(0)).toBe(1)
    expect(lr(50)).toBeCloseTo(0.55, 15) // 0.9 · ½(1 + cos(π/2)) + 0.1
    expect(lr(25)).toBeCloseTo(0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1, 15)
    expect(lr(100)).toBeCloseTo(0.1, 15)
    expect(lr(1000)).toBeCloseTo(0.1, 15)
  })

  it('linearWarmup rises in a straight line, then holds', () => {
    const lr = linearWarmup({ from: 0.1, to: 1.1, steps: 4 })
    expect([0, 1, 2, 4, 10].map(lr)).toEqual([0.1, 0.35, 0.6, 1.1, 1.1])
    expect(linearWarmup({ to: 1, steps: 2 })(1)).toBe(0.5)
  })

  it('join restarts each schedule at its boundary', () => {
    const lr = join([linearWarmup({ to: 1, steps: 10 }), cosineDecay({ init: 1, steps: 20 }), constant(0.01)], [10, 30])
    expect(lr(0)).toBe(0)
    expect(lr(5)).toBe(0.5)
    expect(lr(10)).toBe(1) // cosine at its own step 0
    expect(lr(20)).toBeCloseTo(0.5, 15) // cosine at its step 10 of 20
    expect(lr(30)).toBe(0.01)
  })

  it('schedules are non-increasing where they should be (property)', () => {
    const decays = [
      cosineDecay({ init: 1, steps: 50, alpha: 0.2 }),
      exponentialDecay({ init: 1, rate: 0.9, steps: 7 }),
      stepDecay({ init: 1, factor: 0.3, every: 3 })
    ]
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        for (const s of decays) expect(s(hi)).toBeLessThanOrEqual(s(lo))
      })
    )
  })
})

describe('schedules are checked when built', () => {
  it('names the function and the argument', () => {
    expect(() => constant(Number.NaN)).toThrow('constant: value must be a finite number, got number NaN')
    expect(() => stepDecay({ init: 1, factor: 0.5, every: 0 })).toThrow('stepDecay: every must be a positive integer, got number 0')
    expect(() => stepDecay({ init: 1, factor: -1, every: 2 })).toThrow('stepDecay: factor must be a positive finite number')
    expect(() => exponentialDecay({ init: 1, rate: 0.5, steps: 1.5 })).toThrow('exponentialDecay: steps must be a positive integer')
    expect(() => cosineDecay({ init: 1, steps: -3 })).toThrow('cosineDecay: steps must be a positive integer, got number -3')
    expect(() => cosineDecay({ init: 1, steps: 3, alpha: 2 })).toThrow('cosineDecay: alpha must be in [0, 1], got 2')
    expect(() => linearWarmup({ to: Infinity, steps: 3 })).toThrow('linearWarmup: to must be a finite number, got number Infinity')
    expect(() => piecewise({ values: [1, 2], boundaries: [3, 4] })).toThrow(
      'piecewise: expected one more value than boundaries, got 2 values for 2 boundaries'
    )
    expect(() => piecewise({ values: [1, 2, 3], boundaries: [4, 4] })).toThrow(
      'piecewise: boundaries must increase, but boundaries[1] = 4 follows 4'
    )
    expect(() => join([constant(1)], [5])).toThrow('join: expected one more schedule than boundaries, got 1 schedule for 1 boundary')
    expect(() => join([constant(1), 2 as unknown as () => number], [5])).toThrow('join: schedules[1] must be a schedule (a function), got number 2')
  })
})
