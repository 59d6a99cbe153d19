// stopAt: a run ends after the first epoch that reaches a bound, on every path (a group of tiny
// epochs run in one descent, epoch by epoch, and without blocking), and its result says why it
// ended (`stoppedBy`).
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { pipe } from 'fp-ts/lib/function.js'
import { adam, epochs, train, trainAsync, type EpochReport, type TrainOptions, type TrainResult } from '@purenn/training'
import { bitsOf, right, sigmoidNet, xorData, xorLabels } from './helpers.js'

const net = sigmoidNet([2, 4, 1], 3)
const xor: TrainOptions = { trainData: xorData, trainLabels: xorLabels, numEpochs: 20_000, learningRate: 0.5 }

/** The index of the first report that reaches the bound, by the rule stated in the README. */
const firstReaching = (history: ReadonlyArray<EpochReport>, ok: (r: EpochReport) => boolean): number => history.findIndex(ok)

describe('stopAt', () => {
  it('ends a run after the first epoch whose Error is at or below the bound (per-sample SGD: epochs run in groups)', () => {
    const full = right(train({ ...xor, numEpochs: 6_000 })(net))
    const at = firstReaching(full.history, (r) => r.error <= 0.2)
    expect(at).toBeGreaterThan(0) // the bound is reached, and not at once
    const stopped = right(train({ ...xor, stopAt: { error: 0.2 } })(net))
    expect(stopped.stoppedBy).toBe('stopAt')
    expect(stopped.history).toHaveLength(at + 1)
    expect(stopped.history.at(-1)!.error).toBeLessThanOrEqual(0.2)
    expect(stopped.history.slice(0, -1).every((r) => r.error > 0.2)).toBe(true)
    // the network of that epoch: the same bits as a run of exactly that many epochs
    expect(bitsOf(stopped.network)).toEqual(bitsOf(right(train({ ...xor, numEpochs: at + 1 })(net)).network))
  })

  it('ends epochs after that epoch, and trainAsync with the same network', async () => {
    const options: TrainOptions = { ...xor, stopAt: { loss: 0.05 } }
    const items = [...right(epochs(options)(net))]
    const sync = right(train(options)(net))
    expect(items).toHaveLength(sync.history.length)
    const last = items.at(-1)!
    expect(E.isRight(last) && last.right.report.loss <= 0.05).toBe(true)
    const async = right(await trainAsync(options)(net))
    expect(async.stoppedBy).toBe('stopAt')
    expect(bitsOf(async.network)).toEqual(bitsOf(sync.network))
  })

  it('reads each measure on its side: losses and the Error at or below, the accuracy at or above (batches: epoch by epoch)', () => {
    const optimizer = adam({ learningRate: 0.05 }) as unknown as NonNullable<TrainOptions['optimizer']>
    const options: TrainOptions = { ...xor, learningRate: undefined, optimizer, batchSize: 2, validationData: xorData, validationLabels: xorLabels, numEpochs: 400 }
    const full = right(train(options)(net)).history
    // bounds the run reaches part way through, read off the full run
    const mid = full[150]!
    const best = Math.max(...full.map((r) => r.accuracy!))
    const cases: ReadonlyArray<readonly [TrainOptions['stopAt'], (r: EpochReport) => boolean]> = [
      [{ validationLoss: mid.validationLoss! }, (r) => r.validationLoss! <= mid.validationLoss!],
      [{ accuracy: best }, (r) => r.accuracy! >= best],
      [{ loss: mid.loss, error: full[250]!.error }, (r) => r.loss <= mid.loss || r.error <= full[250]!.error]
    ]
    for (const [stopAt, ok] of cases) {
      const at = firstReaching(full, ok)
      expect(at).toBeGreaterThanOrEqual(0)
      expect(at).toBeLessThan(399) // stopped before the last epoch
      const r = right(train({ ...options, stopAt })(net))
      expect(r.history).toHaveLength(at + 1)
      expect(r.stoppedBy).toBe('stopAt')
    }
  })

  it('keeps the network it stopped at, even with restoreBest', () => {
    const r = right(train({ ...xor, stopAt: { error: 0.3 }, earlyStopping: { patience: 50_000, restoreBest: true } })(net))
    expect(r.stoppedBy).toBe('stopAt')
    expect(bitsOf(r.network)).toEqual(bitsOf(right(train({ ...xor, numEpochs: r.history.length })(net)).network))
  })

  it('refuses a bound on a measure the run does not take, and an unknown bound, naming the path', () => {
    const leftOf = (options: TrainOptions): { path: string; message: string } => {
      const r = train(options)(net)
      if (E.isRight(r) || r.left._tag !== 'InvalidOptions') throw new Error('expected InvalidOptions')
      return r.left
    }
    expect(leftOf({ ...xor, stopAt: { validationLoss: 0.1 } })).toMatchObject({
      path: 'stopAt.validationLoss',
      message: 'stopAt.validationLoss: expected validationData and validationLabels to measure it on, got none'
    })
    const regression: TrainOptions = { ...xor, trainLabels: [[0.3], [0.6], [0.2], [0.9]] }
    expect(leftOf({ ...regression, stopAt: { accuracy: 0.9 } }).message).toBe(
      'stopAt.accuracy: expected class labels to measure accuracy on (one-hot rows, or a single 0 or 1), got trainLabels[0] = [0.3]'
    )
    expect(leftOf({ ...xor, stopAt: { errorThresh: 0.1 } as never }).path).toBe('stopAt.errorThresh')
    expect(leftOf({ ...xor, stopAt: { accuracy: 2 } }).path).toBe('stopAt.accuracy')
    expect(leftOf({ ...xor, stopAt: { error: -1 } }).path).toBe('stopAt.error')
  })
})

describe('stoppedBy', () => {
  const small: TrainOptions = { ...xor, numEpochs: 30 }
  const ended = (options: TrainOptions): TrainResult['stoppedBy'] => right(train(options)(net)).stoppedBy

  it('says why a run ended: its last epoch, onEpoch, early stopping', () => {
    expect(ended(small)).toBe('numEpochs')
    expect(ended({ ...small, onEpoch: (r) => (r.epoch === 7 ? 'stop' : undefined) })).toBe('onEpoch')
    const flat = pipe(N.network(2), N.addLayer({ nodes: 1, activation: N.linear }), N.randomize(-0.1, 0.1))(M.rng(1))[0]
    expect(right(train({ ...small, numEpochs: 1_000, learningRate: 1e-9, earlyStopping: { patience: 3, minDelta: 1 } })(flat)).stoppedBy).toBe('earlyStopping')
  })
})
