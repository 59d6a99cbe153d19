/**
 * The data a network is made of. A network is plain data: an input size and a list of
 * layers, each a weight matrix, a bias column and an activation. Nothing here has methods
 * that change it; every function over these types returns new values.
 *
 * Conventions, as in the tutorial: a layer's weights are `nodes x inputs`, its bias is
 * `nodes x 1`, and samples are columns (a batch of `b` samples is an `inputs x b` matrix).
 *
 * @since 0.1.0
 */
import type { Matrix } from '@purenn/matrix'

/**
 * An activation applied to each entry on its own. `f` is the function; `df(x, y)` is its
 * derivative at the pre-activation `x`, given also the output `y = f(x)`, so that sigmoid's
 * can be written `y * (1 - y)` as in the tutorial while relu's uses `x`.
 *
 * @example
 * import { sigmoid, type ElementwiseActivation } from '@purenn/network'
 * const f: ElementwiseActivation = sigmoid
 * f._tag // => 'Elementwise'
 * f.f(0) // => 0.5
 * // its derivative reads the output: σ'(x) = y·(1 − y)
 * f.df(0, 0.5) // => 0.25
 *
 * @category model
 * @since 0.1.0
 */
export interface ElementwiseActivation {
  readonly _tag: 'Elementwise'
  readonly name: string
  /** The function, applied to each pre-activation `x`. */
  readonly f: (x: number) => number
  /** Its derivative at `x`, given also the output `y = f(x)` (sigmoid's is `y·(1 − y)`). */
  readonly df: (x: number, y: number) => number
}

/**
 * An activation that maps a whole column of pre-activations at once (softmax). `forward`
 * maps a batch `Z` (one sample per column) to `Y`; `backward(z, y, dy)` turns the gradient
 * of the loss with respect to `Y` into the gradient with respect to `Z`, column by column
 * (for softmax, `dZ = (diag(y) − y·yᵀ) · dY`).
 *
 * @example
 * import { softmax, type ColumnActivation } from '@purenn/network'
 * import { fromArray, toArray } from '@purenn/matrix'
 * const s: ColumnActivation = softmax
 * s._tag // => 'Column'
 * const y = s.forward(fromArray([0, Math.log(3)]))
 * toArray(y) // ≈ [0.25, 0.75]
 * // the Jacobian diag(y) − y·yᵀ applied to dY: a shift of every input changes nothing
 * toArray(s.backward(fromArray([0, Math.log(3)]), y, fromArray([1, 1]))) // ≈ [0, 0]
 *
 * @category model
 * @since 0.1.0
 */
export interface ColumnActivation {
  readonly _tag: 'Column'
  readonly name: string
  /** Maps a batch of pre-activations `Z` (one sample a column) to the outputs `Y`. */
  readonly forward: (z: Matrix) => Matrix
  /** Turns the gradient with respect to the outputs, `dY`, into the gradient with respect to `Z`. */
  readonly backward: (z: Matrix, y: Matrix, dy: Matrix) => Matrix
}

/**
 * An activation: element-wise (sigmoid, tanh, relu, ... or a custom one) or column-wise
 * (softmax). Every activation has a name, which is how a model file refers to it.
 *
 * @example
 * import { sigmoid, softmax, activation, type Activation } from '@purenn/network'
 * const swish = activation('swish', (x) => x / (1 + Math.exp(-x)), (x, y) => y + (1 - y) / (1 + Math.exp(-x)))
 * const all: Activation[] = [sigmoid, softmax, swish]
 * all.map((a) => `${a.name} (${a._tag})`) // => ['sigmoid (Elementwise)', 'softmax (Column)', 'swish (Elementwise)']
 *
 * @category model
 * @since 0.1.0
 */
export type Activation = ElementwiseActivation | ColumnActivation

/**
 * One dense layer: `y = f(W·x + b)`, with `weights` of shape `nodes x inputs` and `bias`
 * of shape `nodes x 1`.
 *
 * @example
 * import { network, addLayer, randomize, linear, type Layer } from '@purenn/network'
 * import { rng, toArrays } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(3), addLayer({ nodes: 2, activation: linear }), randomize(1, 1))(rng(0))
 * const layer: Layer = net.layers[0]!
 * toArrays(layer.weights) // => [[1, 1, 1], [1, 1, 1]]
 * toArrays(layer.bias) // => [[1], [1]]
 * layer.activation.name // => 'linear'
 *
 * @category model
 * @since 0.1.0
 */
export interface Layer {
  readonly weights: Matrix
  readonly bias: Matrix
  readonly activation: Activation
}

/**
 * A multilayer perceptron: the size of its input and its layers, first to last.
 *
 * @example
 * import { network, addLayer, sigmoid, type Network } from '@purenn/network'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net: Network = pipe(network(2), addLayer({ nodes: 3, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }))
 * net.inputSize // => 2
 * net.layers.map((l) => `${l.weights.rows}x${l.weights.cols}`) // => ['3x2', '1x3']
 *
 * @category model
 * @since 0.1.0
 */
export interface Network {
  readonly inputSize: number
  readonly layers: ReadonlyArray<Layer>
}

/**
 * The gradient of one layer's parameters (same shapes as the layer's weights and bias).
 *
 * @example
 * import { network, addLayer, randomize, gradients, mse, sigmoid, type LayerGradients } from '@purenn/network'
 * import { fromArray, rng, shapeOf } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 3, activation: sigmoid }), randomize())(rng(0))
 * const g: LayerGradients = gradients(mse, fromArray([1, 0]), fromArray([1, 0, 1]))(net).gradients[0]!
 * shapeOf(g.weights) // => '3x2'
 * shapeOf(g.bias) // => '3x1'
 *
 * @category model
 * @since 0.1.0
 */
export interface LayerGradients {
  readonly weights: Matrix
  readonly bias: Matrix
}

/**
 * Gradients mirror a network: one `{ weights, bias }` per layer, with the same shapes. The
 * same type carries optimizer updates (see `@purenn/training`).
 *
 * @example
 * import { network, addLayer, randomize, gradients, mse, sigmoid, type Gradients } from '@purenn/network'
 * import { fromArray, rng, shapeOf } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 3, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const g: Gradients = gradients(mse, fromArray([1, 0]), fromArray([1]))(net).gradients
 * // one { weights, bias } per layer, shaped as the layer's
 * g.map((l) => [shapeOf(l.weights), shapeOf(l.bias)]) // => [['3x2', '3x1'], ['1x3', '1x1']]
 *
 * @category model
 * @since 0.1.0
 */
export type Gradients = ReadonlyArray<LayerGradients>

/**
 * What `scores` measures on a data set, in one forward pass: how many samples it holds, the
 * tutorial's Error (Σ |prediction − label| over every sample and output), the mean loss as
 * `loss.value` computes it from the predictions, and how many samples are classified right
 * (by `accuracy`'s rule: `correct / count` is the accuracy).
 *
 * @example
 * import { network, addLayer, randomize, scores, mse, linear, type Scores } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // y = x + 1: outputs 1 and 2 for labels 1 and 1, both on the label's side of 0.5
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * const s: Scores = scores(mse, [[0], [1]], [[1], [1]])(net)
 * s // => { count: 2, error: 1, loss: 0.25, correct: 2 }
 * s.correct / s.count // => 1
 *
 * @category model
 * @since 0.1.0
 */
export interface Scores {
  readonly count: number
  readonly error: number
  readonly loss: number
  readonly correct: number
}
