// The WebAssembly SIMD kernel on its own (no small-product cut-off), against the TypeScript
// kernel it must agree with: every form, shapes across every block and tile threshold,
// determinism, purity, and how it manages its memory.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { gemm as plainGemm } from '../src/internal/gemm.js'
import { loadKernel, type Instantiate, type KernelExports } from '../src/internal/wasm/load.js'
import { wasmGemm, type StridedGemm } from '../src/internal/wasm/host.js'
import { UNDERFLOW, entry } from './arbitraries.js'

const instantiate = loadKernel()

/** The three products, each as the strides it reads its stored operands with. */
type Form = 'a·b' | 'a·bᵀ' | 'aᵀ·b'
const FORMS: ReadonlyArray<Form> = ['a·b', 'a·bᵀ', 'aᵀ·b']

/**
 * One product of `m x k` by `k x n` in a form: the stored operands (`a` is `k x m` for aᵀ·b,
 * `b` is `n x k` for a·bᵀ) and the strides that read them as `A` and `B`.
 */
interface Case {
  readonly m: number
  readonly n: number
  readonly k: number
  readonly a: Float64Array
  readonly ars: number
  readonly acs: number
  readonly b: Float64Array
  readonly brs: number
  readonly bcs: number
}

const caseOf = (form: Form, m: number, k: number, n: number, a: Float64Array, b: Float64Array): Case => {
  switch (form) {
    case 'a·b':
      return { m, n, k, a, ars: k, acs: 1, b, brs: n, bcs: 1 }
    case 'a·bᵀ':
      return { m, n, k, a, ars: k, acs: 1, b, brs: 1, bcs: k }
    case 'aᵀ·b':
      return { m, n, k, a, ars: 1, acs: m, b, brs: n, bcs: 1 }
  }
}

const run = (g: StridedGemm, c: Case): Float64Array => g(c.m, c.n, c.k, c.a, c.ars, c.acs, c.b, c.brs, c.bcs)

/** Numbers in [-1, 1) from a seed (mulberry32), for shapes too large to draw entry by entry. */
const seededArray = (length: number, seed: number): Float64Array => {
  let s = seed >>> 0
  const out = new Float64Array(length)
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
  return out
}

/**
 * Entry by entry, `|wasm − plain| ≤ 1e-12 · (|A||B|)(i, j)`: each kernel's rounding error in a
 * sum of k products is at most `k·u·Σ_p |A(i, p)||B(p, j)|` with `u = 2⁻⁵³` (Higham, "Accuracy
 * and Stability of Numerical Algorithms", §3.1), far below `1e-12` of it for every k here;
 * `UNDERFLOW` covers subnormal results. Returns the first offending entry, or undefined.
 */
const disagreement = (c: Case, wasm: Float64Array, plain: Float64Array): string | undefined => {
  const bound = run(plainGemm, { ...c, a: c.a.map(Math.abs), b: c.b.map(Math.abs) })
  for (let i = 0; i < wasm.length; i++) {
    const d = Math.abs(wasm[i]! - plain[i]!)
    if (!(d <= 1e-12 * bound[i]! + UNDERFLOW)) return `entry ${i}: wasm ${wasm[i]}, plain ${plain[i]}, |Δ| ${d}, Σ|a||b| ${bound[i]}`
  }
  return wasm.length === plain.length ? undefined : `lengths ${wasm.length} and ${plain.length}`
}

/**
 * Shapes `[m, k, n]` crossing each threshold of the WebAssembly kernel: the 4x4 tile (1, 3, 4,
 * 5, 7, 8), the 64-row block of A (63, 64, 65, 129), the 128-long block of the inner dimension
 * (127, 128, 129, 257, 784: equal blocks), the 256-column block of B (255, 256, 257), and the
 * MNIST shapes of the benchmark suite.
 */
const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [4, 4, 4],
  [5, 3, 4],
  [7, 1, 8],
  [8, 9, 5],
  [63, 127, 65],
  [64, 128, 64],
  [65, 129, 63],
  [129, 257, 7],
  [5, 300, 257],
  [3, 784, 255],
  [66, 70, 256],
  [64, 784, 128],
  [128, 784, 32],
  [128, 32, 784],
  [10, 128, 32]
]

describe.runIf(instantiate !== undefined)('the WebAssembly kernel', () => {
  const wasm = wasmGemm(instantiate!, plainGemm)

  it('loads in Node 20, which has WebAssembly SIMD', () => {
    expect(instantiate).toBeTypeOf('function')
  })

  it('agrees with the TypeScript kernel on every form and tiny, odd shapes (1..13)', () => {
    const shaped = fc
      .tuple(fc.constantFrom(...FORMS), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }))
      .chain(([form, m, k, n]) =>
        fc
          .tuple(fc.array(entry, { minLength: m * k, maxLength: m * k }), fc.array(entry, { minLength: k * n, maxLength: k * n }))
          .map(([a, b]) => caseOf(form, m, k, n, Float64Array.from(a), Float64Array.from(b)))
      )
    fc.assert(
      fc.property(shaped, (c) => {
        expect(disagreement(c, run(wasm, c), run(plainGemm, c))).toBeUndefined()
      }),
      { numRuns: 300 }
    )
  })

  it('agrees with the TypeScript kernel across every block and tile threshold', () => {
    for (const form of FORMS)
      for (const [m, k, n] of SHAPES) {
        const c = caseOf(form, m, k, n, seededArray(m * k, m + 7 * k), seededArray(k * n, n + 13 * k))
        expect(disagreement(c, run(wasm, c), run(plainGemm, c)), `${form} ${m}x${k}·${k}x${n}`).toBeUndefined()
      }
  })

  it('agrees with the TypeScript kernel on random shapes up to 140 x 300 x 270', () => {
    const big = fc.record({
      form: fc.constantFrom(...FORMS),
      m: fc.integer({ min: 1, max: 140 }),
      k: fc.integer({ min: 1, max: 300 }),
      n: fc.integer({ min: 1, max: 270 }),
      seed: fc.integer()
    })
    fc.assert(
      fc.property(big, ({ form, m, k, n, seed }) => {
        const c = caseOf(form, m, k, n, seededArray(m * k, seed), seededArray(k * n, seed ^ 0x5bd1e995))
        expect(disagreement(c, run(wasm, c), run(plainGemm, c))).toBeUndefined()
      }),
      { numRuns: 40 }
    )
  })

  it('keeps its accuracy at extreme magnitudes and with subnormal results', () => {
    const wide = fc.double({ min: -1e150, max: 1e150, noNaN: true, noDefaultInfinity: true })
    const cases = fc
      .tuple(fc.constantFrom(...FORMS), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
      .chain(([form, m, k, n]) =>
        fc
          .tuple(fc.array(wide, { minLength: m * k, maxLength: m * k }), fc.array(wide, { minLength: k * n, maxLength: k * n }))
          .map(([a, b]) => caseOf(form, m, k, n, Float64Array.from(a), Float64Array.from(b)))
      )
    fc.assert(
      fc.property(cases, (c) => {
        expect(disagreement(c, run(wasm, c), run(plainGemm, c))).toBeUndefined()
      }),
      { numRuns: 200 }
    )
    const tiny = caseOf('a·b', 4, 4, 4, new Float64Array(16).fill(1e-160), new Float64Array(16).fill(-3e-160))
    expect(disagreement(tiny, run(wasm, tiny), run(plainGemm, tiny))).toBeUndefined()
  })

  it('gives the same bits twice, whatever ran in between', () => {
    for (const form of FORMS) {
      const c = caseOf(form, 37, 300, 41, seededArray(37 * 300, 1), seededArray(300 * 41, 2))
      const first = run(wasm, c)
      const other = caseOf(form, 90, 500, 70, seededArray(90 * 500, 3), seededArray(500 * 70, 4))
      run(wasm, other) // a larger product in between writes over the whole heap
      expect(Array.from(run(wasm, c))).toEqual(Array.from(first))
      expect(new Uint8Array(run(wasm, c).buffer)).toEqual(new Uint8Array(first.buffer))
    }
  })

  it('never writes its inputs, and returns a fresh buffer of its own', () => {
    for (const form of FORMS) {
      const c = caseOf(form, 20, 150, 30, seededArray(20 * 150, 5), seededArray(150 * 30, 6))
      const a = c.a.slice()
      const b = c.b.slice()
      const first = run(wasm, c)
      expect(c.a).toEqual(a)
      expect(c.b).toEqual(b)
      expect(first.buffer.byteLength).toBe(20 * 30 * 8) // not a view into WebAssembly memory
      const copy = first.slice()
      first.fill(0) // a caller's buffer: writing it must not affect the next product
      const second = run(wasm, c)
      expect(second).toEqual(copy)
      expect(second.buffer).not.toBe(first.buffer)
    }
  })

  it('answers empty products with zeros of the right size', () => {
    expect(wasm(0, 3, 2, new Float64Array(0), 2, 1, new Float64Array(6), 3, 1)).toEqual(new Float64Array(0))
    expect(wasm(2, 3, 0, new Float64Array(0), 0, 1, new Float64Array(0), 3, 1)).toEqual(new Float64Array(6))
  })
})

describe.runIf(instantiate !== undefined)('the WebAssembly heap', () => {
  /** Counts the instances made, and keeps their exports to read their memory sizes. */
  const counting = (): { readonly instantiate: Instantiate; readonly made: KernelExports[] } => {
    const made: KernelExports[] = []
    return {
      made,
      instantiate: () => {
        const e = instantiate!()
        made.push(e)
        return e
      }
    }
  }

  /** A plain kernel that records how often it was asked. */
  const recording = (): { readonly gemm: StridedGemm; readonly calls: number[] } => {
    const calls: number[] = []
    return { calls, gemm: (m, n, k, ...rest) => (calls.push(m * n * k), plainGemm(m, n, k, ...rest)) }
  }

  const square = (form: Form, size: number, seed: number): Case =>
    caseOf(form, size, size, size, seededArray(size * size, seed), seededArray(size * size, seed + 1))

  it('reuses one instance, whose memory stays flat over many products', () => {
    const { instantiate: make, made } = counting()
    const fallback = recording()
    const g = wasmGemm(make, fallback.gemm)
    expect(made).toHaveLength(0) // nothing is made before the first product
    const sizes: number[] = []
    for (let round = 0; round < 50; round++)
      for (const form of FORMS) {
        const c = square(form, 40 + (round % 5) * 10, round)
        expect(disagreement(c, run(g, c), run(plainGemm, c))).toBeUndefined()
        sizes.push(made[0]!.memory.buffer.byteLength)
      }
    expect(made).toHaveLength(1)
    expect(new Set(sizes.slice(15)).size).toBe(1) // after the largest size was seen, no growth
    expect(fallback.calls).toEqual([])
  })

  it('runs a product above the retained size in an instance of its own, and one above the maximum on the fallback', () => {
    const { instantiate: make, made } = counting()
    const fallback = recording()
    const MiB = 1024 * 1024
    const g = wasmGemm(make, fallback.gemm, { retained: 1 * MiB, max: 4 * MiB })
    const small = square('a·b', 50, 1) // about 0.4 MiB with the workspace
    const medium = square('a·bᵀ', 250, 2) // about 1.7 MiB
    const large = square('aᵀ·b', 450, 3) // about 5 MiB
    for (const c of [small, medium, small, large, medium, small]) expect(disagreement(c, run(g, c), run(plainGemm, c))).toBeUndefined()
    expect(made).toHaveLength(3) // the shared one, then one for each medium product
    expect(made[0]!.memory.buffer.byteLength).toBeLessThanOrEqual(1 * MiB)
    expect(fallback.calls).toEqual([450 ** 3]) // only the large one
  })
})
