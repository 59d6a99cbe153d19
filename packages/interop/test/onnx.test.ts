// ONNX export and import, checked with the real runtime: every export runs in ONNX Runtime
// (onnxruntime-web, WebAssembly, in Node) and is compared with predictBatch; imports are
// checked on our own exports and on models written by ONNX's Python package (fixtures/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as ort from 'onnxruntime-web'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { fromOnnx, toOnnx } from '@purenn/interop'
import { activation, builtinActivations, encodeNetwork, fromTutorialWeights, leakyRelu, linear, relu, sigmoid, softmax, tanh, type Network } from '@purenn/network'
import { activationNames, maxRelative, predictRows, seededNetwork, seededRows, unwrap } from './helpers.js'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

beforeAll(() => {
  ort.env.wasm.numThreads = 1 // no worker threads: the machine's cores are shared
})

/** Runs ONNX bytes in ONNX Runtime on rows of features; the outputs as one flat row-major array. */
const runOnnx = async (bytes: Uint8Array, rows: ReadonlyArray<ReadonlyArray<number>>, precision: 'float64' | 'float32', input = 'input', output = 'output'): Promise<number[]> => {
  const session = await ort.InferenceSession.create(bytes)
  try {
    const flat = rows.flat()
    const data = precision === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat)
    const result = await session.run({ [input]: new ort.Tensor(precision, data, [rows.length, rows[0]!.length]) })
    const tensor = result[output]!
    expect(tensor.dims).toEqual([rows.length, tensor.dims[1]])
    return Array.from(tensor.data as Float64Array | Float32Array)
  } finally {
    await session.release()
  }
}

/** The largest error measured per activation and precision, for the closing note. */
const measured: Record<string, number> = {}
afterAll(() => {
  console.log('ONNX Runtime against predictBatch, max relative error:\n' + Object.entries(measured).map(([k, v]) => `  ${k}: ${v.toExponential(2)}`).join('\n'))
})

describe('toOnnx runs in ONNX Runtime as predictBatch', () => {
  const cases = activationNames.flatMap((name) => (['float64', 'float32'] as const).flatMap((precision) => [1, 37].map((batch) => [name, precision, batch] as const)))
  it.each(cases)('%s, %s, batch %i', async (name, precision, batch) => {
    // three layers, the activation in each, weights in ±1 and inputs in ±2: pre-activations up to ±10 or so
    const net = seededNetwork(batch * 7 + name.length, [5, 8, 6, 3], [builtinActivations[name]], 1)
    const rows = seededRows(batch, batch, 5, 2)
    const y = await runOnnx(unwrap(toOnnx(net, { precision })), rows, precision)
    const reference = predictRows(net, rows).flat()
    const error = maxRelative(y, reference, precision === 'float64' ? 0.01 : 0.1)
    measured[`${name} ${precision}`] = Math.max(measured[`${name} ${precision}`] ?? 0, error)
    expect(error).toBeLessThanOrEqual(precision === 'float64' ? 1e-12 : 1e-5)
  })

  it('is exact far out in the tails (float64: sigmoid, softplus and elu near zero, to 1e-14 absolute)', async () => {
    // one input, weights 1: the pre-activation is the input itself
    for (const a of [sigmoid, builtinActivations.softplus, builtinActivations.elu, tanh, leakyRelu]) {
      const net = unwrap(fromTutorialWeights({ weights: [[[1]]], biases: [[[0]]] }, a))
      const rows = [-700, -40, -20, -1e-9, 0, 1e-9, 3, 40, 700].map((x) => [x])
      const y = await runOnnx(unwrap(toOnnx(net)), rows, 'float64')
      expect(maxRelative(y, predictRows(net, rows).flat(), 0.01)).toBeLessThanOrEqual(1e-12)
    }
  })

  it('takes the opset, the names of the input and output, and runs as well at opset 17', async () => {
    const net = seededNetwork(3, [4, 5, 2], [builtinActivations.elu, softmax])
    const rows = seededRows(4, 6, 4)
    const y = await runOnnx(unwrap(toOnnx(net, { opset: 17, inputName: 'features', outputName: 'probabilities' })), rows, 'float64', 'features', 'probabilities')
    expect(maxRelative(y, predictRows(net, rows).flat(), 0.01)).toBeLessThanOrEqual(1e-12)
  })

  it('writes a dynamic batch dimension and opset 13 by default', async () => {
    const session = await ort.InferenceSession.create(unwrap(toOnnx(seededNetwork(1, [2, 3], [relu]))))
    expect(session.inputNames).toEqual(['input'])
    expect(session.outputNames).toEqual(['output'])
    await session.release()
    const back = unwrap(fromOnnx(unwrap(toOnnx(seededNetwork(1, [2, 3], [relu])))))
    expect(back.inputSize).toBe(2)
  })
})

describe('toOnnx refuses what ONNX cannot hold', () => {
  it('a custom activation: a Left naming the layer and the activation', () => {
    const swish = activation('swish', (x) => x / (1 + Math.exp(-x)), () => 1)
    const net = seededNetwork(1, [2, 3, 1], [relu, swish])
    const result = toOnnx(net)
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'Unsupported', path: 'layers[1]' })))
    expect(E.isLeft(result) && result.left.message).toMatch(/^layers\[1\]: custom activation "swish" cannot be exported/)
  })

  it('an opset outside 13-21, and a network without layers', () => {
    const net = seededNetwork(1, [2, 1], [sigmoid])
    expect(pipe(toOnnx(net, { opset: 12 }), E.mapLeft((e) => e.path))).toEqual(E.left('options.opset'))
    expect(pipe(toOnnx(net, { opset: 13.5 }), E.mapLeft((e) => e._tag))).toEqual(E.left('Unsupported'))
    expect(pipe(toOnnx({ inputSize: 2, layers: [] }), E.mapLeft((e) => e.path))).toEqual(E.left('layers'))
  })
})

describe('round trips: ours -> ONNX -> ours', () => {
  const sizes = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 5 })
  const acts = fc.array(fc.constantFrom(...activationNames), { minLength: 1, maxLength: 4 })

  it('float64 gives back the network, every bit', () => {
    fc.assert(
      fc.property(sizes, acts, fc.integer({ min: 0, max: 1_000_000 }), (s, names, seed) => {
        // softmax needs 2 nodes or more: use sigmoid on 1-node layers
        const layerActs = s.slice(1).map((n, k) => (names[k % names.length] === 'softmax' && n < 2 ? sigmoid : builtinActivations[names[k % names.length]!]))
        const net = seededNetwork(seed, s, layerActs, 3)
        const back = pipe(toOnnx(net), E.chain(fromOnnx), E.map(encodeNetwork))
        expect(back).toEqual(E.right(encodeNetwork(net)))
      }),
      { numRuns: 60 }
    )
  })

  it('float32 gives back the network rounded to float32', () => {
    fc.assert(
      fc.property(sizes, acts, fc.integer({ min: 0, max: 1_000_000 }), (s, names, seed) => {
        const layerActs = s.slice(1).map((n, k) => (names[k % names.length] === 'softmax' && n < 2 ? sigmoid : builtinActivations[names[k % names.length]!]))
        const net = seededNetwork(seed, s, layerActs, 3)
        const back = unwrap(pipe(toOnnx(net, { precision: 'float32' }), E.chain(fromOnnx)))
        const rounded = encodeNetwork(net).layers.map((l) => ({ ...l, weights: l.weights.map((r) => r.map(Math.fround)), bias: l.bias.map(Math.fround) }))
        expect(encodeNetwork(back).layers).toEqual(rounded)
      }),
      { numRuns: 40 }
    )
  })
})

describe('fromOnnx on models written by ONNX itself (python3-onnx 1.12, fixtures/make_fixtures.py)', () => {
  const expected = JSON.parse(readFileSync(join(fixtures, 'fixtures.json'), 'utf8')) as {
    inputs: number[][]
    float32: { weights: number[][][]; biases: number[][]; outputs: number[][] }
    float64: { weights: number[][][]; biases: number[][]; outputs: number[][] }
  }

  it('float32: MatMul + Add, Relu, Gemm with transB = 0, Softmax', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'dense-float32.onnx')))
    const net = unwrap(fromOnnx(bytes))
    const json = encodeNetwork(net)
    expect(json.inputSize).toBe(3)
    expect(json.layers.map((l) => l.activation)).toEqual(['relu', 'softmax'])
    expect(json.layers.map((l) => l.weights)).toEqual(expected.float32.weights)
    expect(json.layers.map((l) => l.bias)).toEqual(expected.float32.biases)
    // purenn against numpy on the same float32 weights and inputs (float64 arithmetic), and against ONNX Runtime
    const rows = expected.inputs.map((r) => r.map(Math.fround))
    expect(maxRelative(predictRows(net, rows).flat(), expected.float32.outputs.flat(), 0.01)).toBeLessThanOrEqual(1e-12)
    const y = await runOnnx(bytes, rows, 'float32', 'x', 'probabilities')
    expect(maxRelative(y, predictRows(net, rows).flat(), 0.1)).toBeLessThanOrEqual(1e-5)
  })

  it('float64: Gemm with transB = 1, Tanh, a linear Gemm and an Identity', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'dense-float64.onnx')))
    const net = unwrap(fromOnnx(bytes))
    const json = encodeNetwork(net)
    expect(json.layers.map((l) => l.activation)).toEqual(['tanh', 'linear'])
    expect(json.layers.map((l) => l.weights)).toEqual(expected.float64.weights)
    expect(json.layers.map((l) => l.bias)).toEqual(expected.float64.biases)
    expect(maxRelative(predictRows(net, expected.inputs).flat(), expected.float64.outputs.flat(), 0.01)).toBeLessThanOrEqual(1e-12)
    const y = await runOnnx(bytes, expected.inputs, 'float64', 'features', 'y')
    expect(maxRelative(y, predictRows(net, expected.inputs).flat(), 0.01)).toBeLessThanOrEqual(1e-12)
  })

  it('a convolution: an Unsupported Left naming the node and its op type', () => {
    const result = fromOnnx(new Uint8Array(readFileSync(join(fixtures, 'conv.onnx'))))
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'Unsupported', path: 'graph.node[0] (Conv)' })))
    expect(E.isLeft(result) && result.left.message).toMatch(/^graph\.node\[0\] \(Conv\): unsupported op type/)
  })
})

describe('fromOnnx refuses the rest, and never throws', () => {
  it('bytes that are not a model, or not bytes at all', () => {
    expect(pipe(fromOnnx(new Uint8Array([255, 255, 255])), E.mapLeft((e) => [e._tag, e.path]))).toEqual(E.left(['Invalid', 'bytes']))
    expect(pipe(fromOnnx(new Uint8Array(0)), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
    expect(pipe(fromOnnx('model.onnx' as unknown as Uint8Array), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
  })

  it('random bytes, and every cut of a valid model, give a Left or a network, never a throw', () => {
    const good = unwrap(toOnnx(seededNetwork(5, [3, 4, 2], [builtinActivations.softplus, softmax])))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = fromOnnx(bytes)
        expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
      }),
      { numRuns: 300 }
    )
    for (let n = 0; n < good.length; n += 7) expect(fromOnnx(good.subarray(0, n))._tag).toBe('Left')
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const bytes = Uint8Array.from(good)
        bytes[at] = value
        const r = fromOnnx(bytes)
        expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it('a LeakyRelu of another slope, and an Elu of another alpha, name the node', () => {
    // a float32 export writes LeakyRelu(alpha 0.01) as node 1: rewrite its alpha
    const net = seededNetwork(2, [2, 2], [leakyRelu])
    const bytes = unwrap(toOnnx(net, { precision: 'float32' }))
    const edited = editFloat(bytes, 0.01, 0.3)
    const result = fromOnnx(edited)
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'Unsupported', path: 'graph.node[1] (LeakyRelu)' })))
    const elu = editFloat(unwrap(toOnnx(seededNetwork(2, [2, 2], [builtinActivations.elu]), { precision: 'float32' })), 1, 2)
    expect(pipe(fromOnnx(elu), E.mapLeft((e) => e.path))).toEqual(E.left('graph.node[1] (Elu)'))
  })

  it('a model whose output is not the end of the chain', () => {
    const bytes = unwrap(toOnnx(seededNetwork(2, [2, 3, 1], [relu, linear]), { outputName: 'y' }))
    // rename the declared output: the chain ends elsewhere
    const text = Buffer.from(bytes)
    const at = text.lastIndexOf(Buffer.from('\x12\x01y'))
    expect(at).toBeGreaterThan(0)
    const edited = Uint8Array.from(text)
    edited[at + 2] = 'z'.charCodeAt(0)
    expect(pipe(fromOnnx(edited), E.mapLeft((e) => e.path))).toEqual(E.left('graph.output'))
  })
})

/** The bytes with the first little-endian float32 `from` replaced by `to` (an attribute's value). */
const editFloat = (bytes: Uint8Array, from: number, to: number): Uint8Array => {
  const needle = new Uint8Array(new Float32Array([from]).buffer)
  const out = Uint8Array.from(bytes)
  for (let i = 0; i + 4 <= out.length; i++)
    if (needle.every((b, j) => out[i + j] === b)) {
      out.set(new Uint8Array(new Float32Array([to]).buffer), i)
      return out
    }
  throw new Error(`no float32 ${from} in the model`)
}

// keep the type import used when the file is read alone
export type { Network }
