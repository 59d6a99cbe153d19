// descend: gradient descent over a sequence of batches in one call, with its parameters in
// private buffers. Its law: the same bits as folding the reference gradients (`denseGradients`)
// and θ + (−η)·g by hand, whichever loop takes the steps.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Activation, DescentBatch, Loss, Network } from '@purenn/network'
import { bitsOf, elementwiseActivations, fromColumns, makeNetwork, referenceStep, snapshot } from './reference.js'

const stepByHand = referenceStep

const lossBits = (xs: ReadonlyArray<number>): number[] => Array.from(new Uint32Array(new Float64Array(xs).buffer))

/** A loss the caller built (mse written again), to reach the general path. */
const myMse: Loss = {
  name: 'myMse',
  perSample: (y, t) => N.mse.perSample(y, t),
  value: (y, t) => N.mse.value(y, t),
  gradient: (y, t) => N.mse.gradient(y, t)
}

const arbRun = fc
  .record({
    widths: fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom<Activation>(...elementwiseActivations)), { minLength: 1, maxLength: 3 }),
    inputSize: fc.integer({ min: 1, max: 4 }),
    loss: fc.constantFrom<Loss>(N.mse, N.meanAbsoluteError, myMse),
    batchSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    rate: fc.constantFrom(0.05, 0.5, 'schedule' as const)
  })
  .map(({ widths, inputSize, loss, batchSizes, seed, rate }) => {
    const net = makeNetwork(inputSize, widths, seed)
    const outputs = N.outputSize(net)
    const batches: DescentBatch[] = batchSizes.map((b, i) => ({
      inputs: M.uniform(inputSize, b, -1, 1)(M.rng(seed + 2 * i + 1))[0],
      targets: M.uniform(outputs, b, -1, 1)(M.rng(seed + 2 * i + 2))[0]
    }))
    const learningRate = rate === 'schedule' ? (s: number) => 0.3 / (1 + s) : rate
    return { net, loss, batches, learningRate }
  })

/** The bits of each score's numbers, so that −0 and 0 count as different. */
const scoreBits = (xs: ReadonlyArray<N.Scores>): unknown => xs.map((x) => [x.count, ...lossBits([x.error, x.loss]), x.correct])

/** Two batches to score a network on: one the fused pass scores on its own buffers (3 samples), one too wide for it (130, scored by the general pass). */
const scoreBatchesFor = (net: Network): DescentBatch[] =>
  [3, 130].map((b) => ({ inputs: M.uniform(net.inputSize, b, -1, 1)(M.rng(b))[0], targets: M.uniform(N.outputSize(net), b, -1, 1)(M.rng(b + 1))[0] }))

/** A network too large for the fused path (40-30-3: 30·40·5 > 4,096), and a batch for it. */
const big = makeNetwork(40, [[30, N.tanh], [3, N.softmax]], 3, 0.3)
const bigBatch: DescentBatch = { inputs: M.uniform(40, 5, -1, 1)(M.rng(1))[0], targets: M.fromFunction(3, 5, (r, c) => (r === c % 3 ? 1 : 0)) }

/** A linear neuron, a sample it steps on, and one whose NaN target stops a descent there. */
const one = makeNetwork(1, [[1, N.linear]], 0)
const good: DescentBatch = { inputs: M.fromArray([1]), targets: M.fromArray([0]) }
const bad: DescentBatch = { inputs: M.fromArray([1]), targets: { rows: 1, cols: 1, data: new Float64Array([Number.NaN]) } }

describe('descend', () => {
  it('gives the bits of folding gradients and θ + (−η)·g by hand, and each loss before its step', () => {
    fc.assert(
      fc.property(arbRun, ({ net, loss, batches, learningRate }) => {
        let byHand = net
        const losses: number[] = []
        batches.forEach((batch, s) => {
          const r = stepByHand(byHand, loss, batch, typeof learningRate === 'number' ? learningRate : learningRate(s))
          losses.push(r.loss)
          byHand = r.network
        })
        const d = N.descend({ loss, batches, learningRate })(net)
        expect(d.stopped).toBeUndefined()
        expect(bitsOf(d.network)).toEqual(bitsOf(byHand))
        expect(lossBits(d.losses)).toEqual(lossBits(losses))
      }),
      { numRuns: 150 }
    )
  })

  it('takes the same steps on the dense layer path (a network too large for the fused one)', () => {
    const net = makeNetwork(40, [[30, N.tanh], [3, N.softmax]], 3, 0.3)
    const batches: DescentBatch[] = [5, 7, 2].map((b, i) => ({
      inputs: M.uniform(40, b, -1, 1)(M.rng(10 + i))[0],
      targets: M.fromFunction(3, b, (r, c) => (r === (c + i) % 3 ? 1 : 0))
    }))
    let byHand = net
    for (const batch of batches) byHand = stepByHand(byHand, N.crossEntropy, batch, 0.2).network
    expect(bitsOf(N.descend(net, { loss: N.crossEntropy, batches, learningRate: 0.2 }).network)).toEqual(bitsOf(byHand))
  })

  it('calls the rate and onStep once a step, in order, and changes nothing it was given', () => {
    const net = makeNetwork(2, [[3, N.sigmoid], [1, N.sigmoid]], 5)
    const batches: DescentBatch[] = [0, 1, 2, 3].map((i) => ({ inputs: M.fromArray([i >> 1, i & 1]), targets: M.fromArray([(i >> 1) ^ (i & 1)]) }))
    const before = snapshot(net, ...batches.flatMap((b) => [b.inputs, b.targets]))
    const calls: string[] = []
    const d0 = N.descend(net, { loss: N.mse, batches, learningRate: 0.5 })
    const d = N.descend(net, {
      loss: N.mse,
      batches,
      learningRate: (s) => {
        calls.push(`rate ${s}`)
        return 0.5
      },
      onStep: (s, loss) => calls.push(`step ${s} ${loss === d0.losses[s]}`)
    })
    expect(bitsOf(d.network)).toEqual(bitsOf(d0.network))
    expect(calls).toEqual(['rate 0', 'step 0 true', 'rate 1', 'step 1 true', 'rate 2', 'step 2 true', 'rate 3', 'step 3 true'])
    expect(snapshot(net, ...batches.flatMap((b) => [b.inputs, b.targets]))).toEqual(before)
    // the network handed back shares no buffer with the one given, nor between its matrices
    const buffers = [...net.layers, ...d.network.layers].flatMap((l) => [l.weights.data, l.bias.data])
    expect(new Set(buffers).size).toBe(buffers.length)
  })

  it('hands back the network itself when there is nothing to do', () => {
    const net = makeNetwork(2, [[1, N.sigmoid]], 0)
    const d = N.descend({ loss: N.mse, batches: [], learningRate: 0.1 })(net)
    expect(d.network).toBe(net)
    expect(d.losses).toEqual([])
  })

  it('stops before a step whose loss is not finite, with the last finite network', () => {
    const d = N.descend(one, { loss: N.mse, batches: [good, bad, good], learningRate: 0.1 })
    expect(d.stopped).toEqual({ step: 1, reason: 'loss', loss: Number.NaN })
    expect(d.losses).toHaveLength(1)
    expect(bitsOf(d.network)).toEqual(bitsOf(stepByHand(one, N.mse, good, 0.1).network))
  })

  it('stops before a step that would leave a parameter that is not finite', () => {
    // linear neurons on x = 1000, t = 0, rate 1e308: the first step overflows
    for (const linear of [makeNetwork(1, [[1, N.linear]], 0), makeNetwork(40, [[30, N.linear]], 0)]) {
      const b = { inputs: M.fill(linear.inputSize, 1, 1000), targets: M.zeros(N.outputSize(linear), 1) }
      const d = N.descend(linear, { loss: N.mse, batches: [b, b], learningRate: 1e308 })
      expect(d.stopped).toMatchObject({ step: 0, reason: 'parameters' })
      expect(d.network).toBe(linear)
      const once = N.descend(linear, { loss: N.mse, batches: [b], learningRate: 1e-9 }).network
      const late = N.descend(linear, { loss: N.mse, batches: [b, b], learningRate: (s) => (s === 0 ? 1e-9 : 1e308) })
      expect(late.stopped).toMatchObject({ step: 1, reason: 'parameters' })
      expect(bitsOf(late.network)).toEqual(bitsOf(once))
    }
  })

  it('gives a callback that runs a network scratch of its own', () => {
    const net = makeNetwork(2, [[2, N.sigmoid], [1, N.sigmoid]], 7)
    const batches: DescentBatch[] = [0, 1, 2, 3].map((i) => ({ inputs: M.fromArray([i >> 1, i & 1]), targets: M.fromArray([(i >> 1) ^ (i & 1)]) }))
    const inner = makeNetwork(3, [[4, N.tanh], [2, N.linear]], 8)
    const innerBatch = { inputs: M.fill(3, 2, 0.5), targets: M.zeros(2, 2) }
    const seen: Matrix[] = []
    const meddling = N.descend(net, {
      loss: N.mse,
      batches,
      learningRate: 0.5,
      onStep: () => {
        seen.push(N.descend(inner, { loss: N.mse, batches: [innerBatch], learningRate: 0.1 }).network.layers[0]!.weights)
        N.predictBatch(innerBatch.inputs)(inner)
      }
    })
    expect(bitsOf(meddling.network)).toEqual(bitsOf(N.descend(net, { loss: N.mse, batches, learningRate: 0.5 }).network))
    const alone = N.descend(inner, { loss: N.mse, batches: [innerBatch], learningRate: 0.1 }).network.layers[0]!.weights
    for (const w of seen) expect(Array.from(w.data)).toEqual(Array.from(alone.data))
  })

  it('scores the trained network on scoreOn as scores does, on either path, and not after a stop', () => {
    fc.assert(
      fc.property(arbRun, fc.integer({ min: 1, max: 200 }), ({ net, loss, batches, learningRate }, count) => {
        const outputs = N.outputSize(net)
        // one set small enough for the fused pass, one too wide for it (over 128 samples when count is)
        const scoreOn: DescentBatch[] = [1, count].map((b, i) => ({
          inputs: M.uniform(net.inputSize, b, -1, 1)(M.rng(b + i)),
          targets: M.uniform(outputs, b, -1, 1)(M.rng(b + i + 7))
        })).map(({ inputs, targets }) => ({ inputs: inputs[0], targets: targets[0] }))
        const d = N.descend(net, { loss, batches, learningRate, scoreOn })
        const plain = N.descend(net, { loss, batches, learningRate })
        expect(bitsOf(d.network)).toEqual(bitsOf(plain.network))
        expect(plain.scores).toBeUndefined()
        expect(scoreBits(d.scores!)).toEqual(scoreBits(scoreOn.map((b) => N.scores(d.network, loss, b.inputs, b.targets))))
      }),
      { numRuns: 100 }
    )
    // the dense path (a network too large for the fused one)
    const d = N.descend(big, { loss: N.crossEntropy, batches: [bigBatch, bigBatch], learningRate: 0.2, scoreOn: [bigBatch] })
    expect(scoreBits(d.scores!)).toEqual(scoreBits([N.scores(d.network, N.crossEntropy, bigBatch.inputs, bigBatch.targets)]))
    // a descent that stops scores nothing
    expect(N.descend(one, { loss: N.mse, batches: [good, bad], learningRate: 0.1, scoreOn: [good] }).scores).toBeUndefined()
    expect(() => N.descend(one, { loss: N.mse, batches: [good], learningRate: 0.1, scoreOn: [{ inputs: M.zeros(2, 1), targets: M.zeros(1, 1) }] })).toThrow(
      'descend: scoreOn[0].inputs has 2 rows, the network expects 1 (one sample per column)'
    )
  })

  it('keeps a checkpoint every checkpointEvery steps: the network of descending that far, scored as scores does', () => {
    const check = (net: Network, loss: Loss, batches: ReadonlyArray<DescentBatch>, learningRate: number | ((s: number) => number), every: number, scoreOn?: DescentBatch[]) => {
      const d = N.descend(net, { loss, batches, learningRate, scoreOn, checkpointEvery: every })
      const taken = d.losses.length
      expect(d.checkpoints!.map((c) => c.steps)).toEqual(Array.from({ length: Math.floor(taken / every) }, (_, k) => (k + 1) * every))
      for (const c of d.checkpoints!) {
        const upTo = N.descend(net, { loss, batches: batches.slice(0, c.steps), learningRate })
        expect(bitsOf(c.network)).toEqual(bitsOf(upTo.network))
        if (scoreOn === undefined) expect(c.scores).toBeUndefined()
        else expect(scoreBits(c.scores!)).toEqual(scoreBits(scoreOn.map((b) => N.scores(upTo.network, loss, b.inputs, b.targets))))
      }
      const plain = N.descend(net, { loss, batches, learningRate, scoreOn })
      expect(bitsOf(d.network)).toEqual(bitsOf(plain.network)) // checkpoints change nothing else
      expect(lossBits(d.losses)).toEqual(lossBits(plain.losses))
      expect(d.stopped).toEqual(plain.stopped)
      if (plain.scores !== undefined) expect(scoreBits(d.scores!)).toEqual(scoreBits(plain.scores))
      else expect(d.scores).toBeUndefined()
    }
    fc.assert(
      fc.property(arbRun, fc.integer({ min: 1, max: 4 }), fc.boolean(), ({ net, loss, batches, learningRate }, every, scored) => {
        const scoreOn = scored ? scoreBatchesFor(net) : undefined
        check(net, loss, batches, learningRate, every, scoreOn)
      }),
      { numRuns: 60 }
    )
    // the dense path (a network too large for the fused one)
    check(big, N.crossEntropy, [bigBatch, bigBatch, bigBatch, bigBatch, bigBatch], 0.2, 2, [bigBatch])
    // a descent that stops keeps the checkpoints before the stop, and scores nothing at the end
    const stopped = N.descend(one, { loss: N.mse, batches: [good, good, good, bad, good], learningRate: 0.1, scoreOn: [good], checkpointEvery: 2 })
    expect(stopped.stopped?.step).toBe(3)
    expect(stopped.checkpoints!.map((c) => c.steps)).toEqual([2])
    expect(stopped.scores).toBeUndefined()
    check(one, N.mse, [good, good, good, bad, good], 0.1, 2)
    for (const every of [0, 1.5, -1, Number.NaN, '2'])
      expect(() => N.descend(one, { loss: N.mse, batches: [good], learningRate: 0.1, checkpointEvery: every as number })).toThrow('descend: checkpointEvery must be a positive integer, got')
  })

  it('scores every scoreEvery steps without keeping the network: the scores of descending that far', () => {
    const check = (net: Network, loss: Loss, batches: ReadonlyArray<DescentBatch>, learningRate: number | ((s: number) => number), every: number, scoreOn: DescentBatch[]) => {
      const d = N.descend(net, { loss, batches, learningRate, scoreOn, scoreEvery: every })
      const taken = d.losses.length
      expect(d.curve!.map((c) => c.steps)).toEqual(Array.from({ length: Math.floor(taken / every) }, (_, k) => (k + 1) * every))
      for (const c of d.curve!) {
        const upTo = N.descend(net, { loss, batches: batches.slice(0, c.steps), learningRate })
        expect(scoreBits(c.scores)).toEqual(scoreBits(scoreOn.map((b) => N.scores(upTo.network, loss, b.inputs, b.targets))))
      }
      const plain = N.descend(net, { loss, batches, learningRate, scoreOn })
      expect(bitsOf(d.network)).toEqual(bitsOf(plain.network)) // the curve changes nothing else
      expect(lossBits(d.losses)).toEqual(lossBits(plain.losses))
      expect(d.stopped).toEqual(plain.stopped)
      expect(d.checkpoints).toBeUndefined()
      // with checkpoints too, the two agree where they meet
      const both = N.descend(net, { loss, batches, learningRate, scoreOn, scoreEvery: every, checkpointEvery: every })
      expect(both.curve!.map((c) => scoreBits(c.scores))).toEqual(both.checkpoints!.map((c) => scoreBits(c.scores!)))
    }
    fc.assert(
      fc.property(arbRun, fc.integer({ min: 1, max: 4 }), ({ net, loss, batches, learningRate }, every) => {
        check(net, loss, batches, learningRate, every, scoreBatchesFor(net))
      }),
      { numRuns: 60 }
    )
    // the dense path (a network too large for the fused one)
    check(big, N.crossEntropy, [bigBatch, bigBatch, bigBatch, bigBatch, bigBatch], 0.2, 2, [bigBatch])
    // a descent that stops keeps the points before the stop
    expect(N.descend(one, { loss: N.mse, batches: [good, good, good, bad, good], learningRate: 0.1, scoreOn: [good], scoreEvery: 2 }).curve!.map((c) => c.steps)).toEqual([2])
    check(one, N.mse, [good, good, good, bad, good], 0.1, 1, [good])
    for (const every of [0, 1.5, -1, Number.NaN, '2'])
      expect(() => N.descend(one, { loss: N.mse, batches: [good], learningRate: 0.1, scoreOn: [good], scoreEvery: every as number })).toThrow('descend: scoreEvery must be a positive integer, got')
    expect(() => N.descend(one, { loss: N.mse, batches: [good], learningRate: 0.1, scoreEvery: 1 })).toThrow('descend: scoreEvery needs scoreOn, the batches to score on')
  })

  it('refuses what it cannot use, naming it', () => {
    const net = makeNetwork(2, [[1, N.sigmoid]], 0)
    const batch = { inputs: M.zeros(2, 3), targets: M.zeros(1, 3) }
    expect(() => N.descend(N.network(2), { loss: N.mse, batches: [batch], learningRate: 0.1 })).toThrow('descend: the network has no layers')
    expect(() => N.descend(net, { loss: N.mse, batches: [batch], learningRate: 0 })).toThrow('descend: learningRate must be a positive finite number or a function of the step, got number 0')
    expect(() => N.descend(net, { loss: 'mse' as unknown as Loss, batches: [batch], learningRate: 0.1 })).toThrow('descend: loss must be a Loss')
    expect(() => N.descend(net, { loss: N.mse, batches: [batch, { inputs: M.zeros(3, 3), targets: M.zeros(1, 3) }], learningRate: 0.1 })).toThrow(
      'descend: batches[1].inputs has 3 rows, the network expects 2 (one sample per column)'
    )
    expect(() => N.descend(net, { loss: N.mse, batches: [{ inputs: M.zeros(2, 3), targets: M.zeros(1, 2) }], learningRate: 0.1 })).toThrow(
      'descend: batches[0].inputs has 3 samples (columns) but targets has 2'
    )
    expect(() => N.descend(net, { loss: N.mse, batches: [[1, 2]] as unknown as DescentBatch[], learningRate: 0.1 })).toThrow(
      'descend: batches[0].inputs must be a Matrix'
    )
  })
})

describe('scores', () => {
  const arbData = fc
    .record({
      inputSize: fc.integer({ min: 1, max: 4 }),
      hidden: fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom<Activation>(...elementwiseActivations)), { maxLength: 2 }),
      classes: fc.integer({ min: 1, max: 4 }),
      count: fc.integer({ min: 1, max: 200 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 })
    })
    .map(({ inputSize, hidden, classes, count, seed }) => {
      const out: readonly [number, Activation] = classes === 1 ? [1, N.sigmoid] : [classes, N.softmax]
      const net = makeNetwork(inputSize, [...hidden, out], seed)
      const X = M.uniform(inputSize, count, -2, 2)(M.rng(seed + 1))[0]
      const T = classes === 1 ? M.fromFunction(1, count, (_, j) => j % 2) : M.fromFunction(classes, count, (i, j) => (i === (j * 7) % classes ? 1 : 0))
      return { net, X, T, loss: classes === 1 ? N.binaryCrossEntropy : N.crossEntropy }
    })

  it("is evaluate's Error, loss.value of the predictions and accuracy's count, in one pass (fused or not)", () => {
    fc.assert(
      fc.property(arbData, ({ net, X, T, loss }) => {
        const s = N.scores(loss, X, T)(net)
        const Y = N.predictBatch(X)(net)
        let error = 0
        for (let k = 0; k < Y.data.length; k++) error += Math.abs(Y.data[k]! - T.data[k]!)
        expect(s.count).toBe(X.cols)
        expect(lossBits([s.error, s.loss])).toEqual(lossBits([error, loss.value(Y, T)]))
        expect(s.correct / s.count).toBe(N.accuracy(X, T)(net))
        expect(s.error).toBeCloseTo(N.evaluate(X, T)(net), 9)
      }),
      { numRuns: 120 }
    )
  })

  it('reads rows as well, in chunks, and refuses data of the wrong sizes', () => {
    const net = makeNetwork(2, [[3, N.tanh], [1, N.sigmoid]], 2)
    const rows = Array.from({ length: 1200 }, (_, s) => [Math.sin(s), Math.cos(s)])
    const labels = rows.map((_, s) => [s % 2])
    const byRows = N.scores(net, N.mse, rows, labels)
    const X = fromColumns(rows, 2)
    const T = fromColumns(labels, 1)
    const byMatrix = N.scores(net, N.mse, X, T)
    expect(byRows.count).toBe(1200)
    expect(byRows.correct).toBe(byMatrix.correct)
    expect(byRows.error).toBeCloseTo(byMatrix.error, 9)
    expect(byRows.loss).toBeCloseTo(byMatrix.loss, 12)
    expect(() => N.scores(N.mse, [[0, 0, 0]], [[0]])(net)).toThrow('scores: inputs[0] has 3 values, the network expects 2')
    expect(() => N.scores(N.mse, M.zeros(2, 2), M.zeros(1, 3))(net)).toThrow('scores: inputs has 2 samples but labels has 3')
    expect(() => N.scores(N.mse, M.zeros(2, 2), M.zeros(1, 2))(N.network(2))).toThrow('scores: the network has no layers')
  })
})

describe('layerOutput (predictBatch without Z)', () => {
  it("is layerForward's Y, bit for bit, for every activation, on the general path", () => {
    const acts: ReadonlyArray<Activation> = [...elementwiseActivations, N.softmax]
    for (const [k, a] of acts.entries()) {
      const net = makeNetwork(150, [[20, a], [a === N.softmax ? 3 : 2, a]], k) // too large for the fused path
      const X = M.uniform(150, 9, -1, 1)(M.rng(k))[0]
      let expected = X
      for (const layer of net.layers) expected = N.layerForward(layer, expected).y
      expect(Array.from(new Uint32Array(new Float64Array(N.predictBatch(X)(net).data).buffer))).toEqual(
        Array.from(new Uint32Array(new Float64Array(expected.data).buffer))
      )
    }
  })
})
