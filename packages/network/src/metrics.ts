/**
 * Measuring a network on a data set: the tutorial's `evaluate` ("Error", the sum over samples
 * of |prediction − label|), the accuracy of a classifier, and the mean of any loss.
 *
 * Data sets are accepted as the tutorial passes them, rows of `number[][]` (one sample a
 * row), or as matrices with one sample per column; either way they run through the network
 * in batches, by matrix products.
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import { dual } from './internal/dual.js'
import type { Matrix } from '@purenn/matrix'
import { layerForward } from './Layer.js'
import { isBuiltinLoss, outputLoss, type Loss } from './Loss.js'
import { densePredict, outputSize, predictBatch } from './Network.js'
import type { Network, Scores } from './types.js'
import { buf } from './internal/buffer.js'
import { correctIn } from './internal/classes.js'
import { count, isMatrix, networkArg } from './internal/describe.js'
import { forEachChunk, samplesArg, type Samples } from './internal/samples.js'
import { samplesError } from './internal/shapes.js'
import { isSmall, smallScores } from './internal/small.js'

/**
 * A data set as the tutorial writes it, one sample a row, or as a matrix with one sample
 * per column.
 *
 * @example
 * import { network, addLayer, randomize, evaluate, linear, type DataSet } from '@purenn/network'
 * import { fromArrays, rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * // rows, one sample a row, as in the tutorial ...
 * const rows: DataSet = [[0, 0], [1, 1]]
 * // ... or a Matrix of columns, one sample a column
 * const columns: DataSet = pipe(fromArrays([[0, 1], [0, 1]]), E.getOrElseW(() => { throw new Error('not a matrix') }))
 * evaluate(rows, [[1], [3]])(net) // => 0
 * evaluate(columns, [[1], [3]])(net) // => 0
 *
 * @category model
 * @since 0.1.0
 */
export type DataSet = ReadonlyArray<ReadonlyArray<number>> | Matrix

const dataArgs = (fn: string, net: Network, inputs: DataSet, labels: DataSet, labelName = 'labels'): [Samples, Samples] => {
  networkArg(fn, net)
  const x = samplesArg(fn, 'inputs', inputs, net.inputSize, 'the network expects')
  const t = samplesArg(fn, labelName, labels, outputSize(net), 'the network outputs')
  if (x.count === t.count) return [x, t]
  if (isMatrix(inputs) && isMatrix(labels)) throw samplesError(fn, inputs, labels, labelName)
  throw new RangeError(`${fn}: inputs has ${count(x.count, 'sample')} but ${labelName} has ${t.count}`) // rows from outside
}

/**
 * A measure of a network on a data set (`evaluate`, `accuracy`), callable data-last,
 * `evaluate(inputs, labels)(net)`, or data-first, `evaluate(net, inputs, labels)`.
 *
 * @example
 * import { network, addLayer, randomize, evaluate, linear, type Metric } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * const error: Metric<number> = evaluate
 * // data-last, for pipe, or data-first
 * pipe(net, error([[0], [1]], [[0], [0]])) // => 3
 * error(net, [[0], [1]], [[0], [0]]) // => 3
 *
 * @category model
 * @since 0.2.0
 */
export type Metric<A> = {
  (inputs: DataSet, labels: DataSet): (net: Network) => A
  (net: Network, inputs: DataSet, labels: DataSet): A
}

const metric = <A>(run: (net: Network, inputs: DataSet, labels: DataSet) => A): Metric<A> => dual(3, run)

/**
 * The tutorial's `evaluate`: its "Error", the sum over every sample and every output of
 * |prediction − label|. Inputs and labels are rows (`number[][]`) or matrices of columns.
 * Data-last, `evaluate(inputs, labels)(net)`, or data-first, `evaluate(net, inputs, labels)`.
 * Refuses data of the wrong sizes, naming the sample.
 *
 * @example
 * import { network, addLayer, randomize, evaluate, linear } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 2-1 identity network with weights and bias 1, on the four XOR rows
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * // outputs 1, 2, 2 and 3: 1 + 1 + 1 + 3
 * evaluate([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]])(net) // => 6
 *
 * @category metrics
 * @since 0.1.0
 */
export const evaluate: Metric<number> = metric((net, inputs, labels) => {
  const [x, t] = dataArgs('evaluate', net, inputs, labels)
  let error = 0
  forEachChunk(x, t, (xc, tc) => {
    const y = buf(predictBatch(net, xc))
    const target = buf(tc)
    for (let k = 0; k < y.length; k++) error += Math.abs(y[k]! - target[k]!) // Σ |prediction − label|
  })
  return error
})

/**
 * The fraction of samples classified right, in [0, 1]. With several outputs, a sample is
 * right when its largest output is at the index of its label's largest entry (one-hot
 * labels); with one output, when the output and the label fall on the same side of 0.5.
 * Data-last or data-first, as `evaluate`. Refuses an empty data set.
 *
 * @example
 * import { network, addLayer, randomize, accuracy, linear } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(0.25, 0.25))(rng(0))
 * // outputs 0.25 and 0.75: both on their label's side of 0.5
 * accuracy([[0, 0], [1, 1]], [[0], [1]])(net) // => 1
 *
 * @category metrics
 * @since 0.1.0
 */
export const accuracy: Metric<number> = metric((net, inputs, labels) => {
  const [x, t] = dataArgs('accuracy', net, inputs, labels)
  if (x.count === 0) throw new RangeError('accuracy: inputs has no samples')
  let right = 0
  forEachChunk(x, t, (xc, tc) => {
    right += correctIn(buf(predictBatch(net, xc)), 0, buf(tc), 0, tc.rows, tc.cols)
  })
  return right / x.count
})


/**
 * The tutorial's Error, the mean loss and the number classified right, from one forward pass
 * (what a training loop reports after each epoch). A matrix of inputs goes through the network
 * whole, as `predictBatch` runs it; rows (`number[][]`) go in chunks. Data-last,
 * `scores(loss, inputs, labels)(net)`, or data-first, `scores(net, loss, inputs, labels)`.
 * Refuses data of the wrong sizes, naming the sample.
 *
 * @example
 * import { network, addLayer, randomize, scores, mse, linear } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(0.25, 0.25))(rng(0))
 * // outputs 0.25 and 0.75
 * scores(mse, [[0, 0], [1, 1]], [[0], [1]])(net) // => { count: 2, error: 0.5, loss: 0.03125, correct: 2 }
 *
 * @category metrics
 * @since 0.1.0
 */
export const scores: {
  (loss: Loss, inputs: DataSet, labels: DataSet): (net: Network) => Scores
  (net: Network, loss: Loss, inputs: DataSet, labels: DataSet): Scores
} = dual(4, (net: Network, loss: Loss, inputs: DataSet, labels: DataSet) => scoresWith(net, loss, inputs, labels))

const scoresWith = (net: Network, loss: Loss, inputs: DataSet, labels: DataSet): Scores => {
  networkArg('scores', net)
  if (net.layers.length === 0) throw new RangeError('scores: the network has no layers')
  if (isMatrix(inputs) && isMatrix(labels) && inputs.rows === net.inputSize && labels.rows === outputSize(net) && inputs.cols === labels.cols)
    return scoresOf(net, loss, inputs, labels) // matrices of the right shapes (the training loop's case): whole, as predictBatch runs them
  const [x, t] = dataArgs('scores', net, inputs, labels)
  if (isMatrix(inputs)) return scoresOf(net, loss, x.columns(0, x.count), t.columns(0, t.count))
  let error = 0
  let total = 0
  let correct = 0
  forEachChunk(x, t, (xc, tc) => {
    const s = scoresOf(net, loss, xc, tc)
    error += s.error
    total += s.loss * s.count
    correct += s.correct
  })
  return { count: x.count, error, loss: x.count === 0 ? 0 : total / x.count, correct }
}

/**
 * `scores` of one batch of columns: by the fused forward pass of a small network with a
 * built-in loss (`smallScores`, the same bits), else from `predictBatch`'s outputs.
 */
const scoresOf = (net: Network, loss: Loss, x: Matrix, t: Matrix): Scores => {
  if (isBuiltinLoss(loss) && isSmall(net, x.cols)) return smallScores(net, loss, x, t, undefined)
  const predictions = densePredict(net, x)
  const y = buf(predictions)
  const target = buf(t)
  let error = 0
  for (let k = 0; k < y.length; k++) error += Math.abs(y[k]! - target[k]!) // Σ |prediction − label|
  return { count: x.cols, error, loss: loss.value(predictions, t), correct: correctIn(y, 0, target, 0, t.rows, t.cols) }
}

/**
 * The mean of a loss over a whole data set (the same value `gradients` reports for one
 * batch, computed stably from the logits for the fused pairs). Data-last,
 * `meanLoss(loss, inputs, targets)(net)`, or data-first, `meanLoss(net, loss, inputs, targets)`.
 * An empty data set has loss 0.
 *
 * @example
 * import { network, addLayer, randomize, meanLoss, mse, linear } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(rng(0))
 * // outputs 1 and 2: (0 + ½)/2
 * meanLoss(mse, [[0], [1]], [[1], [1]])(net) // => 0.25
 *
 * @category metrics
 * @since 0.1.0
 */
export const meanLoss: {
  (loss: Loss, inputs: DataSet, targets: DataSet): (net: Network) => number
  (net: Network, loss: Loss, inputs: DataSet, targets: DataSet): number
} = dual(4, (net: Network, loss: Loss, inputs: DataSet, targets: DataSet) => meanLossWith(net, loss, inputs, targets))

const meanLossWith = (net: Network, loss: Loss, inputs: DataSet, targets: DataSet): number => {
  networkArg('meanLoss', net)
  if (net.layers.length === 0) throw new RangeError('meanLoss: the network has no layers')
  const [x, t] = dataArgs('meanLoss', net, inputs, targets, 'targets')
  const last = net.layers[net.layers.length - 1]!
  let total = 0
  forEachChunk(x, t, (xc, tc) => {
    let a = xc
    for (let k = 0; k < net.layers.length - 1; k++) a = layerForward(net.layers[k]!, a).y
    const { z, y } = layerForward(last, a)
    total += outputLoss(loss, last.activation, z, y, tc) * tc.cols // the chunk's mean, times its size
  })
  return x.count === 0 ? 0 : total / x.count
}
