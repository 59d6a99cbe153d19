/**
 * ONNX: a purenn network as an ONNX model (a `ModelProto`, as bytes) for ONNX Runtime and every
 * other ONNX consumer, and dense ONNX models back into purenn networks.
 *
 * The graph of a network of L layers is a chain: each layer a `Gemm` (`Y = X·Wᵀ + b`, with
 * purenn's `nodes x inputs` weights as they are and `transB = 1`) followed by its activation.
 * The input is `[batch, inputs]` with a dynamic batch dimension, the output `[batch, outputs]`:
 * one sample a row, where `predictBatch` takes one sample a column.
 *
 * Precision: `float64` (the default) keeps purenn's own numbers. ONNX Runtime has no double
 * kernels for `Elu`, `Softplus` or (outside opsets 16–18) `LeakyRelu`, and their `alpha`
 * attributes are float32, so in float64 those three are written from ops that do have double
 * kernels, with float64 constants:
 *
 * | activation | float64 | float32 |
 * | --- | --- | --- |
 * | sigmoid, tanh, relu | `Sigmoid`, `Tanh`, `Relu` | the same |
 * | leakyRelu | `Max(z, Mul(z, 0.01))` | `LeakyRelu(alpha = 0.01)` |
 * | elu | `Add(Max(z, 0), Sub(Exp(Min(z, 0)), 1))` | `Elu(alpha = 1)` |
 * | softplus | `Add(Max(z, 0), Log(Add(Exp(Neg(Abs(z))), 1)))` | `Softplus` |
 * | softmax | `Softmax(axis = 1)`, over the features | the same |
 * | linear | nothing: the `Gemm` output is the layer's | the same |
 *
 * ONNX has no `expm1` or `log1p`, so elu and softplus in float64 agree with purenn to about
 * 1e-16 in absolute terms near zero rather than to the last bit; everything else computes what
 * purenn computes, up to the order of a sum's terms.
 *
 * @since 0.1.0
 */
import { builtinActivations, isBuiltinName, type BuiltinActivationName, type Network } from '@purenn/network'
import { describeValue } from '@purenn/matrix'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { ioPath } from './internal/ioPath.js'
import { invalid, unsupported, type InteropError } from './InteropError.js'
import { assemble, layerNumbers, unreadable, type LayerData } from './internal/assemble.js'
import { ATTR_FLOAT, ATTR_INT, DOUBLE, FLOAT, modelProtoType } from './internal/protobuf.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of `toOnnx`: the precision of every tensor (`'float64'` by default), the opset
 * (13 by default; 13 to 21 are accepted, the ops written are the same in all of them), and
 * the names of the graph's input and output (`'input'` and `'output'` by default).
 *
 * @example
 * import { toOnnx, fromOnnx, type OnnxOptions } from '@purenn/interop'
 * import { network, addLayer, randomize, encodeNetwork, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const options: OnnxOptions = { precision: 'float32', opset: 17, inputName: 'x', outputName: 'y' }
 * const back = pipe(toOnnx(net, options), E.chain(fromOnnx))
 * // float32 keeps about 7 digits of each weight
 * pipe(back, E.map((b) => encodeNetwork(b).layers[0]!.weights[0]!)) // ≈ E.right(encodeNetwork(net).layers[0]!.weights[0]!) ± 1e-7
 *
 * @category model
 * @since 0.1.0
 */
export interface OnnxOptions {
  readonly precision?: 'float64' | 'float32'
  readonly opset?: number
  readonly inputName?: string
  readonly outputName?: string
}

/** The opsets `toOnnx` writes; 13 is where `Softmax` takes one axis and `Gemm` its present form. */
const MIN_OPSET = 13
const MAX_OPSET = 21

/** The IR version that goes with an opset (onnx/onnx: docs/Versioning.md). */
const irVersionFor = (opset: number): number => (opset <= 13 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10)

// -------------------------------------------------------------------------------------
// activations as small graphs
// -------------------------------------------------------------------------------------

/** A tensor in an activation's graph: its input `x`, output `y`, a temporary `tN`, or a scalar constant. */
type Ref = 'x' | 'y' | `t${number}` | { readonly constant: number }

interface Step {
  readonly op: string
  readonly inputs: ReadonlyArray<Ref>
  readonly output: Ref
}

const step = (op: string, inputs: ReadonlyArray<Ref>, output: Ref): Step => ({ op, inputs, output })
const c = (constant: number): Ref => ({ constant })

/** The ops whose two inputs may come in either order. */
const commutative = (op: string): boolean => op === 'Add' || op === 'Mul' || op === 'Max' || op === 'Min'

/**
 * The float64 forms of the activations ONNX Runtime has no double kernel for (see the module's
 * table). `toOnnx` writes them and `fromOnnx` recognises them, from this one description.
 */
const composite = (name: 'leakyRelu' | 'elu' | 'softplus'): ReadonlyArray<Step> => {
  switch (name) {
    case 'leakyRelu': // max(z, 0.01·z): z for z > 0, 0.01·z otherwise
      return [step('Mul', ['x', c(0.01)], 't0'), step('Max', ['x', 't0'], 'y')]
    case 'elu': // max(z, 0) + (exp(min(z, 0)) − 1): z + 0 for z > 0, eᶻ − 1 otherwise
      return [
        step('Max', ['x', c(0)], 't0'),
        step('Min', ['x', c(0)], 't1'),
        step('Exp', ['t1'], 't2'),
        step('Sub', ['t2', c(1)], 't3'),
        step('Add', ['t0', 't3'], 'y')
      ]
    case 'softplus': // max(z, 0) + log(1 + exp(−|z|)), which never overflows
      return [
        step('Max', ['x', c(0)], 't0'),
        step('Abs', ['x'], 't1'),
        step('Neg', ['t1'], 't2'),
        step('Exp', ['t2'], 't3'),
        step('Add', ['t3', c(1)], 't4'),
        step('Log', ['t4'], 't5'),
        step('Add', ['t0', 't5'], 'y')
      ]
  }
}

/** The composites in the order `fromOnnx` tries them (longest first, so none is a prefix of a later one). */
const composites = (): ReadonlyArray<readonly ['leakyRelu' | 'elu' | 'softplus', ReadonlyArray<Step>]> =>
  (['softplus', 'elu', 'leakyRelu'] as const).map((n) => [n, composite(n)] as const)

// -------------------------------------------------------------------------------------
// export
// -------------------------------------------------------------------------------------

interface Attribute {
  readonly name: string
  readonly type: number
  readonly i?: number
  readonly f?: number
}

interface NodeOut {
  readonly name: string
  readonly op_type: string
  readonly input: ReadonlyArray<string>
  readonly output: ReadonlyArray<string>
  readonly attribute: ReadonlyArray<Attribute>
}

interface TensorOut {
  readonly name: string
  readonly dims: ReadonlyArray<number>
  readonly data_type: number
  readonly raw_data: Uint8Array
}

const intAttr = (name: string, i: number): Attribute => ({ name, type: ATTR_INT, i })
const floatAttr = (name: string, f: number): Attribute => ({ name, type: ATTR_FLOAT, f })

/** Little-endian bytes of `values` as float64 or float32, as `TensorProto.raw_data` wants them. */
const rawBytes = (values: ArrayLike<number>, precision: 'float64' | 'float32'): Uint8Array => {
  const size = precision === 'float64' ? 8 : 4
  const bytes = new Uint8Array(values.length * size)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < values.length; i++) {
    if (precision === 'float64') view.setFloat64(i * 8, values[i]!, true)
    else view.setFloat32(i * 4, values[i]!, true)
  }
  return bytes
}

const tensor = (name: string, dims: ReadonlyArray<number>, values: ArrayLike<number>, precision: 'float64' | 'float32'): TensorOut => ({
  name,
  dims,
  data_type: precision === 'float64' ? DOUBLE : FLOAT,
  raw_data: rawBytes(values, precision)
})

const valueInfo = (name: string, elemType: number, width: number): object => ({
  name,
  type: { tensor_type: { elem_type: elemType, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } }
})

/** The built-in name of a layer's activation, or undefined for a custom one (even one that borrows a name). */
const builtinName = (net: Network, k: number): BuiltinActivationName | undefined => {
  const a = net.layers[k]!.activation
  return isBuiltinName(a.name) && builtinActivations[a.name] === a ? a.name : undefined
}

/**
 * The activation of layer `k` as nodes from `x` to `y`, with the initializers its constants need.
 */
const activationNodes = (
  name: Exclude<BuiltinActivationName, 'linear'>,
  k: number,
  x: string,
  y: string,
  precision: 'float64' | 'float32'
): { readonly nodes: ReadonlyArray<NodeOut>; readonly constants: ReadonlyArray<TensorOut> } => {
  const prefix = `layer${k}`
  const one = (op: string, attribute: ReadonlyArray<Attribute> = []): { nodes: NodeOut[]; constants: TensorOut[] } => ({
    nodes: [{ name: `${prefix}/${op}`, op_type: op, input: [x], output: [y], attribute }],
    constants: []
  })
  switch (name) {
    case 'sigmoid':
      return one('Sigmoid')
    case 'tanh':
      return one('Tanh')
    case 'relu':
      return one('Relu')
    case 'softmax':
      return one('Softmax', [intAttr('axis', 1)])
    default:
      if (precision === 'float32') {
        if (name === 'leakyRelu') return one('LeakyRelu', [floatAttr('alpha', 0.01)])
        if (name === 'elu') return one('Elu', [floatAttr('alpha', 1)])
        return one('Softplus')
      }
  }
  // float64: the composite, its temporaries and constants named after the layer
  const constants = new Map<number, TensorOut>()
  const refName = (r: Ref): string => {
    if (typeof r === 'object') {
      const existing = constants.get(r.constant)
      if (existing !== undefined) return existing.name
      const made = tensor(`${prefix}/const${constants.size}`, [], [r.constant], precision)
      constants.set(r.constant, made)
      return made.name
    }
    return r === 'x' ? x : r === 'y' ? y : `${prefix}/${name}/${r}`
  }
  const nodes = composite(name).map(
    (s, i): NodeOut => ({ name: `${prefix}/${name}/${s.op}${i}`, op_type: s.op, input: s.inputs.map(refName), output: [refName(s.output)], attribute: [] })
  )
  return { nodes, constants: [...constants.values()] }
}

const PRODUCER_VERSION = '0.1.0'

/**
 * A network as an ONNX model: the bytes of a `ModelProto` that ONNX Runtime (Node, Python,
 * C++, the browser with WebGPU) loads and runs. Each layer is a `Gemm` of purenn's
 * `nodes x inputs` weights (`transB = 1`) and its bias, followed by its activation; the input
 * is `[batch, inputs]`, one sample a row, with a dynamic `batch`. In float64 (the default) the
 * runtime reproduces `predictBatch` to within 1e-12 of max(|y|, 0.01); `precision: 'float32'`
 * writes float32 tensors (to about 1e-6). A network with a custom activation, or without
 * layers, is a `Left` naming the layer; an opset outside 13–21 is a `Left` too.
 *
 * @example
 * import { toOnnx } from '@purenn/interop'
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }))
 * const bytes = toOnnx(net)
 * E.isRight(bytes) && bytes.right instanceof Uint8Array // => true
 *
 * @category export
 * @since 0.1.0
 */
export const toOnnx = (net: Network, options: OnnxOptions = {}): E.Either<InteropError, Uint8Array> => {
  const bad = unreadable(net)
  if (bad !== undefined) return E.left(bad)
  if (typeof options !== 'object' || options === null) return E.left(invalid('options', `expected an object, got ${describeValue(options)}`))
  const precision = options.precision ?? 'float64'
  if (precision !== 'float64' && precision !== 'float32')
    return E.left(unsupported('options.precision', `expected 'float64' or 'float32', got ${JSON.stringify(precision)}`))
  const opset = options.opset ?? MIN_OPSET
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET)
    return E.left(unsupported('options.opset', `expected an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${String(opset)}`))
  const inputName = options.inputName ?? 'input'
  const outputName = options.outputName ?? 'output'
  if (typeof inputName !== 'string' || inputName === '' || typeof outputName !== 'string' || outputName === '' || inputName === outputName)
    return E.left(invalid('options', 'inputName and outputName must be two different non-empty strings'))
  if (net.layers.length === 0) return E.left(unsupported('layers', 'the network has no layers: there is nothing to export'))
  for (let k = 0; k < net.layers.length; k++)
    if (builtinName(net, k) === undefined)
      return E.left(
        unsupported(
          `layers[${k}]`,
          `custom activation "${net.layers[k]!.activation.name}" cannot be exported to ONNX (only the built-ins: ${Object.keys(builtinActivations).join(', ')})`
        )
      )

  const nodes: NodeOut[] = []
  const initializer: TensorOut[] = []
  let current = inputName
  for (let k = 0; k < net.layers.length; k++) {
    const name = builtinName(net, k)!
    const last = k === net.layers.length - 1
    const { nodes: n, inputs, weights, bias } = layerNumbers(net, k)
    const z = last && name === 'linear' ? outputName : `layer${k}/z`
    initializer.push(tensor(`layer${k}/weights`, [n, inputs], weights, precision), tensor(`layer${k}/bias`, [n], bias, precision))
    nodes.push({
      name: `layer${k}/Gemm`,
      op_type: 'Gemm',
      input: [current, `layer${k}/weights`, `layer${k}/bias`],
      output: [z],
      attribute: [intAttr('transB', 1)]
    })
    if (name === 'linear') current = z
    else {
      const y = last ? outputName : `layer${k}/y`
      const act = activationNodes(name, k, z, y, precision)
      nodes.push(...act.nodes)
      initializer.push(...act.constants)
      current = y
    }
  }
  const elemType = precision === 'float64' ? DOUBLE : FLOAT
  const outputs = net.layers[net.layers.length - 1]!.weights.rows
  const model = {
    ir_version: irVersionFor(opset),
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'purenn',
    producer_version: PRODUCER_VERSION,
    doc_string: `A purenn network: ${[net.inputSize, ...net.layers.map((l) => `${l.weights.rows} ${l.activation.name}`)].join(' -> ')} (${precision})`,
    graph: {
      name: 'purenn',
      node: nodes,
      initializer,
      input: [valueInfo(inputName, elemType, net.inputSize)],
      output: [valueInfo(outputName, elemType, outputs)]
    }
  }
  const type = modelProtoType()
  return E.right(type.encode(type.fromObject(model)).finish())
}

// -------------------------------------------------------------------------------------
// import: the boundary
// -------------------------------------------------------------------------------------

/** `raw_data`: protobufjs gives a Uint8Array (a Buffer in Node). */
const Bytes = new t.Type<Uint8Array, Uint8Array, unknown>(
  'bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, ctx) => (u instanceof Uint8Array ? t.success(u) : t.failure(u, ctx)),
  t.identity
)

const AttributeCodec = t.type({ name: t.string, type: t.number, f: t.number, i: t.number })
const TensorCodec = t.type({
  name: t.string,
  dims: t.array(t.number),
  data_type: t.number,
  float_data: t.array(t.number),
  double_data: t.array(t.number),
  raw_data: Bytes,
  data_location: t.number
})
const NodeCodec = t.type({ name: t.string, op_type: t.string, domain: t.string, input: t.array(t.string), output: t.array(t.string), attribute: t.array(AttributeCodec) })
const DimCodec = t.partial({ dim_value: t.number, dim_param: t.string })
const ValueInfoCodec = t.type({
  name: t.string,
  type: t.union([
    t.null,
    t.partial({ tensor_type: t.union([t.null, t.partial({ elem_type: t.number, shape: t.union([t.null, t.type({ dim: t.array(DimCodec) })]) })]) })
  ])
})
const ModelCodec = t.type({
  opset_import: t.array(t.type({ domain: t.string, version: t.number })),
  graph: t.type({
    node: t.array(NodeCodec),
    initializer: t.array(TensorCodec),
    input: t.array(ValueInfoCodec),
    output: t.array(ValueInfoCodec)
  })
})
type Model = t.TypeOf<typeof ModelCodec>
type OnnxNode = t.TypeOf<typeof NodeCodec>
type Tensor = t.TypeOf<typeof TensorCodec>

const decodeModel = (bytes: Uint8Array): E.Either<InteropError, Model> => {
  const type = modelProtoType()
  let plain: unknown
  try {
    plain = type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: true, arrays: true })
  } catch (e) {
    return E.left(invalid('bytes', `not an ONNX model (a ModelProto): ${e instanceof Error ? e.message : String(e)}`))
  }
  if (typeof plain === 'object' && plain !== null && (plain as { graph?: unknown }).graph == null)
    return E.left(invalid('graph', 'missing: not an ONNX model (a ModelProto with a graph)'))
  return E.mapLeft((errors: t.Errors) => {
    const path = ioPath(errors)
    return invalid(path, `unexpected value ${String(errors[0]?.value)}: not a readable ONNX model`)
  })(ModelCodec.decode(plain))
}

// -------------------------------------------------------------------------------------
// import: reading the chain
// -------------------------------------------------------------------------------------

interface Numbers {
  readonly dims: ReadonlyArray<number>
  readonly values: Float64Array
  readonly dataType: number
}

/** An initializer's numbers, float32 or float64, from `raw_data` or the typed fields. */
const numbersOf = (tensor: Tensor, path: string): E.Either<InteropError, Numbers> => {
  if (tensor.data_location === 1) return E.left(unsupported(path, `tensor "${tensor.name}" keeps its data in an external file`))
  if (tensor.data_type !== FLOAT && tensor.data_type !== DOUBLE)
    return E.left(unsupported(path, `tensor "${tensor.name}" has data type ${tensor.data_type}; only float (1) and double (11) are read`))
  const count = tensor.dims.reduce((a, b) => a * b, 1)
  if (!tensor.dims.every((d) => Number.isInteger(d) && d >= 0)) return E.left(invalid(path, `tensor "${tensor.name}" has dims [${tensor.dims.join(', ')}]`))
  const values = new Float64Array(count)
  const size = tensor.data_type === DOUBLE ? 8 : 4
  if (tensor.raw_data.length > 0) {
    if (tensor.raw_data.length !== count * size)
      return E.left(invalid(path, `tensor "${tensor.name}" of dims [${tensor.dims.join(', ')}] needs ${count * size} bytes of raw_data, got ${tensor.raw_data.length}`))
    const view = new DataView(tensor.raw_data.buffer, tensor.raw_data.byteOffset, tensor.raw_data.byteLength)
    for (let i = 0; i < count; i++) values[i] = size === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true)
  } else {
    const list = tensor.data_type === DOUBLE ? tensor.double_data : tensor.float_data
    if (list.length !== count)
      return E.left(invalid(path, `tensor "${tensor.name}" of dims [${tensor.dims.join(', ')}] needs ${count} values, got ${list.length}`))
    for (let i = 0; i < count; i++) values[i] = list[i]!
  }
  return E.right({ dims: tensor.dims, values, dataType: tensor.data_type })
}

const attr = (node: OnnxNode, name: string): t.TypeOf<typeof AttributeCodec> | undefined => node.attribute.find((a) => a.name === name)

/** Closes over the model: constants by name, and the path of each node for messages. */
interface Reader {
  readonly model: Model
  readonly constants: ReadonlyMap<string, { readonly tensor: Tensor; readonly path: string }>
  readonly at: (i: number) => string
}

const constant = (r: Reader, name: string): E.Either<InteropError, Numbers> | undefined => {
  const found = r.constants.get(name)
  return found === undefined ? undefined : numbersOf(found.tensor, found.path)
}

/** The single value of a scalar (or one-element) constant, or undefined. */
const scalar = (r: Reader, name: string): number | undefined => {
  const n = constant(r, name)
  return n !== undefined && E.isRight(n) && n.right.values.length === 1 ? n.right.values[0] : undefined
}

/**
 * Tries to match the steps of an activation graph at node `i`, reading from `x`. Returns the
 * output tensor's name, or undefined when the nodes there are not that graph.
 */
const matchSteps = (r: Reader, steps: ReadonlyArray<Step>, i: number, x: string): string | undefined => {
  const nodes = r.model.graph.node
  const bound = new Map<string, string>([['x', x]])
  const fits = (ref: Ref, name: string): boolean => {
    if (typeof ref === 'object') {
      const v = scalar(r, name)
      return v !== undefined && (v === ref.constant || v === Math.fround(ref.constant))
    }
    const known = bound.get(ref)
    return known === undefined ? false : known === name
  }
  for (let s = 0; s < steps.length; s++) {
    const want = steps[s]!
    const node = nodes[i + s]
    if (node === undefined || node.op_type !== want.op || node.domain !== '' || node.input.length !== want.inputs.length || node.output.length !== 1) return undefined
    const direct = want.inputs.every((ref, j) => fits(ref, node.input[j]!))
    const swapped = commutative(want.op) && want.inputs.length === 2 && fits(want.inputs[0]!, node.input[1]!) && fits(want.inputs[1]!, node.input[0]!)
    if (!direct && !swapped) return undefined
    if (typeof want.output !== 'string') return undefined
    bound.set(want.output, node.output[0]!)
  }
  return bound.get('y')
}

const SUPPORTED = 'Gemm, MatMul + Add, Sigmoid, Tanh, Relu, LeakyRelu (alpha 0.01), Elu (alpha 1), Softplus, Softmax (axis 1), Identity'

const opDescription = (r: Reader, i: number): string => `${r.at(i)} (${r.model.graph.node[i]!.op_type})`

/** A single-node activation at node `i`, reading `x`: its built-in name and output, or a Left, or undefined if it is not one. */
const singleActivation = (r: Reader, i: number, x: string): E.Either<InteropError, readonly [BuiltinActivationName, string]> | undefined => {
  const node = r.model.graph.node[i]
  if (node === undefined || node.domain !== '' || node.input[0] !== x || node.input.length !== 1 || node.output.length !== 1) return undefined
  const y = node.output[0]!
  switch (node.op_type) {
    case 'Sigmoid':
      return E.right(['sigmoid', y])
    case 'Tanh':
      return E.right(['tanh', y])
    case 'Relu':
      return E.right(['relu', y])
    case 'Softplus':
      return E.right(['softplus', y])
    case 'LeakyRelu': {
      const alpha = attr(node, 'alpha')?.f ?? 0.01
      return alpha === Math.fround(0.01) || alpha === 0.01
        ? E.right(['leakyRelu', y])
        : E.left(unsupported(opDescription(r, i), `alpha ${alpha}: purenn's leakyRelu has the slope 0.01`))
    }
    case 'Elu': {
      const alpha = attr(node, 'alpha')?.f ?? 1
      return alpha === 1 ? E.right(['elu', y]) : E.left(unsupported(opDescription(r, i), `alpha ${alpha}: purenn's elu has alpha 1`))
    }
    case 'Softmax': {
      const a = attr(node, 'axis')
      const axis = a === undefined ? -1 : a.i
      return axis === 1 || axis === -1
        ? E.right(['softmax', y])
        : E.left(unsupported(opDescription(r, i), `axis ${axis}: purenn's softmax is over the features (axis 1 of [batch, features])`))
    }
    default:
      return undefined
  }
}

/** A linear map at node `i` reading `x` of width `width`: Gemm, or MatMul then Add. */
const linearAt = (
  r: Reader,
  i: number,
  x: string,
  width: number
): E.Either<InteropError, { readonly next: number; readonly z: string; readonly nodes: number; readonly weights: Float64Array; readonly bias: Float64Array }> => {
  const node = r.model.graph.node[i]!
  const where = opDescription(r, i)
  const read = (name: string | undefined, what: string): E.Either<InteropError, Numbers> => {
    const n = name === undefined || name === '' ? undefined : constant(r, name)
    return n ?? E.left(unsupported(where, `its ${what} "${name ?? ''}" is not an initializer (only weights stored in the model are read)`))
  }
  /** W (`width x nodes` when `transposed` is false) as purenn's `nodes x width`. */
  const weightsOf = (w: Numbers, transposed: boolean): E.Either<InteropError, { nodes: number; data: Float64Array }> => {
    if (w.dims.length !== 2) return E.left(unsupported(where, `weights of dims [${w.dims.join(', ')}]: expected a matrix`))
    const [d0, d1] = w.dims as [number, number]
    const inputs = transposed ? d1 : d0
    const nodes = transposed ? d0 : d1
    if (inputs !== width) return E.left(invalid(where, `weights of dims [${w.dims.join(', ')}] take ${inputs} inputs, the tensor before has ${width}`))
    if (transposed) return E.right({ nodes, data: w.values })
    const data = new Float64Array(nodes * width)
    for (let a = 0; a < width; a++) for (let b = 0; b < nodes; b++) data[b * width + a] = w.values[a * nodes + b]!
    return E.right({ nodes, data })
  }
  const biasOf = (b: Numbers | undefined, nodes: number, scale: number): E.Either<InteropError, Float64Array> => {
    const out = new Float64Array(nodes)
    if (b === undefined) return E.right(out)
    if (b.values.length !== nodes && b.values.length !== 1)
      return E.left(invalid(where, `bias of dims [${b.dims.join(', ')}] for ${nodes} nodes: expected ${nodes} values (or one)`))
    for (let j = 0; j < nodes; j++) out[j] = scale * b.values[b.values.length === 1 ? 0 : j]!
    return E.right(out)
  }
  if (node.op_type === 'Gemm') {
    if (node.input[0] !== x) return E.left(unsupported(where, `reads "${node.input[0] ?? ''}", not the output of the layer before ("${x}"): not a chain`))
    if ((attr(node, 'transA')?.i ?? 0) !== 0) return E.left(unsupported(where, 'transA = 1: the input must be [batch, features]'))
    const alpha = attr(node, 'alpha')?.f ?? 1
    const beta = attr(node, 'beta')?.f ?? 1
    const w = read(node.input[1], 'B input')
    if (E.isLeft(w)) return w
    const ws = weightsOf(w.right, (attr(node, 'transB')?.i ?? 0) === 1)
    if (E.isLeft(ws)) return ws
    const cName = node.input[2]
    let bn: Numbers | undefined
    if (cName !== undefined && cName !== '') {
      const b = read(cName, 'C input')
      if (E.isLeft(b)) return b
      bn = b.right
    }
    const bias = biasOf(bn, ws.right.nodes, beta)
    if (E.isLeft(bias)) return bias
    const weights = alpha === 1 ? ws.right.data : ws.right.data.map((v) => alpha * v)
    return E.right({ next: i + 1, z: node.output[0]!, nodes: ws.right.nodes, weights, bias: bias.right })
  }
  // MatMul(x, W), then an Add of a bias (optional)
  if (node.input[0] !== x) return E.left(unsupported(where, `reads "${node.input[0] ?? ''}", not the output of the layer before ("${x}"): not a chain`))
  const w = read(node.input[1], 'second input')
  if (E.isLeft(w)) return w
  const ws = weightsOf(w.right, false)
  if (E.isLeft(ws)) return ws
  const product = node.output[0]!
  const add = r.model.graph.node[i + 1]
  if (add !== undefined && add.op_type === 'Add' && add.domain === '' && add.input.length === 2 && add.input.includes(product)) {
    const other = add.input[0] === product ? add.input[1] : add.input[0]
    const b = read(other, 'bias (the Add after it)')
    if (E.isLeft(b)) return b
    const bias = biasOf(b.right, ws.right.nodes, 1)
    if (E.isLeft(bias)) return bias
    return E.right({ next: i + 2, z: add.output[0]!, nodes: ws.right.nodes, weights: ws.right.data, bias: bias.right })
  }
  return E.right({ next: i + 1, z: product, nodes: ws.right.nodes, weights: ws.right.data, bias: new Float64Array(ws.right.nodes) })
}

const readChain = (model: Model): E.Either<InteropError, Network> => {
  const graph = model.graph
  const onnxDomain = model.opset_import.find((o) => o.domain === '' || o.domain === 'ai.onnx')
  if (onnxDomain === undefined) return E.left(unsupported('opset_import', 'no opset of the default ONNX domain'))
  const constants = new Map<string, { tensor: Tensor; path: string }>()
  graph.initializer.forEach((tensor, i) => constants.set(tensor.name, { tensor, path: `graph.initializer[${i}]` }))
  const r: Reader = { model, constants, at: (i) => `graph.node[${i}]` }

  // first, any op that has no place in a dense chain, named before anything else is looked at
  const known = new Set(['Gemm', 'MatMul', 'Add', 'Identity', 'Sigmoid', 'Tanh', 'Relu', 'LeakyRelu', 'Elu', 'Softplus', 'Softmax', 'Mul', 'Max', 'Min', 'Exp', 'Sub', 'Abs', 'Neg', 'Log'])
  const foreign = graph.node.findIndex((n) => (n.domain !== '' && n.domain !== 'ai.onnx') || !known.has(n.op_type))
  if (foreign >= 0) return E.left(unsupported(opDescription(r, foreign), `unsupported op type; fromOnnx reads chains of ${SUPPORTED}`))

  // the one input that is not a weight (older models list the initializers among the inputs too)
  const inputs = graph.input.map((v, i) => [v, i] as const).filter(([v]) => !constants.has(v.name))
  if (inputs.length !== 1) return E.left(unsupported('graph.input', `expected one input (the features), got ${inputs.length}`))
  const [input, inputIndex] = inputs[0]!
  const inputPath = `graph.input[${inputIndex}]`
  const tensorType = input.type?.tensor_type
  const elemType = tensorType?.elem_type
  if (elemType !== FLOAT && elemType !== DOUBLE)
    return E.left(unsupported(inputPath, `input "${input.name}" has element type ${String(elemType)}; only float (1) and double (11) are read`))
  const dims = tensorType?.shape?.dim ?? []
  if (dims.length !== 2) return E.left(unsupported(inputPath, `input "${input.name}" has ${dims.length} dimensions; expected 2, [batch, features]`))
  const declared = dims[1]?.dim_value
  if (graph.output.length !== 1) return E.left(unsupported('graph.output', `expected one output, got ${graph.output.length}`))
  const output = graph.output[0]!.name

  const layers: LayerData[] = []
  let current = input.name
  let width = declared !== undefined && declared > 0 ? declared : -1
  let inputSize = width
  let i = 0
  const nodes = graph.node
  while (i < nodes.length) {
    const node = nodes[i]!
    if (node.domain !== '' && node.domain !== 'ai.onnx') return E.left(unsupported(opDescription(r, i), `op of domain "${node.domain}"; only the default ONNX domain is read`))
    if (node.op_type === 'Identity' && node.input[0] === current) {
      current = node.output[0]!
      i++
      continue
    }
    if (node.op_type !== 'Gemm' && node.op_type !== 'MatMul')
      return E.left(unsupported(opDescription(r, i), `unsupported op type here; fromOnnx reads chains of ${SUPPORTED}`))
    if (width < 0) {
      // the input's width was not declared: take it from the first weights
      const w = constant(r, node.input[1] ?? '')
      if (w !== undefined && E.isRight(w) && w.right.dims.length === 2)
        width = node.op_type === 'Gemm' && (attr(node, 'transB')?.i ?? 0) === 1 ? w.right.dims[1]! : w.right.dims[0]!
      inputSize = width
    }
    const lin = linearAt(r, i, current, width)
    if (E.isLeft(lin)) return lin
    const path = opDescription(r, i)
    i = lin.right.next
    current = lin.right.z
    // the activation: one node, a float64 composite, or none (linear)
    let activation: BuiltinActivationName = 'linear'
    const single = singleActivation(r, i, current)
    if (single !== undefined) {
      if (E.isLeft(single)) return single
      activation = single.right[0]
      current = single.right[1]
      i++
    } else {
      for (const [name, steps] of composites()) {
        const y = matchSteps(r, steps, i, current)
        if (y !== undefined) {
          activation = name
          current = y
          i += steps.length
          break
        }
      }
    }
    layers.push({ path, nodes: lin.right.nodes, inputs: width, weights: lin.right.weights, bias: lin.right.bias, activation })
    width = lin.right.nodes
  }
  if (current !== output)
    return E.left(unsupported('graph.output', `output "${output}" is not the end of the chain of layers (which ends at "${current}")`))
  return assemble(inputSize, layers, 'graph')
}

/**
 * Reads an ONNX model of a dense network back into a purenn network: a chain of `Gemm`
 * (either `transB`; `alpha` and `beta` are folded into the weights) or `MatMul` + `Add`, each
 * followed by a supported activation (`Sigmoid`, `Tanh`, `Relu`, `LeakyRelu` of slope 0.01,
 * `Elu` of alpha 1, `Softplus`, `Softmax` over the features, the float64 forms `toOnnx` writes)
 * or by none, in float32 or float64, weights stored as initializers. Anything else is an
 * `Unsupported` `Left` naming the node and its op type; bytes that are not a model, an
 * `Invalid` one. Never throws.
 *
 * @example
 * import { toOnnx, fromOnnx } from '@purenn/interop'
 * import { network, addLayer, tanh, encodeNetwork } from '@purenn/network'
 * import { pipe } from 'fp-ts/lib/function.js'
 * import * as E from 'fp-ts/lib/Either.js'
 * const net = pipe(network(2), addLayer({ nodes: 1, activation: tanh }))
 * const back = pipe(toOnnx(net), E.chain(fromOnnx), E.map(encodeNetwork))
 * back // => E.right(encodeNetwork(net))
 *
 * @category import
 * @since 0.1.0
 */
export const fromOnnx = (bytes: Uint8Array): E.Either<InteropError, Network> => {
  if (!(bytes instanceof Uint8Array)) return E.left(invalid('bytes', 'expected a Uint8Array (the bytes of an .onnx file)'))
  try {
    return E.chain(readChain)(decodeModel(bytes))
  } catch (e) {
    return E.left(invalid('bytes', `could not be read: ${e instanceof Error ? e.message : String(e)}`))
  }
}
