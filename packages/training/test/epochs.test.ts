import { describe, expect, it, vi } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import { mse } from '@purenn/network'
import {
  epochs,
  initTrainState,
  sgd,
  train,
  trainStep,
  verboseLine,
  type EpochState,
  type GradientTransformation,
  type TrainError
} from '@purenn/training'
import { netOf, paramsOf, right, sigmoidNet, xorData, xorLabels } from './helpers.js'

const collect = <S>(items: Iterable<E.Either<TrainError, EpochState<S>>>): Array<E.Either<TrainError, EpochState<S>>> => [...items]

describe('epochs is a lazy unfold', () => {
  const options = { trainData: xorData, trainLabels: xorLabels, numEpochs: 6, learningRate: 0.5 }

  it('does nothing until iterated, and stops when the consumer stops', () => {
    const onEpoch = vi.fn()
    const run = right(epochs({ ...options, onEpoch })(sigmoidNet([2, 3, 1], 1)))
    expect(onEpoch).not.toHaveBeenCalled()
    const seen: number[] = []
    for (const item of run) {
      seen.push(right(item).epoch)
      if (seen.length === 2) break
    }
    expect(seen).toEqual([1, 2])
    expect(onEpoch).toHaveBeenCalledTimes(2)
  })

  it('replays the same run when iterated again, and train folds it', () => {
    const net = sigmoidNet([2, 3, 1], 1)
    const run = right(epochs(options)(net))
    const first = collect(run).map((i) => paramsOf(right(i).network))
    const second = collect(run).map((i) => paramsOf(right(i).network))
    expect(first).toHaveLength(6)
    expect(second).toEqual(first)
    expect(paramsOf(right(train(options)(net)).network)).toEqual(first.at(-1))
  })

  it('each state carries what the next epoch needs, and the step count', () => {
    const items = collect(right(epochs({ ...options, batchSize: 3 })(sigmoidNet([2, 3, 1], 1)))).map(right)
    expect(items.map((s) => s.step)).toEqual([2, 4, 6, 8, 10, 12]) // 4 samples in batches of 3 and 1
    expect(items.map((s) => s.report.epoch)).toEqual([1, 2, 3, 4, 5, 6])
    expect(items[5]!.optimizerState).toEqual([{ count: 12 }])
    expect(M.isRng(items[0]!.rng)).toBe(true)
    expect(items[0]!.rng).not.toEqual(items[1]!.rng)
  })
})

describe('divergence', () => {
  // a linear neuron on x = 10, t = 0 with a far too large rate: |w| grows ×~10⁵ per step
  const net = netOf([{ weights: [[0.5]], bias: [0.1] }])
  const options = { trainData: [[10]], trainLabels: [[0]], numEpochs: 1000, learningRate: 1000 }

  it('ends the epochs with a Left naming epoch and step, carrying the last finite network', () => {
    const items = collect(right(epochs(options)(net)))
    const last = items.at(-1)!
    expect(E.isLeft(last)).toBe(true)
    expect(items.slice(0, -1).every(E.isRight)).toBe(true)
    const d = (last as E.Left<TrainError>).left
    if (d._tag !== 'Diverged') throw new Error('expected Diverged')
    expect(d.epoch).toBe(items.length) // one step an epoch: the failing epoch is the last item
    expect(d.step).toBe(items.length - 1)
    expect(d.message).toMatch(new RegExp(`^Diverged at epoch ${d.epoch}, step ${d.step}: `))
    expect(paramsOf(d.network).every(Number.isFinite)).toBe(true)
    // it is the network that entered the failing step: one more step leaves the finite numbers
    const tx = sgd({ learningRate: 1000 })
    const next = trainStep(mse, tx)({ ...initTrainState(tx, d.network, M.rng(0)), step: d.step }, { inputs: M.fromArray([10]), targets: M.fromArray([0]) })
    expect(Number.isFinite(next.loss!) && paramsOf(next.network).every(Number.isFinite)).toBe(false)
    // and it is the network of the last good epoch
    if (items.length > 1) expect(paramsOf(d.network)).toEqual(paramsOf(right(items.at(-2)!).network))
  })

  it('train returns the Diverged Left, with the history before it', () => {
    const r = train(options)(net)
    if (E.isRight(r) || r.left._tag !== 'Diverged') throw new Error('expected Diverged')
    expect(r.left.history).toHaveLength(r.left.epoch - 1)
  })
})

describe('callbacks', () => {
  it("onEpoch returning 'stop' ends the run after that epoch", () => {
    const seen: number[] = []
    const { history } = right(
      train({
        trainData: xorData,
        trainLabels: xorLabels,
        numEpochs: 100,
        learningRate: 0.1,
        onEpoch: (report) => {
          seen.push(report.epoch)
          return report.epoch === 3 ? 'stop' : undefined
        }
      })(sigmoidNet([2, 2, 1], 0))
    )
    expect(seen).toEqual([1, 2, 3])
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3])
  })

  it('onBatch hears of every batch with its loss', () => {
    const progress: Array<[number, number, number, number]> = []
    right(
      train({
        trainData: xorData,
        trainLabels: xorLabels,
        numEpochs: 2,
        learningRate: 0.1,
        batchSize: 3,
        onBatch: (p) => {
          expect(Number.isFinite(p.loss)).toBe(true)
          progress.push([p.epoch, p.batch, p.batches, p.step])
        }
      })(sigmoidNet([2, 2, 1], 0))
    )
    expect(progress).toEqual([
      [1, 1, 2, 1],
      [1, 2, 2, 2],
      [2, 1, 2, 3],
      [2, 2, 2, 4]
    ])
  })
})

describe('early stopping', () => {
  // an optimizer that descends for 5 steps, then climbs: the loss is best after epoch 5
  const upAndDown: GradientTransformation<{ readonly count: number }> = {
    init: () => ({ count: 0 }),
    update: (g, s) => {
      const k = s.count < 5 ? -0.05 : 0.05
      return [g.map((l) => ({ weights: M.scale(k)(l.weights), bias: M.scale(k)(l.bias) })), { count: s.count + 1 }]
    }
  }
  const net = netOf([{ weights: [[0.5, -0.5]], bias: [0] }])
  const base = { trainData: [[1, 2]], trainLabels: [[3]], numEpochs: 50, optimizer: upAndDown }

  it('stops after `patience` epochs without improvement and restores the best network', () => {
    const all = collect(right(epochs(base)(net))).map(right)
    const losses = all.map((s) => s.report.loss)
    expect(losses.slice(0, 5).every((l, i) => i === 0 || l < losses[i - 1]!)).toBe(true)
    const { history, network } = right(train({ ...base, earlyStopping: { patience: 3 } })(net))
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]) // best 5, then 6, 7, 8 worse
    expect(paramsOf(network)).toEqual(paramsOf(all[4]!.network))
  })

  it('keeps the last network without restoreBest, and the best epoch travels in the states', () => {
    const { network } = right(train({ ...base, earlyStopping: { patience: 3, restoreBest: false } })(net))
    const states = collect(right(epochs({ ...base, earlyStopping: { patience: 3 } })(net))).map(right)
    expect(states).toHaveLength(8)
    expect(paramsOf(network)).toEqual(paramsOf(states[7]!.network))
    expect(states.map((s) => s.best!.epoch)).toEqual([1, 2, 3, 4, 5, 5, 5, 5])
  })

  it('counts only improvements larger than minDelta, on the validation loss when there is one', () => {
    const { history } = right(train({ ...base, earlyStopping: { patience: 2, minDelta: 1e6 } })(net))
    expect(history).toHaveLength(3) // epoch 1 is the best; 2 and 3 do not beat it by 1e6
    const withValidation = right(
      train({ ...base, validationData: [[1, 2]], validationLabels: [[3]], earlyStopping: { patience: 3 } })(net)
    )
    expect(withValidation.history).toHaveLength(8)
    expect(withValidation.history.every((r) => r.validationLoss !== undefined)).toBe(true)
  })
})

describe('verbose', () => {
  const options = { trainData: xorData, trainLabels: xorLabels, validationData: xorData, validationLabels: xorLabels, numEpochs: 5, learningRate: 0.1 }

  it('prints the tutorial’s line every n epochs through the logger', () => {
    const lines: string[] = []
    const { history } = right(train({ ...options, verbose: 2, logger: (l) => lines.push(l) })(sigmoidNet([2, 2, 1], 0)))
    expect(lines).toEqual([`Epoch 2; Error ${history[1]!.error}`, `Epoch 4; Error ${history[3]!.error}`])
    expect(lines[0]).toMatch(/^Epoch 2; Error \d+\.\d+$/)
  })

  it('true prints every epoch, to console.log by default; metrics add loss and accuracy', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    try {
      const { history } = right(train({ ...options, verbose: true, metrics: ['loss', 'accuracy'] })(sigmoidNet([2, 2, 1], 0)))
      expect(log).toHaveBeenCalledTimes(5)
      const r = history[4]!
      expect(log).toHaveBeenLastCalledWith(`Epoch 5; Error ${r.error}; Loss ${r.loss}; Validation loss ${r.validationLoss}; Accuracy ${r.accuracy}`)
      expect(verboseLine(r, { loss: true, accuracy: true })).toBe(log.mock.lastCall![0])
    } finally {
      log.mockRestore()
    }
  })

  it('false prints nothing', () => {
    const lines: string[] = []
    right(train({ ...options, verbose: false, logger: (l) => lines.push(l) })(sigmoidNet([2, 2, 1], 0)))
    expect(lines).toEqual([])
  })
})
