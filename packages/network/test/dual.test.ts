// Every function of a network is callable data-last, f(...args)(net), and data-first,
// f(net, ...args), with the same result (src/internal/dual.ts).
import { describe, expect, it } from 'vitest'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { bitsOf, makeNetwork } from './reference.js'
import { dual } from '../src/internal/dual.js'

const net = makeNetwork(2, [[3, N.tanh], [2, N.softmax]], 7)
const [X] = M.uniform(2, 5, -1, 1)(M.rng(1))
const T = M.fromFunction(2, 5, (i, j) => (i === j % 2 ? 1 : 0))
const rows = [[0, 1], [1, 0], [0.5, 0.5]]
const labels = [[1, 0], [0, 1], [1, 0]]

describe('data-first and data-last forms', () => {
  it('give the same results for every function of a network', () => {
    expect(N.predict(net, [0.3, -0.2])).toEqual(N.predict([0.3, -0.2])(net))
    expect(N.predictBatch(net, X)).toEqual(N.predictBatch(X)(net))
    expect(bitsOf(N.addLayer(net, { nodes: 1, activation: N.sigmoid }))).toEqual(bitsOf(N.addLayer({ nodes: 1, activation: N.sigmoid })(net)))
    expect(N.gradients(net, N.crossEntropy, X, T)).toEqual(N.gradients(N.crossEntropy, X, T)(net))
    expect(N.scores(net, N.crossEntropy, X, T)).toEqual(N.scores(N.crossEntropy, X, T)(net))
    expect(N.meanLoss(net, N.mse, rows, labels)).toBe(N.meanLoss(N.mse, rows, labels)(net))
    expect(N.evaluate(net, rows, labels)).toBe(N.evaluate(rows, labels)(net))
    expect(N.accuracy(net, rows, labels)).toBe(N.accuracy(rows, labels)(net))
  })

  it('check their arguments in either form, naming the function', () => {
    expect(() => N.predict(net, [1])).toThrow('predict: input has 1 value, the network expects 2')
    expect(() => N.predict([1])(net)).toThrow('predict: input has 1 value, the network expects 2')
  })

  it('refuses an arity that is not the data-first form’s', () => {
    expect(() => dual(3, (net: N.Network, b: number) => net.inputSize + b)).toThrow('dual: the data-first form takes 2 arguments, not 3')
  })
})
