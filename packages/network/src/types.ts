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
 * @category model
 * @since 0.1.0
 */
export type Activation = ElementwiseActivation | ColumnActivation

/**
 * One dense layer: `y = f(W·x + b)`, with `weights` of shape `nodes x inputs` and `bias`
 * of shape `nodes x 1`.
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
 * @category model
 * @since 0.1.0
 */
export interface Scores {
  readonly count: number
  readonly error: number
  readonly loss: number
  readonly correct: number
}
