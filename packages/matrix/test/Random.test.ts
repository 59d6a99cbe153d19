import { afterEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import * as M from '@purenn/matrix'
import { RUNS, bytes, dim0 } from './arbitraries.js'

const seed = fc.maxSafeInteger().chain((x) => fc.constantFrom(x, -x))

/** Every draw in the module, as `State<Rng, unknown>` values. */
const draws = (): ReadonlyArray<readonly [string, (r: M.Rng) => readonly [unknown, M.Rng]]> => [
  ['nextDouble', M.nextDouble],
  ['nextInt', M.nextInt(-5, 1000)],
  ['permutation', M.permutation(20)],
  ['uniform', M.uniform(3, 4, -1, 1)],
  ['normal', M.normal(5, 3, 0, 1)]
]

/** The value of a draw as comparable data (matrix buffers as bytes). */
const plain = (x: unknown): unknown =>
  typeof x === 'object' && x !== null && 'data' in x ? Array.from(bytes(x as M.Matrix)) : x

describe('rng', () => {
  it('gives the same bits for the same seed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        for (const [, draw] of draws()) {
          const [x, rx] = draw(M.rng(s))
          const [y, ry] = draw(M.rng(s))
          expect(plain(x)).toEqual(plain(y))
          expect(rx).toEqual(ry)
        }
      }),
      { numRuns: RUNS }
    )
  })

  it('gives different generators for different seeds', () => {
    fc.assert(
      fc.property(seed, seed, (s, t) => {
        fc.pre(s !== t)
        return JSON.stringify(M.rng(s).state) !== JSON.stringify(M.rng(t).state)
      }),
      { numRuns: RUNS }
    )
    // seeds that differ only in their high 32 bits
    const states = new Set([0, 2 ** 32, 2 ** 33, -(2 ** 32), 0x9e3779b9, 2 ** 52].map((s) => JSON.stringify(M.rng(s).state)))
    expect(states.size).toBe(6)
  })

  it('spreads the first draws of consecutive seeds uniformly', () => {
    // the first draw of seeds 0..999 should look like 1000 independent uniforms:
    // mean 1/2 with standard error √(1/12/1000) ≈ 0.009, and every tenth of [0, 1) hit.
    const first = Array.from({ length: 1000 }, (_, s) => M.nextDouble(M.rng(s))[0])
    const mean = first.reduce((a, x) => a + x, 0) / first.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.045)
    const deciles = new Set(first.map((x) => Math.floor(x * 10)))
    expect(deciles.size).toBe(10)
  })

  it('keeps its streams from release to release (changing them breaks reproducibility)', () => {
    // the README's quick start draws these weights from rng(42)
    expect(M.toArray(M.uniform(2, 3, -1, 1)(M.rng(42))[0])).toEqual([
      0.21944046003727902, -0.06581541563599513, 0.3485236777408607, -0.09897762581697034, -0.3126640978684647,
      -0.8610180344047627
    ])
    expect(M.rng(0)).toEqual({ algorithm: 'xoroshiro128plus', state: [556574340, -1348215133, 832302745, 1474960565] })
    expect(M.toArray(M.normal(1, 3, 0, 1)(M.rng(7))[0])).toEqual([0.9643054501368384, -0.3534494423692149, 1.0898020532830182])
    expect(M.permutation(6)(M.rng(1))[0]).toEqual([3, 2, 0, 1, 4, 5])
  })

  it('refuses a seed that is not a safe integer', () => {
    for (const bad of [0.5, Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]) {
      expect(() => M.rng(bad)).toThrow(RangeError)
      expect(() => M.rng(bad)).toThrow(`rng: seed must be a safe integer, got ${String(bad)}`)
    }
    expect(() => M.rng('1' as unknown as number)).toThrow('rng: seed must be a safe integer, got 1')
  })

  it('is plain data that survives JSON', () => {
    const r = M.nextDouble(M.rng(9))[1]
    const back: unknown = JSON.parse(JSON.stringify(r))
    expect(M.isRng(back)).toBe(true)
    if (!M.isRng(back)) return
    expect(plain(M.uniform(2, 2, 0, 1)(back)[0])).toEqual(plain(M.uniform(2, 2, 0, 1)(r)[0]))
  })
})

describe('isRng', () => {
  it('accepts generators and refuses anything else', () => {
    expect(M.isRng(M.rng(0))).toBe(true)
    for (const bad of [
      null,
      undefined,
      3,
      'rng',
      {},
      { algorithm: 'xoroshiro128plus' },
      { algorithm: 'xoroshiro128plus', state: [1, 2, 3] },
      { algorithm: 'xoroshiro128plus', state: [1, 2, 3, 0.5] },
      { algorithm: 'xoroshiro128plus', state: [1, 2, 3, 2 ** 32] },
      { algorithm: 'xoroshiro128plus', state: [0, 0, 0, 0] },
      { algorithm: 'mersenne', state: [1, 2, 3, 4] }
    ])
      expect(M.isRng(bad)).toBe(false)
    fc.assert(fc.property(fc.anything(), (u) => M.isRng(u) === false), { numRuns: RUNS })
  })
})

describe('draws are pure', () => {
  it('a generator used twice gives the same draw, and is not changed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const r = M.rng(s)
        const before = JSON.stringify(r)
        for (const [, draw] of draws()) {
          const [x] = draw(r)
          const [y] = draw(r)
          expect(plain(x)).toEqual(plain(y))
        }
        expect(JSON.stringify(r)).toBe(before)
      }),
      { numRuns: RUNS }
    )
  })

  it('threads: the next generator gives the next, different draw', () => {
    const [x, r1] = M.uniform(1, 8, 0, 1)(M.rng(1))
    const [y, r2] = M.uniform(1, 8, 0, 1)(r1)
    expect(plain(x)).not.toEqual(plain(y))
    expect(r2).not.toEqual(r1)
    // two draws of 4 are the first and second half of one draw of 8
    const [a, ra] = M.uniform(1, 4, 0, 1)(M.rng(1))
    const [b] = M.uniform(1, 4, 0, 1)(ra)
    expect([...M.toArray(a), ...M.toArray(b)]).toEqual(M.toArray(x))
  })

  afterEach(() => vi.restoreAllMocks())

  it('never calls Math.random', () => {
    const spy = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random was called')
    })
    let r = M.rng(3)
    for (const [, draw] of draws()) r = draw(r)[1]
    M.split(r)
    expect(spy).not.toHaveBeenCalled()
  })
})

describe('split', () => {
  it('gives two different, deterministic streams', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const r = M.rng(s)
        const [a, b] = M.split(r)
        const [a2, b2] = M.split(r)
        expect(a).toEqual(a2)
        expect(b).toEqual(b2)
        const x = plain(M.uniform(1, 16, 0, 1)(a)[0])
        const y = plain(M.uniform(1, 16, 0, 1)(b)[0])
        const z = plain(M.uniform(1, 16, 0, 1)(r)[0])
        expect(x).not.toEqual(y)
        expect(y).not.toEqual(z)
      }),
      { numRuns: RUNS }
    )
  })
})

describe('split: unrelated streams', () => {
  /** The first `n` doubles of a generator's stream. */
  const stream = (r: M.Rng, n: number): number[] => {
    const out: number[] = []
    for (let i = 0; i < n; i++) {
      const [x, next] = M.nextDouble(r)
      out.push(x)
      r = next
    }
    return out
  }

  it('no two of a parent, its children and grandchildren, and a chain of splits share a draw', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const r = M.rng(s)
        const [a, b] = M.split(r)
        const [aa, ab] = M.split(a)
        const [ba, bb] = M.split(b)
        const chain: M.Rng[] = [] // [g, sub] = split(g), a layer at a time (from bb: from r it would begin with b again)
        let g = bb
        for (let k = 0; k < 4; k++) {
          const [next, sub] = M.split(g)
          chain.push(sub)
          g = next
        }
        const generators = [r, a, b, aa, ab, ba, bb, ...chain, g] // every one distinct
        // 53-bit doubles: two unrelated streams of 64 draws share one with probability about 2⁻⁴¹; a stream shifted by k shares 64 − k
        const seen = new Map<number, number>()
        generators.forEach((gen, i) => {
          for (const x of stream(gen, 64)) {
            const owner = seen.get(x)
            if (owner !== undefined && owner !== i) expect.fail(`generators ${owner} and ${i} share the draw ${x}`)
            seen.set(x, i)
          }
        })
        // the commuting pair of the old split (next, then jump): now different generators
        expect(M.split(a)[1]).not.toEqual(M.split(b)[0])
      }),
      { numRuns: 50 }
    )
  })
})

describe('nextDouble and nextInt', () => {
  it('stay in range', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (s, from, width) => {
        const [x] = M.nextDouble(M.rng(s))
        const [i] = M.nextInt(from, from + width)(M.rng(s))
        return x >= 0 && x < 1 && Number.isInteger(i) && i >= from && i <= from + width
      }),
      { numRuns: RUNS }
    )
    expect(M.nextInt(7, 7)(M.rng(0))[0]).toBe(7)
    const [big] = M.nextInt(0, 2 ** 40)(M.rng(0))
    expect(Number.isInteger(big) && big >= 0 && big <= 2 ** 40).toBe(true)
  })

  it('refuses a bad range', () => {
    expect(() => M.nextInt(3, 2)(M.rng(0))).toThrow('nextInt: expected integers from <= to, got [3, 2]')
    expect(() => M.nextInt(0.5, 2)(M.rng(0))).toThrow(RangeError)
  })
})

describe('permutation', () => {
  it('is a permutation of 0..n-1', () => {
    fc.assert(
      fc.property(seed, fc.nat(200), (s, n) => {
        const [p] = M.permutation(n)(M.rng(s))
        return p.length === n && [...p].sort((x, y) => x - y).every((v, i) => v === i)
      }),
      { numRuns: RUNS }
    )
  })

  it('draws all orders of 3 about equally often (Fisher–Yates is unbiased)', () => {
    const counts = new Map<string, number>()
    let r = M.rng(11)
    for (let t = 0; t < 6000; t++) {
      const [p, next] = M.permutation(3)(r)
      counts.set(p.join(''), (counts.get(p.join('')) ?? 0) + 1)
      r = next
    }
    expect(counts.size).toBe(6)
    // each count is binomial(6000, 1/6): mean 1000, sd ≈ 29; allow 5 sd
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(145)
  })

  it('refuses a bad length', () => {
    expect(() => M.permutation(-1)(M.rng(0))).toThrow('permutation: n must be a non-negative integer, got -1')
  })
})

describe('uniform', () => {
  it('stays within [lower, upper]', () => {
    const bound = fc.double({ min: -1e6, max: 1e6, noNaN: true })
    fc.assert(
      fc.property(seed, dim0, dim0, bound, bound, (s, r, c, x, y) => {
        const [lower, upper] = x <= y ? [x, y] : [y, x]
        const [m] = M.uniform(r, c, lower, upper)(M.rng(s))
        return m.rows === r && m.cols === c && m.data.every((v) => v >= lower && v <= upper)
      }),
      { numRuns: RUNS }
    )
  })

  it('fills with the value when lower = upper', () => {
    fc.assert(
      fc.property(seed, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (s, v) => {
        const [m] = M.uniform(3, 2, v, v)(M.rng(s))
        return M.getEq(0).equals(m, M.fill(3, 2, v))
      }),
      { numRuns: RUNS }
    )
  })

  it('has mean (lower + upper) / 2 and variance (upper − lower)² / 12', () => {
    const [m] = M.uniform(200, 500, -1, 3)(M.rng(5))
    const n = m.data.length
    const mean = M.sum(m) / n
    const variance = M.sumOfSquares(m) / n - mean * mean
    expect(Math.abs(mean - 1)).toBeLessThan(0.02) // standard error √(16/12/n) ≈ 0.0037
    expect(Math.abs(variance - 16 / 12)).toBeLessThan(0.02)
  })

  it('handles empty shapes', () => {
    const r = M.rng(0)
    const [m, next] = M.uniform(0, 4, 0, 1)(r)
    expect([m.rows, m.cols, m.data.length]).toEqual([0, 4, 0])
    expect(next).toEqual(r) // nothing drawn
    expect(M.uniform(4, 0, 0, 1)(r)[0].data.length).toBe(0)
  })

  it('refuses bad arguments', () => {
    const r = M.rng(0)
    expect(() => M.uniform(-1, 2, 0, 1)(r)).toThrow('uniform: rows must be a non-negative integer, got -1')
    expect(() => M.uniform(2, 1.5, 0, 1)(r)).toThrow('uniform: cols must be a non-negative integer, got 1.5')
    expect(() => M.uniform(2, 2, 1, 0)(r)).toThrow('uniform: lower (1) must not exceed upper (0)')
    expect(() => M.uniform(2, 2, Number.NaN, 0)(r)).toThrow('uniform: lower must be a finite number, got NaN')
    expect(() => M.uniform(2, 2, -1.7e308, 1.7e308)(r)).toThrow(RangeError)
  })
})

describe('normal', () => {
  it('has roughly the requested mean and standard deviation', () => {
    const [m] = M.normal(300, 401, 2, 3)(M.rng(8)) // odd count: the last entry uses half a pair
    const n = m.data.length
    const mean = M.sum(m) / n
    const std = Math.sqrt(M.sumOfSquares(m) / n - mean * mean)
    expect(Math.abs(mean - 2)).toBeLessThan(0.05) // standard error 3/√n ≈ 0.0087
    expect(Math.abs(std - 3)).toBeLessThan(0.05) // standard error ≈ 3/√(2n) ≈ 0.006
    // about 68% within one standard deviation, 95% within two
    const within = (k: number): number => m.data.filter((x) => Math.abs(x - 2) < 3 * k).length / n
    expect(Math.abs(within(1) - 0.6827)).toBeLessThan(0.01)
    expect(Math.abs(within(2) - 0.9545)).toBeLessThan(0.01)
  })

  it('is finite and gives the mean when std = 0', () => {
    fc.assert(
      fc.property(seed, dim0, dim0, (s, r, c) => {
        const [m] = M.normal(r, c, 0, 1)(M.rng(s))
        return m.rows === r && m.cols === c && m.data.every(Number.isFinite)
      }),
      { numRuns: RUNS }
    )
    expect(M.getEq(0).equals(M.normal(2, 3, 5, 0)(M.rng(0))[0], M.fill(2, 3, 5))).toBe(true)
  })

  it('refuses bad arguments', () => {
    expect(() => M.normal(2, 2, 0, -1)(M.rng(0))).toThrow('normal: std must not be negative, got -1')
    expect(() => M.normal(2, 2, Infinity, 1)(M.rng(0))).toThrow('normal: mean must be a finite number, got Infinity')
  })
})
