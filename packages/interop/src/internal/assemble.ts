/**
 * The one way this package builds a network: as a purenn model document handed to
 * `decodeNetwork`, which checks every shape, every number's finiteness and every activation,
 * so that each reader here only has to find the numbers. Weights arrive row-major,
 * `nodes x inputs`, as purenn keeps them.
 *
 * @internal
 */
import { decodeNetwork, networkProblem, type BuiltinActivationName, type Network } from '@purenn/network'
import * as E from 'fp-ts/lib/Either.js'
import { invalid, type InteropError } from '../InteropError.js'

/** One layer's numbers: `weights` row-major, `nodes x inputs`; `bias` one value per node. */
export interface LayerData {
  readonly path: string
  readonly nodes: number
  readonly inputs: number
  readonly weights: ArrayLike<number>
  readonly bias: ArrayLike<number>
  readonly activation: BuiltinActivationName
}

const rows = (data: ArrayLike<number>, nodes: number, inputs: number): number[][] => {
  const out: number[][] = []
  for (let i = 0; i < nodes; i++) {
    const row: number[] = []
    for (let j = 0; j < inputs; j++) row.push(data[i * inputs + j]!)
    out.push(row)
  }
  return out
}

/** A network from its layers, checked by `decodeNetwork`; a failure names the source's path. */
export const assemble = (inputSize: number, layers: ReadonlyArray<LayerData>, where: string): E.Either<InteropError, Network> => {
  if (layers.length === 0) return E.left(invalid(where, 'holds no layer: a network has at least one'))
  for (const l of layers) {
    if (l.weights.length !== l.nodes * l.inputs)
      return E.left(invalid(l.path, `expected ${l.nodes * l.inputs} weights (${l.nodes} x ${l.inputs}), got ${l.weights.length}`))
    if (l.bias.length !== l.nodes) return E.left(invalid(l.path, `expected ${l.nodes} biases, got ${l.bias.length}`))
  }
  const doc = {
    format: 'purenn/network',
    version: 1,
    inputSize,
    layers: layers.map((l) => ({ activation: l.activation, weights: rows(l.weights, l.nodes, l.inputs), bias: Array.from(l.bias) }))
  }
  return E.mapLeft((e: { readonly message: string; readonly path?: string }): InteropError => {
    // decodeNetwork names `layers[k]...`: say which layer of the source that is
    const m = /^layers\[(\d+)\]/.exec(e.path ?? '')
    const layer = m === null ? undefined : layers[Number(m[1])]
    return invalid(layer?.path ?? where, e.message)
  })(decodeNetwork(doc))
}

/** The layer's weights as a row-major `nodes x inputs` buffer, bias as a buffer (copies of purenn's). */
export const layerNumbers = (net: Network, k: number): { readonly nodes: number; readonly inputs: number; readonly weights: Float64Array; readonly bias: Float64Array } => {
  const l = net.layers[k]!
  return { nodes: l.weights.rows, inputs: l.weights.cols, weights: Float64Array.from(l.weights.data), bias: Float64Array.from(l.bias.data) }
}

/**
 * Why a value handed to an exporter is not a network (`networkProblem` of `@purenn/network`),
 * as the `Left`'s error, or undefined when it is one. The exporters answer with an `Either`: a
 * value that is not a network is a `Left` naming where, never a crash deep inside.
 */
export const unreadable = (u: unknown): InteropError | undefined => {
  const wrong = networkProblem(u)
  return wrong === undefined ? undefined : invalid(wrong.path, wrong.message)
}
