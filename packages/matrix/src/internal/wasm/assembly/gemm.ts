// The WebAssembly SIMD product kernel, in AssemblyScript (compiled by scripts/build-wasm.mjs
// into ../binary.ts, embedded in the package; this file is not part of the TypeScript build).
//
// `C = A·B` with `C(i, j) = Σ_p A(i, p) B(p, j)` in float64, two lanes at a time (f64x2).
// Operands are read through strides, as in the TypeScript kernel (../../gemm.ts), so one
// kernel serves a·b, a·bᵀ and aᵀ·b without materialising a transpose:
// `A(i, p)` is the double at `a + 8 (i·ars + p·acs)`, `B(p, j)` the one at `b + 8 (p·brs + j·bcs)`.
//
// Method: the loop nest of BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
// Instantiating BLAS Functionality", ACM TOMS 2015):
// 1. cut B into blocks of KC rows by NC columns and A into blocks of MC rows by KC columns,
//    and pack each block into 4-wide panels that the micro-kernel reads in order (zero-padded
//    up to a multiple of 4). A's values are packed twice over, as the two lanes of a vector,
//    so that the micro-kernel loads them as they are, with no broadcast;
// 2. for each 4-column panel of the B block and each 4-row panel of the A block, keep the 4x4
//    block of C in eight f64x2 registers and run down the KC inner steps: per step, two vector
//    loads of B and four of A feed eight vector multiplies and eight adds;
// 3. add the block into C (partial blocks at the edges go through a small scratch tile).
//
// Rounding: every lane computes `acc = acc + a·b` as an IEEE multiply, then an IEEE add (no
// fused multiply-add, no relaxed SIMD), so the result is the same on every engine and CPU. The
// inner dimension is cut into equal blocks of at most KC, each summed from zero in order of p
// and added into C in order; the order depends only on m, n, k, so the same inputs give the
// same bits on every run.
//
// Memory: the host (../host.ts) owns the layout. It writes A and B into linear memory, passes
// their addresses, and reads C back; the kernel needs `workspaceBytes()` of scratch at `w`.
// Nothing is allocated here.
//
// The module also carries Adam's update (./adam.ts), for the arrays of an `Arena`
// (../../../Arena.ts), which live in an instance's memory of their own.

export { adam } from './adam'

/** Rows of A and columns of B per register tile. */
const MR: i32 = 4
const NR: i32 = 4

/**
 * Rows of B (and columns of A) per packed block: the inner-dimension block. The same as the
 * TypeScript kernel's, so that both cut the inner dimension alike (256 measured no faster).
 */
const KC: i32 = 128

/** Rows of A per packed block: 64 x 128 doubles, packed twice over = 128 KiB, for the L2 cache. */
const MC: i32 = 64

/** Columns of B per packed block: 128 x 256 doubles = 256 KiB. */
const NC: i32 = 256

/** Byte offsets inside the workspace: the packed A block (16 bytes a value), the packed B block, the edge tile. */
const PACK_A: usize = 0
const PACK_B: usize = PACK_A + (<usize>(MC * KC) << 4)
const EDGE: usize = PACK_B + (<usize>(KC * NC) << 3)

/** Bytes of scratch the kernel needs at `w` (a multiple of 16): the two packed blocks and one tile. */
export function workspaceBytes(): usize {
  return EDGE + (<usize>(MR * NR) << 3)
}

/** The first byte the host may use (after anything the compiler placed), 16-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15
}

/**
 * `C = A·B` for A `m x k` and B `k x n` given by addresses and element strides; writes the
 * `m x n` row-major C at `c` (its previous contents are overwritten). `w` is the workspace.
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, w: usize): void {
  memory.fill(c, 0, <usize>(m * n) << 3)
  if (m == 0 || n == 0 || k == 0) return
  const kBlocks = (k + KC - 1) / KC
  const kb = (k + kBlocks - 1) / kBlocks // equal blocks of the inner dimension, each <= KC
  const ldc = <usize>n << 3
  const packA = w + PACK_A
  const packB = w + PACK_B
  const edge = w + EDGE
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0)
    const nPanels = (nc + NR - 1) / NR
    for (let p0 = 0; p0 < k; p0 += kb) {
      const kc = min(kb, k - p0)
      // The columns of B are packed as the rows of Bᵀ, whose entry (j, p) is B(p, j).
      pack(nc, kc, b + ((<usize>p0 * brs + <usize>j0 * bcs) << 3), bcs, brs, packB, false)
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0)
        const mPanels = (mc + MR - 1) / MR
        pack(mc, kc, a + ((<usize>i0 * ars + <usize>p0 * acs) << 3), ars, acs, packA, true)
        for (let jp = 0; jp < nPanels; jp++) {
          const j = j0 + jp * NR
          const pb = packB + (<usize>(jp * kc * NR) << 3)
          for (let ip = 0; ip < mPanels; ip++) {
            const i = i0 + ip * MR
            const pa = packA + (<usize>(ip * kc * MR) << 4)
            if (i + MR <= m && j + NR <= n) {
              micro(kc, pa, pb, c + ((<usize>i * n + j) << 3), ldc)
            } else {
              memory.fill(edge, 0, <usize>(MR * NR) << 3)
              micro(kc, pa, pb, edge, <usize>NR << 3)
              const rows = min(MR, m - i)
              const cols = min(NR, n - j)
              for (let r = 0; r < rows; r++) {
                const dst = c + ((<usize>(i + r) * n + j) << 3)
                const src = edge + (<usize>(r * NR) << 3)
                for (let s = 0; s < cols; s++) {
                  const o = <usize>s << 3
                  store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o))
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * The 4x4 micro-kernel: adds `Σ_p a_p b_pᵀ` over `kc` steps into the 4x4 block of C at `c`
 * (rows `ldc` bytes apart). Step p reads the A panel at `pa + 64p` (its 4 values, each as a
 * vector of two equal lanes) and the B panel at `pb + 32p` (its 4 values). Accumulator `cr0`
 * holds row r, columns 0-1; `cr1` columns 2-3.
 *
 * One step per turn, counted by the B pointer: unrolling by two measured 20% slower, as the
 * optimiser then hoists the loads of both steps and the 16 vector registers of x86-64 no
 * longer hold them. As it stands, V8 keeps every accumulator in a register.
 */
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0)
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0)
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0)
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0)
  const end = pb + (<usize>kc << 5)
  while (pb < end) {
    const b0 = v128.load(pb)
    const b1 = v128.load(pb, 16)
    const a0 = v128.load(pa)
    c00 = f64x2.add(c00, f64x2.mul(a0, b0))
    c01 = f64x2.add(c01, f64x2.mul(a0, b1))
    const a1 = v128.load(pa, 16)
    c10 = f64x2.add(c10, f64x2.mul(a1, b0))
    c11 = f64x2.add(c11, f64x2.mul(a1, b1))
    const a2 = v128.load(pa, 32)
    c20 = f64x2.add(c20, f64x2.mul(a2, b0))
    c21 = f64x2.add(c21, f64x2.mul(a2, b1))
    const a3 = v128.load(pa, 48)
    c30 = f64x2.add(c30, f64x2.mul(a3, b0))
    c31 = f64x2.add(c31, f64x2.mul(a3, b1))
    pa += 64
    pb += 32
  }
  v128.store(c, f64x2.add(v128.load(c), c00))
  v128.store(c, f64x2.add(v128.load(c, 16), c01), 16)
  c += ldc
  v128.store(c, f64x2.add(v128.load(c), c10))
  v128.store(c, f64x2.add(v128.load(c, 16), c11), 16)
  c += ldc
  v128.store(c, f64x2.add(v128.load(c), c20))
  v128.store(c, f64x2.add(v128.load(c, 16), c21), 16)
  c += ldc
  v128.store(c, f64x2.add(v128.load(c), c30))
  v128.store(c, f64x2.add(v128.load(c, 16), c31), 16)
}

/**
 * Packs `rows` rows and `kc` columns of X, starting at `x` (the address of X(r0, p0)) with
 * element strides `rs` (rows) and `cs` (columns), into panels of 4 rows at `dst`: panel q
 * holds X(r0 + 4q + r, p0 + p) as value number `(q·kc + p)·4 + r`, rows past the end zero.
 * Each value takes 8 bytes, or 16 when `dup` (the value in both lanes of a vector). The loop
 * runs along whichever stride is 1, so that packing reads memory in order. Inlined at both
 * calls, so that `dup` is a constant there and its branches fold away.
 */
// @ts-ignore: decorator
@inline
function pack(rows: i32, kc: i32, x: usize, rs: i32, cs: i32, dst: usize, dup: bool): void {
  const panels = (rows + 3) >> 2
  const rsb = <usize>rs << 3
  const csb = <usize>cs << 3
  const size: usize = dup ? 16 : 8 // bytes per packed value
  const step = size << 2 // bytes per step of p in a panel
  for (let q = 0; q < panels; q++) {
    const base = dst + <usize>(q * kc) * step
    const valid = min(4, rows - (q << 2)) // rows of this panel inside X
    const first = x + (<usize>q << 2) * rsb // X(r0 + 4q, p0)
    if (cs == 1) {
      // each row of the panel is contiguous: copy row by row
      for (let r = 0; r < valid; r++) {
        let src = first + <usize>r * rsb
        let d = base + <usize>r * size
        for (let p = 0; p < kc; p++) {
          copy(d, src, dup)
          src += 8
          d += step
        }
      }
    } else if (rs == 1 && valid == 4) {
      // the panel's rows sit side by side (a transposed operand): four values per step
      let src = first
      let d = base
      for (let p = 0; p < kc; p++) {
        if (dup) {
          v128.store(d, v128.load64_splat(src))
          v128.store(d, v128.load64_splat(src, 8), 16)
          v128.store(d, v128.load64_splat(src, 16), 32)
          v128.store(d, v128.load64_splat(src, 24), 48)
        } else {
          v128.store(d, v128.load(src))
          v128.store(d, v128.load(src, 16), 16)
        }
        src += csb
        d += step
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = first + <usize>p * csb
        const d = base + <usize>p * step
        for (let r = 0; r < valid; r++) copy(d + <usize>r * size, src + <usize>r * rsb, dup)
      }
    }
    for (let r = valid; r < 4; r++) {
      let d = base + <usize>r * size
      for (let p = 0; p < kc; p++) {
        if (dup) v128.store(d, f64x2.splat(0))
        else store<f64>(d, 0)
        d += step
      }
    }
  }
}

/** Copies the double at `s` to `d`, or to both lanes of the vector at `d` when `dup`. */
// @ts-ignore: decorator
@inline
function copy(d: usize, s: usize, dup: bool): void {
  if (dup) v128.store(d, v128.load64_splat(s))
  else store<f64>(d, load<f64>(s))
}
