// `permutation` writes pure-rand's xoroshiro128+ step and `uniformInt` out by hand (see
// `fisherYates` in src/Random.ts); here it is checked against pure-rand itself, draw for draw.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import * as M from '@purenn/matrix'
import { RUNS } from './arbitraries.js'

/** Fisher–Yates by pure-rand's own generator: what `permutation` must give, and the state it ends in. */
const reference = (n: number, r: M.Rng): [number[], M.Rng] => {
  const out = Array.from({ length: n }, (_, i) => i)
  const g = xoroshiro128plusFromState(r.state)
  for (let i = n - 1; i > 0; i--) {
    const j = uniformInt(g, 0, i)
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  const s = g.getState()
  return [out, { algorithm: 'xoroshiro128plus', state: [s[0]!, s[1]!, s[2]!, s[3]!] }]
}

const word = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
const state = fc.tuple(word, word, word, word).filter((s) => s.some((x) => x !== 0))

describe('permutation, against pure-rand', () => {
  it('draws the same permutation and leaves the same state, for any state and length', () => {
    fc.assert(
      fc.property(state, fc.nat(300), (s, n) => {
        const r: M.Rng = { algorithm: 'xoroshiro128plus', state: s }
        expect(M.permutation(n)(r)).toEqual(reference(n, r))
      }),
      { numRuns: 4 * RUNS }
    )
  })

  it('agrees when a draw is rejected and drawn again', () => {
    // the first draw's 32-bit output is s00 + s10 = 2³¹ − 1, i.e. 2³² − 1 once shifted: at or
    // above the largest multiple of the range for every range that is not a power of two
    for (const n of [3, 5, 6, 7, 100, 1000]) {
      const r: M.Rng = { algorithm: 'xoroshiro128plus', state: [12345, 2 ** 31 - 1, -777, 0] }
      expect(M.permutation(n)(r)).toEqual(reference(n, r))
    }
  })

  it('is the one a run of seeds has always drawn', () => {
    let r = M.rng(1)
    for (let e = 0; e < 50; e++) {
      const [mine, next] = M.permutation(4)(r)
      const [theirs, expected] = reference(4, r)
      expect(mine).toEqual(theirs)
      expect(next).toEqual(expected)
      r = next
    }
  })
})
