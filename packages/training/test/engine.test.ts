// The engine (src/internal/engine.ts) against the reference fold of trainStep's two halves
// (`gradients`, then `update` and `applyUpdates`), for what a run keeps besides its last state:
// the losses, the checkpoints and the points of the curve (states and scores after so many
// steps), the scores at the end; and that it writes nothing it was given or handed out.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import { mse, binaryCrossEntropy, scores, type Loss, type Network } from '@purenn/network'
import { adam, chain, clipByGlobalNorm, momentum, rmsprop, sgd, type Batch } from '@purenn/training'
import { engine, type EngineState } from '../src/internal/engine.js'
import { ruleOf } from '../src/UpdateRule.js'
import { referenceRun, scoreBits, stateBits, type Tx } from './engineReference.js'
import { bits, columns, sigmoidNet } from './helpers.js'

const optimizers: ReadonlyArray<Tx> = [
  sgd({ learningRate: 0.5 }) as Tx,
  momentum({ learningRate: 0.1, nesterov: true }) as Tx,
  rmsprop({ learningRate: 0.01 }) as Tx,
  adam({ learningRate: 0.02 }) as Tx,
  chain(clipByGlobalNorm(0.5), adam({ learningRate: 0.02 })) as Tx
]

const data = M.toArrays(M.uniform(30, 3, -1, 1)(M.rng(7))[0])
/** Batches of 1 to 3 samples (one-sample batches take the kernels written out for the shape). */
const batchesOf = (widths: ReadonlyArray<number>): Batch[] => {
  let at = 0
  return widths.map((w) => {
    const rows = Array.from({ length: w }, () => data[at++ % data.length]!)
    return { inputs: columns(rows.map(([a, b]) => [a!, b!])), targets: columns(rows.map(([, , c]) => [c! > 0 ? 1 : 0])) }
  })
}

describe('the engine', () => {
  it('keeps the reference’s losses, checkpoints, curve and final scores, bit for bit, for every optimizer (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...optimizers),
        fc.constantFrom<Loss>(mse, binaryCrossEntropy),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(1000),
        (tx, loss, widths, every, scoreEvery, seed) => {
          const net: Network = sigmoidNet([2, 3, 1], seed)
          const start: EngineState = { network: net, opt: tx.init(net), step: 5 }
          const before = stateBits(start)
          const batches = batchesOf(widths)
          const scoreOn = batchesOf([4, 1])
          const r = engine(loss, ruleOf(tx)!).run(start, batches, { scoreOn, checkpointEvery: every, scoreEvery })!
          const ref = referenceRun(tx, loss, start, batches)
          const scoresAt = (st: EngineState): unknown => scoreBits(scoreOn.map((b) => scores(st.network, loss, b.inputs, b.targets)))
          expect(r.stopped).toBeUndefined()
          expect(bits(r.losses)).toEqual(bits(ref.losses))
          expect(stateBits(r.state)).toEqual(stateBits(ref.states[batches.length]!))
          expect(scoreBits(r.scores)).toEqual(scoresAt(ref.states[batches.length]!))
          expect(r.checkpoints.map((c) => c.steps)).toEqual(batches.map((_, s) => s + 1).filter((n) => n % every === 0))
          for (const c of r.checkpoints) {
            expect(stateBits(c.state)).toEqual(stateBits(ref.states[c.steps]!))
            expect(scoreBits(c.scores)).toEqual(scoresAt(ref.states[c.steps]!))
          }
          expect(r.curve.map((c) => c.steps)).toEqual(batches.map((_, s) => s + 1).filter((n) => n % scoreEvery === 0))
          for (const c of r.curve) expect(scoreBits(c.scores)).toEqual(scoresAt(ref.states[c.steps]!))
          expect(stateBits(start)).toEqual(before) // the caller's state is read, never written
        }
      ),
      { numRuns: 80 }
    )
  })

  it.each([
    ['a small network (the backprop’s own gradient blocks)', [2, 3, 1]],
    ['a network past the small path (fresh gradient blocks, kept as parameters)', [2, 150, 40, 1]]
  ])('never writes a state it handed out, run after run, nor a checkpoint: %s', (_name, sizes) => {
    const tx = adam({ learningRate: 0.05 }) as Tx
    const e = engine(mse, ruleOf(tx)!)
    const net = sigmoidNet(sizes, 3)
    let at: EngineState = { network: net, opt: tx.init(net), step: 0 }
    const handed: Array<readonly [EngineState, unknown]> = []
    for (const widths of [[1, 2, 1], [1], [3, 1, 1, 2], [2]]) {
      const r = e.run(at, batchesOf(widths), { checkpointEvery: 1 })!
      for (const c of r.checkpoints) handed.push([c.state, stateBits(c.state)])
      handed.push([r.state, stateBits(r.state)])
      at = r.state
    }
    for (const [st, was] of handed) expect(stateBits(st)).toEqual(was)
    // and the last state is the reference's
    const all = [[1, 2, 1], [1], [3, 1, 1, 2], [2]].flatMap((w) => batchesOf(w))
    expect(stateBits(at)).toEqual(stateBits(referenceRun(tx, mse, { network: net, opt: tx.init(net), step: 0 }, all).states[all.length]!))
  })

  it.each([
    ['sgd', sgd({ learningRate: 0.5 }) as Tx],
    ['adam', adam({ learningRate: 0.05 }) as Tx]
  ])('a run or step made from inside a run (its onStep) takes sets of its own, leaving the run’s alone: %s', (_name, tx) => {
    const e = engine(mse, ruleOf(tx)!)
    const net = sigmoidNet([2, 3, 1], 4)
    const other = sigmoidNet([2, 3, 1], 5)
    const start: EngineState = { network: net, opt: tx.init(net), step: 0 }
    const first = e.run(start, batchesOf([1, 2]))!.state // held in the engine's sets
    const batches = batchesOf([1, 2, 1, 3])
    const otherStart: EngineState = { network: other, opt: tx.init(other), step: 0 }
    const inner: EngineState[] = []
    const r = e.run(first, batches, { onStep: () => void inner.push(e.run(otherStart, batches.slice(0, 2))!.state, e.one(first, batches[0]!)!.state) })!
    expect(stateBits(r.state)).toEqual(stateBits(referenceRun(tx, mse, first, batches).states[batches.length]!))
    const innerRun = stateBits(referenceRun(tx, mse, otherStart, batches.slice(0, 2)).states[2]!)
    const innerOne = stateBits(referenceRun(tx, mse, first, batches.slice(0, 1)).states[1]!)
    inner.forEach((st, i) => expect(stateBits(st)).toEqual(i % 2 === 0 ? innerRun : innerOne))
  })

  it('answers undefined for a state the rule cannot read, and compiles again for a network of another shape', () => {
    const tx = adam({ learningRate: 0.05 }) as Tx
    const e = engine(mse, ruleOf(tx)!)
    const small = sigmoidNet([2, 3, 1], 1)
    const other = sigmoidNet([2, 5, 1], 2)
    expect(e.run({ network: small, opt: tx.init(other), step: 0 }, batchesOf([1]))).toBeUndefined()
    expect(e.fits(small, tx.init(small))).toBe(true)
    expect(e.fits(small, [{ count: 0 }])).toBe(false)
    const a = e.run({ network: small, opt: tx.init(small), step: 0 }, batchesOf([1]))!
    const b = e.run({ network: other, opt: tx.init(other), step: 0 }, batchesOf([1]))!
    expect(stateBits(b.state)).toEqual(stateBits(referenceRun(tx, mse, { network: other, opt: tx.init(other), step: 0 }, batchesOf([1])).states[1]!))
    expect(a.state.network.layers[0]!.weights.rows).toBe(3)
  })

  it('one step (`one`, trainStep’s) is a run of that batch taken whatever it gives, folded across the engine’s runs (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...optimizers), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.nat(1000), (tx, widths, alone, seed) => {
        const net: Network = sigmoidNet([2, 3, 1], seed)
        const start: EngineState = { network: net, opt: tx.init(net), step: 0 }
        const batches = batchesOf(widths)
        const e = engine(mse, ruleOf(tx)!)
        // each batch by `one` or by a run of its own, as a loop of the caller's may mix them: each starts from the state the engine handed out last
        let at = start
        const losses: number[] = []
        batches.forEach((b, s) => {
          const r = alone[s] === true ? e.one(at, b)! : (({ state, loss }) => ({ state, loss: loss! }))(e.run(at, [b], { everyStep: true })!)
          losses.push(r.loss)
          at = r.state
        })
        const ref = referenceRun(tx, mse, start, batches)
        expect(bits(losses)).toEqual(bits(ref.losses))
        expect(stateBits(at)).toEqual(stateBits(ref.states[batches.length]!))
      }),
      { numRuns: 60 }
    )
  })

  it('forgets the state it handed out when it compiles for another shape: that state is read again, not taken for the new shape’s', () => {
    const tx = sgd({ learningRate: 0.5 }) as Tx
    const e = engine(mse, ruleOf(tx)!)
    const small = sigmoidNet([2, 3, 1], 1)
    const other = sigmoidNet([2, 5, 1], 2)
    const s1 = e.one({ network: small, opt: tx.init(small), step: 0 }, batchesOf([1])[0]!)!.state // handed out, small's shape
    expect(e.run({ network: other, opt: tx.init(other), step: 0 }, [])!.state.network).toBe(other) // no step: compiles other's shape, hands nothing out
    const s2 = e.one(s1, batchesOf([1])[0]!)!.state // s1 again: small's shape, not the last compiled
    const ref = referenceRun(tx, mse, s1, batchesOf([1])).states[1]!
    expect(stateBits(s2)).toEqual(stateBits(ref))
  })

  it('names a bad batch: by its index in a run, as `batch` in one step; a run told its batches are trusted does not check them', () => {
    const tx = sgd({ learningRate: 0.5 }) as Tx
    const e = engine(mse, ruleOf(tx)!)
    const net = sigmoidNet([2, 3, 1], 1)
    const start: EngineState = { network: net, opt: tx.init(net), step: 0 }
    const [good] = batchesOf([1])
    const wide = { inputs: M.fromFunction(3, 1, (i) => i), targets: good!.targets }
    expect(() => e.run(start, [good!, wide])).toThrow('batches[1].inputs has 3 rows, the network expects 2 (one sample per column)')
    expect(() => e.one(start, wide)).toThrow('batch.inputs has 3 rows, the network expects 2 (one sample per column)')
    expect(() => e.one(start, { inputs: [[0], [1]], targets: good!.targets } as never)).toThrow('batch.inputs must be a Matrix (one sample per column)')
    expect(() => e.one(start, null as never)).toThrow('batch: expected { inputs, targets }, got null')
    // trusted: the caller (train, on batches it cut from its decoded data) vouches for them
    expect(e.run(start, [good!], { trusted: true })!.losses).toHaveLength(1)
  })
})
