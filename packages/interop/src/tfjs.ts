/**
 * TensorFlow.js layers models: a purenn network as the `ModelArtifacts` that
 * `tf.loadLayersModel(tf.io.fromMemory(artifacts))` loads (and, saved as `model.json` plus
 * `weights.bin`, what the TensorFlow.js converter turns into a Keras model), and such models
 * back into purenn networks.
 *
 * | purenn | TensorFlow.js / Keras |
 * | --- | --- |
 * | a layer, weights `nodes x inputs` | `Dense`, kernel `inputs x units` (transposed), bias `units` |
 * | sigmoid, tanh, relu, elu, softplus, linear, softmax | the Dense layer's `activation` of the same name |
 * | leakyRelu (slope 0.01) | a linear `Dense`, then a `LeakyReLU` layer with `alpha: 0.01` |
 * | float64 | float32 weights (TensorFlow.js layers models hold float32) |
 *
 * The types below describe the artifacts structurally, as `@tensorflow/tfjs-core`'s `io`
 * module declares them, so that this package does not depend on TensorFlow.js.
 *
 * @since 0.1.0
 */
import { builtinActivations, isBuiltinName, type BuiltinActivationName, type Network } from '@purenn/network'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { ioPath } from './internal/ioPath.js'
import { invalid, unsupported, type InteropError } from './InteropError.js'
import { assemble, layerNumbers, unreadable, type LayerData } from './internal/assemble.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One weight of a layers model, as `tf.io.WeightsManifestEntry`: its name (`<layer>/kernel`,
 * `<layer>/bias`), shape and data type. Its bytes follow the previous entry's in `weightData`.
 *
 * @example
 * import { toTfjs, type WeightsManifestEntry } from '@purenn/interop'
 * import { network, addLayer, relu } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = toTfjs(addLayer({ nodes: 4, activation: relu })(network(3)))
 * const entries: WeightsManifestEntry[] = E.isRight(r) ? r.right.weightSpecs : []
 * entries.map((w) => `${w.name} ${w.shape.join('x')}`) // => ['dense_0/kernel 3x4', 'dense_0/bias 4']
 *
 * @category model
 * @since 0.1.0
 */
export interface WeightsManifestEntry {
  name: string
  shape: number[]
  dtype: 'float32'
}

/**
 * A TensorFlow.js layers model in memory, as `tf.io.ModelArtifacts`: the Keras topology (JSON),
 * the weights' manifest and their bytes, little-endian float32, in manifest order.
 *
 * @example
 * import { toTfjs, fromTfjs, type ModelArtifacts } from '@purenn/interop'
 * import { network, addLayer, relu } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const r = toTfjs(addLayer({ nodes: 4, activation: relu })(network(3)))
 * if (E.isLeft(r)) throw new Error(r.left.message)
 * const artifacts: ModelArtifacts = r.right
 * // 3·4 weights and 4 biases, float32
 * artifacts.weightData.byteLength // => 64
 * // as JSON, the way a model.json and weights.bin carry it, and back
 * pipe(fromTfjs(artifacts), E.map((net) => net.layers[0]!.activation.name)) // => E.right('relu')
 *
 * @category model
 * @since 0.1.0
 */
export interface ModelArtifacts {
  modelTopology: { [key: string]: unknown }
  format: 'layers-model'
  generatedBy: string
  convertedBy: null
  weightSpecs: WeightsManifestEntry[]
  weightData: ArrayBuffer
}

/** The Keras activation names that are purenn built-ins. */
const kerasActivation = (name: string): BuiltinActivationName | undefined => {
  switch (name) {
    case 'sigmoid':
    case 'tanh':
    case 'relu':
    case 'elu':
    case 'softplus':
    case 'linear':
    case 'softmax':
      return name
    default:
      return undefined
  }
}

/** purenn's leakyRelu slope, which a LeakyReLU layer's alpha must be (as float32 or float64). */
const LEAK = 0.01
const isLeak = (alpha: number): boolean => alpha === LEAK || Math.fround(alpha) === Math.fround(LEAK)

// -------------------------------------------------------------------------------------
// export
// -------------------------------------------------------------------------------------

const GENERATED_BY = '@purenn/interop 0.1.0'

/**
 * A network as a TensorFlow.js layers model: a Keras `Sequential` of `Dense` layers (kernels
 * transposed to `inputs x units`, float32 weights, leakyRelu as a linear `Dense` followed by a
 * `LeakyReLU` layer of `alpha: 0.01`), ready for `tf.loadLayersModel(tf.io.fromMemory(…))`.
 * A custom activation, or a network without layers, is an `Unsupported` `Left` naming the layer.
 *
 * @example
 * import { toTfjs } from '@purenn/interop'
 * import { network, addLayer, relu } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const artifacts = toTfjs(pipe(network(2), addLayer({ nodes: 3, activation: relu })))
 * pipe(artifacts, E.map((a) => a.weightSpecs))
 * // => E.right([{ name: 'dense_0/kernel', shape: [2, 3], dtype: 'float32' }, { name: 'dense_0/bias', shape: [3], dtype: 'float32' }])
 * pipe(artifacts, E.map((a) => a.weightData.byteLength)) // => E.right(36)
 *
 * @category export
 * @since 0.1.0
 */
export const toTfjs = (net: Network): E.Either<InteropError, ModelArtifacts> => {
  const bad = unreadable(net)
  if (bad !== undefined) return E.left(bad)
  if (net.layers.length === 0) return E.left(unsupported('layers', 'the network has no layers: there is nothing to export'))
  const layers: object[] = []
  const weightSpecs: WeightsManifestEntry[] = []
  const chunks: Float32Array[] = []
  for (let k = 0; k < net.layers.length; k++) {
    const a = net.layers[k]!.activation
    if (!(isBuiltinName(a.name) && builtinActivations[a.name] === a))
      return E.left(
        unsupported(`layers[${k}]`, `custom activation "${a.name}" cannot be exported to TensorFlow.js (only the built-ins: ${Object.keys(builtinActivations).join(', ')})`)
      )
    const { nodes, inputs, weights, bias } = layerNumbers(net, k)
    const name = `dense_${k}`
    // purenn's W is nodes x inputs; a Keras kernel is inputs x units
    const kernel = new Float32Array(inputs * nodes)
    for (let i = 0; i < nodes; i++) for (let j = 0; j < inputs; j++) kernel[j * nodes + i] = weights[i * inputs + j]!
    chunks.push(kernel, Float32Array.from(bias))
    weightSpecs.push({ name: `${name}/kernel`, shape: [inputs, nodes], dtype: 'float32' }, { name: `${name}/bias`, shape: [nodes], dtype: 'float32' })
    layers.push({
      class_name: 'Dense',
      config: {
        units: nodes,
        activation: a.name === 'leakyRelu' ? 'linear' : a.name,
        use_bias: true,
        kernel_initializer: { class_name: 'Zeros', config: {} },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
        name,
        trainable: true,
        ...(k === 0 ? { batch_input_shape: [null, net.inputSize] } : {}),
        dtype: 'float32'
      }
    })
    if (a.name === 'leakyRelu') layers.push({ class_name: 'LeakyReLU', config: { alpha: LEAK, name: `leaky_re_lu_${k}`, trainable: true, dtype: 'float32' } })
  }
  const total = chunks.reduce((n, c) => n + c.length, 0)
  const data = new Float32Array(total)
  let offset = 0
  for (const c of chunks) {
    data.set(c, offset)
    offset += c.length
  }
  // Float32Array stores in the platform's order; every platform Node and the browsers run on is little-endian,
  // but say so explicitly: a layers model's weights are little-endian.
  const bytes = new ArrayBuffer(total * 4)
  const view = new DataView(bytes)
  for (let i = 0; i < total; i++) view.setFloat32(i * 4, data[i]!, true)
  return E.right({
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'purenn', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js'
    },
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs,
    weightData: bytes
  })
}

// -------------------------------------------------------------------------------------
// import: the boundary
// -------------------------------------------------------------------------------------

const ArrayBufferCodec = new t.Type<ArrayBuffer, ArrayBuffer, unknown>(
  'ArrayBuffer',
  (u): u is ArrayBuffer => u instanceof ArrayBuffer,
  (u, ctx) => (u instanceof ArrayBuffer ? t.success(u) : t.failure(u, ctx)),
  t.identity
)

const SpecCodec = t.intersection([
  t.type({ name: t.string, shape: t.array(t.number), dtype: t.string }),
  t.partial({ quantization: t.unknown })
])
const LayerCodec = t.type({ class_name: t.string, config: t.UnknownRecord })
const ArtifactsCodec = t.type({
  modelTopology: t.UnknownRecord,
  weightSpecs: t.array(SpecCodec),
  weightData: t.union([ArrayBufferCodec, t.array(ArrayBufferCodec)])
})
type Spec = t.TypeOf<typeof SpecCodec>

/** The layers of a topology, whether Keras wrote `config.layers`, `config` as a list, or the whole under `model_config`. */
const layersOf = (topology: Record<string, unknown>): E.Either<InteropError, { readonly path: string; readonly layers: ReadonlyArray<unknown> }> => {
  const root = (typeof topology['model_config'] === 'object' && topology['model_config'] !== null ? topology['model_config'] : topology) as Record<string, unknown>
  const base = root === topology ? 'modelTopology' : 'modelTopology.model_config'
  const className = root['class_name']
  if (className !== 'Sequential')
    return E.left(unsupported(`${base}.class_name`, `a ${JSON.stringify(className)} model; fromTfjs reads Sequential models of Dense, Activation and LeakyReLU layers`))
  const config = root['config']
  if (Array.isArray(config)) return E.right({ path: `${base}.config`, layers: config })
  if (typeof config === 'object' && config !== null && Array.isArray((config as Record<string, unknown>)['layers']))
    return E.right({ path: `${base}.config.layers`, layers: (config as Record<string, unknown>)['layers'] as ReadonlyArray<unknown> })
  return E.left(invalid(`${base}.config`, 'expected the layers of a Sequential model (config.layers)'))
}

// -------------------------------------------------------------------------------------
// import: reading the layers
// -------------------------------------------------------------------------------------

/** The float32 values of every weight, by name, cut from the concatenated buffers in manifest order. */
const weightsByName = (specs: ReadonlyArray<Spec>, data: ArrayBuffer | ReadonlyArray<ArrayBuffer>): E.Either<InteropError, ReadonlyMap<string, { spec: Spec; values: Float64Array }>> => {
  const buffers = data instanceof ArrayBuffer ? [data] : data
  const total = buffers.reduce((n, b) => n + b.byteLength, 0)
  // tfjs cuts weightData into chunks wherever it likes, a tensor may span two: join them first
  const joined = new Uint8Array(total)
  let at = 0
  for (const b of buffers) {
    joined.set(new Uint8Array(b), at)
    at += b.byteLength
  }
  const view = new DataView(joined.buffer)
  const out = new Map<string, { spec: Spec; values: Float64Array }>()
  let offset = 0
  for (let s = 0; s < specs.length; s++) {
    const spec = specs[s]!
    const path = `weightSpecs[${s}]`
    if (spec.quantization !== undefined) return E.left(unsupported(path, `weight "${spec.name}" is quantized; fromTfjs reads float32 weights`))
    if (spec.dtype !== 'float32') return E.left(unsupported(path, `weight "${spec.name}" has dtype ${spec.dtype}; fromTfjs reads float32 weights`))
    if (!spec.shape.every((d) => Number.isInteger(d) && d >= 0)) return E.left(invalid(path, `weight "${spec.name}" has shape [${spec.shape.join(', ')}]`))
    const count = spec.shape.reduce((a, b) => a * b, 1)
    if (offset + count * 4 > total)
      return E.left(invalid('weightData', `holds ${total} bytes; weight "${spec.name}" (${path}) needs bytes ${offset} to ${offset + count * 4}`))
    const values = new Float64Array(count)
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + i * 4, true)
    offset += count * 4
    if (out.has(spec.name)) return E.left(invalid(path, `a second weight named "${spec.name}"`))
    out.set(spec.name, { spec, values })
  }
  if (offset !== total) return E.left(invalid('weightData', `holds ${total} bytes, the weights' manifest describes ${offset}`))
  return E.right(out)
}

/** The one weight whose name is `<layer>/<which>` or ends with `/<layer>/<which>` (Keras may prefix the model's name). */
const weightOf = (
  weights: ReadonlyMap<string, { spec: Spec; values: Float64Array }>,
  layer: string,
  which: 'kernel' | 'bias',
  path: string
): E.Either<InteropError, { spec: Spec; values: Float64Array } | undefined> => {
  const suffix = `${layer}/${which}`
  const found = [...weights.entries()].filter(([name]) => name === suffix || name.endsWith(`/${suffix}`) || name === `${suffix}:0` || name.endsWith(`/${suffix}:0`))
  if (found.length > 1) return E.left(invalid(path, `${found.length} weights match "${suffix}": ${found.map(([n]) => n).join(', ')}`))
  return E.right(found[0]?.[1])
}

const str = (config: Record<string, unknown>, key: string): string | undefined => (typeof config[key] === 'string' ? (config[key] as string) : undefined)

const readLayers = (artifacts: t.TypeOf<typeof ArtifactsCodec>): E.Either<InteropError, Network> => {
  const found = layersOf(artifacts.modelTopology)
  if (E.isLeft(found)) return found
  const weights = weightsByName(artifacts.weightSpecs, artifacts.weightData)
  if (E.isLeft(weights)) return weights
  const layers: Array<Omit<LayerData, 'activation'> & { activation: BuiltinActivationName }> = []
  let inputSize = -1
  let width = -1
  for (let k = 0; k < found.right.layers.length; k++) {
    const decoded = LayerCodec.decode(found.right.layers[k])
    const path = `${found.right.path}[${k}]`
    if (E.isLeft(decoded)) return E.left(invalid(path, 'expected a layer { class_name, config }'))
    const { class_name: className, config } = decoded.right
    const at = `${path} (${className})`
    const previous = layers[layers.length - 1]
    /** An activation after a Dense: only on a linear Dense, which it then gives its activation. */
    const setActivation = (name: BuiltinActivationName): E.Either<InteropError, void> => {
      if (previous === undefined) return E.left(unsupported(at, 'an activation before any Dense layer has no purenn form'))
      if (name === 'linear') return E.right(undefined)
      if (previous.activation !== 'linear')
        return E.left(unsupported(at, `a ${name} activation after a Dense layer that already has the activation ${previous.activation}: purenn layers have one activation`))
      previous.activation = name
      return E.right(undefined)
    }
    switch (className) {
      case 'InputLayer': {
        const shape = config['batch_input_shape'] ?? config['batchInputShape'] ?? config['batch_shape']
        if (Array.isArray(shape) && shape.length === 2 && typeof shape[1] === 'number') inputSize = width = shape[1]
        else return E.left(unsupported(at, `input shape ${JSON.stringify(shape)}; expected [null, features]`))
        break
      }
      case 'Dense': {
        const name = str(config, 'name')
        if (name === undefined) return E.left(invalid(`${path}.config.name`, 'expected the layer name (its weights are found by it)'))
        const act = str(config, 'activation') ?? 'linear'
        const activation = kerasActivation(act)
        if (activation === undefined)
          return E.left(unsupported(at, `activation "${act}" has no purenn built-in (sigmoid, tanh, relu, elu, softplus, linear, softmax, and a LeakyReLU layer)`))
        const kernel = weightOf(weights.right, name, 'kernel', path)
        if (E.isLeft(kernel)) return kernel
        if (kernel.right === undefined) return E.left(invalid(at, `no weight named "${name}/kernel" in weightSpecs`))
        const shape = kernel.right.spec.shape
        if (shape.length !== 2) return E.left(invalid(at, `kernel of shape [${shape.join(', ')}]: expected [inputs, units]`))
        const [inputs, units] = shape as [number, number]
        if (width >= 0 && inputs !== width) return E.left(invalid(at, `kernel of shape [${inputs}, ${units}] after a layer of ${width} units`))
        if (typeof config['units'] === 'number' && config['units'] !== units) return E.left(invalid(at, `units is ${String(config['units'])}, its kernel has ${units} columns`))
        const declared = config['batch_input_shape'] ?? config['batchInputShape']
        if (layers.length === 0 && Array.isArray(declared) && typeof declared[1] === 'number' && declared[1] !== inputs)
          return E.left(invalid(at, `batch_input_shape is ${JSON.stringify(declared)}, its kernel takes ${inputs} inputs`))
        const useBias = config['use_bias'] !== false
        const bias = weightOf(weights.right, name, 'bias', path)
        if (E.isLeft(bias)) return bias
        if (useBias && bias.right === undefined) return E.left(invalid(at, `no weight named "${name}/bias" in weightSpecs`))
        // a Keras kernel is inputs x units; purenn's weights are nodes x inputs
        const w = new Float64Array(units * inputs)
        const kv = kernel.right.values
        for (let i = 0; i < inputs; i++) for (let j = 0; j < units; j++) w[j * inputs + i] = kv[i * units + j]!
        if (inputSize < 0) inputSize = inputs
        layers.push({ path: at, nodes: units, inputs, weights: w, bias: useBias ? bias.right!.values : new Float64Array(units), activation })
        width = units
        break
      }
      case 'Activation': {
        const act = str(config, 'activation') ?? ''
        const activation = kerasActivation(act)
        if (activation === undefined) return E.left(unsupported(at, `activation "${act}" has no purenn built-in`))
        const set = setActivation(activation)
        if (E.isLeft(set)) return set
        break
      }
      case 'LeakyReLU': {
        // tfjs and Keras 2 call the slope alpha (default 0.3), Keras 3 negative_slope
        const alpha = config['alpha'] ?? config['negative_slope'] ?? 0.3
        if (typeof alpha !== 'number' || !isLeak(alpha)) return E.left(unsupported(at, `alpha ${String(alpha)}: purenn's leakyRelu has the slope 0.01`))
        const set = setActivation('leakyRelu')
        if (E.isLeft(set)) return set
        break
      }
      default:
        return E.left(unsupported(at, `unsupported layer; fromTfjs reads Sequential models of Dense, Activation and LeakyReLU layers`))
    }
  }
  return assemble(inputSize, layers, found.right.path)
}

/**
 * Reads a TensorFlow.js layers model (the `ModelArtifacts` of `tf.io.withSaveHandler`,
 * `toTfjs`, or a `model.json`'s topology and its weight files) into a purenn network: a
 * `Sequential` of `Dense` layers, each followed by at most one `Activation` or `LeakyReLU`
 * (alpha 0.01) layer. Weights are matched to layers by name suffix (`<layer>/kernel`);
 * `weightData` may be one buffer or several (a tensor may span two). Any other layer, a
 * LeakyReLU of another slope (Keras's default is 0.3), a quantized weight is an `Unsupported`
 * `Left` naming the layer; a malformed document an `Invalid` one. Never throws.
 *
 * @example
 * import { toTfjs, fromTfjs } from '@purenn/interop'
 * import { network, addLayer, leakyRelu, encodeNetwork } from '@purenn/network'
 * import { pipe } from 'fp-ts/lib/function.js'
 * import * as E from 'fp-ts/lib/Either.js'
 * const net = pipe(network(2), addLayer({ nodes: 1, activation: leakyRelu }))
 * pipe(toTfjs(net), E.chain(fromTfjs), E.map(encodeNetwork)) // => E.right(encodeNetwork(net))
 * fromTfjs({ modelTopology: { class_name: 'Model' }, weightSpecs: [], weightData: new ArrayBuffer(0) })._tag // => 'Left'
 *
 * @category import
 * @since 0.1.0
 */
export const fromTfjs = (artifacts: unknown): E.Either<InteropError, Network> => {
  try {
    const decoded = ArtifactsCodec.decode(artifacts)
    if (E.isLeft(decoded)) {
      const path = ioPath(decoded.left)
      return E.left(invalid(path === '' ? 'artifacts' : path, 'expected a layers model { modelTopology, weightSpecs, weightData (an ArrayBuffer or several) }'))
    }
    return readLayers(decoded.right)
  } catch (e) {
    return E.left(invalid('artifacts', `could not be read: ${e instanceof Error ? e.message : String(e)}`))
  }
}
