/**
 * brain.js model files: the `toJSON()` of brain.js's `NeuralNetwork`, in the format of 1.x
 * (`layers` of objects keyed by node, weights keyed by the previous layer's nodes) and of 2.x
 * (`type: 'NeuralNetwork'`, `layers` of `{ weights, biases }` arrays), read into purenn networks
 * that compute what brain.js's `run` computes.
 *
 * brain.js keeps weights, biases and every layer's outputs in `Float32Array`s: loading a file,
 * it rounds the weights to float32 (so does `fromBrainJson`), and `run` sums in float64 then
 * stores each layer's output as float32. A purenn network keeps the float64 sums, so it agrees
 * with `run` to float32's precision (about 1e-7 relative), and with the float64 arithmetic that
 * `run` rounds to 1e-12.
 *
 * | brain.js `activation` | purenn |
 * | --- | --- |
 * | `sigmoid` (the default), `relu`, `tanh` | `sigmoid`, `relu`, `tanh` (every layer, the output's included) |
 * | `leaky-relu`, 2.x: `max(x, α·x)`, α = `leakyReluAlpha` | `leakyRelu` when α is 0.01; any other α is `Unsupported` |
 * | `leaky-relu`, 1.x: `x < 0 ? 0 : α·x` (a bug fixed in 2.x) | `relu` on weights and biases scaled by α: α·relu(z) = relu(α·z) |
 *
 * @since 0.1.0
 */
import type { BuiltinActivationName, Network } from '@purenn/network'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalid, unsupported, type InteropError } from './InteropError.js'
import { assemble, type LayerData } from './internal/assemble.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What `readBrainJson` found: the network, the brain.js format it was written in (1 or 2), and
 * what of the file the network does not keep, one readable line each (input and output
 * lookup tables, training options, the 1.x leaky-relu rewrite).
 *
 * @example
 * import { readBrainJson, type BrainImport } from '@purenn/interop'
 * import * as E from 'fp-ts/lib/Either.js'
 * const file = { type: 'NeuralNetwork', sizes: [1, 1], layers: [{ weights: [], biases: [] }, { weights: [[2]], biases: [0] }], inputLookup: { x: 0 }, outputLookup: null }
 * const r = readBrainJson(file)
 * const found: BrainImport | undefined = E.isRight(r) ? r.right : undefined
 * found?.version // => 2
 * found?.network.layers.length // => 1
 * found?.dropped.length // => 1
 *
 * @category model
 * @since 0.1.0
 */
export interface BrainImport {
  readonly network: Network
  readonly version: 1 | 2
  readonly dropped: ReadonlyArray<string>
}

const Lookup = t.union([t.null, t.UnknownRecord])
const V2Codec = t.intersection([
  t.type({
    type: t.string,
    sizes: t.array(t.number),
    layers: t.array(t.type({ weights: t.array(t.array(t.number)), biases: t.array(t.number) }))
  }),
  t.partial({ inputLookup: Lookup, outputLookup: Lookup, options: t.UnknownRecord, trainOpts: t.UnknownRecord })
])
const V1NodeCodec = t.type({ bias: t.number, weights: t.record(t.string, t.number) })
const V1Codec = t.intersection([
  t.type({ sizes: t.array(t.number), layers: t.array(t.UnknownRecord) }),
  t.partial({ activation: t.string, inputLookup: t.unknown, outputLookup: t.unknown, trainOpts: t.UnknownRecord, leakyReluAlpha: t.number })
])

const ioPath = (errors: t.Errors): string =>
  (errors[0]?.context ?? [])
    .slice(1)
    .map((c) => c.key)
    .filter((k) => k !== '' && !/^\d+$/.test(k))
    .join('.')

const describe = (u: unknown): string => (u === undefined ? 'nothing' : u === null ? 'null' : Array.isArray(u) ? 'an array' : typeof u)

// -------------------------------------------------------------------------------------
// activations
// -------------------------------------------------------------------------------------

interface Mapped {
  readonly activation: BuiltinActivationName
  /** what to multiply weights and biases by (brain.js 1.x's leaky-relu) */
  readonly scale: number
  readonly note?: string
}

const activationFor = (name: unknown, version: 1 | 2, alpha: unknown, path: string, alphaPath: string): E.Either<InteropError, Mapped> => {
  switch (name) {
    case undefined:
    case 'sigmoid':
      return E.right({ activation: 'sigmoid', scale: 1 })
    case 'relu':
      return E.right({ activation: 'relu', scale: 1 })
    case 'tanh':
      return E.right({ activation: 'tanh', scale: 1 })
    case 'leaky-relu': {
      const a = alpha ?? 0.01
      if (typeof a !== 'number' || !Number.isFinite(a)) return E.left(invalid(alphaPath, `expected a number, got ${describe(a)}`))
      if (version === 2)
        return a === 0.01 || Math.fround(a) === Math.fround(0.01)
          ? E.right({ activation: 'leakyRelu', scale: 1 })
          : E.left(unsupported(alphaPath, `leaky-relu of slope ${a}: purenn's leakyRelu has the slope 0.01`))
      if (a < 0) return E.left(unsupported(alphaPath, `brain.js 1.x's leaky-relu of slope ${a} < 0 has no purenn form`))
      return E.right({
        activation: 'relu',
        scale: a,
        note: `activation: brain.js 1.x's leaky-relu computes x < 0 ? 0 : ${a}·x (fixed in 2.x); reproduced as relu on weights and biases scaled by ${a}`
      })
    }
    default:
      return E.left(unsupported(path, `activation ${JSON.stringify(name)}: brain.js's NeuralNetwork has sigmoid, relu, leaky-relu and tanh`))
  }
}

// -------------------------------------------------------------------------------------
// the two formats
// -------------------------------------------------------------------------------------

const lookupNote = (which: 'inputLookup' | 'outputLookup', names: ReadonlyArray<string>): string =>
  `${which}: the ${which === 'inputLookup' ? 'input' : 'output'} names ${names.map((n) => JSON.stringify(n)).join(', ')}; purenn takes and gives arrays, in this order`

const trainOptsNote = (opts: Record<string, unknown> | undefined): string[] =>
  opts === undefined ? [] : [`trainOpts: brain.js's training options (${Object.keys(opts).join(', ')}); give purenn's train its own`]

/** The error for a brain.js file of another `type` of network than the feed-forward one. */
const notFeedForward = (type: string): InteropError => unsupported('type', `a brain.js ${JSON.stringify(type)}; fromBrainJson reads the feed-forward NeuralNetwork`)

const readV2 = (json: t.TypeOf<typeof V2Codec>): E.Either<InteropError, BrainImport> => {
  if (json.type !== 'NeuralNetwork') return E.left(notFeedForward(json.type))
  const trainOpts = json.trainOpts
  const mapped = activationFor(trainOpts?.['activation'], 2, trainOpts?.['leakyReluAlpha'], 'trainOpts.activation', 'trainOpts.leakyReluAlpha')
  if (E.isLeft(mapped)) return mapped
  const { activation } = mapped.right
  const sizes = json.sizes
  if (sizes.length < 2) return E.left(invalid('sizes', `expected the sizes of 2 or more layers (input, ..., output), got ${sizes.length}`))
  if (json.layers.length !== sizes.length) return E.left(invalid('layers', `expected ${sizes.length} layers (one per entry of sizes, the input's empty), got ${json.layers.length}`))
  const layers: LayerData[] = []
  for (let k = 1; k < sizes.length; k++) {
    const l = json.layers[k]!
    const nodes = sizes[k]!
    const inputs = sizes[k - 1]!
    const path = `layers[${k}]`
    if (l.weights.length !== nodes) return E.left(invalid(`${path}.weights`, `expected ${nodes} rows (sizes[${k}]), got ${l.weights.length}`))
    const weights: number[] = []
    for (let i = 0; i < nodes; i++) {
      const row = l.weights[i]!
      if (row.length !== inputs) return E.left(invalid(`${path}.weights[${i}]`, `expected ${inputs} values (sizes[${k - 1}]), got ${row.length}`))
      // brain.js's fromJSON keeps weights and biases in Float32Arrays
      for (const w of row) weights.push(Math.fround(w))
    }
    layers.push({ path, nodes, inputs, weights, bias: l.biases.map(Math.fround), activation })
  }
  const dropped = [
    ...(json.inputLookup ? [lookupNote('inputLookup', Object.keys(json.inputLookup))] : []),
    ...(json.outputLookup ? [lookupNote('outputLookup', Object.keys(json.outputLookup))] : []),
    ...trainOptsNote(trainOpts),
    ...(json.options === undefined ? [] : [`options: brain.js's network options (${Object.keys(json.options).join(', ')}), such as binaryThresh`])
  ]
  return E.map((network: Network): BrainImport => ({ network, version: 2, dropped }))(assemble(sizes[0]!, layers, 'layers'))
}

const readV1 = (json: t.TypeOf<typeof V1Codec>): E.Either<InteropError, BrainImport> => {
  const mapped = activationFor(json.activation, 1, json.leakyReluAlpha, 'activation', 'leakyReluAlpha')
  if (E.isLeft(mapped)) return mapped
  const { activation, scale, note } = mapped.right
  if (json.layers.length < 2) return E.left(invalid('layers', `expected 2 or more layers (input, ..., output), got ${json.layers.length}`))
  // as brain.js 1.x's fromJSON: the nodes of a layer in its keys' order, a node's weights in its own keys' order
  const inputNames = Object.keys(json.layers[0]!)
  let width = inputNames.length
  const layers: LayerData[] = []
  for (let k = 1; k < json.layers.length; k++) {
    const layer = json.layers[k]!
    const names = Object.keys(layer)
    const path = `layers[${k}]`
    const weights: number[] = []
    const bias: number[] = []
    for (const name of names) {
      const node = V1NodeCodec.decode(layer[name])
      if (E.isLeft(node)) return E.left(invalid(`${path}.${name}`, `expected a node { bias: number, weights: { [input]: number } }, got ${describe(layer[name])}`))
      const ws = Object.values(node.right.weights)
      if (ws.length !== width) return E.left(invalid(`${path}.${name}.weights`, `expected ${width} weights (one per node of layers[${k - 1}]), got ${ws.length}`))
      for (const w of ws) weights.push(scale * Math.fround(w))
      bias.push(scale * Math.fround(node.right.bias))
    }
    layers.push({ path, nodes: names.length, inputs: width, weights, bias, activation })
    width = names.length
  }
  const outputNames = Object.keys(json.layers[json.layers.length - 1]!)
  const dropped = [
    // brain.js 1.x reads names from the layer's keys when its first key is not "0" or the flag is set
    ...(json.inputLookup === true || !inputNames.includes('0') ? [lookupNote('inputLookup', inputNames)] : []),
    ...(json.outputLookup === true || !outputNames.includes('0') ? [lookupNote('outputLookup', outputNames)] : []),
    ...trainOptsNote(json.trainOpts),
    ...(note === undefined ? [] : [note])
  ]
  return E.map((network: Network): BrainImport => ({ network, version: 1, dropped }))(assemble(inputNames.length, layers, 'layers'))
}

const read = (json: unknown): E.Either<InteropError, BrainImport> => {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return E.left(invalid('', `expected the toJSON() of a brain.js NeuralNetwork (an object), got ${describe(json)}`))
  const doc = json as Record<string, unknown>
  const layers = doc['layers']
  const second = Array.isArray(layers) ? (layers[1] as unknown) : undefined
  const isV2 = typeof doc['type'] === 'string' || (typeof second === 'object' && second !== null && Array.isArray((second as Record<string, unknown>)['weights']))
  if (isV2) {
    // another kind of brain.js network (an LSTM, a GRU...) has a `type` and another layout: say what it is before its fields
    if (typeof doc['type'] === 'string' && doc['type'] !== 'NeuralNetwork') return E.left(notFeedForward(doc['type']))
    const decoded = V2Codec.decode(json)
    if (E.isLeft(decoded)) return E.left(invalid(ioPath(decoded.left), 'not a brain.js 2.x NeuralNetwork file ({ type, sizes, layers: [{ weights, biases }] })'))
    return readV2(decoded.right)
  }
  const decoded = V1Codec.decode(json)
  if (E.isLeft(decoded)) return E.left(invalid(ioPath(decoded.left), 'not a brain.js NeuralNetwork file ({ sizes, layers, activation })'))
  return readV1(decoded.right)
}

// -------------------------------------------------------------------------------------
// readers
// -------------------------------------------------------------------------------------

/**
 * Reads a brain.js `NeuralNetwork`'s `toJSON()` (1.x or 2.x) into a purenn network, and says
 * what it drops: the input and output lookup tables (purenn takes arrays, in the tables'
 * order), the training options, and how a 1.x leaky-relu was rewritten. Never throws: a file of
 * another kind of network (an LSTM, say) or another activation is a `Left` naming the field.
 *
 * @example
 * import { readBrainJson } from '@purenn/interop'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const file = {
 *   type: 'NeuralNetwork', sizes: [2, 1],
 *   layers: [{ weights: [], biases: [] }, { weights: [[0.5, -0.25]], biases: [0.125] }],
 *   inputLookup: null, outputLookup: null,
 *   trainOpts: { activation: 'relu', iterations: 20000 }
 * }
 * const result = readBrainJson(file)
 * pipe(result, E.map((r) => r.version)) // => E.right(2)
 * pipe(result, E.map((r) => r.dropped)) // => E.right(["trainOpts: brain.js's training options (activation, iterations); give purenn's train its own"])
 *
 * @category import
 * @since 0.1.0
 */
export const readBrainJson = (json: unknown): E.Either<InteropError, BrainImport> => {
  try {
    return read(json)
  } catch (e) {
    return E.left(invalid('', `could not be read: ${e instanceof Error ? e.message : String(e)}`))
  }
}

/**
 * Reads a brain.js `NeuralNetwork`'s `toJSON()` (1.x or 2.x) into a purenn network that
 * predicts what brain.js's `run` computes (to float32's precision: brain.js stores each layer's
 * outputs as float32). `readBrainJson` also says what the network leaves out.
 *
 * @example
 * import { fromBrainJson } from '@purenn/interop'
 * import { predict } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // brain.js 1.x: nodes keyed by index, weights keyed by the previous layer's nodes
 * const file = {
 *   sizes: [2, 1], activation: 'sigmoid', inputLookup: false, outputLookup: false,
 *   layers: [{ 0: {}, 1: {} }, { 0: { bias: 0, weights: { 0: 1, 1: -1 } } }]
 * }
 * pipe(fromBrainJson(file), E.map((net) => predict([2, 2])(net).prediction)) // => E.right([0.5])
 *
 * @category import
 * @since 0.1.0
 */
export const fromBrainJson = (json: unknown): E.Either<InteropError, Network> => E.map((r: BrainImport) => r.network)(readBrainJson(json))
