// The engine's runs of plain SGD (src/internal/engine.ts, `stepThrough` and `groupEpochs` in
// src/epochs.ts) against the general path: `plainSgd(η)` is the same optimizer as
// `sgd({ learningRate: η })` with its `update` taken out of the link (so it carries no rule): the
// engine cannot read it, and it runs `update` then `applyUpdates`, step by step, epoch by epoch.
// Every law here is bit for bit.
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { crossEntropy, mse, relu, softmax, addLayer, network, randomize, type Network } from '@purenn/network'
import {
  adam,
  momentum,
  chain,
  cosineDecay,
  decodeCheckpoint,
  encodeCheckpoint,
  epochsFrom,
  epochs,
  initTrainState,
  scaleByLearningRate,
  sgd,
  train,
  trainStep,
  type BatchProgress,
  type EpochState,
  type GradientTransformation,
  type TrainError,
  type TrainOptions
} from '@purenn/training'
import { columns, netOf, paramsOf, right, sigmoidNet, xorData, xorLabels } from './helpers.js'
import { epochsAtOnce, groupLimit, startOf } from '../src/epochs.js'
import { stepsWith } from '../src/trainSteps.js'
import { chunksOf } from '../src/measure.js'
import { decodeOptions } from '../src/options.js'

/** Reports with their `ms` left out: the only field that is a time, not a result. */
const timeless = (reports: ReadonlyArray<EpochState<unknown>['report']>): unknown => reports.map((r) => ({ ...r, ms: 0 }))

/** What a run reports and hands back, every number compared bit for bit (`ms` left out). */
const observed = (items: ReadonlyArray<E.Either<TrainError, EpochState<unknown>>>): unknown =>
  items.map((item) =>
    E.isLeft(item)
      ? { left: item.left._tag === 'Diverged' ? { ...item.left, network: paramsOf(item.left.network) } : item.left }
      : {
          epoch: item.right.epoch,
          step: item.right.step,
          network: paramsOf(item.right.network),
          opt: item.right.optimizerState,
          rng: item.right.rng,
          report: { ...item.right.report, ms: 0 }
        }
  )

/** `chain(scaleByLearningRate(rate))` with an `update` of its own: no rule, so the general path (the reference fold). */
const plainSgd = (rate: number | ((t: number) => number)): GradientTransformation<unknown> => {
  const tx = chain(scaleByLearningRate(rate)) as GradientTransformation<unknown>
  return { init: tx.init, update: (g, s, n) => tx.update(g, s, n) }
}

/** The same run twice: with `sgd` (the engine) and with `plainSgd` (the general path). */
const bothWays = (options: Omit<TrainOptions<unknown>, 'optimizer' | 'learningRate'>, rate: number | ((t: number) => number), net: Network) => {
  const progress: Array<BatchProgress[]> = [[], []]
  const fast = [...right(epochs({ ...options, optimizer: sgd({ learningRate: rate }), onBatch: (p) => progress[0]!.push(p) })(net))]
  const general = [
    ...right(
      epochs({ ...options, optimizer: plainSgd(rate), onBatch: (p) => progress[1]!.push(p) })(net)
    )
  ]
  return { fast, general, progress }
}

// five samples, so that batches of two leave a partial one
const data = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]
const labels = [[0], [1], [1], [0], [1]]

describe('the fast paths for sgd', () => {
  it('trainStep with sgd takes the steps of the general path, bit for bit', () => {
    const net = sigmoidNet([2, 3, 1], 5)
    for (const rate of [0.3, cosineDecay({ init: 0.5, steps: 20 })]) {
      const fast = sgd({ learningRate: rate })
      const general = plainSgd(rate)
      let a = initTrainState(fast, net, M.rng(0))
      let b = initTrainState(general, net, M.rng(0))
      for (let i = 0; i < 12; i++) {
        const batch = { inputs: columns(data.slice(i % 4, (i % 4) + 2)), targets: columns(labels.slice(i % 4, (i % 4) + 2)) }
        a = trainStep(mse, fast)(a, batch)
        b = trainStep(mse, general)(b, batch)
        expect(paramsOf(a.network)).toEqual(paramsOf(b.network))
        expect([a.loss, a.step, a.opt]).toEqual([b.loss, b.step, b.opt])
      }
    }
  })

  it('trainStep with sgd refuses a state of the wrong shape as the general path does', () => {
    const net = sigmoidNet([2, 1], 1)
    const batch = { inputs: columns([[0, 1]]), targets: columns([[1]]) }
    const bad = { ...initTrainState(sgd({ learningRate: 0.1 }), net, M.rng(0)), opt: [] as unknown as readonly [{ count: number }] }
    expect(() => trainStep(mse, sgd({ learningRate: 0.1 }))(bad, batch)).toThrow('chain: expected a state of 1 entry (one per transformation), got an array of 0')
  })

  it('an epoch of sgd (on the engine) gives the states, reports and progress of folding the general trainStep', () => {
    const cases: ReadonlyArray<readonly [Omit<TrainOptions<unknown>, 'optimizer' | 'learningRate'>, number | ((t: number) => number), Network]> = [
      [{ trainData: xorData, trainLabels: xorLabels, numEpochs: 25, seed: 3 }, 0.5, sigmoidNet([2, 2, 1], 1)], // the tutorial's case
      [{ trainData: data, trainLabels: labels, numEpochs: 9, batchSize: 2, seed: 7 }, 0.3, sigmoidNet([2, 4, 1], 2)],
      [{ trainData: data, trainLabels: labels, validationData: xorData, validationLabels: xorLabels, numEpochs: 9, batchSize: 3 }, cosineDecay({ init: 0.9, steps: 30 }), sigmoidNet([2, 3, 1], 4)]
    ]
    for (const [options, rate, net] of cases) {
      const { fast, general, progress } = bothWays(options, rate, net)
      expect(observed(fast)).toEqual(observed(general))
      expect(progress[0]).toEqual(progress[1])
    }
  })

  it('an epoch gathered in several groups of batches agrees too (schedule, progress and scores across groups)', () => {
    // 2,500 samples in batches of 100: the epoch's 25 batches are gathered 10 at a time
    const X = M.uniform(2, 2500, -1, 1)(M.rng(5))[0]
    const T = M.fromFunction(1, 2500, (_, j) => (X.data[j]! * X.data[2500 + j]! > 0 ? 1 : 0))
    const { fast, general, progress } = bothWays({ trainData: X, trainLabels: T, numEpochs: 3, batchSize: 100, seed: 4 }, cosineDecay({ init: 2, steps: 60 }), sigmoidNet([2, 4, 1], 6))
    expect(progress[0]!.map((p) => p.batch)).toEqual(Array.from({ length: 3 }, () => Array.from({ length: 25 }, (_, b) => b + 1)).flat())
    expect(progress[0]).toEqual(progress[1]) // steps counted across the groups too
    expect(observed(fast)).toEqual(observed(general))
  })

  it('scores a validation set held whole after the last group only (several groups)', () => {
    // 1,500 one-sample batches (two groups) and 300 validation samples (two chunks, held for the run), scored by the engine with the last group
    const X = M.uniform(2, 1500, -1, 1)(M.rng(8))[0]
    const T = M.fromFunction(1, 1500, (_, j) => (X.data[j]! > X.data[1500 + j]! ? 1 : 0))
    const V = M.uniform(2, 300, -1, 1)(M.rng(9))[0]
    const VT = M.fromFunction(1, 300, (_, j) => (V.data[j]! > V.data[300 + j]! ? 1 : 0))
    const { fast, general, progress } = bothWays({ trainData: X, trainLabels: T, validationData: V, validationLabels: VT, numEpochs: 2, seed: 6 }, 0.3, sigmoidNet([2, 3, 1], 3))
    expect(progress[0]).toEqual(progress[1])
    expect(observed(fast)).toEqual(observed(general)) // the reports' Error, losses and accuracy included
  })

  it('diverging in a later group of batches, stops where the general path does', () => {
    // a linear neuron on x = 1, t = 0 at rate 1.135: z = w + b is multiplied by 1 − 2·1.135 = −1.27
    // a step, and the loss overflows after about 1,490 one-sample steps, in the second group of 1,024
    const net = netOf([{ weights: [[0.5]], bias: [0] }])
    const xs = Array.from({ length: 3000 }, () => [1])
    const ts = Array.from({ length: 3000 }, () => [0])
    const { fast, general, progress } = bothWays({ trainData: xs, trainLabels: ts, numEpochs: 1 }, 1.135, net)
    const last = fast.at(-1)!
    expect(E.isLeft(last) && last.left._tag === 'Diverged' && last.left.step > 1024 && last.left.step < 2048).toBe(true)
    expect(progress[0]).toEqual(progress[1])
    expect(observed(fast)).toEqual(observed(general))
  })

  it('an epoch of sgd on a network too large for the fused kernels agrees too (the engine on the dense path)', () => {
    const X = M.uniform(150, 40, 0, 1)(M.rng(1))[0]
    const T = M.fromFunction(3, 40, (i, j) => (i === j % 3 ? 1 : 0))
    const [net] = randomize(-0.1, 0.1)(addLayer({ nodes: 3, activation: softmax })(addLayer({ nodes: 30, activation: relu })(network(150))))(M.rng(2))
    const { fast, general } = bothWays({ trainData: X, trainLabels: T, numEpochs: 3, batchSize: 8, loss: crossEntropy }, 0.2, net)
    expect(observed(fast)).toEqual(observed(general))
  })

  it('diverges where the general path does, with the same network and message', () => {
    // a linear neuron on x = 10, t = 0: at rate 1000 |w| grows until the loss overflows; at
    // rate 1e308 the first step already leaves the finite numbers
    const net = netOf([{ weights: [[0.5]], bias: [0.1] }])
    for (const rate of [1000, 1e308]) {
      const { fast, general } = bothWays({ trainData: [[10]], trainLabels: [[0]], numEpochs: 1000 }, rate, net)
      const last = fast.at(-1)!
      expect(E.isLeft(last) && last.left._tag === 'Diverged').toBe(true)
      expect(observed(fast)).toEqual(observed(general))
    }
  })

  it('train with sgd is folding trainStep by hand, bit for bit', () => {
    const net = sigmoidNet([2, 3, 1], 11)
    const optimizer = sgd({ learningRate: 0.4 })
    const result = right(train({ trainData: data, trainLabels: labels, numEpochs: 7, optimizer, batchSize: 1, seed: 42 })(net))
    const set = { inputs: columns(data), targets: columns(labels) }
    const step = trainStep(mse, optimizer)
    let st = initTrainState(optimizer, net, M.rng(42))
    for (let epoch = 1; epoch <= 7; epoch++) {
      const [order, next] = M.permutation(5)(st.rng)
      st = { ...st, rng: next }
      for (const s of order)
        st = step(st, { inputs: M.selectColumns([s])(set.inputs), targets: M.selectColumns([s])(set.targets) })
    }
    expect(paramsOf(result.network)).toEqual(paramsOf(st.network))
  })

  it('a run of sgd resumed from a checkpoint is the uninterrupted run, bit for bit', () => {
    const optimizer = sgd({ learningRate: cosineDecay({ init: 0.8, steps: 100 }) })
    const options = { trainData: xorData, trainLabels: xorLabels, validationData: xorData, validationLabels: xorLabels, numEpochs: 20, optimizer, seed: 9 }
    const net = sigmoidNet([2, 3, 1], 21)
    const whole = [...right(epochs(options)(net))]
    const checkpoint = right(decodeCheckpoint(JSON.parse(JSON.stringify(encodeCheckpoint(right(whole[8]!)))), optimizer))
    const resumed = [...right(epochsFrom(options)(checkpoint))]
    expect(observed(resumed)).toEqual(observed(whole.slice(9)))
  })
})

// A training set of at most 512 samples, with an optimizer of built-in links, no onBatch and a
// measured set held whole, runs several epochs in one call of the engine (`groupEpochs` in
// src/epochs.ts): up to
// ⌊1024 / N⌋ epochs at once. Everything but the reports' `ms` must be what the general path
// gives epoch by epoch, whatever ends the run inside a group.
describe('several epochs of a tiny set in one call of the engine', () => {
  type Options = Omit<TrainOptions<unknown>, 'optimizer' | 'learningRate'>
  const general = plainSgd

  /** The same run with `sgd` (grouped epochs) and with the unrecognised chain (epoch by epoch), and the lines each logged. */
  const groupedAndGeneral = (options: Options, rate: number | ((t: number) => number), net: Network) => {
    const lines: string[][] = [[], []]
    const grouped = [...right(epochs({ ...options, optimizer: sgd({ learningRate: rate }), logger: (l) => lines[0]!.push(l) })(net))]
    const plain = [...right(epochs({ ...options, optimizer: general(rate), logger: (l) => lines[1]!.push(l) })(net))]
    return { grouped, plain, lines }
  }

  it('gives the states and reports of running the epochs one by one (groups of 256, 256 and 88 epochs)', () => {
    const { grouped, plain, lines } = groupedAndGeneral({ trainData: xorData, trainLabels: xorLabels, numEpochs: 600, seed: 1, verbose: 50 }, 0.5, sigmoidNet([2, 2, 1], 1))
    expect(grouped).toHaveLength(600)
    expect(observed(grouped)).toEqual(observed(plain))
    expect(lines[0]).toEqual(lines[1])
    const ms = grouped.map((item) => right(item as E.Either<{ message: string }, EpochState<unknown>>).report.ms)
    expect(ms[1]).toBe(ms[0]) // epochs of one group share its time
    expect(ms[255]).toBe(ms[0])
  })

  it('groups the epochs of every optimizer of built-in links, with the states and reports of the general path', () => {
    for (const tx of [adam({ learningRate: 0.05 }), momentum({ learningRate: 0.3, nesterov: true })] as GradientTransformation<unknown>[]) {
      const withoutRule: GradientTransformation<unknown> = { init: tx.init, update: (g, st, n) => tx.update(g, st, n) }
      const options = { trainData: xorData, trainLabels: xorLabels, numEpochs: 300, seed: 2 }
      const grouped = [...right(epochs({ ...options, optimizer: tx })(sigmoidNet([2, 3, 1], 4)))]
      const plain = [...right(epochs({ ...options, optimizer: withoutRule })(sigmoidNet([2, 3, 1], 4)))]
      expect(observed(grouped)).toEqual(observed(plain))
      const ms = grouped.map((item) => right(item as E.Either<{ message: string }, EpochState<unknown>>).report.ms)
      expect(ms[1]).toBe(ms[0]) // grouped: the epochs of a group share its time
    }
  })

  it('agrees whatever the set, batch size, number of epochs, rate and stopping rule (a property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 40 }),
          batchSize: fc.integer({ min: 1, max: 6 }),
          numEpochs: fc.integer({ min: 1, max: 70 }),
          seed: fc.integer({ min: 0, max: 1000 }),
          scheduled: fc.boolean(),
          validated: fc.boolean(),
          patience: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined })
        }),
        ({ n, batchSize, numEpochs, seed, scheduled, validated, patience }) => {
          const X = M.uniform(2, n, -1, 1)(M.rng(seed))[0]
          const T = M.fromFunction(1, n, (_, j) => (X.data[j]! * X.data[n + j]! > 0 ? 1 : 0))
          const options: Options = {
            trainData: X,
            trainLabels: T,
            numEpochs,
            batchSize,
            seed,
            ...(validated ? { validationData: xorData, validationLabels: xorLabels } : {}),
            ...(patience === undefined ? {} : { earlyStopping: { patience, minDelta: 1e-3 } })
          }
          const rate = scheduled ? cosineDecay({ init: 1.5, steps: 200 }) : 0.7
          const { grouped, plain } = groupedAndGeneral(options, rate, sigmoidNet([2, 3, 1], seed))
          expect(observed(grouped)).toEqual(observed(plain))
        }
      ),
      { numRuns: 40 }
    )
  })

  it('train, which builds no network inside a group, returns the network and history of the epochs, and logs and calls back as they do (a property, stops and divergence included)', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 12 }),
          numEpochs: fc.integer({ min: 1, max: 400 }),
          stopAt: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
          rate: fc.constantFrom(0.05, 0.3, 3), // 3 diverges on most sets, 0.05 on none
          scheduled: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1000 }),
          validated: fc.boolean()
        }),
        ({ n, numEpochs, stopAt, rate, scheduled, seed, validated }) => {
          const X = M.uniform(2, n, -1.5, 1.5)(M.rng(seed))[0]
          const T = M.fromFunction(1, n, (_, j) => (X.data[j]! > 0 ? 1 : 0))
          const run = (how: 'epochs' | 'train') => {
            const log: string[] = []
            const options: TrainOptions<unknown> = {
              trainData: X,
              trainLabels: T,
              numEpochs,
              seed,
              optimizer: sgd({ learningRate: scheduled ? cosineDecay({ init: rate, steps: 300 }) : rate }) as GradientTransformation<unknown>,
              verbose: 7,
              logger: (line) => log.push(line),
              onEpoch: (r) => (log.push(`onEpoch ${r.epoch} ${r.error}`), r.epoch === stopAt ? 'stop' : undefined),
              ...(validated ? { validationData: xorData, validationLabels: xorLabels } : {})
            }
            const neuron = netOf([{ weights: [[0.3, -0.2]], bias: [0.1] }])
            const net = { ...neuron, layers: neuron.layers.map((l) => ({ ...l, activation: N.linear })) } // the built-in linear neuron (epochs run in groups): mse overflows at a large rate
            return { result: how === 'epochs' ? [...right(epochs(options)(net))] : train(options)(net), log }
          }
          const byEpochs = run('epochs')
          const byTrain = run('train')
          expect(byTrain.log).toEqual(byEpochs.log) // the same verbose lines and onEpoch calls, in the same order
          const states = byEpochs.result as ReadonlyArray<E.Either<TrainError, EpochState<unknown>>>
          const trained = byTrain.result as E.Either<TrainError, { network: Network; history: ReadonlyArray<EpochState<unknown>['report']> }>
          const last = states.at(-1)!
          if (E.isLeft(last)) {
            expect(E.isLeft(trained)).toBe(true)
            const { history, ...left } = (trained as E.Left<TrainError & { history: EpochState<unknown>['report'][] }>).left
            expect(left._tag).toBe('Diverged')
            expect(observed([E.left(left as TrainError)])).toEqual(observed([last]))
            expect(timeless(history)).toEqual(timeless(states.slice(0, -1).map((x) => right(x).report)))
          } else {
            const r = right(trained)
            expect(paramsOf(r.network)).toEqual(paramsOf(last.right.network))
            expect(timeless(r.history)).toEqual(timeless(states.map((x) => right(x).report)))
          }
        }
      ),
      { numRuns: 60 }
    )
  })

  it('agrees with a schedule, batches of 2 with a partial one, and a validation set of its own', () => {
    const options: Options = { trainData: data, trainLabels: labels, validationData: xorData, validationLabels: xorLabels, numEpochs: 450, batchSize: 2, seed: 5, verbose: 100, metrics: ['loss', 'accuracy'] }
    const { grouped, plain, lines } = groupedAndGeneral(options, cosineDecay({ init: 0.9, steps: 1000 }), sigmoidNet([2, 3, 1], 7))
    expect(observed(grouped)).toEqual(observed(plain))
    expect(lines[0]).toEqual(lines[1])
  })

  it('stops where onEpoch says, in the middle of a group, calling it once an epoch up to there', () => {
    for (const optimizer of [sgd({ learningRate: 0.5 }) as GradientTransformation<unknown>, general(0.5)]) {
      const seen: number[] = []
      const r = right(
        train({ trainData: xorData, trainLabels: xorLabels, numEpochs: 1000, seed: 2, optimizer, onEpoch: (report) => (seen.push(report.epoch), report.epoch === 300 ? 'stop' : undefined) })(
          sigmoidNet([2, 2, 1], 3)
        )
      )
      expect(seen).toEqual(Array.from({ length: 300 }, (_, k) => k + 1))
      expect(r.history).toHaveLength(300)
    }
    const net = sigmoidNet([2, 2, 1], 3)
    const stopAt300 = (report: { epoch: number }) => (report.epoch === 300 ? ('stop' as const) : undefined)
    for (const rate of [0.5, cosineDecay({ init: 2, steps: 1500 })]) {
      // the second group (epochs 257 to 512) stops at its 44th epoch: train descends to it again, with the rates of its steps
      const a = right(train({ trainData: xorData, trainLabels: xorLabels, numEpochs: 1000, seed: 2, optimizer: sgd({ learningRate: rate }), onEpoch: stopAt300 })(net))
      const b = right(train({ trainData: xorData, trainLabels: xorLabels, numEpochs: 1000, seed: 2, optimizer: general(rate), onEpoch: stopAt300 })(net))
      expect(paramsOf(a.network)).toEqual(paramsOf(b.network))
      expect(timeless(a.history)).toEqual(timeless(b.history))
    }
  })

  it('stops early in the middle of a group and restores the best epoch as the general path does', () => {
    // a validation set the training set does not fit well: its loss stops improving after a while
    const options: Options = {
      trainData: data,
      trainLabels: labels,
      validationData: [[0.2, 0.9], [0.9, 0.1], [0.4, 0.4]],
      validationLabels: [[0], [0], [1]],
      numEpochs: 5000,
      seed: 3,
      earlyStopping: { patience: 40 }
    }
    const { grouped, plain } = groupedAndGeneral(options, 0.8, sigmoidNet([2, 3, 1], 9))
    expect(grouped.length).toBeLessThan(5000) // patience ran out
    expect(grouped.length % 204).not.toBe(0) // ⌊1024 / 5⌋ = 204 epochs a group: it ran out inside one
    expect(observed(grouped)).toEqual(observed(plain))
    const fast = right(train({ ...options, optimizer: sgd({ learningRate: 0.8 }) })(sigmoidNet([2, 3, 1], 9)))
    const slow = right(train({ ...options, optimizer: general(0.8) })(sigmoidNet([2, 3, 1], 9)))
    expect(paramsOf(fast.network)).toEqual(paramsOf(slow.network))
  })

  it('diverges in the middle of a group where the general path does, after yielding the epochs before', () => {
    // a linear neuron on x = 1, t = 0 at rate 1.135: z is multiplied by −1.27 a step and the loss overflows after about 1,490 steps
    const net = netOf([{ weights: [[0.5]], bias: [0] }])
    const { grouped, plain } = groupedAndGeneral({ trainData: [[1], [1]], trainLabels: [[0], [0]], numEpochs: 2000 }, 1.135, net)
    const last = grouped.at(-1)!
    expect(E.isLeft(last) && last.left._tag === 'Diverged').toBe(true)
    expect(grouped.length).toBeGreaterThan(512) // past the first group of 512 epochs
    expect(observed(grouped)).toEqual(observed(plain))
  })

  it('agrees on the dense path, with a measured set of several chunks (some too wide for the fused pass) and a batch larger than the set', () => {
    // 2-70-70-1: too large for the fused loops (70·70 > 4,096), 5,251 parameters: groups of 12 epochs
    const V = M.uniform(2, 600, -1, 1)(M.rng(12))[0] // 600 validation samples: chunks of 256, 256 and 88, held for the run
    const VT = M.fromFunction(1, 600, (_, j) => (V.data[j]! * V.data[600 + j]! > 0 ? 1 : 0))
    const options: Options = { trainData: data.slice(0, 3), trainLabels: labels.slice(0, 3), validationData: V, validationLabels: VT, numEpochs: 30, batchSize: 8, seed: 2 }
    const { grouped, plain } = groupedAndGeneral(options, 0.3, sigmoidNet([2, 70, 70, 1], 13))
    expect(grouped).toHaveLength(30)
    expect(observed(grouped)).toEqual(observed(plain))
  })

  it('diverges on the first step of an epoch with a training set of one sample (groups of 1,024 epochs)', () => {
    const net = netOf([{ weights: [[0.5]], bias: [0] }])
    const { grouped, plain } = groupedAndGeneral({ trainData: [[1]], trainLabels: [[0]], numEpochs: 3000 }, 1.135, net)
    const last = grouped.at(-1)!
    expect(E.isLeft(last) && last.left._tag === 'Diverged' && last.left.epoch > 1024).toBe(true)
    expect(observed(grouped)).toEqual(observed(plain))
  })

  it('runs epoch by epoch with a custom loss or activation', () => {
    const custom = N.activation('mySigmoid', (x) => 1 / (1 + Math.exp(-x)), (_x, y) => y * (1 - y))
    const net = { ...sigmoidNet([2, 2, 1], 1), layers: sigmoidNet([2, 2, 1], 1).layers.map((l) => ({ ...l, activation: custom })) }
    const { grouped, plain } = groupedAndGeneral({ trainData: xorData, trainLabels: xorLabels, numEpochs: 20 }, 0.5, net)
    expect(observed(grouped)).toEqual(observed(plain))
    const ms = grouped.map((item) => right(item as E.Either<{ message: string }, EpochState<unknown>>).report.ms)
    expect(new Set(ms).size).toBeGreaterThan(1) // not shares of one group's time
  })

  it('computes nothing until iterated; a consumer that stops early is told of the epochs it took only (their group was computed whole)', () => {
    const seen: number[] = []
    const run = right(epochs({ trainData: xorData, trainLabels: xorLabels, numEpochs: 100, learningRate: 0.5, onEpoch: (r) => void seen.push(r.epoch) })(sigmoidNet([2, 2, 1], 4)))
    expect(seen).toEqual([])
    for (const item of run) if (right(item as E.Either<{ message: string }, EpochState<unknown>>).epoch === 3) break
    expect(seen).toEqual([1, 2, 3])
  })
})

describe('how many epochs run in one run of steps', () => {
  const cfgOf = (options: TrainOptions<unknown>, net: Network) => right(decodeOptions(options, net))
  /** epochsAtOnce for a run's start, with the engine's answer on whether it reads the optimizer's state. */
  const atOnce = (cfg: ReturnType<typeof cfgOf>, net: Network): number => {
    const at = startOf(cfg, net)
    return epochsAtOnce(cfg, at, groupLimit(cfg, net, chunksOf(cfg.train)()), stepsWith(cfg.loss, cfg.optimizer).fits({ network: net, opt: at.optimizerState }))
  }

  it('as many as fit in 1,024 samples and 2¹⁶ parameters, never past numEpochs; one with onBatch or an optimizer of the user’s', () => {
    const xor = sigmoidNet([2, 2, 1], 1)
    const options: TrainOptions<unknown> = { trainData: xorData, trainLabels: xorLabels, numEpochs: 10_000, learningRate: 0.1 }
    expect(atOnce(cfgOf(options, xor), xor)).toBe(256)
    expect(atOnce(cfgOf({ ...options, numEpochs: 100 }, xor), xor)).toBe(100)
    expect(atOnce(cfgOf({ ...options, onBatch: () => undefined }, xor), xor)).toBe(1)
    const adamRun = cfgOf({ trainData: xorData, trainLabels: xorLabels, numEpochs: 10_000, optimizer: adam({ learningRate: 0.01 }) as GradientTransformation<unknown> }, xor)
    expect(atOnce(adamRun, xor)).toBe(256) // every optimizer of built-in links runs on the engine
    const mine = { ...adam({ learningRate: 0.01 }), update: adam({ learningRate: 0.01 }).update.bind(undefined) } as GradientTransformation<unknown>
    expect(atOnce(cfgOf({ trainData: xorData, trainLabels: xorLabels, numEpochs: 10_000, optimizer: mine }, xor), xor)).toBe(1) // its update is the user's code
    // a network of 10,501 parameters on four samples: 6 epochs' networks fit in 2¹⁶ numbers
    const wide = sigmoidNet([2, 100, 100, 1], 2)
    expect(atOnce(cfgOf(options, wide), wide)).toBe(6)
    // 600 samples: more than half a group
    const many = Array.from({ length: 600 }, (_, k) => [k % 2, (k >> 1) % 2])
    expect(atOnce(cfgOf({ ...options, trainData: many, trainLabels: many.map(([a, b]) => [a! ^ b!]) }, xor), xor)).toBe(1)
  })
})
