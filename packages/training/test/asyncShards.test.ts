// Data parallelism, on one thread: how a batch is cut into shards, how the shards' gradients
// combine into the batch's, and what travels to a worker and back (the protocol's handler,
// called directly).
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Gradients, Network } from '@purenn/network'
import { combine, combineDescend, shardBounds } from '../src/async/shards.js'
import { shardStep } from '../src/async/shardStep.js'
import { gradientsOf, layoutOf, sendable, unsendable, viewsOf, writeFlat, type StartMessage } from '../src/async/protocol.js'
import { worker } from '../src/async/serve.js'
import { adam, applyUpdates, sampleSet, sgd, type GradientTransformation } from '@purenn/training'
import { linearActivation, entriesOf, paramsOf } from './helpers.js'

/** A 5-7-3 network: tanh, then softmax (the fused cross-entropy path). */
const net: Network = N.initialize('xavier')(
  N.addLayer({ nodes: 3, activation: N.softmax })(N.addLayer({ nodes: 7, activation: N.tanh })(N.network(5)))
)(M.rng(3))[0]
const X = M.uniform(5, 23, -2, 2)(M.rng(4))[0]
const T = M.fromFunction(3, 23, (i, j) => (j % 3 === i ? 1 : 0))
const columnsOf = (m: M.Matrix, from: number, to: number): M.Matrix => M.fromFunction(m.rows, to - from, (i, j) => M.get(m, i, from + j))

/** The largest |entry| over a gradient tree: the scale rounding errors are measured against. */
const scaleOf = (g: Gradients): number => Math.max(...entriesOf(g).map(Math.abs))

describe('shardBounds', () => {
  it('cuts n samples into min(k, n) contiguous, non-empty runs whose sizes differ by at most one, larger first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 16 }), (n, k) => {
        const bounds = shardBounds(n, k)
        expect(bounds).toHaveLength(Math.min(n, k))
        expect(bounds[0]![0]).toBe(0)
        expect(bounds.at(-1)![1]).toBe(n)
        bounds.forEach(([from, to], s) => {
          expect(to).toBeGreaterThan(from)
          if (s > 0) expect(from).toBe(bounds[s - 1]![1])
        })
        const sizes = bounds.map(([from, to]) => to - from)
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes)
      })
    )
  })

  it('256 over 2 is 128 and 128; 7 over 3 is 3, 2, 2', () => {
    expect(shardBounds(256, 2)).toEqual([
      [0, 128],
      [128, 256]
    ])
    expect(shardBounds(7, 3).map(([a, b]) => b - a)).toEqual([3, 2, 2])
  })
})

describe('combine', () => {
  const whole = N.gradients(net, N.crossEntropy, X, T)

  it.each([1, 2, 3, 4, 23])('the size-weighted sum of %i shards is the whole batch’s loss and gradients, up to rounding', (k) => {
    const shards = shardBounds(23, k).map(([from, to]) => {
      const r = N.gradients(net, N.crossEntropy, columnsOf(X, from, to), columnsOf(T, from, to))
      return { loss: r.loss, gradients: r.gradients, size: to - from }
    })
    const c = combine(shards)
    // each entry is a sum of 23 per-sample terms regrouped: a few ulps of the largest term
    const tol = 64 * Number.EPSILON * scaleOf(whole.gradients)
    entriesOf(c.gradients).forEach((v, i) => expect(Math.abs(v - entriesOf(whole.gradients)[i]!)).toBeLessThanOrEqual(tol))
    expect(Math.abs(c.loss - whole.loss)).toBeLessThanOrEqual(64 * Number.EPSILON * whole.loss)
    expect(c.gradients.map((g) => [g.weights.rows, g.weights.cols, g.bias.rows, g.bias.cols])).toEqual(
      net.layers.map((l) => [l.weights.rows, l.weights.cols, l.bias.rows, l.bias.cols])
    )
  })

  it('one shard is returned as it is, bit for bit', () => {
    const c = combine([{ loss: whole.loss, gradients: whole.gradients, size: 23 }])
    expect(entriesOf(c.gradients)).toEqual(entriesOf(whole.gradients))
    expect(c.loss).toBe(whole.loss)
  })

  it('weights the shards by their sizes, not equally', () => {
    const g = (v: number): Gradients => [{ weights: M.fill(1, 1, v), bias: M.fill(1, 1, v) }]
    const c = combine([
      { loss: 1, gradients: g(1), size: 3 },
      { loss: 5, gradients: g(5), size: 1 }
    ])
    expect(c.loss).toBe(2) // (3·1 + 1·5) / 4
    expect(entriesOf(c.gradients)).toEqual([2, 2])
  })
})

describe('the step from shards', () => {
  const shards = shardBounds(23, 3).map(([from, to]) => {
    const r = N.gradients(net, N.crossEntropy, columnsOf(X, from, to), columnsOf(T, from, to))
    return { loss: r.loss, gradients: r.gradients, size: to - from }
  })
  /** The general step by hand: combine, then the optimizer's updates, then applyUpdates. */
  const byHand = <S>(tx: GradientTransformation<S>, opt: S) => {
    const c = combine(shards)
    const [u, next] = tx.update(c.gradients, opt, net)
    return { network: applyUpdates(u)(net), opt: next, loss: c.loss }
  }

  it.each([1, 2, 3])('an SGD step is fused, with the bits of combining then stepping (%i shards)', (k) => {
    const some = shards.slice(0, k)
    const c = combine(some)
    const fused = combineDescend(net, some, -0.3)
    const step = (theta: M.Matrix, g: M.Matrix): number[] => [...theta.data].map((v, j) => v + -0.3 * g.data[j]!) // θ + k·g, as sgd's fused step
    const stepped = net.layers.map((l, i) => [...step(l.weights, c.gradients[i]!.weights), ...step(l.bias, c.gradients[i]!.bias)])
    expect(net.layers.map((_, i) => [...fused.network.layers[i]!.weights.data, ...fused.network.layers[i]!.bias.data])).toEqual(stepped)
    expect(fused.loss).toBe(c.loss)
    expect(fused.network.layers.map((l) => l.activation)).toEqual(net.layers.map((l) => l.activation))
  })

  it.each([1, 2, 3])('the fused step writes over a spare network and into a flat copy with the same bits, the network it steps from untouched (%i shards)', (k) => {
    const some = shards.slice(0, k)
    const fresh = combineDescend(net, some, -0.3)
    const before = paramsOf(net)
    const spare = N.initialize('xavier')(N.addLayer({ nodes: 3, activation: N.softmax })(N.addLayer({ nodes: 7, activation: N.tanh })(N.network(5))))(M.rng(9))[0]
    const flat = new Float64Array(paramsOf(net).length).fill(Number.NaN)
    const into = combineDescend(net, some, -0.3, { spare, flat })
    expect(paramsOf(into.network)).toEqual(paramsOf(fresh.network))
    expect([...flat]).toEqual([...writeFlat(fresh.network.layers)]) // the flat layout the workers read
    into.network.layers.forEach((l, i) => {
      expect(l.weights.data).toBe(spare.layers[i]!.weights.data) // the spare's buffers, not fresh ones
      expect(l.bias.data).toBe(spare.layers[i]!.bias.data)
    })
    expect([into.loss, into.finite]).toEqual([fresh.loss, true])
    expect(paramsOf(net)).toEqual(before)
    expect(paramsOf(combineDescend(net, some, -0.3, { flat }).network)).toEqual(paramsOf(fresh.network)) // a flat copy alone: fresh buffers
  })

  it('shardStep says whether it wrote the flat copy: the fused SGD step does, another optimizer’s does not (nor touches it)', () => {
    const flat = new Float64Array(paramsOf(net).length)
    const sgdStep = shardStep(sgd({ learningRate: 0.3 }))({ network: net, opt: [{ count: 0 }], rng: M.rng(0), step: 0 }, shards, { flat })
    expect(sgdStep.written).toBe(true)
    expect([...flat]).toEqual(paramsOf(sgdStep.state.network))
    expect(shardStep(sgd({ learningRate: 0.3 }))({ network: net, opt: [{ count: 0 }], rng: M.rng(0), step: 0 }, shards).written).toBe(false)
    const untouched = new Float64Array(paramsOf(net).length)
    const adamStep = shardStep(adam({ learningRate: 0.3 }))({ network: net, opt: adam({ learningRate: 0.3 }).init(net), rng: M.rng(0), step: 0 }, shards, { flat: untouched, spare: sgdStep.state.network })
    expect(adamStep.written).toBe(false)
    expect(untouched.every((v) => v === 0)).toBe(true)
    expect(paramsOf(sgdStep.state.network)).toEqual([...flat]) // nor the spare
  })

  it('the fused step says whether every new parameter is finite', () => {
    expect(combineDescend(net, shards, -0.3).finite).toBe(true)
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, 1e308]) {
      const spoilt = [{ ...shards[0]!, gradients: [{ ...shards[0]!.gradients[0]!, bias: { rows: 7, cols: 1, data: new Float64Array(7).fill(bad) } }, shards[0]!.gradients[1]!] }, ...shards.slice(1)]
      expect(combineDescend(net, spoilt, bad === 1e308 ? -1e10 : -0.3).finite).toBe(false) // 1e308·1e10 overflows
    }
    expect(shardStep(sgd({ learningRate: 0.3 }))({ network: net, opt: [{ count: 0 }], rng: M.rng(0), step: 0 }, shards).finite).toBe(true)
    expect(shardStep(adam({ learningRate: 0.3 }))({ network: net, opt: adam({ learningRate: 0.3 }).init(net), rng: M.rng(0), step: 0 }, shards).finite).toBeUndefined()
  })

  it('shardStep takes the optimizer’s step, as by hand: sgd (fused) and adam', () => {
    for (const tx of [sgd({ learningRate: (t) => 0.1 / (1 + t) }), adam({ learningRate: 0.01 })] as Array<GradientTransformation<unknown>>) {
      const opt = tx.init(net)
      const state = { network: net, opt, rng: M.rng(0), step: 4 }
      const { state: next } = shardStep(tx)(state, shards)
      const hand = byHand(tx, opt)
      expect(paramsOf(next.network)).toEqual(paramsOf(hand.network))
      expect(next.opt).toEqual(hand.opt)
      expect([next.step, next.loss, next.rng]).toEqual([5, hand.loss, state.rng])
    }
  })
})

describe('the protocol', () => {
  const data = sampleSet(X, T)

  /** Starts a worker handler, shared memory or not, over the data set. */
  const started = (shared: boolean) => {
    const handle = worker()
    const count = paramsOf(net).length
    const start: StartMessage = {
      kind: 'start',
      loss: N.crossEntropy.name,
      inputSize: net.inputSize,
      layout: layoutOf(net),
      data: { inputWidth: data.inputs.width, inputs: data.inputs.data, targetWidth: data.targets.width, targets: data.targets.data },
      measured: undefined,
      params: shared ? new Float64Array(count) : undefined
    }
    expect(handle(start)).toBeUndefined()
    return { handle, start }
  }

  it.each([false, true])('a worker answers a shard with the gradients of those samples, bit for bit (shared memory: %s)', (shared) => {
    const { handle, start } = started(shared)
    const samples = [4, 0, 17, 9]
    const params = writeFlat(net.layers)
    if (start.params !== undefined) start.params.set(params)
    const { reply, transfer } = handle({ kind: 'shard', id: 7, samples, next: undefined, params: shared ? undefined : params })!
    if (reply.kind !== 'gradients') throw new Error(`expected gradients, got ${JSON.stringify(reply)}`)
    const expected = N.gradients(
      net,
      N.crossEntropy,
      M.fromFunction(5, 4, (i, j) => M.get(X, i, samples[j]!)),
      M.fromFunction(3, 4, (i, j) => M.get(T, i, samples[j]!))
    )
    expect(reply.id).toBe(7)
    expect(reply.loss).toBe(expected.loss)
    expect(entriesOf(gradientsOf(layoutOf(net), reply.gradients))).toEqual(entriesOf(expected.gradients))
    expect(transfer).toEqual([...new Set(reply.gradients.map((g) => g.buffer))]) // every buffer behind them, once: handed over, not copied
  })

  it('hands a shard’s gradients over in their own buffers, each once, and copies only what cannot be transferred', () => {
    const own = new Float64Array([1, 2])
    const bias = new Float64Array([3])
    const larger = new Float64Array([4, 5, 6]) // a view of it may sit beside what the worker still needs
    const shared = new Float64Array(new SharedArrayBuffer(16))
    shared[0] = 7
    const g: Gradients = [
      { weights: { rows: 1, cols: 2, data: own }, bias: { rows: 1, cols: 1, data: bias } },
      { weights: { rows: 1, cols: 1, data: own }, bias: { rows: 1, cols: 1, data: bias } }, // the same buffers again
      { weights: { rows: 1, cols: 1, data: larger.subarray(1, 2) }, bias: { rows: 1, cols: 1, data: shared.subarray(0, 1) } }
    ]
    const { parts, transfer } = sendable(g)
    expect(parts.slice(0, 4)).toEqual([own, bias, own, bias])
    expect(parts[0]).toBe(own) // not copied
    expect([...parts[4]!, ...parts[5]!]).toEqual([5, 7]) // copied: the larger buffer and the shared one stay where they are
    expect(transfer).toEqual([own.buffer, bias.buffer, parts[4]!.buffer, parts[5]!.buffer])
    expect(transfer).not.toContain(larger.buffer)
  })

  it('a worker’s reply transfers none of the buffers it keeps: its data sets, its parameters, its gathered shards', () => {
    const { handle, start } = started(true)
    start.params!.set(writeFlat(net.layers))
    const kept = new Set<ArrayBufferLike>([start.data.inputs.buffer, start.data.targets.buffer, start.params!.buffer])
    const first = handle({ kind: 'shard', id: 1, samples: [1, 2, 3], next: [4, 5, 6], params: undefined })!
    first.then() // gathers [4, 5, 6] ahead, into a buffer of its own
    const second = handle({ kind: 'shard', id: 2, samples: [4, 5, 6], next: undefined, params: undefined })!
    for (const { transfer } of [first, second]) for (const b of transfer) expect(kept.has(b)).toBe(false)
    expect(second.transfer.some((b) => first.transfer.includes(b))).toBe(false) // fresh buffers each time
    // had a gather buffer gone with the first reply (detached: written as nothing), the second shard would be wrong
    if (second.reply.kind !== 'gradients') throw new Error(JSON.stringify(second.reply))
    const expected = N.gradients(net, N.crossEntropy, columnsOf(X, 4, 7), columnsOf(T, 4, 7))
    expect(entriesOf(gradientsOf(layoutOf(net), second.reply.gradients))).toEqual(entriesOf(expected.gradients))
  })

  it('refuses a reply whose gradients do not fit the layout, naming the layer', () => {
    const layout = layoutOf(net)
    expect(() => gradientsOf(layout, [new Float64Array(35), new Float64Array(7)])).toThrow('2 gradient buffers, expected 4')
    expect(() => gradientsOf(layout, [new Float64Array(35), new Float64Array(7), new Float64Array(20), new Float64Array(3)])).toThrow("layer 1's gradients with 20 and 3 numbers, expected 21 and 3")
    expect(entriesOf(gradientsOf(layout, [new Float64Array(35), new Float64Array(7), new Float64Array(21), new Float64Array(3)]))).toHaveLength(66) // 7x5 + 7, 3x7 + 3
  })

  it('computes a shard it gathered ahead from what it gathered then, and gathers any other afresh', () => {
    // the worker reads its training set from buffers it was given; changing them between the
    // gather ahead and the request shows which samples the gradients came from
    const inputs = data.inputs.data.slice() // sample-major: sample s is inputs[5s … 5s + 4]
    const start: StartMessage = {
      kind: 'start',
      loss: N.crossEntropy.name,
      inputSize: net.inputSize,
      layout: layoutOf(net),
      data: { inputWidth: 5, inputs, targetWidth: 3, targets: data.targets.data },
      measured: undefined,
      params: undefined
    }
    const handle = worker()
    handle(start)
    const lossOf = (samples: number[]): number => {
      const answer = handle({ kind: 'shard', id: 1, samples, next: samples[0] === 0 ? [2, 3] : undefined, params: writeFlat(net.layers) })!
      answer.then() // after the reply: gathers the next shard ahead, if announced
      if (answer.reply.kind !== 'gradients') throw new Error(JSON.stringify(answer.reply))
      return answer.reply.loss
    }
    const expectedLoss = (x: M.Matrix, samples: number[]): number =>
      N.gradients(net, N.crossEntropy, M.fromFunction(5, samples.length, (i, j) => M.get(x, i, samples[j]!)), M.fromFunction(3, samples.length, (i, j) => M.get(T, i, samples[j]!))).loss
    lossOf([0, 1]) // announces [2, 3], gathered once the reply is out
    inputs.fill(0, 2 * 5, 4 * 5) // samples 2 and 3 zeroed after they were gathered
    const zeroed = M.fromFunction(5, 23, (i, j) => (j === 2 || j === 3 ? 0 : M.get(X, i, j)))
    expect(lossOf([2, 3])).toBe(expectedLoss(X, [2, 3])) // the shard gathered ahead, from before the change
    expect(lossOf([2, 3])).toBe(expectedLoss(zeroed, [2, 3])) // not announced this time: gathered afresh
    expect(expectedLoss(X, [2, 3])).not.toBe(expectedLoss(zeroed, [2, 3]))
  })

  it.each([false, true])('a worker answers chunks of the measured set with their scores, bit for bit (shared memory: %s)', (shared) => {
    const { handle, start } = started(shared)
    const params = writeFlat(net.layers)
    if (start.params !== undefined) start.params.set(params)
    const { reply } = handle({ kind: 'scores', id: 3, chunks: [[0, 10], [10, 23]], params: shared ? undefined : params })!
    if (reply.kind !== 'scores') throw new Error(`expected scores, got ${JSON.stringify(reply)}`)
    expect(reply.scores).toEqual([N.scores(net, N.crossEntropy, columnsOf(X, 0, 10), columnsOf(T, 0, 10)), N.scores(net, N.crossEntropy, columnsOf(X, 10, 23), columnsOf(T, 10, 23))])
  })

  it('writeFlat lays parameters out layer by layer, weights row by row then bias, and viewsOf reads them back as views', () => {
    const flat = writeFlat(net.layers)
    expect([...flat]).toEqual(paramsOf(net))
    expect(entriesOf(viewsOf(layoutOf(net), flat))).toEqual(paramsOf(net))
  })

  it('a failure is a reply naming it, not a crash', () => {
    const { handle } = started(false)
    const { reply } = handle({ kind: 'shard', id: 1, samples: [0], next: undefined, params: new Float64Array(3) })!
    expect(reply.kind).toBe('failed')
    expect(reply.kind === 'failed' && reply.message).toBe(`parameters: expected ${paramsOf(net).length} numbers for the layout, got 3`)
    const fresh = worker()
    const { reply: early } = fresh({ kind: 'shard', id: 2, samples: [0], next: undefined, params: writeFlat(net.layers) })!
    expect(early.kind === 'failed' && early.message).toBe('asked for gradients before being started')
  })

  it('only built-in activations and losses can go to a worker', () => {
    expect(unsendable(net, N.crossEntropy)).toBeUndefined()
    const custom: Network = { ...net, layers: [net.layers[0]!, { ...net.layers[1]!, activation: linearActivation }] }
    expect(unsendable(custom, N.mse)).toBe('expected 1 with a custom activation ("linear" in layer 1): a worker knows only the built-in activations')
    const myLoss = { ...N.mse }
    expect(unsendable(net, myLoss)).toMatch(/^expected 1 with a custom loss \("mse"\)/)
  })
})
