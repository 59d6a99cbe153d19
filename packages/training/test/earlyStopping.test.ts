import { describe, expect, it } from 'vitest'
import { improve, patienceRunOut } from '@purenn/training'
import { netOf } from './helpers.js'

const a = netOf([{ weights: [[1]], bias: [0] }])
const b = netOf([{ weights: [[2]], bias: [0] }])

describe('improve', () => {
  it('takes the first epoch as the best, then only losses lower by more than minDelta', () => {
    const first = improve(undefined, 1, 0.5, a, 0.1)
    expect(first).toEqual({ epoch: 1, loss: 0.5, network: a })
    expect(improve(first, 2, 0.45, b, 0.1)).toBe(first) // 0.05 better: not enough
    expect(improve(first, 2, 0.39, b, 0.1)).toEqual({ epoch: 2, loss: 0.39, network: b })
    expect(improve(first, 2, 0.5, b, 0)).toBe(first) // equal is no improvement
  })
})

describe('patienceRunOut', () => {
  it('once `patience` epochs have passed since the best', () => {
    const best = { epoch: 4, loss: 0.1, network: a }
    expect([5, 6, 7, 8].map((e) => patienceRunOut(3, e, best))).toEqual([false, false, true, true])
    expect(patienceRunOut(1, 9, undefined)).toBe(false)
  })
})
