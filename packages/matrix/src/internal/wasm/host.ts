/**
 * The JavaScript side of the WebAssembly kernel: copies the operands into the module's linear
 * memory, runs the kernel, and copies the result out into a fresh `Float64Array`.
 *
 * The heap is an implementation detail and is reused: one instance, whose memory grows to the
 * largest product seen so far (up to `LIMITS.retained`) and is written over by the next call.
 * Nothing else keeps it, so no `dispose` is needed and memory stays flat over a long run. A
 * product needing more runs in an instance of its own, made for that call and left to the
 * garbage collector, so that one huge product does not pin its memory for the life of the
 * program. Sharing the heap is safe: JavaScript runs one call at a time, the
 * kernel calls no user code, and every region it reads was written by the same call just before.
 *
 * Layout of the heap, in bytes from `heapBase()`, each part 16-byte aligned:
 * `[workspace (packed blocks) | A | B | C]`, where A and B are the stored operands (the part
 * of each the product reads) and C the `m x n` result.
 */
import type { StridedGemm } from '../gemm.js'
import type { Instantiate, KernelExports } from './load.js'

export type { StridedGemm }

/** How much memory the kernel keeps, and how much it may use. */
export interface Limits {
  /** The most memory (bytes) the shared instance grows to; larger products get their own. */
  readonly retained: number
  /** The most memory (bytes) one product may use; larger ones go to the fallback kernel. */
  readonly max: number
}

/**
 * 64 MiB kept between calls (an MNIST batch needs under 2 MiB, predicting 10,000 digits at
 * once 73 MiB); 2 GiB at most for one product, half of what 32-bit WebAssembly addresses.
 */
export const LIMITS: Limits = { retained: 64 * 1024 * 1024, max: 2 * 1024 * 1024 * 1024 }

/** Bytes in a WebAssembly page. */
const PAGE = 65536

/** `n` doubles, in bytes, rounded up to a multiple of 16. */
const aligned = (n: number): number => Math.ceil(n / 2) * 16

/** An instance and a view of its memory, refreshed when the memory grows. */
interface Heap {
  readonly exports: KernelExports
  view: Float64Array
}

const heapOf = (exports: KernelExports): Heap => ({ exports, view: new Float64Array(exports.memory.buffer) })

/** Grows `heap`'s memory to at least `bytes`. */
const reserve = (heap: Heap, bytes: number): void => {
  const memory = heap.exports.memory
  const have = memory.buffer.byteLength
  if (have >= bytes) return
  memory.grow(Math.ceil((bytes - have) / PAGE))
  heap.view = new Float64Array(memory.buffer) // growing detaches the old buffer
}

/**
 * The product on the WebAssembly kernel, given a way to make instances of the compiled
 * module, and the kernel to use for a product over `limits.max` or whose memory the engine
 * refuses. Every shape works (edges are padded inside the kernel); callers choose when it pays.
 */
export const wasmGemm = (instantiate: Instantiate, fallback: StridedGemm, limits: Limits = LIMITS): StridedGemm => {
  let shared: Heap | undefined // made at the first product
  let layout: { readonly w: number; readonly at: number } | undefined // where the workspace and A start
  return (m, n, k, a, ars, acs, b, brs, bcs) => {
    if (m === 0 || n === 0 || k === 0) return new Float64Array(m * n)
    const la = (m - 1) * ars + (k - 1) * acs + 1 // elements of a read: up to A(m-1, k-1)
    const lb = (k - 1) * brs + (n - 1) * bcs + 1 // and of b: up to B(k-1, n-1)
    shared ??= heapOf(instantiate())
    layout ??= { w: shared.exports.heapBase(), at: shared.exports.heapBase() + shared.exports.workspaceBytes() }
    const { w, at } = layout // the same in every instance of the module
    const bAt = at + aligned(la)
    const cAt = bAt + aligned(lb)
    const end = cAt + aligned(m * n)
    if (end > limits.max) return fallback(m, n, k, a, ars, acs, b, brs, bcs)
    const heap = end <= limits.retained ? shared : heapOf(instantiate())
    try {
      reserve(heap, end)
    } catch {
      return fallback(m, n, k, a, ars, acs, b, brs, bcs) // out of memory for the heap
    }
    const view = heap.view
    view.set(la === a.length ? a : a.subarray(0, la), at / 8)
    view.set(lb === b.length ? b : b.subarray(0, lb), bAt / 8)
    heap.exports.gemm(m, n, k, at, ars, acs, bAt, brs, bcs, cAt, w)
    return view.slice(cAt / 8, cAt / 8 + m * n)
  }
}
