/**
 * Arenas: float64 arrays in a WebAssembly memory of their own, and the element-wise kernels
 * that run over them in place (Adam's update, two entries at a time).
 *
 * The product kernel copies its operands into WebAssembly memory at each call; for a product
 * that pays, since it reads each entry many times. An element-wise update reads each entry
 * once: copying seven arrays in and out would cost more than the SIMD saves. So a loop that
 * updates the same parameters step after step (an optimizer's, in `@purenn/training`) keeps
 * them in an arena for the whole loop: `arena(lengths)` makes one, sized once (it never grows,
 * so its arrays stay valid as long as it lives), and its kernels read and write its arrays
 * where they are. The arrays are ordinary `Float64Array`s to JavaScript: the loop's other
 * code reads and writes them as any.
 *
 * An arena is a workspace its holder owns, as a BLAS's workspace: its kernels write only into
 * the arena's own arrays, the ones named as outputs; nothing else is written, and nothing the
 * arena hands out is a `Matrix`. Where WebAssembly with SIMD is not available, `arena` answers
 * `none` and the caller keeps its own loops.
 *
 * @since 0.2.0
 */
import * as O from 'fp-ts/lib/Option.js'
import { instantiate } from './internal/wasm/instance.js'
import type { KernelExports } from './internal/wasm/load.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The arrays of one Adam update (see `Arena.adam`), each an array of the arena, all of one
 * length: the updates flowing in `g`, the parameters `theta` (read only when the update
 * writes new parameters), the moments before the step `mu` and `nu`, and where to write the
 * new moments (`nextMu`, `nextNu`) and the result (`out`). An output may be the very array an
 * input is (`out` may be `g`, `nextMu` may be `mu`: each entry is read before it is written),
 * but must not overlap another array otherwise.
 *
 * @example
 * import { arena, type AdamArrays } from '@purenn/matrix'
 * import * as O from 'fp-ts/lib/Option.js'
 * const a = arena([4, 4, 4, 4, 4, 4])
 * if (O.isSome(a)) {
 *   const [g, theta, mu, nu, nextMu, nextNu] = a.value.arrays
 *   const arrays: AdamArrays = { g: g!, theta: theta!, mu: mu!, nu: nu!, nextMu: nextMu!, nextNu: nextNu!, out: theta! }
 *   arrays.out.length // => 4
 * }
 *
 * @category model
 * @since 0.2.0
 */
export interface AdamArrays {
  readonly g: Float64Array
  readonly theta: Float64Array
  readonly mu: Float64Array
  readonly nu: Float64Array
  readonly nextMu: Float64Array
  readonly nextNu: Float64Array
  readonly out: Float64Array
}

/**
 * The numbers of one Adam update: β₁, β₂ and ε; the step's bias corrections `c1` = 1 − β₁ⁿ and
 * `c2` = 1 − β₂ⁿ (as the caller rounds them); and `k`, the factor of the new parameters
 * θ + k·u (an optimizer's −η), or `undefined` to write the update u itself.
 *
 * @example
 * import type { AdamScalars } from '@purenn/matrix'
 * // step 1 of adam({ learningRate: 1e-3 }), writing the new parameters
 * const s: AdamScalars = { beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 1 - 0.9, c2: 1 - 0.999, k: -1e-3 }
 * s.k // => -0.001
 *
 * @category model
 * @since 0.2.0
 */
export interface AdamScalars {
  readonly beta1: number
  readonly beta2: number
  readonly eps: number
  readonly c1: number
  readonly c2: number
  readonly k: number | undefined
}

/**
 * An arena (see the module comment): its arrays, and the kernels that run over them (`adam`).
 *
 * @example
 * import { arena } from '@purenn/matrix'
 * import * as O from 'fp-ts/lib/Option.js'
 * const a = arena([2, 2, 2, 2, 2, 2])
 * if (O.isSome(a)) {
 *   const [g, theta, mu, nu, nextMu, nextNu] = a.value.arrays
 *   g!.set([0.5, -2])
 *   theta!.set([1, 1])
 *   // step 1 (c₁ = 1 − β₁, c₂ = 1 − β₂): the update is g / (|g| + ε), about ±1
 *   const bad = a.value.adam({ g: g!, theta: theta!, mu: mu!, nu: nu!, nextMu: nextMu!, nextNu: nextNu!, out: theta! }, { beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 1 - 0.9, c2: 1 - 0.999, k: -0.1 })
 *   bad // => 0
 *   Array.from(theta!, (x) => Math.round(x * 100) / 100) // => [0.9, 1.1]
 * }
 *
 * @category model
 * @since 0.2.0
 */
export interface Arena {
  /** The arrays, in the order of the lengths asked for: zeroed when made, views of the arena's memory for as long as it lives. */
  readonly arrays: ReadonlyArray<Float64Array>
  /**
   * Adam's update (Kingma & Ba 2015), entry by entry: m = β₁·μ + (1 − β₁)·g,
   * v = β₂·ν + (1 − β₂)·g², u = (m / c₁) / (√(v / c₂) + ε), writing m to `nextMu`, v to
   * `nextNu`, and θ + k·u (or u, when `k` is undefined) to `out`, each operation rounded as
   * JavaScript rounds it, so the bits are those of the same formula written in JavaScript.
   * Answers Σ (θ' − θ') over the new parameters: 0 when every one is finite, NaN otherwise (0
   * when it wrote u). Throws a `RangeError` when an array is not the arena's or the lengths
   * differ.
   */
  readonly adam: (arrays: AdamArrays, scalars: AdamScalars) => number
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Bytes in a WebAssembly page. */
const PAGE = 65536

/** The most an arena may hold, in bytes: a gibibyte, a quarter of what 32-bit WebAssembly addresses. */
const MAX_BYTES = 2 ** 30

/** `n` doubles, in bytes, rounded up to a multiple of 16 (each array starts 16-byte aligned). */
const aligned = (n: number): number => Math.ceil(n / 2) * 16

/** Names an array of the call, for a message. */
const NAMES: ReadonlyArray<keyof AdamArrays> = Object.freeze(['g', 'theta', 'mu', 'nu', 'nextMu', 'nextNu', 'out'] as const)

/** The arena over an instance: its arrays laid out from the heap base, the memory grown once. */
const over = (exports: KernelExports, lengths: ReadonlyArray<number>): Arena | undefined => {
  const base = exports.heapBase()
  let end = base
  const offsets: number[] = []
  for (const n of lengths) {
    offsets.push(end)
    end += aligned(n)
  }
  if (end > MAX_BYTES) return undefined
  const memory = exports.memory
  const have = memory.buffer.byteLength
  if (end > have) {
    try {
      memory.grow(Math.ceil((end - have) / PAGE))
    } catch {
      return undefined // the engine refused the memory
    }
  }
  const buffer = memory.buffer // never detached again: the arena does not grow
  const arrays = lengths.map((n, i) => new Float64Array(buffer, offsets[i]!, n))
  const check = (xs: AdamArrays): number => {
    const n = xs.g.length
    for (const name of NAMES) {
      const x = xs[name]
      if (x.buffer !== buffer) throw new RangeError(`Arena.adam: ${name} is not an array of this arena`)
      if (x.length !== n) throw new RangeError(`Arena.adam: ${name} has ${x.length} entries, g has ${n}`)
    }
    return n
  }
  const adam = (xs: AdamArrays, s: AdamScalars): number => {
    const n = check(xs)
    const final = s.k !== undefined
    return exports.adam(n, xs.g.byteOffset, xs.theta.byteOffset, xs.mu.byteOffset, xs.nu.byteOffset, xs.nextMu.byteOffset, xs.nextNu.byteOffset, xs.out.byteOffset, final ? 1 : 0, s.beta1, s.beta2, s.eps, s.c1, s.c2, s.k ?? 0)
  }
  return { arrays, adam }
}

/**
 * A fresh arena holding one array of each length, zeroed; `none` where WebAssembly with SIMD
 * is not available, or when the arrays would take more than a gibibyte.
 *
 * @example
 * import { arena } from '@purenn/matrix'
 * import * as O from 'fp-ts/lib/Option.js'
 * const a = arena([3, 5])
 * // in Node 20 and current browsers: two zeroed arrays, 3 and 5 long
 * O.isNone(a) || a.value.arrays.map((x) => x.length).join() === '3,5' // => true
 *
 * @category constructors
 * @since 0.2.0
 */
export const arena = (lengths: ReadonlyArray<number>): O.Option<Arena> => {
  for (const n of lengths) if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`arena: expected array lengths (whole numbers ≥ 0), got ${String(n)}`)
  if (instantiate === undefined) return O.none
  return O.fromNullable(over(instantiate(), lengths))
}
