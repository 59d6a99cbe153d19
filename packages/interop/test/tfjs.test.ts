// TensorFlow.js layers models, checked with the real library: every export is loaded with
// @tensorflow/tfjs-layers on the cpu backend and compared with predictBatch; models built in
// tfjs are saved with tf.io.withSaveHandler, read with fromTfjs and compared the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { fromTfjs, toTfjs, type ModelArtifacts } from '@purenn/interop'
import { activation, builtinActivations, decodeNetwork, encodeNetwork, leakyRelu, relu, sigmoid } from '@purenn/network'
import { activationNames, maxRelative, predictRows, seededNetwork, seededRows, unwrap } from './helpers.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const measured: Record<string, number> = {}
afterAll(() => {
  console.log('TensorFlow.js against purenn, max relative error (floor 0.1):\n' + Object.entries(measured).map(([k, v]) => `  ${k}: ${v.toExponential(2)}`).join('\n'))
})
const record = (key: string, e: number): void => {
  measured[key] = Math.max(measured[key] ?? 0, e)
}

/** tfjs's model.predict on rows, flat. */
const tfPredict = (model: tfl.LayersModel, rows: number[][]): number[] =>
  tf.tidy(() => Array.from((model.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync()))

/** A tfjs model's artifacts, as model.save hands them to a save handler. */
const saved = async (model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> => {
  let artifacts: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  return artifacts!
}

describe('toTfjs loads in TensorFlow.js and predicts as purenn', () => {
  it.each(activationNames)('%s', async (name) => {
    const net = seededNetwork(name.length, [4, 6, 5, 3], [builtinActivations[name]])
    const artifacts: tf.io.ModelArtifacts = unwrap(toTfjs(net)) // the type is tfjs's own
    const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts))
    const rows = seededRows(9, 37, 4, 2)
    const e = maxRelative(tfPredict(model, rows), predictRows(net, rows).flat(), 0.1)
    record(`export ${name}`, e)
    expect(e).toBeLessThanOrEqual(1e-5)
    if (name === 'leakyRelu') expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'LeakyReLU', 'Dense', 'LeakyReLU', 'Dense', 'LeakyReLU'])
    model.dispose()
  })

  it('a custom activation is a Left naming the layer', () => {
    const swish = activation('swish', (x) => x / (1 + Math.exp(-x)), () => 1)
    expect(pipe(toTfjs(seededNetwork(1, [2, 2, 1], [swish, sigmoid])), E.mapLeft((e) => [e._tag, e.path]))).toEqual(E.left(['Unsupported', 'layers[0]']))
  })
})

describe('fromTfjs reads models built and saved by TensorFlow.js', () => {
  const keras = ['sigmoid', 'tanh', 'relu', 'elu', 'softplus', 'linear', 'softmax'] as const

  it.each(keras)('a Dense stack with %s, non-zero biases', async (act) => {
    const model = tfl.sequential()
    model.add(tfl.layers.dense({ units: 5, inputShape: [3], activation: act, biasInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed: 1 }) }))
    model.add(tfl.layers.dense({ units: 4, activation: act, biasInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed: 2 }) }))
    const net = unwrap(fromTfjs(await saved(model)))
    expect(encodeNetwork(net).layers.map((l) => l.activation)).toEqual([act, act])
    expect(encodeNetwork(net).layers.every((l) => l.bias.every((b) => b !== 0))).toBe(true)
    const rows = seededRows(3, 37, 3, 2)
    const e = maxRelative(predictRows(net, rows).flat(), tfPredict(model, rows), 0.1)
    record(`import ${act}`, e)
    expect(e).toBeLessThanOrEqual(1e-5)
  })

  it('a LeakyReLU layer (alpha 0.01) and an Activation layer become the Dense layers\' activations', async () => {
    const model = tfl.sequential()
    model.add(tfl.layers.dense({ units: 4, inputShape: [2], biasInitializer: 'ones' }))
    model.add(tfl.layers.leakyReLU({ alpha: 0.01 }))
    model.add(tfl.layers.dense({ units: 3 }))
    model.add(tfl.layers.activation({ activation: 'softmax' }))
    const net = unwrap(fromTfjs(await saved(model)))
    expect(encodeNetwork(net).layers.map((l) => l.activation)).toEqual(['leakyRelu', 'softmax'])
    const rows = seededRows(4, 37, 2, 3)
    const e = maxRelative(predictRows(net, rows).flat(), tfPredict(model, rows), 0.1)
    record('import LeakyReLU + Activation layers', e)
    expect(e).toBeLessThanOrEqual(1e-5)
  })

  it('weightData split into several buffers, cutting tensors anywhere', async () => {
    const model = tfl.sequential()
    model.add(tfl.layers.dense({ units: 5, inputShape: [3], activation: 'tanh', biasInitializer: 'ones' }))
    model.add(tfl.layers.dense({ units: 2, activation: 'sigmoid' }))
    const artifacts = await saved(model)
    const whole = unwrap(fromTfjs(artifacts))
    const data = new Uint8Array(artifacts.weightData as ArrayBuffer)
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: data.length - 1 }), { maxLength: 6 }), (cuts) => {
        const at = [0, ...[...cuts].sort((a, b) => a - b), data.length]
        const chunks = at.slice(1).map((end, i) => data.slice(at[i], end).buffer)
        expect(pipe(fromTfjs({ ...artifacts, weightData: chunks }), E.map(encodeNetwork))).toEqual(E.right(encodeNetwork(whole)))
      }),
      { numRuns: 50 }
    )
  })

  it('refuses a LeakyReLU of another slope (Keras\'s default 0.3), other layers and activations, by name', async () => {
    const leaky = tfl.sequential()
    leaky.add(tfl.layers.dense({ units: 2, inputShape: [2] }))
    leaky.add(tfl.layers.leakyReLU())
    expect(pipe(fromTfjs(await saved(leaky)), E.mapLeft((e) => [e._tag, e.message]))).toEqual(
      E.left(['Unsupported', "modelTopology.config.layers[1] (LeakyReLU): alpha 0.3: purenn's leakyRelu has the slope 0.01"])
    )
    const dropout = tfl.sequential()
    dropout.add(tfl.layers.dense({ units: 2, inputShape: [2] }))
    dropout.add(tfl.layers.dropout({ rate: 0.5 }))
    expect(pipe(fromTfjs(await saved(dropout)), E.mapLeft((e) => e.path))).toEqual(E.left('modelTopology.config.layers[1] (Dropout)'))
    const selu = tfl.sequential()
    selu.add(tfl.layers.dense({ units: 2, inputShape: [2], activation: 'selu' }))
    expect(pipe(fromTfjs(await saved(selu)), E.mapLeft((e) => e.path))).toEqual(E.left('modelTopology.config.layers[0] (Dense)'))
    const twice = tfl.sequential()
    twice.add(tfl.layers.dense({ units: 2, inputShape: [2], activation: 'relu' }))
    twice.add(tfl.layers.activation({ activation: 'sigmoid' }))
    expect(pipe(fromTfjs(await saved(twice)), E.mapLeft((e) => e._tag))).toEqual(E.left('Unsupported'))
  })

  it('refuses malformed artifacts without throwing', () => {
    const good = unwrap(toTfjs(seededNetwork(1, [2, 3, 1], [relu, sigmoid])))
    const short: ModelArtifacts = { ...good, weightData: good.weightData.slice(0, 20) }
    expect(pipe(fromTfjs(short), E.mapLeft((e) => [e._tag, e.path]))).toEqual(E.left(['Invalid', 'weightData']))
    expect(pipe(fromTfjs({ ...good, weightSpecs: good.weightSpecs.slice(1) }), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
    expect(pipe(fromTfjs(null), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
    expect(pipe(fromTfjs({ modelTopology: {}, weightSpecs: 3, weightData: new ArrayBuffer(0) }), E.mapLeft((e) => e.path))).toEqual(E.left('weightSpecs'))
    const nan = new Float32Array(good.weightData.slice(0))
    nan[0] = NaN
    expect(pipe(fromTfjs({ ...good, weightData: nan.buffer }), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
    fc.assert(
      fc.property(fc.anything(), (u) => {
        expect(fromTfjs(u)._tag).toBe('Left')
      }),
      { numRuns: 200 }
    )
  })
})

describe('round trip: ours -> tfjs -> ours', () => {
  it('gives back the network to float32 precision (exactly, for float32 numbers)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(...activationNames),
        fc.integer({ min: 0, max: 1_000_000 }),
        (sizes, name, seed) => {
          const a = name === 'softmax' && sizes.slice(1).some((n) => n < 2) ? leakyRelu : builtinActivations[name]
          const net = seededNetwork(seed, sizes, [a], 3)
          const back = encodeNetwork(unwrap(pipe(toTfjs(net), E.chain(fromTfjs))))
          const rounded = encodeNetwork(net).layers.map((l) => ({ ...l, weights: l.weights.map((r) => r.map(Math.fround)), bias: l.bias.map(Math.fround) }))
          expect(back.layers).toEqual(rounded)
          // float32 numbers cross unchanged
          expect(encodeNetwork(unwrap(pipe(decodeNetwork(back), E.chainW(toTfjs), E.chainW(fromTfjs))))).toEqual(back)
        }
      ),
      { numRuns: 60 }
    )
  })
})
