import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import { accuracy, binaryCrossEntropy, evaluate, meanLoss, mse } from '@purenn/network'
import { adam, batches, sampleSet, initTrainState, momentum, sgd, train, trainStep, type TrainState } from '@purenn/training'
import { columns, paramsOf, right, sigmoidNet, xorData, xorLabels } from './helpers.js'

// five samples, so that batches of two leave a partial one
const data = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]
const labels = [[0], [1], [1], [0], [1]]

describe('train is a fold of trainStep', () => {
  it('equals folding trainStep over the shuffled batches by hand, bit for bit', () => {
    const net = sigmoidNet([2, 3, 1], 11)
    const optimizer = adam({ learningRate: 0.05 })
    const result = right(train({ trainData: data, trainLabels: labels, numEpochs: 7, optimizer, batchSize: 2, seed: 42 })(net))

    // by hand: rng(seed); each epoch a Fisher–Yates permutation, batches of 2, reduce trainStep
    const set = sampleSet(columns(data), columns(labels))
    const step = trainStep(mse, optimizer)
    let st: TrainState<ReturnType<typeof optimizer.init>> = initTrainState(optimizer, net, M.rng(42))
    for (let epoch = 1; epoch <= 7; epoch++) {
      const [order, next] = M.permutation(5)(st.rng)
      const bs = batches(set, order, 2)
      expect(bs.map((b) => b.inputs.cols)).toEqual([2, 2, 1])
      st = bs.reduce(step, { ...st, rng: next })
    }
    expect(paramsOf(result.network)).toEqual(paramsOf(st.network))
    expect(st.step).toBe(21)
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('gives the same bits for the same seed, and another run for another seed', () => {
    const net = sigmoidNet([2, 4, 1], 3)
    const options = { trainData: xorData, trainLabels: xorLabels, numEpochs: 20, learningRate: 0.3 }
    const a = right(train(options)(net))
    const b = right(train(options)(net))
    const c = right(train({ ...options, seed: 1 })(net))
    expect(paramsOf(a.network)).toEqual(paramsOf(b.network))
    expect(a.history.map((r) => [r.loss, r.error])).toEqual(b.history.map((r) => [r.loss, r.error]))
    expect(paramsOf(c.network)).not.toEqual(paramsOf(a.network))
  })

  it('takes rows or matrices of columns alike, and leaves the caller’s arrays alone', () => {
    const net = sigmoidNet([2, 4, 1], 4)
    const rows = xorData.map((r) => [...r])
    const snapshot = JSON.stringify(rows)
    const fromRows = right(train({ trainData: rows, trainLabels: xorLabels, numEpochs: 5, learningRate: 0.3, batchSize: 3 })(net))
    const X = columns(xorData)
    const fromColumns = right(train({ trainData: X, trainLabels: columns(xorLabels), numEpochs: 5, learningRate: 0.3, batchSize: 3 })(net))
    expect(paramsOf(fromRows.network)).toEqual(paramsOf(fromColumns.network))
    expect(JSON.stringify(rows)).toBe(snapshot)
  })

  it('does not change the network it starts from', () => {
    const net = sigmoidNet([2, 2, 1], 9)
    const before = paramsOf(net)
    right(train({ trainData: xorData, trainLabels: xorLabels, numEpochs: 3, optimizer: momentum({ learningRate: 0.1 }) })(net))
    expect(paramsOf(net)).toEqual(before)
  })
})

describe('epoch reports', () => {
  it('Error is the tutorial’s evaluate on the validation set, and the validation loss its mean loss', () => {
    const net = sigmoidNet([2, 3, 1], 2)
    const { history, network } = right(
      train({
        trainData: data,
        trainLabels: labels,
        validationData: xorData,
        validationLabels: xorLabels,
        numEpochs: 3,
        learningRate: 0.5,
        loss: binaryCrossEntropy,
        metrics: ['accuracy']
      })(net)
    )
    const last = history.at(-1)!
    expect(last.error).toBeCloseTo(evaluate(xorData, xorLabels)(network), 12)
    expect(last.validationLoss).toBeCloseTo(meanLoss(binaryCrossEntropy, xorData, xorLabels)(network), 10)
    expect(last.accuracy).toBe(accuracy(xorData, xorLabels)(network))
    expect(last.ms).toBeGreaterThanOrEqual(0)
  })

  it('without a validation set, Error and accuracy are measured on the training set and there is no validation loss', () => {
    const net = sigmoidNet([2, 3, 1], 2)
    const { history, network } = right(train({ trainData: data, trainLabels: labels, numEpochs: 2, learningRate: 0.5 })(net))
    const last = history.at(-1)!
    expect(last.error).toBeCloseTo(evaluate(data, labels)(network), 12)
    expect(last.accuracy).toBe(accuracy(data, labels)(network))
    expect(last).not.toHaveProperty('validationLoss')
  })

  it('reports no accuracy when the labels are not classes', () => {
    const net = sigmoidNet([2, 3, 1], 2)
    const { history } = right(train({ trainData: data, trainLabels: [[0], [0.5], [1], [0], [1]], numEpochs: 1, learningRate: 0.5 })(net))
    expect(history[0]).not.toHaveProperty('accuracy')
  })

  it('the training loss is the size-weighted mean of the batch losses of the epoch', () => {
    const net = sigmoidNet([2, 3, 1], 8)
    const optimizer = sgd({ learningRate: 0.2 })
    const { history } = right(train({ trainData: data, trainLabels: labels, numEpochs: 1, optimizer, batchSize: 2, seed: 5 })(net))
    const [order] = M.permutation(5)(M.rng(5))
    const bs = batches(sampleSet(columns(data), columns(labels)), order, 2)
    let st = initTrainState(optimizer, net, M.rng(0))
    let sum = 0
    for (const b of bs) {
      st = trainStep(mse, optimizer)(st, b)
      sum += st.loss! * b.inputs.cols
    }
    expect(history[0]!.loss).toBe(sum / 5)
  })

  it('a run that ends normally is a Right with one report per epoch', () => {
    const r = train({ trainData: xorData, trainLabels: xorLabels, numEpochs: 4, learningRate: 0.1 })(sigmoidNet([2, 2, 1], 1))
    expect(E.isRight(r) && r.right.history.length).toBe(4)
  })
})
