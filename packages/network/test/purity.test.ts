// Purity and determinism, across the whole API: for random networks and data, no function
// changes anything it was given, and the same inputs (and the same seed) give the same bits.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, Network } from '@purenn/network'
import { arbNetwork, bitsOf, elementwiseActivations, snapshot } from './reference.js'

const arbSetup = fc
  .tuple(
    arbNetwork(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(...elementwiseActivations, N.softmax))),
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 0, max: 10_000 })
  )
  .map(([net, batch, seed]) => {
    const [X] = M.uniform(net.inputSize, batch, -1, 1)(M.rng(seed))
    const [T] = M.uniform(N.outputSize(net), batch, 0, 1)(M.rng(seed + 1))
    return { net, X, T, rows: M.toArrays(M.transpose(X)), labels: M.toArrays(M.transpose(T)) }
  })

/** Every public function that takes a network, applied once; returns what they returned. */
const everything = ({ net, X, T, rows, labels }: { net: Network; X: M.Matrix; T: M.Matrix; rows: number[][]; labels: number[][] }): unknown[] => [
  N.predict(rows[0]!)(net).prediction,
  M.toArray(N.predictBatch(X)(net)),
  ...[N.mse, N.meanAbsoluteError, N.crossEntropy, N.binaryCrossEntropy].map((loss) => {
    const g = N.gradients(loss, X, T)(net)
    return [g.loss, g.gradients.map((l) => [M.toArray(l.weights), M.toArray(l.bias)])]
  }),
  bitsOf(N.trainIteration(rows[0]!, labels[0]!, 0.1)(net)),
  N.evaluate(rows, labels)(net),
  N.evaluate(X, T)(net),
  N.accuracy(rows, labels)(net),
  N.meanLoss(N.mse, X, T)(net),
  N.encodeNetwork(net),
  bitsOf(N.randomize(-0.5, 0.5)(net)(M.rng(3))[0]),
  bitsOf(N.initialize('he')(net)(M.rng(3))[0]),
  bitsOf(N.addLayer({ nodes: 2, activation: N.relu })(net))
]

describe('the whole API', () => {
  it('changes nothing it is given (property)', () => {
    fc.assert(
      fc.property(arbSetup, (setup) => {
        const before = [snapshot(setup.net, setup.X, setup.T), JSON.stringify(setup.rows), JSON.stringify(setup.labels)]
        everything(setup)
        expect([snapshot(setup.net, setup.X, setup.T), JSON.stringify(setup.rows), JSON.stringify(setup.labels)]).toEqual(before)
      }),
      { numRuns: 40 }
    )
  })

  it('gives the same bits for the same inputs and seeds (property)', () => {
    fc.assert(
      fc.property(arbSetup, (setup) => {
        expect(everything(setup)).toEqual(everything(setup))
      }),
      { numRuns: 40 }
    )
  })
})
