/**
 * Errors of the matrix package: a thrown `ShapeError` for programmer errors, and tagged
 * `MatrixError` values for data that came from outside (returned in an `Either`).
 *
 * @since 0.1.0
 */

/**
 * Thrown when an operation is given matrices whose shapes do not fit together, such as
 * `dot` on a 2x3 and a 2x3. A shape mismatch between values the library built itself is a
 * programmer error, so it throws instead of returning an `Either`. The message names the
 * operation and both shapes.
 *
 * @example
 * import { zeros, dot, ShapeError } from '@purenn/matrix'
 * const caught = (f: () => unknown): unknown => {
 *   try {
 *     f()
 *   } catch (e) {
 *     return e
 *   }
 *   return undefined
 * }
 * const e = caught(() => dot(zeros(2, 3))(zeros(2, 3)))
 * e instanceof ShapeError && e instanceof RangeError // => true
 * e instanceof ShapeError && e.message // => 'dot: cannot compute a·b for a 2x3 and b 2x3 (inner sizes 3 and 2 differ)'
 *
 * @category errors
 * @since 0.1.0
 */
export class ShapeError extends RangeError {
  override readonly name = 'ShapeError'
  /** The operation that refused the shapes, e.g. `'dot'`. */
  readonly operation: string
  /** The shapes involved, as `[rows, cols]` pairs, in argument order. */
  readonly shapes: ReadonlyArray<readonly [number, number]>
  constructor(operation: string, message: string, shapes: ReadonlyArray<readonly [number, number]>) {
    super(`${operation}: ${message}`)
    this.operation = operation
    this.shapes = shapes
  }
}

/**
 * Why `fromArrays` refused its input. Every member carries a readable `message` naming the
 * offending row or cell, and the data of the failure.
 *
 * - `NotAnArray`: the input, or one of its rows, is not an array.
 * - `RaggedRows`: a row's length differs from the first row's.
 * - `NotANumber`: a cell is not of type number (a string, `null`, ...).
 * - `NotFinite`: a cell is `NaN`, `Infinity` or `-Infinity`.
 *
 * @example
 * import { fromArrays, type MatrixError } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const tagOf = (rows: unknown) => pipe(fromArrays(rows as number[][]), E.mapLeft((e: MatrixError) => e._tag))
 * tagOf([[1, 2], [3]]) // => E.left('RaggedRows')
 * tagOf([[1, NaN]]) // => E.left('NotFinite')
 * tagOf([[1, '2']]) // => E.left('NotANumber')
 * tagOf('1, 2') // => E.left('NotAnArray')
 *
 * @category errors
 * @since 0.1.0
 */
export type MatrixError =
  | { readonly _tag: 'NotAnArray'; readonly message: string; readonly path: string; readonly value: unknown }
  | {
      readonly _tag: 'RaggedRows'
      readonly message: string
      readonly row: number
      readonly expected: number
      readonly actual: number
    }
  | { readonly _tag: 'NotANumber'; readonly message: string; readonly row: number; readonly col: number; readonly value: unknown }
  | { readonly _tag: 'NotFinite'; readonly message: string; readonly row: number; readonly col: number; readonly value: number }

/**
 * Describes a value for an error message: its type, and the value itself when short. Shared
 * by every purenn package, so that all messages describe bad values alike.
 *
 * @example
 * import { describeValue } from '@purenn/matrix'
 * describeValue('abc') // => 'string "abc"'
 * describeValue([1, 2]) // => 'an array of 2'
 *
 * @category errors
 * @since 0.1.0
 */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return `an array of ${value.length}`
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + '…' : value)}`
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`
    default:
      return typeof value
  }
}
