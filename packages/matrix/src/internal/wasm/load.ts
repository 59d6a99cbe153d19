/**
 * Feature detection and instantiation of the embedded WebAssembly SIMD kernel.
 *
 * The binary (`binary.ts`, generated from `assembly/gemm.ts` and `assembly/adam.ts`) is about
 * 2.5 KB, so it is compiled synchronously (`new WebAssembly.Module`), which Node allows at any
 * size and browsers allow on the main thread for small modules. Where it cannot run,
 * `loadKernel` answers `undefined` and the package keeps the TypeScript kernel: no
 * `WebAssembly` global, an engine without fixed-width SIMD (the module then fails validation),
 * or a compile refused by the page (a Content-Security-Policy without `'wasm-unsafe-eval'`,
 * say).
 *
 * The ES library this package compiles against does not declare `WebAssembly` (it comes with
 * the DOM or Node typings), so the few parts used are declared here, structurally.
 */
import { decodeBase64 } from './base64.js'
import { GEMM_WASM_BASE64 } from './binary.js'

/** A WebAssembly linear memory: its current buffer, and growth by 64 KiB pages. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}

/** What the kernel module exports (see `assembly/gemm.ts`). Addresses are in bytes. */
export interface KernelExports {
  readonly memory: WasmMemory
  /** `C = A·B` (strides in elements) written at `c`, with `workspaceBytes()` of scratch at `w`. */
  readonly gemm: (
    m: number,
    n: number,
    k: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    w: number
  ) => void
  readonly workspaceBytes: () => number
  readonly heapBase: () => number
  /** Adam's update over `n` entries (see `assembly/adam.ts`); `final` is 1 or 0. */
  readonly adam: (
    n: number,
    g: number,
    theta: number,
    m0: number,
    v0: number,
    m1: number,
    v1: number,
    out: number,
    final: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
    k: number
  ) => number
}

/** The parts of the `WebAssembly` namespace used here. */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: object }
}

/** Compiles the kernel once; each call of the answer is a fresh instance with its own memory. */
export type Instantiate = () => KernelExports

/**
 * The kernel module compiled, as a function making instances of it, or `undefined` where
 * WebAssembly with SIMD is unavailable. Called once, when the package loads (`instance.ts`).
 */
export const loadKernel = (): Instantiate | undefined => {
  const api = (globalThis as { readonly WebAssembly?: WebAssemblyApi }).WebAssembly
  if (typeof api !== 'object' || api === null) return undefined
  try {
    const bytes = decodeBase64(GEMM_WASM_BASE64)
    if (!api.validate(bytes)) return undefined // no SIMD (or an engine too old for the module)
    const module = new api.Module(bytes)
    const instantiate = (): KernelExports => new api.Instance(module, {}).exports as KernelExports
    instantiate() // fails here, not at the first product, if instances cannot be made
    return instantiate
  } catch {
    return undefined // compilation refused: keep the TypeScript kernel
  }
}
