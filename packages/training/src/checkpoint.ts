/**
 * Checkpoints: an epoch state as a JSON document, and back. The network is written with
 * `encodeNetwork` of `@purenn/network`; the optimizer's state, plain data of numbers and
 * matrices, is written as it is, each matrix as `{ rows, cols, data }` (row-major). JSON keeps
 * every finite double exactly, so a run resumed from a decoded checkpoint goes on bit for bit
 * as the uninterrupted run.
 *
 * ```json
 * { "format": "purenn/checkpoint", "version": 1, "epoch": 10, "step": 40,
 *   "network": { "format": "purenn/network", … }, "optimizerState": [{ "count": 40 }],
 *   "rng": { "algorithm": "xoroshiro128plus", "state": [1, 2, 3, 4] }, "report": { "epoch": 10, … } }
 * ```
 *
 * Decoding is io-ts at the boundary. The optimizer's state has no schema of its own: the
 * optimizer it belongs to gives one, as the shape of `optimizer.init(network)`, so that a
 * checkpoint decoded for an optimizer has exactly that optimizer's state (same records, same
 * tuple lengths, same matrix shapes) or is a `Left` naming the first difference.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import * as M from '@purenn/matrix'
import type { Matrix, Rng } from '@purenn/matrix'
import { decodeNetwork, encodeNetwork, type CustomActivations, type Network, type NetworkJson } from '@purenn/network'
import type { GradientTransformation } from './GradientTransformation.js'
import type { EpochReport, EpochState } from './types.js'
import { describeValue } from './internal/describe.js'
import { at, check, codec, firstFailure, isRecord, optional, root } from './internal/codecs.js'
import { matrix } from './internal/buffer.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Plain JSON: what an optimizer's state encodes to.
 *
 * @example
 * import type { Json } from '@purenn/training'
 * const state: Json = [{ count: 3 }, { trace: [{ rows: 1, cols: 1, data: [0.5] }] }]
 * JSON.parse(JSON.stringify(state)) // => state
 *
 * @category model
 * @since 0.1.0
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * A checkpoint document (version 1).
 *
 * @example
 * import { epochs, encodeCheckpoint, sgd, type CheckpointJson } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const run = pipe(epochs({ ...xor, numEpochs: 1, optimizer: sgd({ learningRate: 0.1 }) })(net), E.getOrElseW((e) => { throw new Error(e.message) }))
 * const state = [...run][0]!
 * if (E.isLeft(state)) throw new Error(state.left.message)
 * const doc: CheckpointJson = encodeCheckpoint(state.right)
 * doc.format // => 'purenn/checkpoint'
 * doc.epoch // => 1
 * doc.step // => 4
 *
 * @category model
 * @since 0.1.0
 */
export interface CheckpointJson {
  readonly format: 'purenn/checkpoint'
  readonly version: 1
  readonly epoch: number
  readonly step: number
  readonly network: NetworkJson
  readonly optimizerState: Json
  readonly rng: Rng
  readonly report: EpochReport
  readonly best?: { readonly epoch: number; readonly loss: number; readonly network: NetworkJson }
}

/**
 * A checkpoint that cannot be read: the path of the first problem and a message naming it,
 * e.g. `optimizerState[0].mu[1].weights: expected a 4x2 matrix, got 2x4`.
 *
 * @example
 * import { decodeCheckpoint, sgd } from '@purenn/training'
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = decodeCheckpoint(null, sgd({ learningRate: 0.1 }))
 * E.isLeft(r) && r.left._tag // => 'InvalidCheckpoint'
 * E.isLeft(r) && r.left.message.startsWith('checkpoint: expected a checkpoint document') // => true
 *
 * @category errors
 * @since 0.1.0
 */
export interface InvalidCheckpoint {
  readonly _tag: 'InvalidCheckpoint'
  readonly message: string
  readonly path: string
}

const invalidCheckpoint = (path: string, problem: string): InvalidCheckpoint => ({
  _tag: 'InvalidCheckpoint',
  path,
  message: `${path === '' ? 'checkpoint' : path}: ${problem}`
})

// -------------------------------------------------------------------------------------
// encoding
// -------------------------------------------------------------------------------------

/** Plain data to JSON, matrices as `{ rows, cols, data }`; refuses what JSON cannot hold exactly. */
const encodeTree = (u: unknown, path: string): Json => {
  if (M.isMatrix(u)) {
    u.data.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new RangeError(`encodeCheckpoint: ${path}.data[${i}] is ${v}, which JSON cannot hold`)
    })
    return { rows: u.rows, cols: u.cols, data: Array.from(u.data) }
  }
  if (Array.isArray(u)) return u.map((v, i) => encodeTree(v, `${path}[${i}]`))
  if (isRecord(u)) {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(u)) out[k] = encodeTree(v, `${path}.${k}`)
    return out
  }
  if (typeof u === 'number' && !Number.isFinite(u)) throw new RangeError(`encodeCheckpoint: ${path} is ${u}, which JSON cannot hold`)
  if (u === null || typeof u === 'number' || typeof u === 'string' || typeof u === 'boolean') return u
  throw new TypeError(`encodeCheckpoint: ${path} is ${describeValue(u)}, which is not plain data`)
}

/** `u` as it is, once `encodeTree` has found nothing in it that JSON cannot hold (it throws, naming the number, if it does). */
const jsonSafe = <A>(u: A, path: string): A => {
  encodeTree(u, path)
  return u
}

/**
 * An epoch state as a JSON document (pass it to `JSON.stringify`). Throws a `RangeError` if
 * the optimizer's state, the report or the best epoch's loss holds a number JSON cannot keep
 * (NaN, an infinity: an epoch whose validation loss overflowed, say), naming it, or a
 * `TypeError` if the optimizer's state holds something that is not plain data (a function).
 *
 * @example
 * import { epochs, encodeCheckpoint, adam } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const run = pipe(epochs({ ...xor, numEpochs: 2, optimizer: adam({ learningRate: 0.01 }) })(net), E.getOrElseW((e) => { throw new Error(e.message) }))
 * for (const item of run) {
 *   if (E.isLeft(item)) break
 *   const text = JSON.stringify(encodeCheckpoint(item.right)) // write it anywhere
 *   JSON.parse(text).epoch // => item.right.epoch
 * }
 *
 * @category checkpoints
 * @since 0.1.0
 */
export const encodeCheckpoint = <S>(state: EpochState<S>): CheckpointJson => ({
  format: 'purenn/checkpoint',
  version: 1,
  epoch: state.epoch,
  step: state.step,
  network: encodeNetwork(state.network),
  optimizerState: encodeTree(state.optimizerState, 'optimizerState'),
  rng: state.rng,
  report: jsonSafe(state.report, 'report'),
  ...(state.best !== undefined
    ? { best: { epoch: state.best.epoch, loss: jsonSafe(state.best.loss, 'best.loss'), network: encodeNetwork(state.best.network) } }
    : {})
})

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

const Count = codec('Count', (u) => check(typeof u === 'number' && Number.isInteger(u) && u >= 0, u as number, 'a non-negative integer', u))

const Finite = codec('Finite', (u) => check(typeof u === 'number' && Number.isFinite(u), u as number, 'a finite number', u))

const RngCodec = codec('Rng', (u) => check(M.isRng(u), u as Rng, 'a generator { algorithm: "xoroshiro128plus", state: [4 integers] }', u))

const Report = t.type({
  epoch: Count,
  loss: Finite,
  error: Finite,
  validationLoss: optional(Finite),
  accuracy: optional(Finite),
  ms: Finite
})

interface BestDocument {
  readonly epoch: number
  readonly loss: number
  readonly network: unknown
}

const Document = t.type({
  format: codec('Format', (u) => check(u === 'purenn/checkpoint', u as 'purenn/checkpoint', '"purenn/checkpoint"', u)),
  version: codec('Version', (u) => check(u === 1, u as 1, 'version 1', u)),
  epoch: Count,
  step: Count,
  network: t.unknown,
  optimizerState: t.unknown,
  rng: RngCodec,
  report: Report,
  best: optional(
    new t.Type<BestDocument, BestDocument, unknown>(
      'Best',
      (_u): _u is BestDocument => false,
      (u, c) => (isRecord(u) ? t.type({ epoch: Count, loss: Finite, network: t.unknown }).validate(u, c) : t.failure(u, c, `expected { epoch, loss, network }, got ${describeValue(u)}`)),
      t.identity
    )
  )
})

/** A dimension as read from a document, for a message. */
const dimension = (u: unknown): string => (typeof u === 'number' ? String(u) : `(${describeValue(u)})`)

/** A matrix written as `{ rows, cols, data }`, of the template's shape, with finite entries. */
const matrixLike = (template: Matrix): t.Type<Matrix, unknown, unknown> =>
  new t.Type<Matrix, unknown, unknown>(
    'Matrix',
    (_u): _u is Matrix => false,
    (u, c) => {
      const shape = `${template.rows}x${template.cols}`
      if (!isRecord(u) || !Array.isArray(u.data)) return t.failure(u, c, `expected a ${shape} matrix { rows, cols, data }, got ${describeValue(u)}`)
      if (u.rows !== template.rows || u.cols !== template.cols || u.data.length !== template.rows * template.cols)
        return t.failure(u, c, `expected a ${shape} matrix, got ${dimension(u.rows)}x${dimension(u.cols)} with ${u.data.length} values`)
      const out = new Float64Array(u.data.length)
      for (let i = 0; i < out.length; i++) {
        const v: unknown = u.data[i]
        if (typeof v !== 'number' || !Number.isFinite(v)) return t.failure(v, at(at(c, 'data', u.data), i, v), `expected a finite number, got ${describeValue(v)}`)
        out[i] = v
      }
      return t.success(matrix(template.rows, template.cols, out))
    },
    t.identity
  )

/**
 * The codec of data shaped like `template`: the same records (by key), arrays of the same
 * length, matrices of the same shape, numbers, strings, booleans and nulls where it has them.
 * A number under the key `count` (the step count of every built-in state: `ScheduleState`,
 * `AdamState`, ...) is a non-negative integer: a count of −12 or 2.5 would resume a run that
 * never was.
 */
const shapedLike = (template: unknown): t.Decoder<unknown, unknown> => {
  if (M.isMatrix(template)) return matrixLike(template)
  if (Array.isArray(template)) {
    const items = template.map(shapedLike)
    return new t.Type<unknown, unknown, unknown>(
      'Tuple',
      (_u): _u is unknown => false,
      (u, c) => {
        if (!Array.isArray(u) || u.length !== items.length)
          return t.failure(u, c, `expected an array of ${items.length}, got ${describeValue(u)}`)
        const out: unknown[] = new Array(items.length)
        for (let i = 0; i < items.length; i++) {
          const r = items[i]!.validate(u[i], at(c, i, u[i]))
          if (E.isLeft(r)) return r
          out[i] = r.right
        }
        return t.success(out)
      },
      t.identity
    )
  }
  if (isRecord(template)) {
    const fields = Object.entries(template).map(([k, v]) => [k, k === 'count' && typeof v === 'number' ? Count : shapedLike(v)] as const)
    return new t.Type<unknown, unknown, unknown>(
      'Record',
      (_u): _u is unknown => false,
      (u, c) => {
        if (!isRecord(u)) return t.failure(u, c, `expected a record of ${fields.map(([k]) => k).join(', ') || 'no fields'}, got ${describeValue(u)}`)
        const out: Record<string, unknown> = {}
        for (const [k, f] of fields) {
          const r = f.validate(u[k], at(c, k, u[k]))
          if (E.isLeft(r)) return r
          out[k] = r.right
        }
        return t.success(out)
      },
      t.identity
    )
  }
  const kind = template === null ? 'null' : typeof template
  return codec(kind, (u) =>
    check(
      kind === 'null' ? u === null : typeof u === kind && (kind !== 'number' || Number.isFinite(u)),
      u,
      kind === 'number' ? 'a finite number' : kind,
      u
    )
  )
}

const networkAt = (path: string, u: unknown, customActivations: CustomActivations | undefined): E.Either<InvalidCheckpoint, Network> =>
  pipe(
    decodeNetwork(u, customActivations),
    E.mapLeft((e) => ({ _tag: 'InvalidCheckpoint', path, message: `${path}: ${e.message}` }))
  )

/**
 * Reads a checkpoint document back into an epoch state, for the optimizer it was written by
 * (which gives the shape its state must have) and the custom activations its networks use.
 * A `Left` of `InvalidCheckpoint` names the first problem; nothing is thrown.
 *
 * @example
 * import { decodeCheckpoint, encodeCheckpoint, epochs, adam, sgd } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const optimizer = adam({ learningRate: 1e-3 })
 * const run = pipe(epochs({ ...xor, numEpochs: 1, optimizer })(net), E.getOrElseW((e) => { throw new Error(e.message) }))
 * const [first] = [...run]
 * if (first === undefined || E.isLeft(first)) throw new Error('no epoch')
 * const state = first.right
 * decodeCheckpoint(JSON.parse(JSON.stringify(encodeCheckpoint(state))), optimizer) // => E.right(state)
 * // the optimizer gives the shape its state must have: sgd's is not adam's
 * E.isLeft(decodeCheckpoint(encodeCheckpoint(state), sgd({ learningRate: 0.1 }))) // => true
 *
 * @category checkpoints
 * @since 0.1.0
 */
export const decodeCheckpoint = <S>(
  u: unknown,
  optimizer: GradientTransformation<S>,
  customActivations?: CustomActivations
): E.Either<InvalidCheckpoint, EpochState<S>> =>
  pipe(
    isRecord(u)
      ? validated(Document, u, root(u))
      : E.left(invalidCheckpoint('', `expected a checkpoint document { format: "purenn/checkpoint", version: 1, … }, got ${describeValue(u)}`)),
    E.bindTo('doc'),
    E.bind('network', ({ doc }) => networkAt('network', doc.network, customActivations)),
    // the optimizer's state must have the shape of the optimizer's own initial state
    E.bind('optimizerState', ({ doc, network }) =>
      validated(shapedLike(optimizer.init(network)), doc.optimizerState, at(root(u), 'optimizerState', doc.optimizerState))
    ),
    E.bind('best', ({ doc: { best } }) =>
      best === undefined
        ? E.right(undefined)
        : pipe(
            networkAt('best.network', best.network, customActivations),
            E.map((network) => ({ epoch: best.epoch, loss: best.loss, network }))
          )
    ),
    E.map(({ doc, network, optimizerState, best }) => ({
      epoch: doc.epoch,
      step: doc.step,
      network,
      optimizerState: optimizerState as S,
      rng: doc.rng,
      report: reportOf(doc.report),
      ...(best !== undefined ? { best } : {})
    }))
  )

/** Runs a decoder in a context, its first failure as an `InvalidCheckpoint`. */
const validated = <A>(decoder: t.Decoder<unknown, A>, u: unknown, context: t.Context): E.Either<InvalidCheckpoint, A> =>
  pipe(
    decoder.validate(u, context),
    E.mapLeft((errors) => {
      const { path, problem } = firstFailure(errors)
      return invalidCheckpoint(path, problem)
    })
  )

/** The report without the fields that were left out (rather than set to undefined). */
const reportOf = (r: t.TypeOf<typeof Report>): EpochReport => ({
  epoch: r.epoch,
  loss: r.loss,
  error: r.error,
  ...(r.validationLoss !== undefined ? { validationLoss: r.validationLoss } : {}),
  ...(r.accuracy !== undefined ? { accuracy: r.accuracy } : {}),
  ms: r.ms
})
