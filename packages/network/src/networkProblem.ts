/**
 * What a network value is, checked once for the functions that take one from a caller whole
 * (`train`'s boundary, the exporters of `@purenn/interop`): the shape `network` and `addLayer`
 * build, each layer's weights taking the size before it.
 *
 * @since 0.2.0
 */
import * as M from '@purenn/matrix'
import { isActivationValue } from './Activation.js'
import type { Layer, Network } from './types.js'
import { describeValue } from './internal/describe.js'

/**
 * Why a value is not a network, as the caller's function would say it: `path` within the value
 * (`''` for the value itself, `inputSize`, `layers[1].weights`, ...) and `message`, what was
 * expected there and what came.
 *
 * @example
 * import type { NetworkProblem } from '@purenn/network'
 * const p: NetworkProblem = { path: 'inputSize', message: 'expected a positive integer, got number 0' }
 * p.path // => 'inputSize'
 *
 * @category model
 * @since 0.2.0
 */
export interface NetworkProblem {
  readonly path: string
  readonly message: string
}

const problem = (path: string, expected: string, got: unknown): NetworkProblem => ({
  path,
  message: `expected ${expected}, got ${M.isMatrix(got) ? `a ${M.shapeOf(got)} matrix` : describeValue(got)}`
})

/**
 * Why `u` is not a network as `network` and `addLayer` build one, or undefined when it is one:
 * an object with a positive integer `inputSize` and an array of layers, each a `weights` matrix
 * of `nodes x inputs` whose columns are the size before it (`inputSize`, then the nodes of the
 * layer before), a `bias` matrix of `nodes x 1`, and an activation (a built-in, or one made with
 * `activation(name, f, df)`). A network without layers passes: whether one may be empty is the
 * caller's to say. Its numbers are not read (whether they must be finite is the caller's too).
 *
 * @example
 * import { network, addLayer, sigmoid, networkProblem } from '@purenn/network'
 * import { zeros } from '@purenn/matrix'
 * const net = addLayer(network(2), { nodes: 3, activation: sigmoid })
 * networkProblem(net) // => undefined
 * networkProblem(null) // => { path: '', message: 'expected a network { inputSize, layers }, got null' }
 * // a layer whose weights do not take the size before it
 * networkProblem({ ...net, layers: [{ ...net.layers[0]!, weights: zeros(3, 4) }] })
 * // => { path: 'layers[0].weights', message: 'expected a matrix of 2 columns (the size before the layer), got a 3x4 matrix' }
 *
 * @category model
 * @since 0.2.0
 */
export const networkProblem = (u: unknown): NetworkProblem | undefined => {
  if (typeof u !== 'object' || u === null) return problem('', 'a network { inputSize, layers }', u)
  const net = u as Partial<Network>
  if (typeof net.inputSize !== 'number' || !Number.isInteger(net.inputSize) || net.inputSize <= 0) return problem('inputSize', 'a positive integer', net.inputSize)
  if (!Array.isArray(net.layers)) return problem('layers', 'an array of layers', net.layers)
  let size = net.inputSize // the size before layer k
  for (let k = 0; k < net.layers.length; k++) {
    const l: unknown = net.layers[k]
    const at = `layers[${k}]`
    if (typeof l !== 'object' || l === null) return problem(at, 'a layer { weights, bias, activation }', l)
    const { weights, bias, activation } = l as Partial<Layer>
    if (!M.isMatrix(weights) || weights.cols !== size) return problem(`${at}.weights`, `a matrix of ${size} columns (the size before the layer)`, weights)
    if (!M.isMatrix(bias) || bias.rows !== weights.rows || bias.cols !== 1) return problem(`${at}.bias`, `a ${weights.rows}x1 matrix (one value a node)`, bias)
    if (!isActivationValue(activation)) return problem(`${at}.activation`, 'an activation (a built-in, or one made with activation(name, f, df))', activation)
    size = weights.rows
  }
  return undefined
}
