// Small builders shared by the tests: networks and gradients written out by hand, with a
// linear activation defined here, so that optimizer tests depend only on the data types.
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, Gradients, Network } from '@purenn/network'

export const linearActivation: Activation = { _tag: 'Elementwise', name: 'linear', f: (x) => x, df: () => 1 }

const rowsOf = (rows: ReadonlyArray<ReadonlyArray<number>>): Matrix => {
  const m = M.fromArrays(rows)
  if (m._tag === 'Left') throw new Error(m.left.message)
  return m.right
}

/** A network from its layers' weight rows and bias values (linear activations). */
export const netOf = (layers: ReadonlyArray<{ weights: number[][]; bias: number[] }>): Network => ({
  inputSize: layers[0]!.weights[0]!.length,
  layers: layers.map((l) => ({ weights: rowsOf(l.weights), bias: M.fromArray(l.bias), activation: linearActivation }))
})

/** The gradient of f(θ) = ½‖θ‖², which is θ itself: a convex quadratic to optimize. */
export const quadraticGradients = (net: Network): Gradients => net.layers.map((l) => ({ weights: l.weights, bias: l.bias }))

/** Every parameter of a network, flattened (weights then bias, layer by layer). */
export const paramsOf = (net: Network): number[] => net.layers.flatMap((l) => [...l.weights.data, ...l.bias.data])

/** Every entry of a gradient tree, flattened in the same order. */
export const entriesOf = (g: Gradients): number[] => g.flatMap((l) => [...l.weights.data, ...l.bias.data])

/** A gradient tree of the network's shapes filled from a flat list of values. */
export const gradientsLike = (net: Network, values: ReadonlyArray<number>): Gradients => {
  let k = 0
  const take = (m: Matrix): Matrix => M.fromFunction(m.rows, m.cols, () => values[k++]!)
  return net.layers.map((l) => ({ weights: take(l.weights), bias: take(l.bias) }))
}

/** A network of the given layer sizes with sigmoid layers, uniform in [−1, 1) from the seed. */
export const sigmoidNet = (sizes: ReadonlyArray<number>, seed: number): Network => {
  let net: Network = N.network(sizes[0]!)
  for (const nodes of sizes.slice(1)) net = N.addLayer({ nodes, activation: N.sigmoid })(net)
  return N.randomize(-1, 1)(net)(M.rng(seed))[0]
}

/** The four XOR samples, as the tutorial writes them. */
export const xorData = [[0, 0], [0, 1], [1, 0], [1, 1]]
export const xorLabels = [[0], [1], [1], [0]]

/** Rows (one sample a row) as a matrix of columns; throws on bad rows (test data is known good). */
export const columns = (rows: ReadonlyArray<ReadonlyArray<number>>): Matrix => M.transpose(rowsOf(rows))

/** Unwraps a Right, failing the test with the Left's message otherwise. */
export const right = <A>(e: { _tag: 'Left'; left: { message: string } } | { _tag: 'Right'; right: A }): A => {
  if (e._tag === 'Left') throw new Error(`expected a Right, got ${e.left.message}`)
  return e.right
}

/** Every parameter of a network as bits-comparable numbers (Object.is per entry via toEqual). */
export const bitsOf = (net: Network): number[] => paramsOf(net)

/** Every 64-bit pattern of a list of numbers: equal lists of bits, not merely equal values (−0, NaN). */
export const bits = (xs: ArrayLike<number>): bigint[] => Array.from(new BigUint64Array(Float64Array.from(xs).buffer))

/** The bits of every number in a value, in order (matrices' entries included, object keys sorted): an optimizer state, a network. */
export const valueBits = (s: unknown): bigint[] => {
  const out: number[] = []
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v)
    else if (typeof v === 'object' && v !== null && 'data' in v && (v as Matrix).data instanceof Float64Array) out.push(...(v as Matrix).data)
    else if (Array.isArray(v)) v.forEach(walk)
    else if (typeof v === 'object' && v !== null) for (const key of Object.keys(v).sort()) walk((v as Record<string, unknown>)[key])
  }
  walk(s)
  return bits(out)
}
