import { describe, expect, it } from 'vitest'
import * as M from '@purenn/matrix'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from '@purenn/network'
import { fromColumns, makeNetwork, snapshot } from './reference.js'

const xorInputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
const xorLabels = [[0], [1], [1], [0]]

describe('evaluate', () => {
  const identity21 = pipe(N.network(2), N.addLayer({ nodes: 1, activation: N.linear }), N.randomize(1, 1))(M.rng(0))[0]

  it("is the tutorial's Error: a 2-1 identity network of ones has Error 6 on the four XOR rows", () => {
    // outputs 1, 2, 2, 3 against labels 0, 1, 1, 0
    expect(N.evaluate(xorInputs, xorLabels)(identity21)).toBe(6)
  })

  it('reads a matrix of columns as well as rows, and is data-first as well', () => {
    const X = fromColumns(xorInputs, 2)
    const T = fromColumns(xorLabels, 1)
    expect(N.evaluate(X, T)(identity21)).toBe(6)
    expect(N.evaluate(identity21, X, xorLabels)).toBe(6)
  })

  it('sums over every output and sample, across chunks of a large data set', () => {
    const net = makeNetwork(3, [[4, N.tanh], [2, N.sigmoid]], 3)
    const xs = Array.from({ length: 1300 }, (_, s) => [Math.sin(s), Math.cos(s), (s % 7) / 7])
    const ts = xs.map((_, s) => [s % 2, (s + 1) % 2])
    let expected = 0
    xs.forEach((x, s) => N.predict(net, x).prediction.forEach((y, i) => (expected += Math.abs(y - ts[s]![i]!))))
    expect(N.evaluate(xs, ts)(net)).toBeCloseTo(expected, 9)
    expect(N.evaluate(fromColumns(xs, 3), fromColumns(ts, 2))(net)).toBeCloseTo(expected, 9)
  })

  it('refuses data of the wrong sizes, naming the sample', () => {
    expect(() => N.evaluate([[0, 0], [0, 1, 1]], [[0], [1]])(identity21)).toThrow('evaluate: inputs[1] has 3 values, the network expects 2')
    expect(() => N.evaluate([[0, 0]], [[0, 1]])(identity21)).toThrow('evaluate: labels[0] has 2 values, the network outputs 1')
    expect(() => N.evaluate([[0, 0], [1, 1]], [[0]])(identity21)).toThrow('evaluate: inputs has 2 samples but labels has 1')
    expect(() => N.evaluate([[0, 'x']] as unknown as number[][], [[0]])(identity21)).toThrow('evaluate: inputs[0][1] must be a number, got string "x"')
    expect(() => N.evaluate(M.zeros(3, 2), M.zeros(1, 2))(identity21)).toThrow('evaluate: inputs has 3 rows, the network expects 2')
    expect(() => N.evaluate(42 as unknown as number[][], [[0]])(identity21)).toThrow(TypeError)
  })

  it('changes nothing it was given', () => {
    const inputs = xorInputs.map((r) => [...r])
    const X = fromColumns(xorInputs, 2)
    const before = snapshot(identity21, X)
    N.evaluate(inputs, xorLabels)(identity21)
    N.evaluate(X, xorLabels)(identity21)
    expect(inputs).toEqual(xorInputs)
    expect(snapshot(identity21, X)).toEqual(before)
  })
})

describe('accuracy', () => {
  it('counts one-hot classes by the largest output', () => {
    // softmax of W·x with W = identity: the class is the index of the largest input
    const net: N.Network = { inputSize: 3, layers: [{ weights: M.identity(3), bias: M.zeros(3, 1), activation: N.softmax }] }
    const xs = [[3, 1, 0], [0, 2, 1], [0, 0, 5], [1, 0, 0]]
    const ts = [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]]
    expect(N.accuracy(xs, ts)(net)).toBe(0.5)
    expect(N.accuracy(net, fromColumns(xs, 3), fromColumns(ts, 3))).toBe(0.5)
  })

  it('with one output, compares sides of 0.5', () => {
    const net: N.Network = { inputSize: 1, layers: [{ weights: M.fill(1, 1, 1), bias: M.zeros(1, 1), activation: N.linear }] }
    expect(N.accuracy([[0.2], [0.7], [0.9], [0.4]], [[0], [1], [0], [1]])(net)).toBe(0.5)
  })

  it('refuses an empty data set', () => {
    const net = makeNetwork(2, [[1, N.sigmoid]], 0)
    expect(() => N.accuracy([], [])(net)).toThrow('accuracy: inputs has no samples')
  })
})

describe('meanLoss', () => {
  it('is the mean of the loss over the data set, as gradients reports it', () => {
    const net = makeNetwork(3, [[4, N.relu], [3, N.softmax]], 9)
    const X = M.fromFunction(3, 700, (i, j) => Math.sin(i * 700 + j))
    const T = M.fromFunction(3, 700, (i, j) => (j % 3 === i ? 1 : 0))
    expect(N.meanLoss(N.crossEntropy, X, T)(net)).toBeCloseTo(N.gradients(N.crossEntropy, X, T)(net).loss, 12)
    expect(N.meanLoss(net, N.mse, X, T)).toBeCloseTo(N.gradients(N.mse, X, T)(net).loss, 12)
  })

  it('refuses targets of the wrong size', () => {
    const net = makeNetwork(2, [[1, N.sigmoid]], 0)
    expect(() => N.meanLoss(N.mse, [[0, 0]], [[0, 0]])(net)).toThrow('meanLoss: targets[0] has 2 values, the network outputs 1')
  })
})
