// Kernel selection: the default where WebAssembly SIMD exists, the plain kernel on request
// through `withKernel`, the small-product cut-off, and the fallback where WebAssembly is missing.
import { afterEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { loadKernel } from '../src/internal/wasm/load.js'
import { onWasm } from '../src/Kernel.js'
import { RUNS, dim, matrixOf, naiveDot, naiveTranspose, productTolerance, seeded, snapshot, bytes } from './arbitraries.js'

const exact = M.getEq(0)

/** The WebAssembly kernel; Node 20 has WebAssembly SIMD, so it is there. */
const wasmKernel = (): M.Kernel => {
  expect(O.isSome(M.kernels.wasm)).toBe(true)
  return pipe(
    M.kernels.wasm,
    O.getOrElse(() => M.kernels.plain)
  )
}

describe('kernels', () => {
  it('names each kernel, and picks the WebAssembly one by default in Node 20', () => {
    expect(M.kernels.plain.name).toBe('plain')
    expect(wasmKernel().name).toBe('wasm')
    expect(M.defaultKernel).toBe(wasmKernel())
  })

  it('computes the strided product of the documented example', () => {
    const a = new Float64Array([1, 2, 3, 4])
    for (const kernel of [M.kernels.plain, wasmKernel()]) {
      expect(Array.from(kernel.gemm(2, 2, 2, a, 2, 1, a, 2, 1))).toEqual([7, 10, 15, 22])
      expect(Array.from(kernel.gemm(2, 2, 2, a, 1, 2, a, 2, 1))).toEqual([10, 14, 14, 20])
    }
  })
})

describe('withKernel', () => {
  const plain = M.withKernel(M.kernels.plain)

  it('does what the documented examples say', () => {
    const a = M.fromFunction(64, 64, (i, j) => Math.sin(i + 2 * j))
    const viaPlain = pipe(a, M.withKernel(M.kernels.plain).dot(a))
    expect(M.getEq(1e-12).equals(viaPlain, pipe(a, M.withKernel(wasmKernel()).dot(a)))).toBe(true)
    const x = M.fromFunction(3, 2, (i, j) => i + j)
    const y = M.fromFunction(2, 4, (i, j) => i - j)
    expect(M.getEq(0).equals(pipe(x, plain.dot(y)), pipe(x, M.dot(y)))).toBe(true)
  })

  it('runs the products on the kernel asked for, which it names', () => {
    expect(plain.kernel).toBe(M.kernels.plain)
    // above the cut-off, the plain kernel's product is its own gemm's, bit for bit
    const a = seeded(30, 300, 1)
    const b = seeded(300, 20, 2)
    const bt = naiveTranspose(b)
    const at = naiveTranspose(a)
    const own = M.kernels.plain.gemm(30, 20, 300, a.data, 300, 1, b.data, 20, 1)
    expect(Array.from(pipe(a, plain.dot(b)).data)).toEqual(Array.from(own))
    expect(Array.from(pipe(a, plain.dotTransposeB(bt)).data)).toEqual(Array.from(own))
    expect(Array.from(pipe(at, plain.dotTransposeA(b)).data)).toEqual(Array.from(own))
  })

  it('on the default kernel gives the same bits as dot, dotTransposeA and dotTransposeB', () => {
    const d = M.withKernel(M.defaultKernel)
    for (const [m, k, n] of [
      [2, 3, 4],
      [64, 784, 12],
      [33, 129, 70]
    ] as const) {
      const a = seeded(m, k, m + k)
      const b = seeded(k, n, k + n)
      expect(exact.equals(pipe(a, d.dot(b)), pipe(a, M.dot(b)))).toBe(true)
      expect(exact.equals(pipe(naiveTranspose(a), d.dotTransposeA(b)), pipe(naiveTranspose(a), M.dotTransposeA(b)))).toBe(true)
      expect(exact.equals(pipe(a, d.dotTransposeB(naiveTranspose(b))), pipe(a, M.dotTransposeB(naiveTranspose(b))))).toBe(true)
    }
  })

  it('gives the two kernels the same results within rounding, in every form (laws over shapes 1..13)', () => {
    const wasm = M.withKernel(wasmKernel())
    const pairs = fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(matrixOf(m, k), matrixOf(k, n)))
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const eq = M.getEq(productTolerance(a, b))
        const reference = naiveDot(a, b)
        const at = naiveTranspose(a)
        const bt = naiveTranspose(b)
        for (const p of [plain, wasm]) {
          expect(eq.equals(pipe(a, p.dot(b)), reference)).toBe(true)
          expect(eq.equals(pipe(at, p.dotTransposeA(b)), reference)).toBe(true)
          expect(eq.equals(pipe(a, p.dotTransposeB(bt)), reference)).toBe(true)
        }
      }),
      { numRuns: RUNS }
    )
  })

  it('sends a product to WebAssembly by a rule on its shape alone', () => {
    expect(onWasm(2, 1, 2)).toBe(false) // XOR's layers
    expect(onWasm(4, 4, 15)).toBe(false) // 240 multiply-adds
    expect(onWasm(4, 4, 16)).toBe(true) // 256
    expect(onWasm(1, 1, 784)).toBe(false) // a row by a column: one entry
    expect(onWasm(1, 3, 784)).toBe(false)
    expect(onWasm(1, 4, 784)).toBe(true)
    expect(onWasm(128, 1, 784)).toBe(true) // one MNIST sample through the first layer
    expect(onWasm(128, 32, 784)).toBe(true) // a batch of 32
  })

  it('keeps the products the rule leaves out on the plain kernel: the same bits', () => {
    const wasm = M.withKernel(wasmKernel())
    // thin products with a long inner dimension: the WebAssembly kernel itself would sum them
    // in blocks of up to 128, the plain kernel's direct loop in one pass
    const left = fc
      .record({ m: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 1000 }), seed: fc.integer() })
      .filter(({ m, n, k }) => !onWasm(m, n, k))
      .map(({ m, n, k, seed }) => ({ a: seeded(m, k, seed), b: seeded(k, n, seed + 1) }))
    fc.assert(
      fc.property(left, ({ a, b }) => {
        expect(exact.equals(pipe(a, wasm.dot(b)), pipe(a, plain.dot(b)))).toBe(true)
        expect(exact.equals(pipe(naiveTranspose(a), wasm.dotTransposeA(b)), pipe(naiveTranspose(a), plain.dotTransposeA(b)))).toBe(true)
      }),
      { numRuns: RUNS }
    )
  })

  it('checks shapes as dot does, and leaves its inputs alone', () => {
    const a = seeded(3, 4, 1)
    const b = seeded(5, 6, 2)
    for (const p of [plain, M.withKernel(wasmKernel())]) {
      expect(() => pipe(a, p.dot(b))).toThrow(M.ShapeError)
      expect(() => pipe(a, p.dot(b))).toThrow('dot: cannot compute a·b for a 3x4 and b 5x6 (inner sizes 4 and 5 differ)')
      expect(() => pipe(a, p.dotTransposeA(b))).toThrow('dotTransposeA: cannot compute aᵀ·b for a 3x4 and b 5x6 (inner sizes 3 and 5 differ)')
      expect(() => pipe(a, p.dotTransposeB(b))).toThrow('dotTransposeB: cannot compute a·bᵀ for a 3x4 and b 5x6 (inner sizes 4 and 6 differ)')
      const x = seeded(40, 50, 3)
      const y = seeded(50, 60, 4)
      const before = [snapshot(x), snapshot(y)]
      pipe(x, p.dot(y))
      pipe(x, p.dotTransposeB(naiveTranspose(y)))
      pipe(naiveTranspose(x), p.dotTransposeA(y))
      expect([bytes(x), bytes(y)]).toEqual(before)
    }
  })
})

describe('loading the WebAssembly kernel', () => {
  /** The engine's own `WebAssembly` (the ES library these tests compile against does not declare it). */
  const real = (globalThis as unknown as { readonly WebAssembly: Record<string, unknown> }).WebAssembly

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  /** A stand-in for `WebAssembly` made of the engine's own parts, some replaced. */
  const stub = (parts: Record<string, unknown>): Record<string, unknown> => ({
    validate: real['validate'],
    Module: real['Module'],
    Instance: real['Instance'],
    ...parts
  })

  it('succeeds where WebAssembly has SIMD', () => {
    expect(loadKernel()).toBeTypeOf('function')
    vi.stubGlobal('WebAssembly', stub({})) // the stand-in itself works: the cases below fail only for what they replace
    expect(loadKernel()).toBeTypeOf('function')
  })

  it('answers undefined without WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined)
    expect(loadKernel()).toBeUndefined()
  })

  it('answers undefined where the module does not validate (no SIMD)', () => {
    vi.stubGlobal('WebAssembly', stub({ validate: () => false }))
    expect(loadKernel()).toBeUndefined()
  })

  it('answers undefined where compiling is refused', () => {
    const refuse = function Module(): never {
      throw new Error('Refused to compile or instantiate WebAssembly module')
    }
    vi.stubGlobal('WebAssembly', stub({ Module: refuse }))
    expect(loadKernel()).toBeUndefined()
  })
})
