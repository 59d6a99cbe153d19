// brain.js model files, checked with the real libraries: small NeuralNetworks trained with
// brain.js 1.6.1 and 2.0.0-beta.24, their toJSON() read with fromBrainJson, compared with run.
import { describe, expect, it } from 'vitest'
import brain1 from 'brain1'
import brain2 from 'brain2'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { fromBrainJson, readBrainJson } from '@purenn/interop'
import { encodeNetwork, predict, type Network } from '@purenn/network'
import { maxRelative, seededRows, unwrap } from './helpers.js'

interface BrainNet {
  train(data: ReadonlyArray<{ input: number[] | Record<string, number>; output: number[] | Record<string, number> }>, options: object): unknown
  run(input: number[] | Record<string, number>): ArrayLike<number> | Record<string, number>
  toJSON(): unknown
  outputs: ArrayLike<ArrayLike<number>>
}
type Brain = { NeuralNetwork: new (options?: object) => BrainNet }
const versions = [
  ['1.6.1', brain1 as unknown as Brain],
  ['2.0.0-beta.24', brain2 as unknown as Brain]
] as const

const xor = [
  { input: [0, 0], output: [0] },
  { input: [0, 1], output: [1] },
  { input: [1, 0], output: [1] },
  { input: [1, 1], output: [0] }
]
/** A three-input, two-output problem, so that layers are not square. */
const wider = seededRows(11, 12, 3, 1).map((x) => ({ input: x.map((v) => (v + 1) / 2), output: [x[0]! > x[1]! ? 1 : 0, x[2]! > 0 ? 1 : 0] }))

const trained = (b: Brain, activation: string, data: typeof xor, hiddenLayers: number[]): BrainNet => {
  const net = new b.NeuralNetwork({ hiddenLayers, activation })
  net.train(data, { iterations: 300, errorThresh: 0.0001, learningRate: activation === 'sigmoid' ? 0.3 : 0.05 })
  return net
}

const largest: Record<string, number> = {}

describe.each(versions)('brain.js %s', (version, b) => {
  const cases = ['sigmoid', 'relu', 'leaky-relu', 'tanh'].flatMap((activation) => [
    [activation, xor, [3]] as const,
    [activation, wider, [4, 3]] as const
  ])
  it.each(cases)('%s: fromBrainJson(toJSON()) predicts what run computes', (activation, data, hidden) => {
    const bnet = trained(b, activation, data, [...hidden])
    const json = JSON.parse(JSON.stringify(bnet.toJSON())) as unknown
    const result = unwrap(readBrainJson(json))
    expect(result.version).toBe(version.startsWith('1') ? 1 : 2)
    const net: Network = result.network
    const probes = [...data.map((d) => d.input), ...seededRows(5, 20, data[0]!.input.length, 2)]
    for (const x of probes) {
      const ours = predict(x)(net)
      const theirs = Array.from(bnet.run(x) as ArrayLike<number>)
      // run stores every layer's outputs as float32: agreement to float32's precision
      const e = maxRelative(ours.prediction, theirs, 0.1)
      largest[`${version} ${activation} run`] = Math.max(largest[`${version} ${activation} run`] ?? 0, e)
      expect(e).toBeLessThanOrEqual(1e-5)
      // layer by layer, from brain.js's own (rounded) outputs, our float64 arithmetic is what it rounds
      for (let k = 1; k < bnet.outputs.length; k++) {
        const input = Array.from(bnet.outputs[k - 1]!)
        const single: Network = { inputSize: input.length, layers: [net.layers[k - 1]!] }
        const exact = predict(input)(single).prediction
        const stored = Array.from(bnet.outputs[k]!)
        for (let i = 0; i < exact.length; i++) {
          // brain.js's stored value is our float64 value rounded to float32 (up to 1e-12 of it)
          const d = Math.abs(Math.fround(exact[i]!) - stored[i]!)
          const ulp = Math.abs(Math.fround(exact[i]!)) * 2 ** -23 + 1e-45
          const f64 = Math.abs(exact[i]! - stored[i]!) - ulp / 2
          largest[`${version} ${activation} float64 (beyond the float32 rounding)`] = Math.max(largest[`${version} ${activation} float64 (beyond the float32 rounding)`] ?? 0, Math.max(0, f64))
          expect(d === 0 || f64 <= 1e-12 * Math.max(Math.abs(exact[i]!), 0.01)).toBe(true)
        }
      }
    }
  })

  it('says what it drops: lookup tables and training options', () => {
    const bnet = new b.NeuralNetwork({ hiddenLayers: [2] })
    bnet.train(
      [
        { input: { red: 1, green: 0 }, output: { warm: 1 } },
        { input: { red: 0, green: 1 }, output: { warm: 0 } }
      ],
      { iterations: 50 }
    )
    const result = unwrap(readBrainJson(bnet.toJSON()))
    expect(result.dropped.some((d) => d.startsWith('inputLookup: the input names "red", "green"'))).toBe(true)
    expect(result.dropped.some((d) => d.startsWith('outputLookup: the output names "warm"'))).toBe(true)
    expect(result.dropped.some((d) => d.startsWith('trainOpts:'))).toBe(true)
    // the arrays purenn takes are in the lookup's order
    const theirs = (bnet.run({ red: 0.3, green: 0.9 }) as Record<string, number>)['warm']!
    expect(Math.abs(predict([0.3, 0.9])(result.network).prediction[0]! - theirs)).toBeLessThanOrEqual(1e-6)
  })
})

describe('brain.js leaky-relu, as each version computes it', () => {
  it('1.x computes x < 0 ? 0 : 0.01·x: relu on weights scaled by 0.01, said in dropped', () => {
    const file = {
      sizes: [1, 1],
      activation: 'leaky-relu',
      inputLookup: false,
      outputLookup: false,
      layers: [{ 0: {} }, { 0: { bias: 0, weights: { 0: 1 } } }]
    }
    const result = unwrap(readBrainJson(file))
    expect(encodeNetwork(result.network).layers[0]!.activation).toBe('relu')
    expect(predict([5])(result.network).prediction[0]).toBeCloseTo(0.05, 15)
    expect(predict([-5])(result.network).prediction).toEqual([0])
    expect(result.dropped.at(-1)).toMatch(/^activation: brain.js 1.x's leaky-relu computes x < 0 \? 0 : 0.01·x/)
  })

  it('2.x computes max(x, 0.01·x): leakyRelu; another leakyReluAlpha is Unsupported', () => {
    const file = (alpha: number) => ({
      type: 'NeuralNetwork',
      sizes: [1, 1],
      layers: [{ weights: [], biases: [] }, { weights: [[1]], biases: [0] }],
      inputLookup: null,
      outputLookup: null,
      trainOpts: { activation: 'leaky-relu', leakyReluAlpha: alpha }
    })
    const net = unwrap(fromBrainJson(file(0.01)))
    expect(predict([-5])(net).prediction).toEqual([-0.05])
    expect(pipe(fromBrainJson(file(0.2)), E.mapLeft((e) => [e._tag, e.path]))).toEqual(E.left(['Unsupported', 'trainOpts.leakyReluAlpha']))
  })
})

describe('fromBrainJson refuses the rest, and never throws', () => {
  it("brain.js 2's recurrent networks, by their type: Unsupported, not a malformed file", () => {
    const recurrent = (brain2 as unknown as { recurrent: Record<string, new (o: object) => { initialize: () => void; toJSON: () => unknown }> }).recurrent
    for (const kind of ['LSTM', 'GRU', 'RNN', 'LSTMTimeStep']) {
      const net = new recurrent[kind]!({ inputSize: 1, hiddenLayers: [2], outputSize: 1 })
      net.initialize()
      const r = fromBrainJson(JSON.parse(JSON.stringify(net.toJSON())))
      expect(pipe(r, E.mapLeft((e) => [e._tag, e.path, e.message]))).toEqual(
        E.left(['Unsupported', 'type', `type: a brain.js "${kind}"; fromBrainJson reads the feed-forward NeuralNetwork`])
      )
    }
  })

  it('other networks, activations and malformed files, by name', () => {
    expect(pipe(fromBrainJson({ type: 'LSTM', sizes: [1, 1], layers: [] }), E.mapLeft((e) => e.path))).toEqual(E.left('type'))
    expect(pipe(fromBrainJson({ sizes: [1, 1], activation: 'swish', layers: [{ 0: {} }, { 0: { bias: 0, weights: { 0: 1 } } }] }), E.mapLeft((e) => e._tag))).toEqual(
      E.left('Unsupported')
    )
    const ragged = { type: 'NeuralNetwork', sizes: [2, 1], layers: [{ weights: [], biases: [] }, { weights: [[1]], biases: [0] }], trainOpts: {} }
    expect(pipe(fromBrainJson(ragged), E.mapLeft((e) => [e._tag, e.path]))).toEqual(E.left(['Invalid', 'layers[1].weights[0]']))
    expect(pipe(fromBrainJson('{}'), E.mapLeft((e) => e._tag))).toEqual(E.left('Invalid'))
    fc.assert(
      fc.property(fc.anything(), (u) => {
        expect(fromBrainJson(u)._tag).toBe('Left')
      }),
      { numRuns: 200 }
    )
  })
})

it('reports the largest differences measured', () => {
  console.log('brain.js run against purenn:\n' + Object.entries(largest).map(([k, v]) => `  ${k}: ${v.toExponential(2)}`).join('\n'))
  expect(Object.keys(largest).length).toBeGreaterThan(0)
})
