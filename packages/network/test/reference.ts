/**
 * An independent reference for the tests: a network run forward sample by sample with plain
 * nested loops over `number[]`, the activations' scalar definitions, and each loss written
 * straight from its formula. The gradient check differentiates this by central differences,
 * so it shares no kernel with the code it checks.
 */
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from '@purenn/network'
import type { Activation, Loss, Network } from '@purenn/network'

/** One layer's pre-activations and outputs for every sample: z[s][i], y[s][i]. */
export interface RefLayer {
  readonly z: number[][]
  readonly y: number[][]
}

const softmaxRef = (z: ReadonlyArray<number>): number[] => {
  const m = Math.max(...z)
  const e = z.map((v) => Math.exp(v - m))
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / s)
}

const applyRef = (a: Activation, z: ReadonlyArray<number>): number[] =>
  a._tag === 'Column' ? (a.name === 'softmax' ? softmaxRef(z) : M.toArray(a.forward(M.fromArray([...z])))) : z.map((v) => a.f(v))

/** Runs the samples (each an array) through the network: every layer's z and y per sample. */
export const referenceForward = (net: Network, samples: ReadonlyArray<ReadonlyArray<number>>): RefLayer[] => {
  const out: RefLayer[] = []
  let xs: ReadonlyArray<ReadonlyArray<number>> = samples
  for (const layer of net.layers) {
    const z = xs.map((x) => {
      const col: number[] = []
      for (let i = 0; i < layer.weights.rows; i++) {
        let s = M.get(layer.bias, i, 0)
        for (let j = 0; j < layer.weights.cols; j++) s += M.get(layer.weights, i, j) * x[j]!
        col.push(s)
      }
      return col
    })
    const y = z.map((col) => applyRef(layer.activation, col))
    out.push({ z, y })
    xs = y
  }
  return out
}

/** The loss of predictions against targets, from its definition: mean over samples of the sum over outputs. */
export const referenceLoss = (loss: Loss, ys: ReadonlyArray<ReadonlyArray<number>>, ts: ReadonlyArray<ReadonlyArray<number>>): number => {
  let total = 0
  ys.forEach((y, s) => {
    const t = ts[s]!
    y.forEach((p, i) => {
      const q = t[i]!
      switch (loss.name) {
        case 'mse':
          total += 0.5 * (p - q) ** 2
          break
        case 'meanAbsoluteError':
          total += Math.abs(p - q)
          break
        case 'binaryCrossEntropy':
          total -= q * Math.log(p) + (1 - q) * Math.log(1 - p)
          break
        case 'crossEntropy':
          total -= q * Math.log(p)
          break
        default:
          throw new Error(`no reference for ${loss.name}`)
      }
    })
  })
  return total / ys.length
}

/** The samples of a matrix with one sample per column, as arrays. */
export const columnsOf = (m: Matrix): number[][] => M.toArrays(M.transpose(m))

/** A matrix with one sample per column from samples given as arrays. */
export const fromColumns = (samples: ReadonlyArray<ReadonlyArray<number>>, rows: number): Matrix =>
  M.fromFunction(rows, samples.length, (i, j) => samples[j]![i]!)

/**
 * A network with the given widths and activations, parameters uniform in [−1, 1) from a seed.
 * A softmax layer drawn with one node gets two (`addLayer` refuses softmax on one node).
 */
export const makeNetwork = (inputSize: number, layers: ReadonlyArray<readonly [number, Activation]>, seed: number, scale = 1): Network => {
  const spec = layers.reduce(
    (net, [nodes, activation]) => N.addLayer({ nodes: activation === N.softmax ? Math.max(2, nodes) : nodes, activation })(net),
    N.network(inputSize)
  )
  return pipe(spec, N.randomize(-scale, scale))(M.rng(seed))[0]
}

/** A custom element-wise activation (swish, x·σ(x)) to check the closure path. */
export const swish = N.activation(
  'swish',
  (x) => x / (1 + Math.exp(-x)),
  (x, y) => {
    const s = 1 / (1 + Math.exp(-x))
    return y + s * (1 - y)
  }
)

/** Every element-wise activation, built-in and custom. */
export const elementwiseActivations: ReadonlyArray<Activation> = [N.sigmoid, N.tanh, N.relu, N.leakyRelu, N.elu, N.softplus, N.linear, swish]

/** Random small networks: 1–4 inputs, 0–2 hidden layers of 1–4 nodes with any activation, then an output layer. */
export const arbNetwork = (outputs: fc.Arbitrary<readonly [number, Activation]>): fc.Arbitrary<Network> =>
  fc
    .record({
      inputSize: fc.integer({ min: 1, max: 4 }),
      hidden: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(...elementwiseActivations, N.softmax)), {
        maxLength: 2
      }),
      output: outputs,
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 })
    })
    .map(({ inputSize, hidden, output, seed }) => makeNetwork(inputSize, [...hidden, output], seed))

/** The bits of every parameter of a network, to compare networks exactly. */
export const bitsOf = (net: Network): unknown => ({
  inputSize: net.inputSize,
  layers: net.layers.map((l) => ({
    activation: l.activation,
    weights: [l.weights.rows, l.weights.cols, Array.from(new Uint32Array(new Float64Array(l.weights.data).buffer))],
    bias: [l.bias.rows, l.bias.cols, Array.from(new Uint32Array(new Float64Array(l.bias.data).buffer))]
  }))
})

/** A copy of every buffer reachable from the values, to check later that nothing changed. */
export const snapshot = (...values: ReadonlyArray<Network | Matrix>): unknown =>
  values.map((v) => ('layers' in v ? bitsOf(v) : [v.rows, v.cols, Array.from(v.data)]))
