/**
 * Model files: a network as a versioned JSON document, and back.
 *
 * ```json
 * { "format": "purenn/network", "version": 1, "inputSize": 2,
 *   "layers": [{ "activation": "sigmoid", "weights": [[0.1, -0.3], [0.7, 0.2]], "bias": [0, 0.5] }] }
 * ```
 *
 * `weights` holds one row per node (`nodes x inputs`, as in the tutorial), `bias` one value
 * per node. Decoding is done at the boundary, in two steps: io-ts checks the structure (the
 * codec is the type), then `decodeNetwork` checks what a schema cannot: each layer's shapes
 * against its neighbours, every number's finiteness, every activation's name. Every failure
 * is a `Left` of a tagged `NetworkError` whose message names the path, e.g.
 * `layers[1].weights[0]: expected 3 values (layers[0] has 3 nodes), got 2`. Nothing here throws.
 *
 * `fromTutorialWeights` reads the file the original tutorial library's `saveWeights` writes.
 *
 * @since 0.1.0
 */
import * as M from '@purenn/matrix'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { builtinActivations, isActivationValue, isBuiltinName, unfitFor } from './Activation.js'
import type { Activation, Layer, Network } from './types.js'
import { matrix } from './internal/buffer.js'
import { count, describeValue } from './internal/describe.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The brand of `PositiveInt`'s numbers: a number io-ts has checked is a positive integer.
 *
 * @example
 * import { PositiveInt, type PositiveIntBrand } from '@purenn/network'
 * import * as t from 'io-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 * const size: E.Either<t.Errors, t.Branded<number, PositiveIntBrand>> = PositiveInt.decode(3)
 * size // => E.right(3)
 *
 * @category codecs
 * @since 0.2.0
 */
export interface PositiveIntBrand {
  readonly PositiveInt: unique symbol
}

/**
 * A positive integer (a size), as an io-ts branded codec.
 *
 * @example
 * import { PositiveInt } from '@purenn/network'
 * PositiveInt.is(3) // => true
 * PositiveInt.is(0) // => false
 * PositiveInt.is(2.5) // => false
 *
 * @category codecs
 * @since 0.1.0
 */
export const PositiveInt = t.brand(t.number, (n): n is t.Branded<number, PositiveIntBrand> => Number.isInteger(n) && n > 0, 'PositiveInt')

/**
 * The io-ts codec of one layer in a model file.
 *
 * @example
 * import { LayerJson } from '@purenn/network'
 * LayerJson.is({ activation: 'relu', weights: [[1, 2]], bias: [0] }) // => true
 * LayerJson.is({ activation: 'relu', weights: [1, 2], bias: [0] }) // => false
 *
 * @category codecs
 * @since 0.1.0
 */
export const LayerJson = t.readonly(
  t.type({ activation: t.string, weights: t.readonlyArray(t.readonlyArray(t.number)), bias: t.readonlyArray(t.number) }),
  'LayerJson'
)

/**
 * The io-ts codec of a model file's structure (version 1). `decodeNetwork` runs it, then
 * checks shapes, finiteness and activation names.
 *
 * @example
 * import { NetworkJsonCodec, encodeNetwork, network, addLayer, sigmoid } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * const doc = encodeNetwork(addLayer({ nodes: 1, activation: sigmoid })(network(2)))
 * E.isRight(NetworkJsonCodec.decode(doc)) // => true
 * // the structure only: shapes and activation names are decodeNetwork's to check
 * E.isRight(NetworkJsonCodec.decode({ ...doc, inputSize: 5 })) // => true
 * E.isRight(NetworkJsonCodec.decode({ ...doc, version: 2 })) // => false
 *
 * @category codecs
 * @since 0.1.0
 */
export const NetworkJsonCodec = t.readonly(
  t.type({
    format: t.literal('purenn/network'),
    version: t.literal(1),
    inputSize: PositiveInt,
    layers: t.readonlyArray(LayerJson)
  }),
  'NetworkJson'
)

/**
 * A model file, version 1: what `encodeNetwork` returns and `decodeNetwork` reads.
 *
 * @example
 * import { encodeNetwork, network, addLayer, relu, type NetworkJson } from '@purenn/network'
 * const doc: NetworkJson = encodeNetwork(addLayer({ nodes: 2, activation: relu })(network(1)))
 * doc // => { format: 'purenn/network', version: 1, inputSize: 1, layers: [{ activation: 'relu', weights: [[0], [0]], bias: [0, 0] }] }
 *
 * @category model
 * @since 0.1.0
 */
export interface NetworkJson {
  readonly format: 'purenn/network'
  readonly version: 1
  readonly inputSize: number
  readonly layers: ReadonlyArray<{
    readonly activation: string
    readonly weights: ReadonlyArray<ReadonlyArray<number>>
    readonly bias: ReadonlyArray<number>
  }>
}

/**
 * Why a document could not be read as a network. Every member carries a `message` naming the
 * path in the document, and the data of the failure.
 *
 * - `InvalidDocument`: the structure is wrong (a missing field, a string for a number, ...);
 * - `UnsupportedVersion`: a `purenn/network` document of a version this library cannot read;
 * - `ShapeMismatch`: a size that does not fit its neighbours (a row too short, a bias too long);
 * - `NotFinite`: a weight or bias that is `NaN` or infinite;
 * - `UnknownActivation`: a name that is neither built in nor in the caller's table, or that
 *   the table gives as something that is not an activation.
 *
 * @example
 * import { decodeNetwork, type NetworkError } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const tagOf = (u: unknown) => pipe(decodeNetwork(u), E.mapLeft((e: NetworkError) => e._tag))
 * const layer = { activation: 'sigmoid', weights: [[1, 2]], bias: [0] }
 * tagOf({ format: 'purenn/network', version: 1, inputSize: 2, layers: [layer] })._tag // => 'Right'
 * tagOf({ format: 'purenn/network', version: 9, inputSize: 2, layers: [layer] }) // => E.left('UnsupportedVersion')
 * tagOf({ format: 'purenn/network', version: 1, inputSize: 3, layers: [layer] }) // => E.left('ShapeMismatch')
 * tagOf({ format: 'purenn/network', version: 1, inputSize: 2, layers: [{ ...layer, activation: 'swish' }] }) // => E.left('UnknownActivation')
 *
 * @category model
 * @since 0.1.0
 */
export type NetworkError =
  | { readonly _tag: 'InvalidDocument'; readonly message: string; readonly path: string; readonly expected: string; readonly value: unknown }
  | { readonly _tag: 'UnsupportedVersion'; readonly message: string; readonly version: unknown }
  | { readonly _tag: 'ShapeMismatch'; readonly message: string; readonly path: string; readonly expected: number; readonly actual: number }
  | { readonly _tag: 'NotFinite'; readonly message: string; readonly path: string; readonly value: number }
  | { readonly _tag: 'UnknownActivation'; readonly message: string; readonly path: string; readonly name: unknown }

/**
 * Custom activations for decoding: a list of activations (found by their names) or a record
 * from name to activation.
 *
 * @example
 * import { activation, addLayer, network, encodeNetwork, decodeNetwork, type CustomActivations } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * const swish = activation('swish', (x) => x / (1 + Math.exp(-x)), (x, y) => y + (1 - y) / (1 + Math.exp(-x)))
 * const doc = encodeNetwork(addLayer({ nodes: 1, activation: swish })(network(2)))
 * // a model file names its activations: the caller says what a custom name means
 * const custom: CustomActivations = [swish] // or { swish }
 * E.isRight(decodeNetwork(doc, custom)) // => true
 * E.isRight(decodeNetwork(doc)) // => false
 *
 * @category model
 * @since 0.1.0
 */
export type CustomActivations = ReadonlyArray<Activation> | Readonly<Record<string, Activation>>

// -------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------

const invalid = (path: string, expected: string, value: unknown): NetworkError => ({
  _tag: 'InvalidDocument',
  path,
  expected,
  value,
  message: `${path === '' ? 'document' : path}: expected ${expected}, got ${describeValue(value)}`
})

const shapeMismatch = (path: string, expected: number, actual: number, noun: string, why: string, plural?: string): NetworkError => ({
  _tag: 'ShapeMismatch',
  path,
  expected,
  actual,
  message: `${path}: expected ${count(expected, noun, plural)}${why === '' ? '' : ` (${why})`}, got ${actual}`
})

/** The path of an io-ts error, as `layers[1].weights[0][2]`. */
const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((c) => c.key)
    .filter((k) => k !== '')
    .reduce((path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`), '')

/** Readable names for the codecs a message may mention. */
const readable = (name: string): string => {
  if (name === 'PositiveInt') return 'a positive integer'
  if (name === 'number') return 'a number'
  if (name === 'string') return 'a string (an activation name)'
  if (name === 'LayerJson') return 'a layer { activation, weights, bias }'
  if (name === 'ReadonlyArray<LayerJson>') return 'an array of layers'
  if (name === 'ReadonlyArray<number>') return 'an array of numbers'
  if (name === 'ReadonlyArray<ReadonlyArray<number>>') return 'an array of rows of numbers'
  if (name === 'ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>') return 'an array of matrices (nested rows of numbers)'
  return name
}

/** The first io-ts error, as an `InvalidDocument`. */
const fromValidation = (errors: t.Errors): NetworkError => {
  const first = errors[0]
  if (first === undefined) return invalid('', 'a valid document', undefined)
  const last = first.context[first.context.length - 1]
  return invalid(pathOf(first.context), readable(last?.type.name ?? 'a valid value'), first.value)
}

/** Runs `f`, turning anything it throws (a hostile getter, say) into a `Left`. */
const guarded = <A>(f: () => E.Either<NetworkError, A>): E.Either<NetworkError, A> => {
  try {
    return f()
  } catch (e) {
    return E.left({
      _tag: 'InvalidDocument',
      path: '',
      expected: 'a readable document',
      value: undefined,
      message: `document: could not be read (${e instanceof Error ? e.message : String(e)})`
    })
  }
}

// -------------------------------------------------------------------------------------
// checks shared by both readers
// -------------------------------------------------------------------------------------

/**
 * Nested rows (already checked to be arrays of numbers) as a `rows x width` buffer, checking
 * that every row has `width` values and that every value is finite.
 */
const rowsToBuffer = (
  path: string,
  rows: ReadonlyArray<ReadonlyArray<number>>,
  width: number,
  why: string
): E.Either<NetworkError, Float64Array> => {
  const out = new Float64Array(rows.length * width)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (row.length !== width) return E.left(shapeMismatch(`${path}[${i}]`, width, row.length, 'value', why))
    for (let j = 0; j < width; j++) {
      const v = row[j]!
      if (!Number.isFinite(v))
        return E.left({ _tag: 'NotFinite', path: `${path}[${i}][${j}]`, value: v, message: `${path}[${i}][${j}]: expected a finite number, got ${v}` })
      out[i * width + j] = v
    }
  }
  return E.right(out)
}

/** A layer from its checked parts: `weights` rows of `width` values, `bias` one value per row. */
const layerFrom = (
  path: string,
  weights: ReadonlyArray<ReadonlyArray<number>>,
  bias: ReadonlyArray<number>,
  biasPath: string,
  width: number,
  why: string,
  activation: Activation
): E.Either<NetworkError, Layer> => {
  const nodes = weights.length
  if (nodes === 0) return E.left(shapeMismatch(`${path}`, 1, 0, 'row', 'a layer has at least one node'))
  const unfit = unfitFor(activation, nodes)
  if (unfit !== undefined) return E.left(shapeMismatch(`${path}`, 2, nodes, 'row', unfit))
  if (bias.length !== nodes) return E.left(shapeMismatch(biasPath, nodes, bias.length, 'value', `one per row of ${path}`))
  return pipeEither(rowsToBuffer(path, weights, width, why), (w) => {
    const b = new Float64Array(nodes)
    for (let i = 0; i < nodes; i++) {
      const v = bias[i]!
      if (!Number.isFinite(v))
        return E.left({ _tag: 'NotFinite', path: `${biasPath}[${i}]`, value: v, message: `${biasPath}[${i}]: expected a finite number, got ${v}` })
      b[i] = v
    }
    return E.right({ weights: matrix(nodes, width, w), bias: matrix(nodes, 1, b), activation })
  })
}

const pipeEither = <A, B>(ma: E.Either<NetworkError, A>, f: (a: A) => E.Either<NetworkError, B>): E.Either<NetworkError, B> =>
  E.isLeft(ma) ? ma : f(ma.right)

/** Why a layer's rows must have `width` values, for messages. */
const widthReason = (k: number, width: number, firstPath: string): string =>
  k === 0 ? `${firstPath} is ${width}` : `layers[${k - 1}] has ${count(width, 'node')}`

/** The `name` of an entry of a caller's list of activations (any value: the list is not trusted). */
const nameOf = (a: unknown): unknown => (typeof a === 'object' && a !== null ? (a as { name?: unknown }).name : undefined)

/** Finds an activation by name: a built-in, else the caller's table. */
const lookup = (name: string, custom: CustomActivations | undefined): Activation | undefined => {
  if (isBuiltinName(name)) return builtinActivations[name]
  if (custom === undefined) return undefined
  if (Array.isArray(custom)) return (custom as ReadonlyArray<unknown>).find((a) => nameOf(a) === name) as Activation | undefined
  const table = custom as Readonly<Record<string, Activation>>
  return Object.hasOwn(table, name) ? table[name] : undefined
}

const knownNames = (custom: CustomActivations | undefined): string => {
  const names: string[] = Object.keys(builtinActivations)
  if (custom !== undefined) names.push(...(Array.isArray(custom) ? (custom as ReadonlyArray<unknown>).map((a) => String(nameOf(a))) : Object.keys(custom)))
  return names.join(', ')
}

// -------------------------------------------------------------------------------------
// encode and decode
// -------------------------------------------------------------------------------------

/**
 * A network as a version-1 model document: plain JSON-ready data (`JSON.stringify` it to
 * save it). Activations are stored by name. Throws a `RangeError` naming a parameter JSON cannot
 * hold (NaN, ±∞, which `JSON.stringify` writes as `null`: a diverged network), so that what is
 * written can always be read back (`saveNetwork` answers it with a `FileError`).
 *
 * @example
 * import { network, addLayer, encodeNetwork, sigmoid } from '@purenn/network'
 * encodeNetwork(addLayer(network(2), { nodes: 1, activation: sigmoid }))
 * // => { format: 'purenn/network', version: 1, inputSize: 2,
 * //      layers: [{ activation: 'sigmoid', weights: [[0, 0]], bias: [0] }] }
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeNetwork = (net: Network): NetworkJson => ({
  format: 'purenn/network',
  version: 1,
  inputSize: net.inputSize,
  layers: net.layers.map((layer, k) => {
    jsonNumbers(`layers[${k}].weights`, layer.weights.data, layer.weights.cols)
    jsonNumbers(`layers[${k}].bias`, layer.bias.data, 0)
    return { activation: layer.activation.name, weights: M.toArrays(layer.weights), bias: Array.from(layer.bias.data) }
  })
})

/** Refuses a number JSON cannot hold among `data` (rows of `cols`, or a list for 0), naming it as the document would. */
const jsonNumbers = (path: string, data: ArrayLike<number>, cols: number): void => {
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i]!))
      throw new RangeError(`encodeNetwork: ${path}${cols > 0 ? `[${Math.floor(i / cols)}][${i % cols}]` : `[${i}]`} is ${data[i]}, which JSON cannot hold (a diverged network?)`)
}

const decode = (u: unknown, custom: CustomActivations | undefined): E.Either<NetworkError, Network> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return E.left(invalid('', 'a purenn/network document (an object)', u))
  const doc = u as Partial<Record<string, unknown>>
  if (doc['format'] !== 'purenn/network') return E.left(invalid('format', '"purenn/network"', doc['format']))
  if (doc['version'] !== 1)
    return E.left({
      _tag: 'UnsupportedVersion',
      version: doc['version'],
      message: `version: this library reads version 1 of purenn/network documents, got ${describeValue(doc['version'])}`
    })
  const decoded = NetworkJsonCodec.decode(u)
  if (E.isLeft(decoded)) return E.left(fromValidation(decoded.left))
  const json = decoded.right
  const layers: Layer[] = []
  let width: number = json.inputSize
  for (let k = 0; k < json.layers.length; k++) {
    const l = json.layers[k]!
    const path = `layers[${k}]`
    const activation = lookup(l.activation, custom)
    if (activation === undefined)
      return E.left({
        _tag: 'UnknownActivation',
        path: `${path}.activation`,
        name: l.activation,
        message: `${path}.activation: unknown activation ${JSON.stringify(l.activation)}; known: ${knownNames(custom)} (pass custom activations to decodeNetwork)`
      })
    if (!isActivationValue(activation))
      return E.left({
        _tag: 'UnknownActivation',
        path: `${path}.activation`,
        name: l.activation,
        message: `${path}.activation: the caller's table gives ${JSON.stringify(l.activation)} as ${describeValue(activation)}, not an activation (make one with activation(name, f, df))`
      })
    const layer = layerFrom(`${path}.weights`, l.weights, l.bias, `${path}.bias`, width, widthReason(k, width, 'inputSize'), activation)
    if (E.isLeft(layer)) return layer
    layers.push(layer.right)
    width = layer.right.weights.rows
  }
  return E.right({ inputSize: json.inputSize, layers })
}

/**
 * Reads a model document (as `encodeNetwork` writes it, e.g. from `JSON.parse`) into a
 * network, checking its structure, the format and version, every layer's shape against its
 * neighbours, every number's finiteness and every activation name. Custom activations are
 * found in `customActivations`. Never throws: a bad document is a `Left` naming the problem.
 *
 * @example
 * import { decodeNetwork, encodeNetwork, network, addLayer, sigmoid } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net = addLayer(network(2), { nodes: 1, activation: sigmoid })
 * decodeNetwork(JSON.parse(JSON.stringify(encodeNetwork(net)))) // => E.right(net)
 * const doc = { format: 'purenn/network', version: 1, inputSize: 2, layers: [{ activation: 'sigmoid', weights: [[1]], bias: [0] }] }
 * pipe(decodeNetwork(doc), E.mapLeft((e) => e.message)) // => E.left('layers[0].weights[0]: expected 2 values (inputSize is 2), got 1')
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeNetwork = (u: unknown, customActivations?: CustomActivations): E.Either<NetworkError, Network> =>
  guarded(() => decode(u, customActivations))

/**
 * The io-ts codec of the file the original tutorial library's `saveWeights` writes: each
 * layer's weights as nested rows (`nodes x inputs`) and each bias as a column (`nodes x 1`).
 *
 * @example
 * import { TutorialWeightsCodec } from '@purenn/network'
 * // the tutorial's saveWeights file of a 2-1 network: weights as rows, each bias a column
 * TutorialWeightsCodec.is({ weights: [[[0.5, -0.5]]], biases: [[[0.1]]] }) // => true
 * TutorialWeightsCodec.is({ weights: [[0.5, -0.5]], biases: [[0.1]] }) // => false
 *
 * @category codecs
 * @since 0.1.0
 */
export const TutorialWeightsCodec = t.type(
  {
    weights: t.readonlyArray(t.readonlyArray(t.readonlyArray(t.number))),
    biases: t.readonlyArray(t.readonlyArray(t.readonlyArray(t.number)))
  },
  'TutorialWeights'
)

const fromTutorial = (u: unknown, activations: Activation | ReadonlyArray<Activation>): E.Either<NetworkError, Network> => {
  const decoded = TutorialWeightsCodec.decode(u)
  if (E.isLeft(decoded)) return E.left(fromValidation(decoded.left))
  const { weights, biases } = decoded.right
  if (weights.length === 0) return E.left(shapeMismatch('weights', 1, 0, 'layer', 'a network has at least one layer'))
  if (biases.length !== weights.length) return E.left(shapeMismatch('biases', weights.length, biases.length, 'matrix', 'one per weight matrix', 'matrices'))
  const acts: ReadonlyArray<unknown> = Array.isArray(activations) ? activations : weights.map(() => activations)
  if (acts.length !== weights.length) return E.left(shapeMismatch('activations', weights.length, acts.length, 'activation', 'one per layer'))
  const inputSize = weights[0]![0]?.length ?? 0
  if (inputSize === 0) return E.left(shapeMismatch('weights[0][0]', 1, 0, 'value', 'the network has at least one input'))
  const layers: Layer[] = []
  let width = inputSize
  for (let k = 0; k < weights.length; k++) {
    const a = acts[k]
    if (!isActivationValue(a))
      return E.left({
        _tag: 'UnknownActivation',
        path: Array.isArray(activations) ? `activations[${k}]` : 'activations',
        name: a,
        message: `${Array.isArray(activations) ? `activations[${k}]` : 'activations'}: expected an activation, got ${describeValue(a)}`
      })
    const column = biases[k]!
    const bias: number[] = []
    for (let i = 0; i < column.length; i++) {
      const entry = column[i]!
      if (entry.length !== 1) return E.left(shapeMismatch(`biases[${k}][${i}]`, 1, entry.length, 'value', 'a bias is a column, one value a row'))
      bias.push(entry[0]!)
    }
    const why = k === 0 ? `weights[0][0] has ${count(width, 'value')}` : `weights[${k - 1}] has ${count(width, 'row')}`
    const layer = layerFrom(`weights[${k}]`, weights[k]!, bias, `biases[${k}]`, width, why, a)
    if (E.isLeft(layer)) return layer
    layers.push(layer.right)
    width = layer.right.weights.rows
  }
  return E.right({ inputSize, layers })
}

/**
 * Reads the file the original tutorial library's `saveWeights` writes,
 * `{ weights: number[][][], biases: number[][][] }` (each weight matrix as nested rows, each
 * bias as a column of one-value rows), so that a network trained with it can be brought over.
 * The file holds no activations: pass one for every layer, or a list with one per layer.
 * Checks the shapes layer by layer and every number's finiteness; never throws.
 *
 * @example
 * import { fromTutorialWeights, encodeNetwork, sigmoid } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 2-1 network, as saveWeights writes it
 * pipe(fromTutorialWeights({ weights: [[[0.5, -0.5]]], biases: [[[0.1]]] }, sigmoid), E.map(encodeNetwork))
 * // => E.right({ format: 'purenn/network', version: 1, inputSize: 2, layers: [{ activation: 'sigmoid', weights: [[0.5, -0.5]], bias: [0.1] }] })
 *
 * @category codecs
 * @since 0.1.0
 */
export const fromTutorialWeights = (
  u: unknown,
  activations: Activation | ReadonlyArray<Activation>
): E.Either<NetworkError, Network> => guarded(() => fromTutorial(u, activations))
