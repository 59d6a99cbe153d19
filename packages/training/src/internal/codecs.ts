/**
 * Pieces shared by the io-ts decoders of this package (options, checkpoints, standardisers):
 * codecs built from a function that names what is wrong, and the text of a failure as
 * `path: message`, e.g. `trainLabels[3]: expected 1 value, got 3`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { describeValue } from './describe.js'

/** A codec from a function that says what is wrong (a message) or gives the value. */
export const codec = <A>(name: string, decode: (u: unknown) => E.Either<string, A>): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => E.isRight(decode(u)),
    (u, c) =>
      pipe(
        decode(u),
        E.match((message) => t.failure(u, c, message), t.success)
      ),
    t.identity
  )

/** Lets `undefined` through as it is (a field left out). */
export const optional = <A>(inner: t.Type<A, A, unknown>): t.Type<A | undefined, A | undefined, unknown> =>
  new t.Type<A | undefined, A | undefined, unknown>(
    `${inner.name} | undefined`,
    (u): u is A | undefined => u === undefined || inner.is(u),
    (u, c) => (u === undefined ? t.success(undefined) : inner.validate(u, c)),
    t.identity
  )

/** `Right(value)` when `ok`, else the message `expected …, got …`. */
export const check = <A>(ok: boolean, value: A, expected: string, u: unknown): E.Either<string, A> =>
  ok ? E.right(value) : E.left(`expected ${expected}, got ${describeValue(u)}`)

/** A non-null object that is not an array. */
export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** The root of a validation: its key is the empty path. */
export const root = (u: unknown): t.Context => [{ key: '', type: t.unknown, actual: u }]

/** The context one step inside `c`, at `key` (an index or a field name). */
export const at = (c: t.Context, key: string | number, actual: unknown): t.Context => [...c, { key: String(key), type: t.unknown, actual }]

/** The path of a validation error: `trainLabels[3]`, `earlyStopping.patience` (empty at the root). */
export const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((entry, i) => (/^\d+$/.test(entry.key) ? `[${entry.key}]` : i === 0 ? entry.key : `.${entry.key}`))
    .join('')

/** The first failure as a path and a message (io-ts's default text when a codec gave none). */
export const firstFailure = (errors: t.Errors): { readonly path: string; readonly problem: string } => {
  const e = errors[0]
  if (e === undefined) return { path: '', problem: 'could not be decoded' }
  const last = e.context[e.context.length - 1]
  return { path: pathOf(e.context), problem: e.message ?? `expected ${last?.type.name ?? 'a valid value'}, got ${describeValue(e.value)}` }
}
