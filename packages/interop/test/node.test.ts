// @purenn/interop/node: atomic writes, weights.bin before model.json, and reading back.
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import * as ort from 'onnxruntime-web'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { fromOnnx } from '@purenn/interop'
import { loadTfjs, saveOnnx, saveTfjs } from '@purenn/interop/node'
import { activation, encodeNetwork, leakyRelu, sigmoid, softmax } from '@purenn/network'
import { maxRelative, predictRows, seededNetwork, seededRows, unwrap } from './helpers.js'

const root = mkdtempSync(join(tmpdir(), 'purenn-interop-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const fresh = (): string => join(root, `case${n++}`)

describe('saveOnnx', () => {
  it('writes a model ONNX Runtime runs, and leaves no temporary file', async () => {
    ort.env.wasm.numThreads = 1
    const dir = fresh()
    const net = seededNetwork(1, [3, 4, 2], [leakyRelu, softmax])
    await saveTfjs(dir, net) // makes the directory
    const path = join(dir, 'model.onnx')
    expect(await saveOnnx(path, net)).toEqual(E.right(undefined))
    const bytes = new Uint8Array(readFileSync(path))
    expect(pipe(fromOnnx(bytes), E.map(encodeNetwork))).toEqual(E.right(encodeNetwork(net)))
    const session = await ort.InferenceSession.create(bytes)
    const rows = seededRows(2, 4, 3)
    const out = await session.run({ input: new ort.Tensor('float64', Float64Array.from(rows.flat()), [4, 3]) })
    await session.release()
    expect(maxRelative(out['output']!.data as Float64Array, predictRows(net, rows).flat(), 0.01)).toBeLessThanOrEqual(1e-12)
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.onnx', 'weights.bin'])
  })

  it('a network that cannot be exported writes nothing; a directory that is not there is a FileError', async () => {
    const dir = fresh()
    const swish = activation('swish', (x) => x, () => 1)
    expect(pipe(await saveOnnx(join(dir, 'm.onnx'), seededNetwork(1, [2, 1], [swish])), E.mapLeft((e) => e._tag))).toEqual(E.left('Unsupported'))
    const missing = await saveOnnx(join(dir, 'no', 'such', 'm.onnx'), seededNetwork(1, [2, 1], [sigmoid]))
    expect(missing).toEqual(E.left(expect.objectContaining({ _tag: 'FileError', operation: 'write', code: 'ENOENT' })))
  })
})

describe('saveTfjs and loadTfjs', () => {
  it('write weights.bin and model.json that TensorFlow.js loads, and read them back', async () => {
    await tf.setBackend('cpu')
    const dir = fresh()
    const net = seededNetwork(2, [4, 5, 3], [leakyRelu, softmax])
    expect(await saveTfjs(dir, net)).toEqual(E.right(undefined))
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin'])
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin'])
    // what tf.loadLayersModel reads from the two files
    const bin = readFileSync(join(dir, 'weights.bin'))
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) })
    )
    const rows = seededRows(3, 10, 4)
    const y = tf.tidy(() => Array.from((model.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync()))
    expect(maxRelative(y, predictRows(net, rows).flat(), 0.1)).toBeLessThanOrEqual(1e-5)
    const back = unwrap(await loadTfjs(dir))
    expect(encodeNetwork(back).layers.map((l) => l.activation)).toEqual(['leakyRelu', 'softmax'])
    expect(maxRelative(predictRows(back, rows).flat(), predictRows(net, rows).flat(), 0.1)).toBeLessThanOrEqual(1e-5)
  })

  it('weights.bin is written before model.json: a failed weights write leaves no model.json', async () => {
    const dir = fresh()
    await saveTfjs(dir, seededNetwork(1, [2, 2], [sigmoid]))
    const before = readFileSync(join(dir, 'model.json'), 'utf8')
    // a directory where weights.bin should be: its rename fails, and model.json is untouched
    const blocked = fresh()
    await saveTfjs(blocked, seededNetwork(1, [2, 2], [sigmoid]))
    rmSync(join(blocked, 'weights.bin'))
    rmSync(join(blocked, 'model.json'))
    mkdirSync(join(blocked, 'weights.bin'))
    const result = await saveTfjs(blocked, seededNetwork(2, [2, 2], [sigmoid]))
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'FileError', operation: 'rename' })))
    expect(readdirSync(blocked).sort()).toEqual(['weights.bin']) // no model.json, no temporary file
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe(before)
  })

  it('loadTfjs: a missing directory, a model.json that is not JSON, a manifest path that leaves the directory', async () => {
    const dir = fresh()
    expect(await loadTfjs(dir)).toEqual(E.left(expect.objectContaining({ _tag: 'FileError', operation: 'read', code: 'ENOENT' })))
    await saveTfjs(dir, seededNetwork(1, [2, 2], [sigmoid]))
    const text = readFileSync(join(dir, 'model.json'), 'utf8')
    writeFileSync(join(dir, 'model.json'), text.slice(0, 40))
    expect(await loadTfjs(dir)).toEqual(E.left(expect.objectContaining({ _tag: 'FileError', operation: 'parse' })))
    writeFileSync(join(dir, 'model.json'), text.replace('"weights.bin"', '"../../etc/passwd"'))
    expect(pipe(await loadTfjs(dir), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(3))
    writeFileSync(join(dir, 'model.json'), text)
    const short = await loadTfjs(dir)
    expect(short).toEqual(E.left(expect.objectContaining({ _tag: 'Invalid', path: 'weightData' })))
    expect(E.isLeft(short) && short.left.message.startsWith(join(dir, 'model.json'))).toBe(true)
  })
})
