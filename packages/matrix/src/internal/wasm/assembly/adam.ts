// Adam's update, in AssemblyScript, two entries at a time (f64x2): compiled into the same module
// as the product kernel (gemm.ts exports it), for arrays that live in the module's memory (the
// host's `Arena`, ../../../Arena.ts).
//
// For each entry i, with g the updates flowing in, m0 and v0 the moments before the step:
//   m = β₁·m0 + (1 − β₁)·g,   v = β₂·v0 + (1 − β₂)·g²,
//   u = (m / c₁) / (√(v / c₂) + ε)        (Kingma & Ba, "Adam", 2015, Algorithm 1)
// m and v are written to m1 and v1; then, when `final`, the new parameter θ + k·u is written to
// `out` (k = −η: the step's final pass, fused), else u itself (out may be g: each entry of g is
// read before it is written). A correction of exactly 1 is not divided by (x / 1 is x).
//
// Rounding: each lane rounds each multiply, add, divide and square root as IEEE doubles, in the
// order the TypeScript formula writes them (`scaleByAdam` in @purenn/training), so the results
// are its bits: no fused multiply-add, no reciprocal estimate.
//
// Returns Σ (θ' − θ') over the entries when `final`: 0 when every new parameter is finite, NaN
// otherwise (x − x is NaN for ±∞ and NaN); 0 otherwise.

/** The update of one entry, written out as the TypeScript formula reads (the odd last entry). */
@inline
function one(i: usize, g: usize, theta: usize, m0: usize, v0: usize, m1: usize, v1: usize, out: usize, final: bool, b1: f64, b2: f64, eps: f64, c1: f64, c2: f64, k: f64): f64 {
  const gi = load<f64>(g + i)
  const m = b1 * load<f64>(m0 + i) + (1 - b1) * gi
  const v = b2 * load<f64>(v0 + i) + (1 - b2) * gi * gi
  store<f64>(m1 + i, m)
  store<f64>(v1 + i, v)
  const u = (c1 == 1 ? m : m / c1) / (Math.sqrt(c2 == 1 ? v : v / c2) + eps)
  if (!final) {
    store<f64>(out + i, u)
    return 0
  }
  const t = load<f64>(theta + i) + k * u
  store<f64>(out + i, t)
  return t - t
}

export function adam(
  n: i32,
  g: usize,
  theta: usize,
  m0: usize,
  v0: usize,
  m1: usize,
  v1: usize,
  out: usize,
  final: bool,
  b1: f64,
  b2: f64,
  eps: f64,
  c1: f64,
  c2: f64,
  k: f64
): f64 {
  const B1 = f64x2.splat(b1)
  const B2 = f64x2.splat(b2)
  const A1 = f64x2.splat(1 - b1)
  const A2 = f64x2.splat(1 - b2)
  const E = f64x2.splat(eps)
  const C1 = f64x2.splat(c1)
  const C2 = f64x2.splat(c2)
  const K = f64x2.splat(k)
  const divide1 = c1 != 1
  const divide2 = c2 != 1
  let bad = f64x2.splat(0)
  const pairs = <usize>(n >> 1) << 4
  for (let i: usize = 0; i < pairs; i += 16) {
    const gi = v128.load(g + i)
    const m = f64x2.add(f64x2.mul(B1, v128.load(m0 + i)), f64x2.mul(A1, gi))
    const v = f64x2.add(f64x2.mul(B2, v128.load(v0 + i)), f64x2.mul(f64x2.mul(A2, gi), gi))
    v128.store(m1 + i, m)
    v128.store(v1 + i, v)
    const mh = divide1 ? f64x2.div(m, C1) : m
    const vh = divide2 ? f64x2.div(v, C2) : v
    const u = f64x2.div(mh, f64x2.add(f64x2.sqrt(vh), E))
    if (final) {
      const t = f64x2.add(v128.load(theta + i), f64x2.mul(K, u))
      v128.store(out + i, t)
      bad = f64x2.add(bad, f64x2.sub(t, t))
    } else {
      v128.store(out + i, u)
    }
  }
  let rest: f64 = 0
  if (n & 1) rest = one(pairs, g, theta, m0, v0, m1, v1, out, final, b1, b2, eps, c1, c2, k)
  return f64x2.extract_lane(bad, 0) + f64x2.extract_lane(bad, 1) + rest
}
