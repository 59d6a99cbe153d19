/**
 * The matrix-product kernel behind `dot`, `dotTransposeA` and `dotTransposeB`:
 * `C = A·B` with `C(i, j) = Σ_p A(i, p) B(p, j)`, written into a fresh buffer.
 *
 * Reading typed arrays: the project compiles with `noUncheckedIndexedAccess`, so every
 * `x[i]` has type `number | undefined`. In kernels every index is in bounds by
 * construction (it is derived from the shapes, which were checked before the call), so we
 * read with the non-null assertion `x[i]!`. It costs nothing at run time.
 *
 * Operands are described by strides, so one kernel serves all three forms without ever
 * materialising a transpose: `A(i, p) = a[i * ars + p * acs]`, `B(p, j) = b[p * brs + j * bcs]`.
 * For a plain row-major `A` (`m x k`) the strides are `(k, 1)`; for `Aᵀ` read from a stored
 * `k x m` matrix they are `(1, m)`. Packing copies values exactly, so for given `m, n, k` the
 * three forms add the same products in the same order: `a·bᵀ` equals `a·transpose(b)` bit for bit.
 *
 * Method: the loop nest of BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", ACM TOMS 2015), in plain JavaScript:
 * 1. cut `B` into blocks of `KC` rows by `NC` columns and `A` into blocks of `MC` rows by
 *    `KC` columns, and copy ("pack") each block into 4-wide panels laid out so that the
 *    inner loop reads both operands contiguously (zero-padded up to a multiple of 4);
 * 2. for each 4-column panel of the `B` block (4 KiB, stays in L1 cache) and each 4-row
 *    panel of the `A` block (the block stays in L2), keep the 4x4 block of `C` in 16 local
 *    variables and run over the `KC` inner steps: 8 loads feed 16 multiply-adds;
 * 3. add the block into `C` (partial blocks at the edges go through a small buffer).
 * The inner dimension is cut into equal blocks of at most `KC`, summed into `C` in order, so
 * the result depends only on `m, n, k` and the values: the same inputs give the same bits.
 * Small products skip the packing, whose cost would dominate.
 *
 * Why the packed panels live in one module-level buffer: V8's optimising compiler treats a
 * typed array held in a module constant as a constant, so a load from it compiles to a
 * bounds check against a known length and a load from a known address. A buffer passed in
 * a variable costs, on every inner step, a map check and three reloads of its length and
 * data pointer; the constant buffer made the products about 20% faster on Node 20 (see
 * bench/src/products.ts). Sharing it is safe: JavaScript runs one call at a time, `gemm`
 * calls no user code, and every region the kernel reads has been written by the same call
 * just before. Callers only ever see the fresh result buffer.
 */

/** Rows of `A` and columns of `B` per register tile (the 4x4 block of `C` in 16 variables). */
const MR = 4
const NR = 4

/** Rows (of `B`) and columns (of `A`) per packed block of the inner dimension. */
const KC = 128

/** Rows of `A` per packed block: 64 x 128 doubles = 64 KiB, for the L2 cache. */
const MC = 64

/** Columns of `B` per packed block: 128 x 192 doubles = 192 KiB. */
const NC = 192

/** Below this many multiply-adds, a direct loop beats packing. */
const SMALL = 4096

/** Where the packed block of `B` starts in `W`; the block of `A` starts at 0. */
const B_OFFSET = MC * KC

/** The packing buffer: a block of `A`, then a block of `B` (32768 doubles, 256 KiB). */
const W = new Float64Array(MC * KC + KC * NC)

/** The signature the kernels share: `C = A·B` through strides, returning a fresh `m x n` buffer. */
export type StridedGemm = (
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  ars: number,
  acs: number,
  b: Float64Array,
  brs: number,
  bcs: number
) => Float64Array

/**
 * `C = A·B` for `A` of `m x k` and `B` of `k x n`, given by their buffers and strides; returns
 * the fresh `m x n` row-major `C`.
 */
export const gemm: StridedGemm = (m, n, k, a, ars, acs, b, brs, bcs) => {
  const c = new Float64Array(m * n)
  if (m === 0 || n === 0 || k === 0) return c
  if (m * n * k <= SMALL || m < MR || n < NR) {
    smallGemm(m, n, k, a, ars, acs, b, brs, bcs, c)
    return c
  }
  const edge = new Float64Array(MR * NR) // partial tiles land here first
  const kBlocks = Math.ceil(k / KC)
  const kb = Math.ceil(k / kBlocks) // equal blocks of the inner dimension, each <= KC
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0)
    const nPanels = Math.ceil(nc / NR)
    for (let p0 = 0; p0 < k; p0 += kb) {
      const kc = Math.min(kb, k - p0)
      // The columns of B are packed as the rows of Bᵀ, whose entry (j, p) is b[j * bcs + p * brs].
      pack(nc, kc, j0, p0, b, bcs, brs, NR, B_OFFSET)
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0)
        const mPanels = Math.ceil(mc / MR)
        pack(mc, kc, i0, p0, a, ars, acs, MR, 0)
        for (let jp = 0; jp < nPanels; jp++) {
          const j = j0 + jp * NR
          const bStart = B_OFFSET + jp * kc * NR
          for (let ip = 0; ip < mPanels; ip++) {
            const i = i0 + ip * MR
            const aStart = ip * kc * MR
            if (i + MR <= m && j + NR <= n) {
              kernel(kc, aStart, bStart, c, i * n + j, n)
            } else {
              edge.fill(0)
              kernel(kc, aStart, bStart, edge, 0, NR)
              for (let r = 0; r < MR && i + r < m; r++)
                for (let s = 0; s < NR && j + s < n; s++) {
                  const o = (i + r) * n + j + s
                  c[o] = c[o]! + edge[r * NR + s]!
                }
            }
          }
        }
      }
    }
  }
  return c
}

/**
 * The 4x4 micro-kernel: adds `Σ_p a_p b_pᵀ` over `kc` steps into the block of `c` at `o`
 * (row stride `ldc`), where step `p` reads the 4 values of the `A` panel at `W[ai + 4p ..]`
 * and the 4 of the `B` panel at `W[bi + 4p ..]`. Its own function, so that the optimiser
 * sees few live values and keeps the 16 accumulators in registers. Index sums use `| 0` so
 * that they compile to plain 32-bit additions (all indices are below `W.length`).
 */
function kernel(kc: number, ai: number, bi: number, c: Float64Array, o: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0
  for (let p = 0; p < kc; p++) {
    const a0 = W[ai]!, a1 = W[(ai + 1) | 0]!, a2 = W[(ai + 2) | 0]!, a3 = W[(ai + 3) | 0]!
    const b0 = W[bi]!, b1 = W[(bi + 1) | 0]!, b2 = W[(bi + 2) | 0]!, b3 = W[(bi + 3) | 0]!
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
    ai = (ai + MR) | 0
    bi = (bi + NR) | 0
  }
  c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03
  o += ldc
  c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13
  o += ldc
  c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23
  o += ldc
  c[o] = c[o]! + c30; c[o + 1] = c[o + 1]! + c31; c[o + 2] = c[o + 2]! + c32; c[o + 3] = c[o + 3]! + c33
}

/**
 * Packs rows `r0 .. r0+rows-1` and columns `p0 .. p0+kc-1` of `X` (with `X(r, p) = x[r * rs + p * cs]`)
 * into panels of `width` rows at `W[offset ..]`: panel `q` holds `X(r0 + q·width + r, p0 + p)` at
 * `offset + (q·kc + p)·width + r`, rows past the end filled with zeros. The loop runs along
 * whichever stride is 1, so that packing reads memory in order for every layout.
 */
function pack(rows: number, kc: number, r0: number, p0: number, x: Float64Array, rs: number, cs: number, width: number, offset: number): void {
  const panels = Math.ceil(rows / width)
  for (let q = 0; q < panels; q++) {
    const base = offset + q * kc * width
    const valid = Math.min(width, rows - q * width) // rows of this panel inside X
    const first = (r0 + q * width) * rs + p0 * cs // X(r0 + q·width, p0)
    if (cs === 1) {
      // each row of the panel is contiguous in x: copy row by row
      for (let r = 0; r < valid; r++) {
        const src = first + r * rs
        for (let p = 0; p < kc; p++) W[base + p * width + r] = x[src + p]!
      }
    } else {
      // the panel's rows sit side by side in x (rs is 1 for a transposed view): copy step by step
      for (let p = 0; p < kc; p++) {
        const src = first + p * cs
        const dst = base + p * width
        for (let r = 0; r < valid; r++) W[dst + r] = x[src + r * rs]!
      }
    }
    for (let r = valid; r < width; r++) for (let p = 0; p < kc; p++) W[base + p * width + r] = 0
  }
}

/**
 * The direct loop for small or thin products: `C(i, j) = Σ_p A(i, p) B(p, j)`, each entry
 * summed in order of `p` from 0. When the rows of `B` are contiguous it runs i-p-j (a row of
 * `B` at a time, in memory order), otherwise one dot product per entry; both add the same
 * terms in the same order, so they give the same bits.
 */
function smallGemm(
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
): void {
  if (bcs === 1 && n > 1) {
    for (let i = 0; i < m; i++) {
      const ci = i * n
      for (let p = 0; p < k; p++) {
        const aip = a[i * ars + p * acs]!
        const bp = p * brs
        for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[bp + j]!
      }
    }
    return
  }
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
