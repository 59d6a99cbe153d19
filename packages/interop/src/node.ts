/**
 * `@purenn/interop/node`: ONNX and TensorFlow.js model files in Node. This is the one module
 * of the package that imports Node built-ins; the core entry point runs unchanged in browsers.
 *
 * Every write is atomic: the bytes go to a fresh temporary file in the same directory, which is
 * then renamed into place, so that a reader sees the old file or the new one, never half of
 * one. `saveTfjs` writes `weights.bin` before `model.json`, so that a `model.json` is never
 * without its weights. Every function answers a `Promise` of an `Either` and never rejects.
 *
 * @since 0.1.0
 * @module @purenn/interop/node
 */
import { mkdir, readFile } from 'node:fs/promises'
import { isAbsolute, join, normalize, sep } from 'node:path'
import type { Network } from '@purenn/network'
import { fileError, writeAtomically, type FileError } from '@purenn/network/node'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalid, type InteropError } from './InteropError.js'
import { toOnnx, type OnnxOptions } from './onnx.js'
import { fromTfjs, toTfjs } from './tfjs.js'

export type { FileError } from '@purenn/network/node'

// -------------------------------------------------------------------------------------
// files
// -------------------------------------------------------------------------------------

const prefixed =
  (path: string) =>
  (e: InteropError): InteropError => ({ ...e, message: `${path}: ${e.message}` })

// -------------------------------------------------------------------------------------
// ONNX
// -------------------------------------------------------------------------------------

/**
 * Writes a network to `path` as an ONNX model (see `toOnnx`), atomically. A network that
 * cannot be exported is the `InteropError` of `toOnnx`; nothing is written then.
 *
 * @example
 * import { saveOnnx } from '@purenn/interop/node'
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * import { readFile } from 'node:fs/promises'
 * import * as E from 'fp-ts/lib/Either.js'
 * await saveOnnx('model.onnx', addLayer(network(2), { nodes: 1, activation: sigmoid })) // => E.right(undefined)
 * const bytes = await readFile('model.onnx')
 * bytes.length > 0 // => true
 *
 * @category files
 * @since 0.1.0
 */
export const saveOnnx = async (path: string, net: Network, options?: OnnxOptions): Promise<E.Either<FileError | InteropError, void>> => {
  const bytes = toOnnx(net, options)
  if (E.isLeft(bytes)) return bytes
  return writeAtomically(path, bytes.right)
}

// -------------------------------------------------------------------------------------
// TensorFlow.js
// -------------------------------------------------------------------------------------

const MODEL = 'model.json'
const WEIGHTS = 'weights.bin'

/**
 * Writes a network to the directory `dir` (made if missing) as a TensorFlow.js layers model:
 * `weights.bin`, then `model.json` (the topology and a `weightsManifest` naming
 * `weights.bin`), each atomically, so that a reader never sees a `model.json` without its
 * weights. `tf.loadLayersModel` reads the directory (served over HTTP, or through
 * `tfjs-node`'s `file://`), and `tensorflowjs_converter` turns it into a Keras model.
 *
 * @example
 * import { saveTfjs, loadTfjs } from '@purenn/interop/node'
 * import { network, addLayer, relu, encodeNetwork } from '@purenn/network'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net = addLayer(network(2), { nodes: 3, activation: relu })
 * await saveTfjs('model-tfjs', net) // => E.right(undefined)
 * pipe(await loadTfjs('model-tfjs'), E.map(encodeNetwork)) // => E.right(encodeNetwork(net))
 *
 * @category files
 * @since 0.1.0
 */
export const saveTfjs = async (dir: string, net: Network): Promise<E.Either<FileError | InteropError, void>> => {
  const artifacts = toTfjs(net)
  if (E.isLeft(artifacts)) return artifacts
  try {
    await mkdir(dir, { recursive: true })
  } catch (e) {
    return E.left(fileError(dir, 'write', e))
  }
  const { modelTopology, format, generatedBy, convertedBy, weightSpecs, weightData } = artifacts.right
  const weights = await writeAtomically(join(dir, WEIGHTS), new Uint8Array(weightData))
  if (E.isLeft(weights)) return weights
  const model = { modelTopology, format, generatedBy, convertedBy, weightsManifest: [{ paths: [WEIGHTS], weights: weightSpecs }] }
  return writeAtomically(join(dir, MODEL), JSON.stringify(model) + '\n')
}

const ModelJsonCodec = t.type({
  modelTopology: t.UnknownRecord,
  weightsManifest: t.array(t.type({ paths: t.array(t.string), weights: t.array(t.unknown) }))
})

/** A weight file's path from a manifest, inside `dir`, or undefined for one that leaves it. */
const inside = (dir: string, file: string): string | undefined => {
  if (file === '' || isAbsolute(file)) return undefined
  const n = normalize(file)
  return n === '..' || n.startsWith(`..${sep}`) || n.includes(`${sep}..${sep}`) ? undefined : join(dir, n)
}

/**
 * Reads a TensorFlow.js layers model from the directory `dir`: its `model.json` and the weight
 * files its `weightsManifest` names (in order, joined), then `fromTfjs`. A missing or unreadable
 * file is a `FileError`; a `model.json` that is not JSON a `FileError` with `operation:
 * 'parse'`; a model that is not a network, an `InteropError` whose message starts with the
 * file's path. A manifest path that leaves the directory is `Invalid`.
 *
 * @example
 * import { loadTfjs } from '@purenn/interop/node'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const result = await loadTfjs('/nonexistent/model')
 * pipe(result, E.mapLeft((e) => e.message)) // => E.left('cannot read /nonexistent/model/model.json: no such file or directory (ENOENT)')
 *
 * @category files
 * @since 0.1.0
 */
export const loadTfjs = async (dir: string): Promise<E.Either<FileError | InteropError, Network>> => {
  const modelPath = join(dir, MODEL)
  let text: string
  try {
    text = await readFile(modelPath, 'utf8')
  } catch (e) {
    return E.left(fileError(modelPath, 'read', e))
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return E.left(fileError(modelPath, 'parse', e))
  }
  const decoded = ModelJsonCodec.decode(json)
  if (E.isLeft(decoded)) return E.left(invalid(modelPath, 'expected a layers model { modelTopology, weightsManifest: [{ paths, weights }] }'))
  const buffers: ArrayBuffer[] = []
  const weightSpecs: unknown[] = []
  for (let g = 0; g < decoded.right.weightsManifest.length; g++) {
    const group = decoded.right.weightsManifest[g]!
    weightSpecs.push(...group.weights)
    for (let p = 0; p < group.paths.length; p++) {
      const file = inside(dir, group.paths[p]!)
      if (file === undefined)
        return E.left(invalid(`${modelPath}: weightsManifest[${g}].paths[${p}]`, `${JSON.stringify(group.paths[p])} is not a file inside the model's directory`))
      try {
        const bytes = await readFile(file)
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
      } catch (e) {
        return E.left(fileError(file, 'read', e))
      }
    }
  }
  return E.mapLeft(prefixed(modelPath))(fromTfjs({ modelTopology: decoded.right.modelTopology, weightSpecs, weightData: buffers }))
}
