/**
 * βⁿ for consecutive n without a `Math.pow` call a step, and Adam's bias correction 1 − βⁿ from
 * it, the very double `1 - Math.pow(β, n)` gives.
 *
 * Why: before β₂ = 0.999 settles (step 38,798, see `settledAt` in `links.ts`), every Adam step
 * computes `1 - Math.pow(β₂, n)`. On a tiny network that call is a tenth of the step (about
 * 50 ns of XOR's 0.5 µs). The engine takes its steps in order, so it can carry βⁿ along, one
 * multiplication a step, if that product is exact enough to decide the rounding.
 *
 * How:
 * - βⁿ is carried as a double-double `hi + lo` (about 106 bits): each step multiplies it by β
 *   with Dekker's exact product (Veltkamp's split; JavaScript has no fused multiply-add), so
 *   after n steps it is within n·2⁻¹⁰⁴ of βⁿ, relatively: far closer than an ulp of `hi`.
 * - The correction is decided by a bracket, not computed from `hi`. `Math.pow` returns βⁿ to
 *   within an ulp or so (fdlibm's pow, V8's, is within one), so its answer lies in
 *   `[hi·(1 − 2⁻⁴⁸), hi·(1 + 2⁻⁴⁸)]`, a margin of at least 15 ulps each side. Rounding is
 *   monotone, so `x ↦ 1 − x` rounded maps the bracket onto an interval holding
 *   `1 - Math.pow(β, n)`; when both ends round to the same double, that double is the answer.
 *   When they do not (the bracket straddles a rounding boundary of 1 − x: mostly while βⁿ is
 *   above 2⁻⁶, the first four thousand steps at β = 0.999), it calls `Math.pow` as before.
 *
 * So the answer is `1 - Math.pow(β, n)`'s, bit for bit, with a call for about one step in ten
 * over a run of β₂'s 38,798 (`powers.test.ts` checks every step of several β against the call).
 */

/** 2²⁷ + 1: Veltkamp's splitter for doubles (53 bits into two halves of at most 26). */
const SPLITTER = 134217729

/**
 * The rounding error of the product `p = x·y` (computed by the caller): `x·y = p + e` exactly,
 * for products that neither overflow nor underflow (Dekker's TwoProduct; Shewchuk's
 * formulation, "Adaptive precision floating-point arithmetic", 1997).
 */
const productError = (x: number, y: number, p: number): number => {
  let t = SPLITTER * x
  const xh = t - (t - x)
  const xl = x - xh
  t = SPLITTER * y
  const yh = t - (t - y)
  const yl = y - yh
  return xl * yl - (p - xh * yh - xl * yh - xh * yl)
}

/**
 * The double-double product `(ah + al)·(bh + bl)` into `out[at]`, `out[at + 1]` (the low parts'
 * own product is below the precision kept).
 */
const multiply = (ah: number, al: number, bh: number, bl: number, out: Float64Array, at: number): void => {
  const p = ah * bh
  const e = productError(ah, bh, p) + (ah * bl + al * bh)
  const hi = p + e // |e| is below an ulp of p: the sum of the two parts, renormalised (Dekker's fast two-sum)
  out[at] = hi
  out[at + 1] = e - (hi - p)
}

/** βⁿ as a double-double into `out[at]`, `out[at + 1]`, by repeated squaring (about 2·log₂ n products). */
const power = (beta: number, n: number, out: Float64Array, at: number): void => {
  let rh = 1
  let rl = 0
  let bh = beta
  let bl = 0
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) {
      multiply(rh, rl, bh, bl, out, at)
      rh = out[at]!
      rl = out[at + 1]!
    }
    if (k > 1) {
      multiply(bh, bl, bh, bl, out, at)
      bh = out[at]!
      bl = out[at + 1]!
    }
  }
  out[at] = rh
  out[at + 1] = rl
}

/**
 * Where a buffer holds powers (see `powersAt`): at `at`, the exponent n they are for; after it,
 * for each β, βⁿ as two doubles.
 */
export const powerSlots = (betas: number): number => 1 + 2 * betas

/** Writes β⁰ = 1 for every β into the slots at `at` (a buffer's first state). */
export const startPowers = (c: Float64Array, at: number, betas: number): void => {
  c[at] = 0
  for (let j = 0; j < betas; j++) {
    c[at + 1 + 2 * j] = 1
    c[at + 2 + 2 * j] = 0
  }
}

/**
 * Moves the powers held at `at` (from `startPowers`, or from an earlier call) to exponent `n`:
 * one product each when n is the next exponent, none when it is the same, else by squaring.
 * From `settled1` on (`settledAt(β₁)`), β₁ⁿ is not needed (its correction is 1): stepping on, it
 * is left behind, and read by no one (a later exponent below `settled1` comes by squaring).
 */
export const powersAt = (c: Float64Array, at: number, n: number, beta1: number, beta2: number, settled1: number): void => {
  const had = c[at]!
  if (n === had) return
  if (n === had + 1) {
    if (n < settled1) multiply(c[at + 1]!, c[at + 2]!, beta1, 0, c, at + 1)
    multiply(c[at + 3]!, c[at + 4]!, beta2, 0, c, at + 3)
  } else {
    power(beta1, n, c, at + 1)
    power(beta2, n, c, at + 3)
  }
  c[at] = n
}

/** The relative margin of the bracket around `hi` (see the module comment). */
const MARGIN = 2 ** -48

/**
 * 1 − βⁿ as `1 - Math.pow(beta, n)` rounds it, given `hi`, the high part of βⁿ carried as a
 * double-double (`powersAt`): decided from `hi` when its bracket allows, else by the call.
 */
export const oneMinusPower = (beta: number, n: number, hi: number): number => {
  const below = 1 - hi * (1 + MARGIN)
  return below === 1 - hi * (1 - MARGIN) ? below : 1 - Math.pow(beta, n)
}
