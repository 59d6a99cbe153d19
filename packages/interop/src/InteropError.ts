/**
 * Why a model could not cross the border: `Unsupported` for a model (or a network) that is
 * well formed but holds something the other side cannot express (a convolution, a custom
 * activation, a LeakyReLU of another slope), `Invalid` for a document or file that is not what
 * it claims to be (bytes that are not a protobuf, a weight array too short, a weight that is
 * not finite). Both carry a readable `message` that starts with `path`, the node, layer or
 * field at fault, e.g. `graph.node[3] (Conv): unsupported op type`.
 *
 * @since 0.1.0
 */

/**
 * A tagged error value: every function of `@purenn/interop` answers `Either<InteropError, A>`
 * and never throws on what it is given.
 *
 * @example
 * import { fromOnnx, type InteropError } from '@purenn/interop'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const result = fromOnnx(new Uint8Array([255, 255, 255]))
 * pipe(result, E.mapLeft((e: InteropError) => e._tag)) // => E.left('Invalid')
 *
 * @category model
 * @since 0.1.0
 */
export type InteropError =
  | { readonly _tag: 'Unsupported'; readonly message: string; readonly path: string }
  | { readonly _tag: 'Invalid'; readonly message: string; readonly path: string }

/**
 * An `Unsupported` error at `path`; the message is `path: why`.
 *
 * @example
 * import { unsupported } from '@purenn/interop'
 * unsupported('layers[1]', 'custom activation "swish" has no ONNX form')
 * // => { _tag: 'Unsupported', path: 'layers[1]', message: 'layers[1]: custom activation "swish" has no ONNX form' }
 *
 * @category constructors
 * @since 0.1.0
 */
export const unsupported = (path: string, why: string): InteropError => ({
  _tag: 'Unsupported',
  path,
  message: `${path === '' ? 'model' : path}: ${why}`
})

/**
 * An `Invalid` error at `path`; the message is `path: why`.
 *
 * @example
 * import { invalid } from '@purenn/interop'
 * invalid('weightData', 'expected 24 bytes, got 20')
 * // => { _tag: 'Invalid', path: 'weightData', message: 'weightData: expected 24 bytes, got 20' }
 *
 * @category constructors
 * @since 0.1.0
 */
export const invalid = (path: string, why: string): InteropError => ({
  _tag: 'Invalid',
  path,
  message: `${path === '' ? 'model' : path}: ${why}`
})
