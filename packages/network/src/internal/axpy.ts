/**
 * θ + k·g, entry by entry: a gradient step's arithmetic (BLAS's axpy, y ← a·x + y), in the one
 * rounding every path of this package uses, `θ + (k·g)` (k·g rounded, then the sum). The
 * caller chooses k: an optimizer's −η (the sign of a step is the optimizer's).
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */

/**
 * Writes θ[from + i] + k·g[i] into out[to + i] for every entry of `g` (`out` may be `g` itself,
 * with `to` 0: each entry is read before it is written). Returns Σ (v − v) over the values
 * written: 0 when every one is finite, NaN otherwise (x − x is NaN for ±∞ and NaN).
 */
export const addScaledInto = (theta: Float64Array, from: number, k: number, g: Float64Array, out: Float64Array, to: number): number => {
  let bad = 0
  for (let i = 0; i < g.length; i++) {
    const v = theta[from + i]! + k * g[i]!
    out[to + i] = v
    bad += v - v
  }
  return bad
}
