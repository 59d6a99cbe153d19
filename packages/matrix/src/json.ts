/**
 * A matrix as JSON, and back. `JSON.stringify` of a matrix itself gives its `Float64Array` as
 * `{"0": …, "1": …}`, which nothing reads back; `encodeMatrix` gives plain data instead:
 *
 * ```json
 * { "rows": 2, "cols": 3, "data": [1, 2, 3, 4, 5, 6] }
 * ```
 *
 * `data` holds the entries row by row (`rows * cols` of them), as `Matrix.data` does.
 * Decoding is done at the boundary, as for model files: io-ts checks the structure, then
 * `decodeMatrix` checks what a schema cannot, with the same checks as `fromArrays`: the count
 * of entries against the shape, and that every entry is a finite number. Every failure is a
 * `Left` of a tagged `MatrixJsonError` whose message names the path, e.g.
 * `data[3]: expected a finite number, got string "x"`. Nothing here throws, except
 * `encodeMatrix` given a matrix with an entry JSON cannot carry (`NaN`, an infinity).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describeValue } from './errors.js'
import { unsafeFromBuffer, type Matrix } from './Matrix.js'
import { checkMatrix } from './internal/check.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A matrix as JSON-ready plain data: its shape and its entries row by row. What
 * `encodeMatrix` returns and `decodeMatrix` reads.
 *
 * @example
 * import { encodeMatrix, identity, type MatrixJson } from '@purenn/matrix'
 * const json: MatrixJson = encodeMatrix(identity(2))
 * json // => { rows: 2, cols: 2, data: [1, 0, 0, 1] }
 * JSON.stringify(json) // => '{"rows":2,"cols":2,"data":[1,0,0,1]}'
 *
 * @category model
 * @since 0.2.0
 */
export interface MatrixJson {
  readonly rows: number
  readonly cols: number
  readonly data: number[]
}

/**
 * Why `decodeMatrix` refused its input. Every member carries a `message` naming the path in
 * the document, and the data of the failure.
 *
 * - `InvalidDocument`: the structure is wrong: not an object, `rows` or `cols` not a
 *   non-negative integer, `data` not an array, an entry not a number (`path` is then
 *   `data[i]`);
 * - `ShapeMismatch`: `data` does not hold `rows * cols` entries;
 * - `NotFinite`: an entry is `NaN` or infinite (never in parsed JSON text, which cannot
 *   carry them; possible in a value built in JavaScript).
 *
 * @example
 * import { decodeMatrix, type MatrixJsonError } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const tagOf = (u: unknown) => pipe(decodeMatrix(u), E.mapLeft((e: MatrixJsonError) => e._tag))
 * tagOf({ rows: 2, cols: 1, data: [0] }) // => E.left('ShapeMismatch')
 * tagOf({ rows: 1, cols: 1 }) // => E.left('InvalidDocument')
 *
 * @category errors
 * @since 0.2.0
 */
export type MatrixJsonError =
  | { readonly _tag: 'InvalidDocument'; readonly message: string; readonly path: string; readonly expected: string; readonly value: unknown }
  | { readonly _tag: 'ShapeMismatch'; readonly message: string; readonly path: string; readonly expected: number; readonly actual: number }
  | { readonly _tag: 'NotFinite'; readonly message: string; readonly path: string; readonly index: number; readonly value: number }

// -------------------------------------------------------------------------------------
// the codec of the structure
// -------------------------------------------------------------------------------------

interface NonNegativeIntBrand {
  readonly NonNegativeInt: unique symbol
}

/** A size: an integer from 0. */
const NonNegativeInt = t.brand(
  t.number,
  (n): n is t.Branded<number, NonNegativeIntBrand> => Number.isInteger(n) && n >= 0,
  'NonNegativeInt'
)

/**
 * The structure of a matrix document. The entries are checked by hand afterwards, in one
 * loop, as `fromArrays` checks its cells (io-ts would allocate a context per entry).
 */
const MatrixJsonCodec = t.type({ rows: NonNegativeInt, cols: NonNegativeInt, data: t.UnknownArray }, 'MatrixJson')

/** Readable names for the codecs a message may mention. */
const readable = (name: string): string => {
  if (name === 'NonNegativeInt') return 'a non-negative integer'
  if (name === 'UnknownArray') return 'an array of numbers (the entries, row by row)'
  if (name === 'MatrixJson') return 'a matrix { rows, cols, data }'
  return name
}

// -------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------

/** `name.key`, or `key` when there is no name. */
const at = (name: string, key: string): string => (name === '' ? key : `${name}.${key}`)

const invalid = (name: string, path: string, expected: string, value: unknown): MatrixJsonError => {
  const where = path === '' ? (name === '' ? 'matrix' : name) : at(name, path)
  return { _tag: 'InvalidDocument', path: where, expected, value, message: `${where}: expected ${expected}, got ${describeValue(value)}` }
}

/** The first io-ts error, as an `InvalidDocument`. */
const fromValidation = (name: string, errors: t.Errors): MatrixJsonError => {
  const first = errors[0]
  if (first === undefined) return invalid(name, '', 'a matrix { rows, cols, data }', undefined)
  const path = first.context
    .slice(1)
    .map((c) => c.key)
    .filter((k) => k !== '')
    .join('.')
  const last = first.context[first.context.length - 1]
  return invalid(name, path, readable(last?.type.name ?? 'a valid value'), first.value)
}

// -------------------------------------------------------------------------------------
// encode and decode
// -------------------------------------------------------------------------------------

/**
 * A matrix as plain JSON-ready data, `{ rows, cols, data }` with the entries row by row in a
 * fresh array: `JSON.stringify(encodeMatrix(m))` saves it, `decodeMatrix(JSON.parse(text))`
 * reads it back. `decodeMatrix(encodeMatrix(m))` is `m` bit for bit, `-0` and subnormal
 * numbers included; through JSON text too, except that `JSON.stringify` writes `-0` as `0`.
 *
 * JSON cannot carry `NaN` or the infinities (`JSON.stringify` writes them as `null`), and
 * `decodeMatrix`, with `fromArrays`' checks, accepts finite numbers only: so a matrix holding
 * one (which `map` can make) is refused here, with a `RangeError` naming the entry, instead of
 * being written as a file that cannot be read back.
 *
 * @example
 * import { encodeMatrix, fromFunction } from '@purenn/matrix'
 * encodeMatrix(fromFunction(2, 2, (i, j) => 10 * i + j)) // => { rows: 2, cols: 2, data: [0, 1, 10, 11] }
 *
 * @category codecs
 * @since 0.2.0
 */
export const encodeMatrix = (m: Matrix): MatrixJson => {
  checkMatrix('encodeMatrix', 'm', 'encodeMatrix(m)', m)
  const data = Array.from(m.data)
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!
    if (!Number.isFinite(v))
      throw new RangeError(
        `encodeMatrix: m.data[${k}] (row ${Math.floor(k / m.cols)}, column ${k % m.cols}) is ${v}, which JSON cannot carry (decodeMatrix reads finite numbers only)`
      )
  }
  return { rows: m.rows, cols: m.cols, data }
}

const decode = (name: string, u: unknown): E.Either<MatrixJsonError, Matrix> => {
  const decoded = MatrixJsonCodec.decode(u)
  if (E.isLeft(decoded)) return E.left(fromValidation(name, decoded.left))
  const { rows, cols, data } = decoded.right
  const n = rows * cols
  const dataPath = at(name, 'data')
  if (data.length !== n)
    return E.left({
      _tag: 'ShapeMismatch',
      path: dataPath,
      expected: n,
      actual: data.length,
      message: `${dataPath}: expected ${n} value${n === 1 ? '' : 's'} (rows ${rows} x cols ${cols}), got ${data.length}`
    })
  const out = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    const v: unknown = data[k]
    if (typeof v !== 'number') return E.left(invalid(name, `data[${k}]`, 'a finite number', v))
    if (!Number.isFinite(v))
      return E.left({ _tag: 'NotFinite', path: `${dataPath}[${k}]`, index: k, value: v, message: `${dataPath}[${k}]: expected a finite number, got ${v}` })
    out[k] = v
  }
  return E.right(unsafeFromBuffer(rows, cols, out))
}

/**
 * `decodeMatrix` with the name used in paths chosen by the caller, so that a matrix inside a
 * larger document can say `checkpoint.weights.data[3]: expected a finite number, got NaN`.
 *
 * @example
 * import { decodeMatrixAt } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * pipe(decodeMatrixAt('bias')({ rows: 2, cols: 1, data: [0] }), E.mapLeft((e) => e.message))
 * // => E.left('bias.data: expected 2 values (rows 2 x cols 1), got 1')
 *
 * @category codecs
 * @since 0.2.0
 */
export const decodeMatrixAt =
  (name: string) =>
  (u: unknown): E.Either<MatrixJsonError, Matrix> => {
    try {
      return decode(name, u)
    } catch (e) {
      // a hostile getter or proxy: still an answer, not a throw
      const where = name === '' ? 'matrix' : name
      return E.left({
        _tag: 'InvalidDocument',
        path: where,
        expected: 'a readable matrix { rows, cols, data }',
        value: undefined,
        message: `${where}: could not be read (${e instanceof Error ? e.message : String(e)})`
      })
    }
  }

/**
 * Reads a matrix document (as `encodeMatrix` writes it, e.g. from `JSON.parse`) into a
 * matrix, with the checks of `fromArrays`: `rows` and `cols` non-negative integers, `data` an
 * array of exactly `rows * cols` finite numbers. Never throws: a bad document is a `Left`
 * whose message names the path. Extra fields are ignored. The entries are copied: the result
 * shares nothing with `u`.
 *
 * @example
 * import { decodeMatrix, encodeMatrix, identity } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * decodeMatrix(JSON.parse(JSON.stringify(encodeMatrix(identity(2))))) // => E.right(identity(2))
 * pipe(decodeMatrix({ rows: 2, cols: 2, data: [1, 2, 3, 'x'] }), E.mapLeft((e) => e.message))
 * // => E.left('data[3]: expected a finite number, got string "x"')
 *
 * @category codecs
 * @since 0.2.0
 */
export const decodeMatrix = (u: unknown): E.Either<MatrixJsonError, Matrix> => decodeMatrixAt('')(u)
