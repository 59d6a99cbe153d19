/**
 * The tutorial's `MultiLayerPerceptron` ("Write your own neural network!", 2018), written out
 * over the tutorial's `Matrix` class (`tutorial-matrix.ts`): nested `number[][]` rows, a new
 * matrix per operation, one sample at a time. A baseline for the benchmarks, in the tutorial's
 * shape and with its algorithm, not part of the library.
 *
 * As in the tutorial, `trainIteration` updates each layer's weights and then sends the errors
 * back through the weights it has just updated (purenn uses the weights from before the step).
 * Departures, for reproducible benchmarks: `randomizeWeights` draws from an explicit source of
 * numbers in `[0, 1)` instead of `Math.random`, and `fromWeights` builds a network from given
 * parameters so that its results can be checked against purenn's on the same weights.
 *
 * Index reads use `!`: indices are in bounds by construction (the shapes are checked first).
 */
import { Matrix } from './tutorial-matrix.js'

/** An activation as the tutorial writes it: the function and its derivative in terms of the output y. */
export class ActivationFunction {
  readonly function: (x: number) => number
  readonly derivative: (y: number) => number
  constructor(func: (x: number) => number, derivative: (y: number) => number) {
    this.function = func
    this.derivative = derivative
  }
}

/** The tutorial's sigmoid, with the derivative y·(1 − y). */
export const tutorialSigmoid = new ActivationFunction(
  (x) => 1 / (1 + Math.exp(-x)),
  (y) => y * (1 - y)
)

/** The tutorial's network: weight and bias matrices and activations, changed in place by training. */
export class MultiLayerPerceptron {
  weightArray: Matrix[] = []
  biasArray: Matrix[] = []
  activationFunctions: ActivationFunction[] = []
  readonly inputDimension: number

  constructor(options: { inputDimension: number }) {
    if (options.inputDimension < 1) throw new RangeError('Input dimension must be greater than zero!')
    this.inputDimension = options.inputDimension
  }

  /** Builds a network from given weights (`nodes x inputs` rows) and biases (one value per node). */
  static fromWeights(
    inputDimension: number,
    weights: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>,
    biases: ReadonlyArray<ReadonlyArray<number>>,
    activation: ActivationFunction
  ): MultiLayerPerceptron {
    const mlp = new MultiLayerPerceptron({ inputDimension })
    weights.forEach((w, k) => {
      mlp.weightArray.push(Matrix.fromRows(w))
      mlp.biasArray.push(Matrix.fromArray(biases[k]!))
      mlp.activationFunctions.push(activation)
    })
    return mlp
  }

  /** Adds a layer of zero weights, `nodes x` the previous width. */
  addLayer(layer: { nodes: number; activation: ActivationFunction }): this {
    if (layer.nodes <= 0) throw new RangeError('Layer must have a positive number of nodes!')
    const previous = this.weightArray[this.weightArray.length - 1]
    this.weightArray.push(new Matrix(layer.nodes, previous === undefined ? this.inputDimension : previous.rows))
    this.biasArray.push(new Matrix(layer.nodes, 1))
    this.activationFunctions.push(layer.activation)
    return this
  }

  /** Every weight and bias uniform in `[lower, upper)`, drawn from `source`. */
  randomizeWeights(lower: number, upper: number, source: () => number): this {
    this.weightArray = this.weightArray.map((w) => w.randomize(lower, upper, source))
    this.biasArray = this.biasArray.map((b) => b.randomize(lower, upper, source))
    return this
  }

  /** One sample forward: the output values and the activations, the input first. */
  predict(inputArray: ReadonlyArray<number>): { prediction: number[]; activations: Matrix[] } {
    const input = Matrix.fromArray(inputArray)
    if (this.weightArray[0]!.columns !== input.rows) throw new RangeError('Prediction input does not fit in the network')
    let sum = input
    const activations = [input]
    for (let i = 0; i < this.weightArray.length; i++) {
      sum = Matrix.dot(this.weightArray[i]!, sum) // the next layer's weighted sums
      sum = Matrix.add(sum, this.biasArray[i]!)
      sum = Matrix.map(sum, this.activationFunctions[i]!.function) // through the activation
      activations.push(sum)
    }
    return { prediction: Matrix.transpose(sum).toArray(), activations }
  }

  /** The tutorial's one-sample step, errors propagated through the already-updated weights. */
  trainIteration(input: ReadonlyArray<number>, target: ReadonlyArray<number>, learningRate: number): void {
    if (input.length !== this.inputDimension || target.length !== this.weightArray[this.weightArray.length - 1]!.rows)
      throw new RangeError('Input and target output must match the dimensions of the network!')
    if (learningRate <= 0) throw new RangeError('Learning rate must be greater than 0')
    const { prediction, activations } = this.predict(input)
    const targets = Matrix.fromArray(target)
    let layerOutputs = Matrix.fromArray(prediction)
    let layerErrors = Matrix.subtract(targets, layerOutputs) // t − y
    for (let i = this.weightArray.length - 1; i >= 0; i--) {
      // gradient = f'(outputs) ⊙ errors · learning rate
      const gradients = Matrix.multiply(Matrix.multiply(Matrix.map(layerOutputs, this.activationFunctions[i]!.derivative), layerErrors), learningRate)
      const previousTransposed = Matrix.transpose(activations[i]!)
      const weightDeltas = Matrix.dot(gradients, previousTransposed)
      this.weightArray[i] = Matrix.add(this.weightArray[i]!, weightDeltas)
      this.biasArray[i] = Matrix.add(this.biasArray[i]!, gradients)
      // the previous layer's errors, through the weights just updated
      layerOutputs = activations[i]!
      layerErrors = Matrix.dot(Matrix.transpose(this.weightArray[i]!), layerErrors)
    }
  }

  /** The tutorial's Error: the sum over samples of |prediction − label|. */
  evaluate(dataInputs: ReadonlyArray<ReadonlyArray<number>>, dataLabels: ReadonlyArray<ReadonlyArray<number>>): number {
    if (dataInputs.length !== dataLabels.length) throw new RangeError('You have to supply one label for each data item!')
    let error = 0
    for (let s = 0; s < dataInputs.length; s++) {
      const prediction = this.predict(dataInputs[s]!).prediction
      const target = dataLabels[s]!
      for (let i = 0; i < prediction.length; i++) error += Math.abs(prediction[i]! - target[i]!)
    }
    return error
  }
}
