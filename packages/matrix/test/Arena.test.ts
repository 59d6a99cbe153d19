// Arenas (src/Arena.ts): arrays in a WebAssembly memory of their own, and Adam's update over
// them, which must give the bits of the same formula written in JavaScript (the reference,
// `scaleByAdam`'s formula in @purenn/training, restated here), for every length, every
// aliasing the contract allows, corrections of 1 or not, and non-finite results.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import { arena, kernels, type AdamScalars, type Arena } from '../src/index.js'

const wasm = O.isSome(kernels.wasm)

/** An arena of six arrays of length n (g, θ, μ, ν, μ', ν'), or a test failure where WebAssembly should be. */
const six = (n: number): Arena => {
  const a = arena([n, n, n, n, n, n])
  if (O.isNone(a)) throw new Error('no arena where the WebAssembly kernel loads')
  return a.value
}

/** The formula in JavaScript, entry by entry, into fresh arrays: [μ', ν', out, Σ(θ' − θ')]. */
const reference = (g: ArrayLike<number>, theta: ArrayLike<number>, mu: ArrayLike<number>, nu: ArrayLike<number>, s: AdamScalars): [number[], number[], number[], number] => {
  const m1: number[] = []
  const v1: number[] = []
  const out: number[] = []
  let bad = 0
  for (let i = 0; i < g.length; i++) {
    const gi = g[i]!
    const m = s.beta1 * mu[i]! + (1 - s.beta1) * gi
    const v = s.beta2 * nu[i]! + (1 - s.beta2) * gi * gi
    m1.push(m)
    v1.push(v)
    const u = (s.c1 === 1 ? m : m / s.c1) / (Math.sqrt(s.c2 === 1 ? v : v / s.c2) + s.eps)
    if (s.k === undefined) out.push(u)
    else {
      const t = theta[i]! + s.k * u
      out.push(t)
      bad += t - t
    }
  }
  return [m1, v1, out, s.k === undefined ? 0 : bad]
}

const bitsOf = (xs: ArrayLike<number>): string[] => Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : String(x)))

const scalars = fc.record({
  beta1: fc.oneof(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.constant(0.9)),
  beta2: fc.oneof(fc.double({ min: 0.9, max: 0.99999, noNaN: true }), fc.constant(0.999)),
  eps: fc.constantFrom(1e-8, 1e-7, 0.1),
  c1: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
  c2: fc.oneof(fc.constant(1), fc.double({ min: 1e-4, max: 1, noNaN: true })),
  k: fc.oneof(fc.constant(undefined), fc.double({ min: -1, max: 0, noNaN: true }))
})

const entries = (n: number, lo: number, hi: number): fc.Arbitrary<number[]> => fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n, maxLength: n })

describe.runIf(wasm)('Arena.adam', () => {
  it('gives the bits of the formula in JavaScript, for any length (odd ones too) and any step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 37 }).chain((n) => fc.tuple(entries(n, -10, 10), entries(n, -5, 5), entries(n, -1, 1), entries(n, 0, 2))),
        scalars,
        ([g, theta, mu, nu], s) => {
          const a = six(g.length)
          const [G, TH, MU, NU, M1, V1] = a.arrays as Float64Array[]
          G!.set(g)
          TH!.set(theta)
          MU!.set(mu)
          NU!.set(nu)
          const out = s.k === undefined ? G! : TH! // the engine's two aliasings: u over g, θ' over θ
          const bad = a.adam({ g: G!, theta: TH!, mu: MU!, nu: NU!, nextMu: M1!, nextNu: V1!, out }, s)
          const [m1, v1, o, b] = reference(g, theta, mu, nu, s)
          expect(bitsOf(M1!)).toEqual(bitsOf(m1))
          expect(bitsOf(V1!)).toEqual(bitsOf(v1))
          expect(bitsOf(out)).toEqual(bitsOf(o))
          expect(Object.is(bad, b)).toBe(true)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('updates the moments in place when asked (nextMu = mu, nextNu = nu)', () => {
    const a = six(5)
    const [G, TH, MU, NU] = a.arrays as Float64Array[]
    G!.set([1, -1, 0.5, 2, -3])
    MU!.set([0.1, 0.2, 0.3, 0.4, 0.5])
    NU!.set([1, 2, 3, 4, 5])
    const s: AdamScalars = { beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 0.5, c2: 0.25, k: -0.01 }
    const [m1, v1, o] = reference(G!, TH!, MU!, NU!, s)
    a.adam({ g: G!, theta: TH!, mu: MU!, nu: NU!, nextMu: MU!, nextNu: NU!, out: TH! }, s)
    expect(bitsOf(MU!)).toEqual(bitsOf(m1))
    expect(bitsOf(NU!)).toEqual(bitsOf(v1))
    expect(bitsOf(TH!)).toEqual(bitsOf(o))
  })

  it('answers NaN when a new parameter is not finite, on either lane and on the odd last entry', () => {
    for (const at of [0, 1, 2]) {
      const a = six(3)
      const [G, TH, MU, NU, M1, V1] = a.arrays as Float64Array[]
      G!.set([1, 1, 1])
      TH!.set([0, 0, 0])
      TH![at] = Infinity
      expect(a.adam({ g: G!, theta: TH!, mu: MU!, nu: NU!, nextMu: M1!, nextNu: V1!, out: TH! }, { beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 0.1, c2: 0.001, k: -0.1 })).toBeNaN()
    }
  })

  it('writes nothing but its outputs', () => {
    const a = six(4)
    const [G, TH, MU, NU, M1, V1] = a.arrays as Float64Array[]
    G!.set([1, 2, 3, 4])
    TH!.set([5, 6, 7, 8])
    MU!.set([0.1, 0.2, 0.3, 0.4])
    NU!.set([1, 1, 1, 1])
    const before = [TH, MU, NU].map((x) => bitsOf(x!))
    a.adam({ g: G!, theta: TH!, mu: MU!, nu: NU!, nextMu: M1!, nextNu: V1!, out: G! }, { beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 1, c2: 1, k: undefined })
    expect([TH, MU, NU].map((x) => bitsOf(x!))).toEqual(before) // g is the output here
  })

  it('refuses an array that is not the arena’s, or of another length, naming it', () => {
    const a = six(4)
    const b = six(4)
    const [G, TH, MU, NU, M1, V1] = a.arrays as Float64Array[]
    const s: AdamScalars = { beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 1, c2: 1, k: -1 }
    expect(() => a.adam({ g: G!, theta: TH!, mu: MU!, nu: NU!, nextMu: M1!, nextNu: V1!, out: new Float64Array(4) }, s)).toThrow('Arena.adam: out is not an array of this arena')
    expect(() => a.adam({ g: G!, theta: b.arrays[1]!, mu: MU!, nu: NU!, nextMu: M1!, nextNu: V1!, out: TH! }, s)).toThrow('Arena.adam: theta is not an array of this arena')
    expect(() => a.adam({ g: G!, theta: TH!, mu: MU!.subarray(1), nu: NU!, nextMu: M1!, nextNu: V1!, out: TH! }, s)).toThrow('Arena.adam: mu has 3 entries, g has 4')
  })
})

describe('arena', () => {
  it.runIf(wasm)('holds zeroed arrays of the lengths asked, 16-byte aligned, disjoint, valid while other arenas come and go', () => {
    const a = arena([3, 0, 5, 1])
    expect(O.isSome(a)).toBe(true)
    const xs = (a as O.Some<Arena>).value.arrays
    expect(xs.map((x) => x.length)).toEqual([3, 0, 5, 1])
    for (const x of xs) {
      expect(x.byteOffset % 16).toBe(0)
      expect(Array.from(x).every((v) => v === 0)).toBe(true)
    }
    xs[0]!.fill(7)
    expect(Array.from(xs[2]!)).toEqual([0, 0, 0, 0, 0])
    for (let i = 0; i < 5; i++) arena([100_000]) // others, larger: this one's memory is its own
    expect(Array.from(xs[0]!)).toEqual([7, 7, 7])
  })

  it('refuses a length that is not a whole number ≥ 0', () => {
    expect(() => arena([2, -1])).toThrow('arena: expected array lengths (whole numbers ≥ 0), got -1')
    expect(() => arena([1.5])).toThrow('got 1.5')
  })

  it.runIf(wasm)('answers none beyond a gibibyte', () => {
    expect(O.isNone(arena([2 ** 27 + 1]))).toBe(true)
  })
})
