// What used to train "successfully" and learn nothing is refused when the options are decoded,
// with a Left naming the place (#17): a hidden layer left at zero by addLayer, and labels the
// loss cannot learn from.
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { pipe } from 'fp-ts/lib/function.js'
import { epochs, train, trainAsync, type TrainError } from '@purenn/training'
import { sigmoidNet, xorData, xorLabels } from './helpers.js'

const base = { trainData: xorData, trainLabels: xorLabels, numEpochs: 2, learningRate: 0.1 }

/** The error of `epochs` for these options and network, or undefined for a Right. */
const errorOf = (options: unknown, network: N.Network): TrainError | undefined => {
  const r = epochs(options as never)(network)
  return E.isLeft(r) ? r.left : undefined
}

const unset = pipe(N.network(2), N.addLayer({ nodes: 2, activation: N.sigmoid }), N.addLayer({ nodes: 1, activation: N.sigmoid }))

describe('a network never randomised', () => {
  const message =
    'expected weights drawn at random, got all zeros: the nodes of a hidden layer that start equal stay equal and learn as one (call randomize or initialize after addLayer)'

  it('is refused by train, epochs and trainAsync, naming the layer', async () => {
    for (const r of [train(base)(unset), epochs(base)(unset), await trainAsync(base)(unset)]) {
      expect(E.isLeft(r)).toBe(true)
      const error = (r as E.Left<TrainError>).left
      expect(error).toMatchObject({ _tag: 'InvalidOptions', path: 'network.layers[0]' })
      expect(error.message).toBe(`network.layers[0]: ${message}`)
    }
    // the second of two hidden layers, the first randomised
    const deeper = pipe(N.network(2), N.addLayer({ nodes: 3, activation: N.tanh }), N.randomize(-1, 1))(M.rng(0))[0]
    const third = pipe(deeper, N.addLayer({ nodes: 2, activation: N.tanh }), N.addLayer({ nodes: 1, activation: N.sigmoid }))
    expect(errorOf(base, third)?.message).toBe(`network.layers[1]: ${message}`)
  })

  it('is allowed where zeros are no trap: no hidden layer, a hidden layer of one node, equal non-zero weights', () => {
    const perceptron = N.addLayer({ nodes: 1, activation: N.sigmoid })(N.network(2))
    expect(errorOf(base, perceptron)).toBeUndefined()
    const narrow = pipe(N.network(2), N.addLayer({ nodes: 1, activation: N.sigmoid }), N.addLayer({ nodes: 1, activation: N.sigmoid }))
    expect(errorOf(base, narrow)).toBeUndefined()
    const constant = pipe(unset, N.randomize(0.5, 0.5))(M.rng(0))[0]
    expect(errorOf(base, constant)).toBeUndefined()
    expect(errorOf(base, sigmoidNet([2, 3, 1], 0))).toBeUndefined()
  })
})

describe('labels the loss cannot learn from', () => {
  const net = sigmoidNet([2, 3, 1], 0)
  const softmaxNet = pipe(N.network(2), N.addLayer({ nodes: 3, activation: N.tanh }), N.addLayer({ nodes: 2, activation: N.softmax }), N.initialize('xavier'))(M.rng(1))[0]

  it('binaryCrossEntropy: a label outside [0, 1], in the training or the validation labels', () => {
    const bce = { ...base, loss: N.binaryCrossEntropy }
    expect(errorOf({ ...bce, trainData: [...xorData, [1, 1]], trainLabels: [...xorLabels, [5]] }, net)).toMatchObject({
      _tag: 'InvalidOptions',
      path: 'trainLabels[4][0]',
      message: 'trainLabels[4][0]: binaryCrossEntropy needs labels in [0, 1], got 5'
    })
    expect(errorOf({ ...bce, validationData: xorData, validationLabels: [[0], [1], [-0.5], [0]] }, net)?.message).toBe(
      'validationLabels[2][0]: binaryCrossEntropy needs labels in [0, 1], got -0.5'
    )
    expect(errorOf({ ...bce, trainLabels: [[0], [0.25], [1], [0.75]] }, net)).toBeUndefined() // soft labels are fine
    expect(errorOf({ ...base, trainLabels: [[0], [5], [1], [0]] }, net)).toBeUndefined() // mse takes any target
  })

  it('crossEntropy: a label that is not a distribution (a negative entry, or a sum other than 1)', () => {
    const ce = { ...base, loss: N.crossEntropy, trainLabels: [[1, 0], [0, 1], [0, 1], [1, 0]] }
    expect(errorOf(ce, softmaxNet)).toBeUndefined()
    expect(errorOf({ ...ce, trainLabels: [[1, 0], [0, 1], [0.5, 0.2], [1, 0]] }, softmaxNet)).toMatchObject({
      path: 'trainLabels[2]',
      message: 'trainLabels[2]: crossEntropy needs labels that sum to 1 (a distribution over the classes, e.g. one-hot), got a sum of 0.7'
    })
    expect(errorOf({ ...ce, trainLabels: [[1, 0], [2, -1], [0, 1], [1, 0]] }, softmaxNet)?.message).toBe(
      'trainLabels[1][1]: crossEntropy needs non-negative labels (a distribution over the classes), got -1'
    )
    expect(errorOf({ ...ce, validationData: xorData, validationLabels: [[1, 0], [0, 1], [0, 1], [0, 0]] }, softmaxNet)).toMatchObject({ path: 'validationLabels[3]' })
    expect(errorOf({ ...ce, trainLabels: [[0.3, 0.7], [0.5, 0.5], [0.1 + 0.2, 0.7], [1, 0]] }, softmaxNet)).toBeUndefined() // within 1e-6 of 1
  })
})
