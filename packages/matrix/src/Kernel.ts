/**
 * The kernels behind the matrix products (`dot`, `dotTransposeA`, `dotTransposeB`): values,
 * chosen once when the package loads.
 *
 * - `plain`: the TypeScript kernel (`internal/gemm.ts`), which runs everywhere.
 * - `wasm`: a float64 WebAssembly SIMD kernel (`internal/wasm/`), embedded in the package, for
 *   engines with WebAssembly fixed-width SIMD (Node 20, current browsers). Tiny products
 *   (under 256 multiply-adds, or under 4 entries) stay on the plain kernel, where a call into
 *   WebAssembly would cost more than it saves; the rule looks at the shapes alone, so results
 *   stay deterministic.
 *
 * `defaultKernel` is `wasm` where it loads and `plain` elsewhere; `withKernel(kernel)` gives the
 * products on a kernel of the caller's choice. Nothing is switched globally.
 *
 * Each kernel gives the same bits for the same inputs on every run (the WebAssembly kernel
 * rounds each multiply and each add, as JavaScript does, so on every engine and CPU too). The
 * two may differ from each other in the last bits of an entry, where they add its terms in a
 * different order.
 *
 * @since 0.1.0
 */
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { ReadonlyFloat64Array } from './Matrix.js'
import { gemm } from './internal/gemm.js'
import { wasmGemm, type StridedGemm } from './internal/wasm/host.js'
import { instantiate } from './internal/wasm/instance.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The names of the kernels: `'plain'` (TypeScript) and `'wasm'` (WebAssembly SIMD).
 *
 * @example
 * import { kernels, type KernelName } from '@purenn/matrix'
 * const name: KernelName = kernels.plain.name
 * name // => 'plain'
 *
 * @category model
 * @since 0.1.0
 */
export type KernelName = 'plain' | 'wasm'

/**
 * A strided matrix product (BLAS's GEMM): `C = A·B` for `A` of `m x k` and `B` of `k x n`,
 * where `A(i, p) = a[i·ars + p·acs]` and `B(p, j) = b[p·brs + j·bcs]`, returned as a fresh
 * row-major `m x n` buffer. Strides let one kernel read a transposed operand in place: a
 * stored `k x m` matrix read as `Aᵀ` has strides `(1, m)`. It reads `a` and `b` and never
 * writes them.
 *
 * @example
 * import { kernels } from '@purenn/matrix'
 * const a = new Float64Array([1, 2, 3, 4]) // the 2x2 matrix [[1, 2], [3, 4]], row-major
 * kernels.plain.gemm(2, 2, 2, a, 2, 1, a, 2, 1) // => [7, 10, 15, 22]
 * // aᵀ·a: the same buffer read with the strides swapped
 * kernels.plain.gemm(2, 2, 2, a, 1, 2, a, 2, 1) // => [10, 14, 14, 20]
 *
 * @category model
 * @since 0.1.0
 */
export type Gemm = (
  m: number,
  n: number,
  k: number,
  a: ReadonlyFloat64Array,
  ars: number,
  acs: number,
  b: ReadonlyFloat64Array,
  brs: number,
  bcs: number
) => Float64Array

/**
 * A product kernel: its name and its strided product. Pass one to `withKernel` to run the
 * products on it.
 *
 * @example
 * import { defaultKernel } from '@purenn/matrix'
 * // 'wasm' in Node and current browsers, 'plain' without WebAssembly SIMD
 * defaultKernel.name === 'wasm' || defaultKernel.name === 'plain' // => true
 *
 * @category model
 * @since 0.1.0
 */
export interface Kernel {
  readonly name: KernelName
  readonly gemm: Gemm
}

// -------------------------------------------------------------------------------------
// instances
// -------------------------------------------------------------------------------------

/**
 * Products with fewer multiply-adds (`m·n·k`) than this run on the plain kernel even when the
 * WebAssembly one is chosen: below it, copying into WebAssembly memory and the call cost more
 * than SIMD saves (the two break even between 64 and 256 on Node 20; XOR's products have at
 * most 8). Not exported from the package: the choice is an implementation detail.
 *
 * @internal
 */
export const WASM_MIN_MULTIPLY_ADDS = 256

/**
 * Products with fewer entries (`m·n`) than this run on the plain kernel too: a product of a
 * row by a column fills one 4x4 tile of the WebAssembly kernel for a single entry, and the
 * plain kernel's direct loop is about twice as fast (`1x784 · 784x1`: 1.6 µs against 3.7 µs).
 *
 * @internal
 */
export const WASM_MIN_ENTRIES = 4

/** Whether a product of `m x k` by `k x n` goes to the WebAssembly kernel: a rule on the shapes alone. */
export const onWasm = (m: number, n: number, k: number): boolean => m * n >= WASM_MIN_ENTRIES && m * n * k >= WASM_MIN_MULTIPLY_ADDS

// The casts to `Gemm` below widen the operands from `Float64Array` to `ReadonlyFloat64Array`:
// both kernels only read them, as `Gemm` promises.

/** The TypeScript kernel. */
const plain: Kernel = { name: 'plain', gemm: gemm as Gemm }

/** The WebAssembly kernel where it loads; the plain one takes the small products. */
const wasm: O.Option<Kernel> = pipe(
  O.fromNullable(instantiate),
  O.map((make): Kernel => {
    const run = wasmGemm(make, gemm)
    const hybrid: StridedGemm = (m, n, k, a, ars, acs, b, brs, bcs) =>
      onWasm(m, n, k) ? run(m, n, k, a, ars, acs, b, brs, bcs) : gemm(m, n, k, a, ars, acs, b, brs, bcs)
    return { name: 'wasm', gemm: hybrid as Gemm }
  })
)

/**
 * The kernels: `plain` always, `wasm` as `some` where WebAssembly with SIMD is available and
 * `none` elsewhere.
 *
 * @example
 * import { kernels, withKernel, fromFunction, getEq } from '@purenn/matrix'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const a = fromFunction(64, 64, (i, j) => Math.sin(i + 2 * j))
 * const plain = pipe(a, withKernel(kernels.plain).dot(a))
 * // where both exist, they agree to within rounding
 * O.isNone(kernels.wasm) || getEq(1e-12).equals(plain, pipe(a, withKernel(kernels.wasm.value).dot(a))) // => true
 *
 * @category instances
 * @since 0.1.0
 */
export const kernels: { readonly plain: Kernel; readonly wasm: O.Option<Kernel> } = { plain, wasm }

/**
 * The kernel behind `dot`, `dotTransposeA` and `dotTransposeB`: `kernels.wasm` where it
 * loaded, `kernels.plain` otherwise. Chosen once, when the package loads.
 *
 * @example
 * import { defaultKernel, kernels } from '@purenn/matrix'
 * import * as O from 'fp-ts/lib/Option.js'
 * // the WebAssembly SIMD kernel where the platform has one (Node 20 does), else the plain one
 * defaultKernel.name // => O.isSome(kernels.wasm) ? 'wasm' : 'plain'
 *
 * @category instances
 * @since 0.1.0
 */
export const defaultKernel: Kernel = O.getOrElse(() => plain)(wasm)
