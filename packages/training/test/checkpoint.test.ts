import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { adam, adamw, decodeCheckpoint, encodeCheckpoint, epochs, epochsFrom, momentum, sgd, train, trainFrom, type EpochState, type GradientTransformation } from '@purenn/training'
import { paramsOf, right, sigmoidNet, xorData, xorLabels } from './helpers.js'

const roundTrip = (state: EpochState<unknown>): unknown => JSON.parse(JSON.stringify(encodeCheckpoint(state)))

/** Float64Arrays as plain arrays, so that toEqual compares every value with Object.is. */
const plain = (u: unknown): unknown => JSON.parse(JSON.stringify(u, (_, v) => (v instanceof Float64Array ? Array.from(v) : v)))

describe('checkpoints', () => {
  const optimizer = adam({ learningRate: 0.05 })
  const options = {
    trainData: xorData,
    trainLabels: xorLabels,
    validationData: xorData,
    validationLabels: xorLabels,
    numEpochs: 30,
    optimizer,
    batchSize: 3,
    seed: 9,
    metrics: ['accuracy'] as const,
    earlyStopping: { patience: 50 }
  }
  const net = sigmoidNet([2, 4, 1], 21)

  it('an epoch state encodes to JSON and decodes back to the same state', () => {
    const states = [...right(epochs(options)(net))].map(right)
    const state = states[11]!
    const back = right(decodeCheckpoint(roundTrip(state), optimizer))
    const { network, best, ...rest } = back
    const { network: n0, best: b0, ...rest0 } = state
    expect(plain(rest)).toEqual(plain(rest0))
    expect(paramsOf(network)).toEqual(paramsOf(n0))
    expect(network.layers.map((l) => l.activation.name)).toEqual(['sigmoid', 'sigmoid'])
    expect(best!.epoch).toBe(b0!.epoch)
    expect(paramsOf(best!.network)).toEqual(paramsOf(b0!.network))
  })

  it('resuming from a checkpoint gives the uninterrupted run, bit for bit', () => {
    const optimizers = [optimizer, momentum({ learningRate: 0.1, nesterov: true }), adamw({ learningRate: 0.02 })]
    for (const tx of optimizers as unknown as ReadonlyArray<GradientTransformation<unknown>>) {
      const o = { ...options, optimizer: tx }
      const whole = [...right(epochs(o)(net))].map(right)
      const resumed = [...right(epochsFrom(o)(right(decodeCheckpoint(roundTrip(whole[9]!), tx))))].map(right)
      expect(resumed.map((s) => s.epoch)).toEqual(whole.slice(10).map((s) => s.epoch))
      resumed.forEach((s, i) => {
        const w = whole[10 + i]!
        expect(paramsOf(s.network)).toEqual(paramsOf(w.network))
        expect(plain(s.optimizerState)).toEqual(plain(w.optimizerState))
        expect([s.report.loss, s.report.error, s.report.validationLoss, s.report.accuracy]).toEqual([w.report.loss, w.report.error, w.report.validationLoss, w.report.accuracy])
        expect(s.rng).toEqual(w.rng)
      })
      const finished = right(trainFrom(o)(right(decodeCheckpoint(roundTrip(whole[9]!), tx))))
      expect(paramsOf(finished.network)).toEqual(paramsOf(right(train(o)(net)).network))
      expect(finished.history).toHaveLength(20)
    }
  })

  it('early stopping resumes where it left off', () => {
    const o = { ...options, optimizer: sgd({ learningRate: 0.5 }), earlyStopping: { patience: 2, minDelta: 0.05 } }
    const whole = [...right(epochs(o)(net))].map(right)
    expect(whole.length).toBeLessThan(30)
    const resumed = [...right(epochsFrom(o)(right(decodeCheckpoint(roundTrip(whole[0]!), o.optimizer))))].map(right)
    expect(resumed.map((s) => s.epoch)).toEqual(whole.slice(1).map((s) => s.epoch))
  })

  it('a checkpoint is read for its optimizer, and a wrong one is named', () => {
    const state = [...right(epochs(options)(net))].map(right)[3]!
    const json = roundTrip(state)
    const wrong = decodeCheckpoint(json, momentum({ learningRate: 0.1 }))
    expect(E.isLeft(wrong) && wrong.left.message).toBe('optimizerState[0].trace: expected an array of 2, got undefined')
    const bad = JSON.parse(JSON.stringify(json)) as { optimizerState: [{ mu: [{ weights: { rows: number } }] }] }
    bad.optimizerState[0].mu[0].weights.rows = 2
    const shape = decodeCheckpoint(bad, optimizer)
    expect(E.isLeft(shape) && shape.left.message).toBe('optimizerState[0].mu[0].weights: expected a 4x2 matrix, got 2x2 with 8 values')
  })

  it('refuses what is not a checkpoint, naming the field, and never throws', () => {
    const state = [...right(epochs(options)(net))].map(right)[0]!
    const json = roundTrip(state) as Record<string, unknown>
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [null, 'checkpoint: expected a checkpoint document { format: "purenn/checkpoint", version: 1, … }, got null'],
      [{ ...json, format: 'x' }, 'format: expected "purenn/checkpoint", got string "x"'],
      [{ ...json, version: 2 }, 'version: expected version 1, got number 2'],
      [{ ...json, epoch: -1 }, 'epoch: expected a non-negative integer, got number -1'],
      [{ ...json, rng: { algorithm: 'x', state: [] } }, 'rng: expected a generator'],
      [{ ...json, report: { ...(json.report as object), loss: null } }, 'report.loss: expected a finite number, got null'],
      [{ ...json, network: 3 }, 'network: ']
    ]
    for (const [u, message] of cases) {
      const r = decodeCheckpoint(u, optimizer)
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidCheckpoint')
      if (E.isLeft(r)) expect(r.left.message.startsWith(message)).toBe(true)
    }
  })

  it('encoding refuses state JSON cannot hold', () => {
    const state = [...right(epochs(options)(net))].map(right)[0]!
    expect(() => encodeCheckpoint({ ...state, optimizerState: [{ count: NaN }] })).toThrow('encodeCheckpoint: optimizerState[0].count is NaN, which JSON cannot hold')
    expect(() => encodeCheckpoint({ ...state, optimizerState: [() => 1] })).toThrow('encodeCheckpoint: optimizerState[0] is function, which is not plain data')
    // a report or a best loss that overflowed: refused when written, not a file that cannot be read back
    expect(() => encodeCheckpoint({ ...state, report: { ...state.report, validationLoss: Infinity } })).toThrow(
      new RangeError('encodeCheckpoint: report.validationLoss is Infinity, which JSON cannot hold')
    )
    expect(() => encodeCheckpoint({ ...state, best: { epoch: 1, loss: -Infinity, network: state.network } })).toThrow(
      new RangeError('encodeCheckpoint: best.loss is -Infinity, which JSON cannot hold')
    )
    expect(() => encodeCheckpoint({ ...state, best: { epoch: 1, loss: 0.5, network: state.network } })).not.toThrow()
  })

  it('a step count is a non-negative integer', () => {
    const state = [...right(epochs(options)(net))].map(right)[0]!
    const json = roundTrip(state) as { optimizerState: Array<{ count: number }> }
    expect(json.optimizerState[0]!.count).toBeGreaterThan(0) // adam's
    for (const count of [-12, 2.5, -1])
      expect(decodeCheckpoint({ ...json, optimizerState: [{ ...json.optimizerState[0]!, count }, ...json.optimizerState.slice(1)] }, optimizer)).toEqual(
        E.left({ _tag: 'InvalidCheckpoint', path: 'optimizerState[0].count', message: `optimizerState[0].count: expected a non-negative integer, got number ${count}` })
      )
    // a schedule's count too (sgd's state is [{ count }])
    const o = { ...options, optimizer: sgd({ learningRate: 0.1 }) }
    const sgdJson = roundTrip([...right(epochs(o)(net))].map(right)[0]!) as { optimizerState: Array<{ count: number }> }
    expect(E.isLeft(decodeCheckpoint({ ...sgdJson, optimizerState: [{ count: -1 }] }, o.optimizer))).toBe(true)
    expect(E.isRight(decodeCheckpoint(sgdJson, o.optimizer))).toBe(true)
  })
})
