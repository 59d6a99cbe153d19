// The tutorial's walkthrough: XOR with sigmoid layers, learning rate 0.1, per-sample SGD
// (batch size 1, mse, whose one-sample step is the tutorial's trainIteration), the four
// samples as both training and validation set. "Solved" as the tutorial reads its outputs:
// below 0.1 where the label is 0, above 0.9 where it is 1.
import { describe, expect, it } from 'vitest'
import { predict, type Network } from '@purenn/network'
import { epochs } from '@purenn/training'
import { right, sigmoidNet, xorData, xorLabels } from './helpers.js'

const solved = (net: Network): boolean =>
  xorData.every((x, i) => {
    const p = predict(x)(net).prediction[0]!
    return xorLabels[i]![0] === 1 ? p > 0.9 : p < 0.1
  })

/** The epoch at which the run first solves XOR, or undefined if it does not within `numEpochs`. */
const solvedAt = (sizes: ReadonlyArray<number>, seed: number, numEpochs: number): number | undefined => {
  const run = epochs({
    trainData: xorData,
    trainLabels: xorLabels,
    validationData: xorData,
    validationLabels: xorLabels,
    numEpochs,
    learningRate: 0.1
  })(sigmoidNet(sizes, seed))
  for (const item of right(run)) {
    const state = right(item)
    // Error = Σ|prediction − label| < 0.4 is necessary for solved; check fully only then
    if (state.report.error < 0.4 && solved(state.network)) return state.epoch
  }
  return undefined
}

const seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

describe('XOR with the tutorial’s settings', () => {
  it('a 2-4-1 network is solved within 10,000 epochs for at least 9 seeds of 10', () => {
    const at = seeds.map((seed) => solvedAt([2, 4, 1], seed, 10_000))
    expect(at.filter((e) => e !== undefined).length).toBeGreaterThanOrEqual(9)
  })

  it('the tutorial’s 2-2-2-1 network is solved within 100,000 epochs for most seeds', () => {
    // six seeds keep this file short (an unsolved seed costs the full 100,000 epochs)
    const at = seeds.slice(0, 6).map((seed) => solvedAt([2, 2, 2, 1], seed, 100_000))
    expect(at.filter((e) => e !== undefined).length).toBeGreaterThanOrEqual(4)
  })

  it('and the solved network’s predictions read as the tutorial’s', () => {
    const epoch = solvedAt([2, 4, 1], 0, 10_000)
    expect(epoch).toBeGreaterThan(100) // learning takes a while at rate 0.1: nothing is hard-wired
    const run = [...right(epochs({ trainData: xorData, trainLabels: xorLabels, numEpochs: epoch!, learningRate: 0.1 })(sigmoidNet([2, 4, 1], 0)))]
    const net = right(run.at(-1)!).network
    const outputs = xorData.map((x) => predict(x)(net).prediction[0]!)
    expect(outputs[0]).toBeLessThan(0.1)
    expect(outputs[1]).toBeGreaterThan(0.9)
    expect(outputs[2]).toBeGreaterThan(0.9)
    expect(outputs[3]).toBeLessThan(0.1)
  })
})
