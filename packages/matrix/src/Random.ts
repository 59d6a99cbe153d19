/**
 * Explicit, immutable randomness. An `Rng` is plain data (the four 32-bit words of a
 * xoroshiro128+ state): drawing from it never changes it, but returns the next generator
 * beside the value, in the shape of fp-ts's `State<Rng, A>`. The same seed gives the same
 * bits on every run and every platform, and a generator can be saved to JSON and restored.
 *
 * The arithmetic of the generator is pure-rand's (a well-kept library that fast-check is
 * built on). Its generators change in place when drawn from, so every draw here starts
 * from a fresh generator rebuilt from the immutable state, and ends by reading the state back.
 *
 * @since 0.1.0
 */
import type { State } from 'fp-ts/lib/State.js'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator'
import { unsafeFromBuffer, type Matrix } from './Matrix.js'
import { checkDimension, checkFinite } from './internal/check.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An immutable random generator: the state of a xoroshiro128+ generator as four signed
 * 32-bit integers. Encodable as JSON as it is.
 *
 * @example
 * import { rng, nextDouble, isRng, type Rng } from '@purenn/matrix'
 * const r: Rng = rng(7)
 * r.algorithm // => 'xoroshiro128plus'
 * // plain data: it survives JSON, and draws the same numbers after it
 * const back: unknown = JSON.parse(JSON.stringify(r))
 * isRng(back) && nextDouble(back)[0] === nextDouble(r)[0] // => true
 *
 * @category model
 * @since 0.1.0
 */
export interface Rng {
  readonly algorithm: 'xoroshiro128plus'
  readonly state: readonly [number, number, number, number]
}

const fromGenerator = (g: JumpableRandomGenerator): Rng => {
  const s = g.getState()
  return { algorithm: 'xoroshiro128plus', state: [s[0]!, s[1]!, s[2]!, s[3]!] }
}

const toGenerator = (r: Rng): JumpableRandomGenerator => xoroshiro128plusFromState(r.state)

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A bijective 32-bit mixer (Chris Wellons' "lowbias32" hash): every input bit affects every
 * output bit, so seeds that differ in one bit give unrelated words.
 */
const mix32 = (x: number): number => {
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x | 0
}

/**
 * A generator seeded with a safe integer. The same seed always gives the same sequence, and
 * different seeds give different generators.
 *
 * The seed's low and high 32-bit halves are hashed into the 128-bit state (pure-rand's own
 * `xoroshiro128plus(seed)` puts the seed into the state nearly as it is, which makes the first
 * draws of neighbouring seeds almost equal). The first two state words are bijections of
 * the two halves, so no two seeds share a state.
 *
 * @example
 * import { rng, uniform } from '@purenn/matrix'
 * const [a] = uniform(1, 3, 0, 1)(rng(42))
 * const [b] = uniform(1, 3, 0, 1)(rng(42))
 * b // => a
 *
 * @category constructors
 * @since 0.1.0
 */
export const rng = (seed: number): Rng => {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new RangeError(`rng: seed must be a safe integer, got ${String(seed)}`)
  const low = seed | 0 // seed mod 2³², as a signed word
  const high = Math.floor(seed / 4294967296) | 0 // the rest, within ±2²¹
  const w0 = mix32(low ^ 0x243f6a88)
  const w1 = mix32(high ^ 0x85a308d3)
  const w2 = mix32(w0 + 0x13198a2e) ^ w1
  const w3 = mix32(w1 + 0x03707344) ^ w0
  // Never all zeros: w0 = w1 = 0 makes w2 = mix32(0x13198a2e), not 0 since mix32 is a bijection with mix32(0) = 0.
  return fromGenerator(xoroshiro128plusFromState([w0, w1, w2, w3]))
}

/**
 * Checks that an unknown value is an `Rng` (as decoded from JSON), for use at a boundary.
 *
 * @example
 * import { isRng, rng } from '@purenn/matrix'
 * isRng(JSON.parse(JSON.stringify(rng(1)))) // => true
 * isRng({ seed: 1 }) // => false
 *
 * @category refinements
 * @since 0.1.0
 */
export const isRng = (u: unknown): u is Rng => {
  if (typeof u !== 'object' || u === null) return false
  const r = u as { algorithm?: unknown; state?: unknown }
  return (
    r.algorithm === 'xoroshiro128plus' &&
    Array.isArray(r.state) &&
    r.state.length === 4 &&
    r.state.every((x) => Number.isInteger(x) && (x | 0) === x) &&
    r.state.some((x) => x !== 0)
  )
}

// -------------------------------------------------------------------------------------
// draws
// -------------------------------------------------------------------------------------

/**
 * A generator derived from a state and a child's number `k`: the four words of the state and
 * `k` mixed through `mix32` in two passes (each output word depends on every input word and
 * on `k`), so that the children of one state, and of states one step apart, are unrelated.
 * Never the all-zero state xoroshiro128+ cannot leave.
 */
const childOf = (s: readonly [number, number, number, number], k: number): Rng => {
  let a = mix32(s[0] ^ Math.imul(k + 1, 0x9e3779b9))
  let b = mix32(s[1] ^ a ^ 0x6a09e667)
  let c = mix32(s[2] ^ b ^ 0xbb67ae85)
  let d = mix32(s[3] ^ c ^ 0x3c6ef372)
  a = mix32(a ^ d)
  b = mix32(b ^ a)
  c = mix32(c ^ b)
  d = mix32(d ^ c)
  return { algorithm: 'xoroshiro128plus', state: [a, b, c, a === 0 && b === 0 && c === 0 && d === 0 ? 1 : d] }
}

/**
 * Splits a generator into two independent ones (JAX's `split`): each is seeded from a hash of
 * the generator's state and the child's number (JAX hashes its key with a counter likewise),
 * so neither continues the parent's stream, and splitting the children again gives four
 * unrelated streams (`split(split(r)[0])[1]` is not `split(split(r)[1])[0]`, nor is a chain of
 * splits one stream shifted). Useful to give each layer, or each epoch's shuffle, a stream of
 * its own.
 *
 * @example
 * import { rng, split, uniform } from '@purenn/matrix'
 * const [a, b] = split(rng(0)) // two generators of unrelated streams
 * const [x] = uniform(1, 4, 0, 1)(a)
 * const [y] = uniform(1, 4, 0, 1)(b)
 * x.data.some((v, i) => v !== y.data[i]) // => true
 *
 * @category combinators
 * @since 0.1.0
 */
export const split = (r: Rng): readonly [Rng, Rng] => [childOf(r.state, 0), childOf(r.state, 1)]

/**
 * One number uniform in `[0, 1)`, with 53 random bits.
 *
 * @example
 * import { rng, nextDouble } from '@purenn/matrix'
 * const [x, next] = nextDouble(rng(7)) // use `next` for the following draw
 * x >= 0 && x < 1 // => true
 * nextDouble(next)[0] !== x // => true
 * nextDouble(rng(7))[0] // => x
 *
 * @category draws
 * @since 0.1.0
 */
export const nextDouble: State<Rng, number> = (r) => {
  const g = toGenerator(r)
  const x = uniformFloat64(g)
  return [x, fromGenerator(g)]
}

/**
 * One integer uniform in `[from, to]`, both included, without modulo bias.
 *
 * @example
 * import { rng, nextInt } from '@purenn/matrix'
 * const [die] = nextInt(1, 6)(rng(7))
 * Number.isInteger(die) && die >= 1 && die <= 6 // => true
 *
 * @category draws
 * @since 0.1.0
 */
export const nextInt =
  (from: number, to: number): State<Rng, number> =>
  (r) => {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to)
      throw new RangeError(`nextInt: expected integers from <= to, got [${from}, ${to}]`)
    const g = toGenerator(r)
    const x = uniformInt(g, from, to)
    return [x, fromGenerator(g)]
  }

/**
 * A uniformly random permutation of `0 .. n-1`, by the Fisher–Yates shuffle: for `i` from
 * `n-1` down to 1, swap entry `i` with an entry drawn uniformly from `0 .. i`. Unlike
 * `sort(() => 0.5 - Math.random())` it is unbiased and seeded.
 *
 * @example
 * import { rng, permutation } from '@purenn/matrix'
 * const [order] = permutation(4)(rng(0)) // the order depends on the seed
 * Array.from(order).sort() // => [0, 1, 2, 3]
 *
 * @category draws
 * @since 0.1.0
 */
export const permutation =
  (n: number): State<Rng, number[]> =>
  (r) => {
    checkDimension('permutation', 'n', n)
    return fisherYates(n, r.state)
  }

/**
 * The draws of `permutation`, with pure-rand's arithmetic written out on four local words:
 * the xoroshiro128+ step of `XoroShiro128Plus.next` and the rejection sampling of
 * `uniformInt(g, 0, i)` (a 32-bit draw shifted to [0, 2³²), redrawn while at or above the
 * largest multiple of i + 1, then taken modulo i + 1).
 *
 * Why it exists: a training loop draws a permutation every epoch, and on a small data set
 * (XOR's 4 samples) building a pure-rand generator object, reading its state back and filling
 * the identity with `Array.from` cost more than the draws themselves.
 *
 * What it must agree with: `uniformInt(g, 0, i)` for i from n − 1 down to 1 on
 * `xoroshiro128plusFromState(state)`, draw for draw, and the state that generator ends in;
 * the tests check the two against each other.
 */
const fisherYates = (n: number, state: Rng['state']): [number[], Rng] => {
  const out = new Array<number>(n) // its exact size: grown by push, a short one would take room for 17 (a training loop draws one an epoch)
  for (let i = 0; i < n; i++) out[i] = i
  let s01 = state[0] // the words in the order of pure-rand's getState()
  let s00 = state[1]
  let s11 = state[2]
  let s10 = state[3]
  for (let i = n - 1; i > 0; i--) {
    const size = i + 1 // uniformInt(g, 0, i) draws from a range of i + 1 values
    const maxAllowed = size > 2 ? ~~(4294967296 / size) * size : 4294967296
    let delta: number
    do {
      const word = (s00 + s10) | 0 // XoroShiro128Plus.next: the output, then the state update
      const a0 = s10 ^ s00
      const a1 = s11 ^ s01
      const t00 = s00
      const t01 = s01
      s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16)
      s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16))
      s10 = (a1 << 5) ^ (a0 >>> 27)
      s11 = (a0 << 5) ^ (a1 >>> 27)
      delta = word + 2147483648
    } while (delta >= maxAllowed)
    const j = delta % size
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  return [out, { algorithm: 'xoroshiro128plus', state: [s01, s00, s11, s10] }]
}

/**
 * A `rows x cols` matrix of numbers uniform in `[lower, upper]`: the tutorial's
 * `randomize(lower, upper)`, seeded. Each entry is `lower + (upper − lower)·u` for `u` uniform
 * in `[0, 1)` with 53 random bits; rounding can land that sum on `upper`, so `upper` is
 * included (and never exceeded). With `lower === upper` every entry is that value. Throws a
 * `RangeError` if `upper − lower` overflows.
 *
 * @example
 * import { rng, shapeOf, uniform } from '@purenn/matrix'
 * const [weights, next] = uniform(2, 3, -1, 1)(rng(0)) // `next` for the following draw
 * shapeOf(weights) // => '2x3'
 * weights.data.every((w) => w >= -1 && w < 1) // => true
 * uniform(2, 3, -1, 1)(next)[0].data[0] !== weights.data[0] // => true
 *
 * @category draws
 * @since 0.1.0
 */
export const uniform =
  (rows: number, cols: number, lower: number, upper: number): State<Rng, Matrix> =>
  (r) => {
    checkDimension('uniform', 'rows', rows)
    checkDimension('uniform', 'cols', cols)
    checkFinite('uniform', 'lower', lower)
    checkFinite('uniform', 'upper', upper)
    if (lower > upper) throw new RangeError(`uniform: lower (${lower}) must not exceed upper (${upper})`)
    const g = toGenerator(r)
    const out = new Float64Array(rows * cols)
    const width = upper - lower
    if (!Number.isFinite(width)) throw new RangeError(`uniform: upper - lower overflows for [${lower}, ${upper}]`)
    for (let i = 0; i < out.length; i++) out[i] = Math.min(upper, lower + width * uniformFloat64(g))
    return [unsafeFromBuffer(rows, cols, out), fromGenerator(g)]
  }

/**
 * A `rows x cols` matrix of normally distributed numbers with the given mean and standard
 * deviation, by the Box–Muller transform: from `u1, u2` uniform in `(0, 1]` and `[0, 1)`,
 * `√(−2 ln u1)·cos(2π u2)` and `√(−2 ln u1)·sin(2π u2)` are two independent standard normals.
 *
 * @example
 * import { rng, normal } from '@purenn/matrix'
 * const [weights] = normal(128, 784, 0, Math.sqrt(2 / 784))(rng(0)) // He initialisation
 * const mean = weights.data.reduce((s, w) => s + w, 0) / weights.data.length
 * mean // ≈ 0 ± 0.001
 * Math.sqrt(weights.data.reduce((s, w) => s + (w - mean) ** 2, 0) / weights.data.length) // ≈ Math.sqrt(2 / 784) ± 0.001
 *
 * @category draws
 * @since 0.1.0
 */
export const normal =
  (rows: number, cols: number, mean: number, std: number): State<Rng, Matrix> =>
  (r) => {
    checkDimension('normal', 'rows', rows)
    checkDimension('normal', 'cols', cols)
    checkFinite('normal', 'mean', mean)
    checkFinite('normal', 'std', std)
    if (std < 0) throw new RangeError(`normal: std must not be negative, got ${std}`)
    const g = toGenerator(r)
    const n = rows * cols
    const out = new Float64Array(n)
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - uniformFloat64(g) // in (0, 1]: ln is finite
      const u2 = uniformFloat64(g)
      const radius = Math.sqrt(-2 * Math.log(u1))
      out[i] = mean + std * radius * Math.cos(2 * Math.PI * u2)
      if (i + 1 < n) out[i + 1] = mean + std * radius * Math.sin(2 * Math.PI * u2)
    }
    return [unsafeFromBuffer(rows, cols, out), fromGenerator(g)]
  }
