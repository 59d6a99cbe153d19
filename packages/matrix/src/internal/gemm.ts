/**
 * The matrix-product kernel behind `dot`, `dotTransposeA` and `dotTransposeB`.
 *
 * Reading typed arrays: the project compiles with `noUncheckedIndexedAccess`, so every
 * `x[i]` has type `number | undefined`. In kernels every index is in bounds by
 * construction (it is derived from the shapes, which were checked before the call), so we
 * read with the non-null assertion `x[i]!`. It costs nothing at run time.
 *
 * Operands are described by strides, so one kernel serves all three forms without ever
 * materialising a transpose: `A(i, p) = a[i * ars + p * acs]`, `B(p, j) = b[p * brs + j * bcs]`.
 * For a plain row-major `A` (`m x k`) the strides are `(k, 1)`; for `Aᵀ` read from a stored
 * `k x m` matrix they are `(1, m)`.
 *
 * Method (the register tiling of BLIS-style kernels, in plain JavaScript):
 * 1. pack A into panels of 4 rows and B into panels of 4 columns, each panel laid out so
 *    that the inner loop reads both contiguously (zero-padded to a multiple of 4);
 * 2. for each 4-column panel of B (small enough to stay in L1 cache) and each 4-row panel
 *    of A, keep the 4x4 block of C in 16 local variables and run over the inner dimension:
 *    8 loads feed 16 multiply-adds;
 * 3. write the valid part of the block into C.
 * Tiny products skip the packing, whose cost would dominate.
 */

/** Below this many multiply-adds, a direct triple loop beats packing. */
const SMALL = 4096

/** The inner dimension is cut into blocks of this size so packed panels stay in cache. */
const KC = 256

export const gemm = (
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  ars: number,
  acs: number,
  b: Float64Array,
  brs: number,
  bcs: number
): Float64Array => {
  const c = new Float64Array(m * n)
  if (m === 0 || n === 0 || k === 0) return c
  if (m * n * k <= SMALL || m < 4 || n < 4) {
    smallGemm(m, n, k, a, ars, acs, b, brs, bcs, c)
    return c
  }
  const mp = (m + 3) >> 2 // panels of A
  const np = (n + 3) >> 2 // panels of B
  const ap = new Float64Array(mp * 4 * Math.min(k, KC))
  const bp = new Float64Array(np * 4 * Math.min(k, KC))
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0)
    packA(m, kc, p0, a, ars, acs, ap)
    packB(n, kc, p0, b, brs, bcs, bp)
    for (let jp = 0; jp < np; jp++) {
      const j0 = jp << 2
      const bBase = jp * kc * 4
      for (let ip = 0; ip < mp; ip++) {
        const i0 = ip << 2
        let aIdx = ip * kc * 4
        let bIdx = bBase
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0
        for (let p = 0; p < kc; p++) {
          const a0 = ap[aIdx]!, a1 = ap[aIdx + 1]!, a2 = ap[aIdx + 2]!, a3 = ap[aIdx + 3]!
          const b0 = bp[bIdx]!, b1 = bp[bIdx + 1]!, b2 = bp[bIdx + 2]!, b3 = bp[bIdx + 3]!
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
          aIdx += 4
          bIdx += 4
        }
        if (i0 + 3 < m && j0 + 3 < n) {
          let o = i0 * n + j0
          c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03
          o += n
          c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13
          o += n
          c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23
          o += n
          c[o] = c[o]! + c30; c[o + 1] = c[o + 1]! + c31; c[o + 2] = c[o + 2]! + c32; c[o + 3] = c[o + 3]! + c33
        } else {
          const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33]
          for (let r = 0; r < 4 && i0 + r < m; r++)
            for (let s = 0; s < 4 && j0 + s < n; s++) { const o = (i0 + r) * n + j0 + s; c[o] = c[o]! + block[r * 4 + s]! }
        }
      }
    }
  }
  return c
}

/** Copies rows of A (columns p0..p0+kc) into 4-row panels: panel ip holds A(4ip+r, p0+p) at (ip*kc + p)*4 + r. */
const packA = (m: number, kc: number, p0: number, a: Float64Array, ars: number, acs: number, ap: Float64Array): void => {
  const mp = (m + 3) >> 2
  for (let ip = 0; ip < mp; ip++) {
    const base = ip * kc * 4
    for (let r = 0; r < 4; r++) {
      const i = (ip << 2) + r
      if (i < m) {
        let src = i * ars + p0 * acs
        for (let p = 0; p < kc; p++, src += acs) ap[base + p * 4 + r] = a[src]!
      } else {
        for (let p = 0; p < kc; p++) ap[base + p * 4 + r] = 0
      }
    }
  }
}

/** Copies columns of B (rows p0..p0+kc) into 4-column panels: panel jp holds B(p0+p, 4jp+s) at (jp*kc + p)*4 + s. */
const packB = (n: number, kc: number, p0: number, b: Float64Array, brs: number, bcs: number, bp: Float64Array): void => {
  const np = (n + 3) >> 2
  for (let jp = 0; jp < np; jp++) {
    const base = jp * kc * 4
    for (let s = 0; s < 4; s++) {
      const j = (jp << 2) + s
      if (j < n) {
        let src = p0 * brs + j * bcs
        for (let p = 0; p < kc; p++, src += brs) bp[base + p * 4 + s] = b[src]!
      } else {
        for (let p = 0; p < kc; p++) bp[base + p * 4 + s] = 0
      }
    }
  }
}

/** The direct loop for small products: C(i, j) = Σ_p A(i, p) B(p, j). */
const smallGemm = (
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  ars: number,
  acs: number,
  b: Float64Array,
  brs: number,
  bcs: number,
  c: Float64Array
): void => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0
      let ai = i * ars
      let bi = j * bcs
      for (let p = 0; p < k; p++, ai += acs, bi += brs) sum += a[ai]! * b[bi]!
      c[i * n + j] = sum
    }
  }
}
