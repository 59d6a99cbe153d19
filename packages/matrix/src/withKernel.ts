/**
 * The matrix products on a kernel of the caller's choice: the typed option for running on
 * the plain TypeScript kernel where the WebAssembly one is the default (to compare them, or
 * to reproduce figures computed without WebAssembly), with no global switch.
 *
 * @since 0.1.0
 */
import type { Kernel } from './Kernel.js'
import type { Matrix } from './Matrix.js'
import { dotOn, dotTransposeAOn, dotTransposeBOn } from './product.js'

/**
 * `dot`, `dotTransposeA` and `dotTransposeB` running on one kernel, with the same shapes,
 * checks and errors as the package's own (which run on `defaultKernel`).
 *
 * @example
 * import { withKernel, kernels, fromFunction, toArrays, type Products } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const plain: Products = withKernel(kernels.plain)
 * plain.kernel.name // => 'plain'
 * const a = fromFunction(2, 2, (i, j) => i + j)
 * toArrays(pipe(a, plain.dot(a))) // => [[1, 2], [2, 5]]
 * toArrays(pipe(a, plain.dotTransposeA(a))) // => [[1, 2], [2, 5]]
 *
 * @category model
 * @since 0.1.0
 */
export interface Products {
  /** The kernel these products run on. */
  readonly kernel: Kernel
  /** `a · b`, as `dot`. */
  readonly dot: (b: Matrix) => (a: Matrix) => Matrix
  /** `aᵀ · b`, as `dotTransposeA`. */
  readonly dotTransposeA: (b: Matrix) => (a: Matrix) => Matrix
  /** `a · bᵀ`, as `dotTransposeB`. */
  readonly dotTransposeB: (b: Matrix) => (a: Matrix) => Matrix
}

/**
 * The products on `kernel`: `withKernel(kernels.plain).dot(b)(a)` is `a·b` on the TypeScript
 * kernel whatever the default. `withKernel(defaultKernel)` gives the same bits as `dot`,
 * `dotTransposeA` and `dotTransposeB`.
 *
 * @example
 * import { withKernel, kernels, dot, fromFunction, getEq } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const plain = withKernel(kernels.plain)
 * const a = fromFunction(3, 2, (i, j) => i + j)
 * const b = fromFunction(2, 4, (i, j) => i - j)
 * // a product this small runs on the plain kernel either way
 * getEq(0).equals(pipe(a, plain.dot(b)), pipe(a, dot(b))) // => true
 *
 * @category combinators
 * @since 0.1.0
 */
export const withKernel = (kernel: Kernel): Products => ({
  kernel,
  dot: dotOn(kernel),
  dotTransposeA: dotTransposeAOn(kernel),
  dotTransposeB: dotTransposeBOn(kernel)
})
