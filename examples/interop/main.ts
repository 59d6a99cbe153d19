/**
 * Interop: train a small network with purenn, take it out as ONNX and as a TensorFlow.js
 * layers model, and run the ONNX model in ONNX Runtime (onnxruntime-web, WebAssembly, in
 * Node): the runtime's outputs against purenn's, and the TensorFlow.js files read back.
 *
 * Run it: `node examples/dist/interop/main.js` (after `pnpm build`). It writes
 * `examples/out/xor.onnx` and `examples/out/xor-tfjs/` (model.json, weights.bin).
 *
 * @since 0.1.0
 */
import { mkdir, readFile } from 'node:fs/promises'
import * as ort from 'onnxruntime-web'
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'
import { rng } from '@purenn/matrix'
import * as N from '@purenn/network'
import { train } from '@purenn/training'
import { loadTfjs, saveOnnx, saveTfjs } from '@purenn/interop/node'
import { isMain } from '../shared/isMain.js'
import { outPath } from '../shared/paths.js'

/**
 * What the run measured: the largest difference between ONNX Runtime's outputs and purenn's,
 * and between the TensorFlow.js model read back (float32 weights) and the original.
 *
 * @category model
 * @since 0.1.0
 */
export interface InteropResult {
  readonly onnxMaxDifference: number
  readonly tfjsMaxDifference: number
  readonly predictions: ReadonlyArray<number>
}

const inputs = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1]
]
const labels = [[0], [1], [1], [0]]

/**
 * Trains XOR (2-4-1, tanh then sigmoid), saves it as ONNX (float64) and as a TensorFlow.js
 * model under `outDir`, runs the ONNX file in ONNX Runtime and reads the TensorFlow.js files back.
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (outDir = outPath(''), log: (line: string) => void = console.log): Promise<InteropResult> => {
  const [start] = pipe(N.network(2), N.addLayer({ nodes: 4, activation: N.tanh }), N.addLayer({ nodes: 1, activation: N.sigmoid }), N.initialize('xavier'))(rng(7))
  const trained = train({ trainData: inputs, trainLabels: labels, numEpochs: 2000, learningRate: 0.5, seed: 7 })(start)
  if (E.isLeft(trained)) throw new Error(trained.left.message)
  const net = trained.right.network
  const ours = inputs.map((x) => N.predict(x)(net).prediction[0]!)
  log(`purenn:       ${ours.map((y) => y.toFixed(6)).join(' ')}`)

  await mkdir(outDir, { recursive: true })
  const onnxPath = `${outDir}/xor.onnx`
  const saved = await saveOnnx(onnxPath, net)
  if (E.isLeft(saved)) throw new Error(saved.left.message)
  ort.env.wasm.numThreads = 1
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(onnxPath)))
  const result = await session.run({ input: new ort.Tensor('float64', Float64Array.from(inputs.flat()), [4, 2]) })
  await session.release()
  const runtime = Array.from(result['output']!.data as Float64Array)
  const onnxMaxDifference = Math.max(...runtime.map((y, i) => Math.abs(y - ours[i]!)))
  log(`ONNX Runtime: ${runtime.map((y) => y.toFixed(6)).join(' ')}   (largest difference ${onnxMaxDifference.toExponential(1)}; ${onnxPath})`)

  const tfjsDir = `${outDir}/xor-tfjs`
  const tfjsSaved = await saveTfjs(tfjsDir, net)
  if (E.isLeft(tfjsSaved)) throw new Error(tfjsSaved.left.message)
  const back = await loadTfjs(tfjsDir)
  if (E.isLeft(back)) throw new Error(back.left.message)
  const fromTfjs = inputs.map((x) => N.predict(x)(back.right).prediction[0]!)
  const tfjsMaxDifference = Math.max(...fromTfjs.map((y, i) => Math.abs(y - ours[i]!)))
  log(`TensorFlow.js files read back (float32 weights): ${fromTfjs.map((y) => y.toFixed(6)).join(' ')}   (largest difference ${tfjsMaxDifference.toExponential(1)}; ${tfjsDir})`)
  return { onnxMaxDifference, tfjsMaxDifference, predictions: ours }
}

if (isMain(import.meta.url)) await main()
