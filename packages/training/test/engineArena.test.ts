// The engine's steps in an arena (src/internal/engine.ts, `Resident`; @purenn/matrix's `Arena`):
// a rule with Adam's link keeps its two sets of parameters and moments in WebAssembly memory
// and runs Adam's kernel over them. Held here to the reference fold (`update`, then
// `applyUpdates`), bit for bit, on every path that reaches the arena: runs with checkpoints and
// scores, single steps, a mix of the two, starts the engine did not hand out, steps that stop,
// and a call made from inside a run. The arena's own threshold is lowered to 0 so that small
// networks take it; one test takes it at its default size.
import { describe, expect, it, vi } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as O from 'fp-ts/lib/Option.js'
import { mse, binaryCrossEntropy, scores, type Loss, type Network } from '@purenn/network'
import { adam, adamw, chain, clipByGlobalNorm, scaleByAdam, scaleByLearningRate, sgd, type Batch } from '@purenn/training'
import { ARENA_MIN_PARAMETERS, engine, type EngineState } from '../src/internal/engine.js'
import { ruleOf } from '../src/UpdateRule.js'
import { referenceRun, scoreBits, stateBits, type Tx } from './engineReference.js'
import { bits, columns, sigmoidNet } from './helpers.js'

// count the arenas made and the kernel calls, the engine's way in
const made = vi.hoisted(() => ({ arenas: 0, kernel: 0 }))
vi.mock('@purenn/matrix', async (importOriginal) => {
  const original = await importOriginal<typeof M>()
  return {
    ...original,
    arena: (lengths: ReadonlyArray<number>) => {
      const a = original.arena(lengths)
      if (a._tag === 'None') return a
      made.arenas++
      return O.some({ ...a.value, adam: (xs: M.AdamArrays, s: M.AdamScalars) => (made.kernel++, a.value.adam(xs, s)) })
    }
  }
})

const wasm = O.isSome(M.kernels.wasm)

/** Rules with Adam's link in every position the engine meets: alone, after a clip, before weight decay, spelled out. */
const optimizers: ReadonlyArray<Tx> = [
  adam({ learningRate: 0.02 }) as Tx,
  chain(clipByGlobalNorm(0.5), adam({ learningRate: 0.02 })) as Tx,
  adamw({ learningRate: 0.02, weightDecay: 0.01 }) as Tx,
  chain(scaleByAdam({ beta1: 0.5, beta2: 0.9 }), scaleByLearningRate(0.05)) as Tx
]

const data = M.toArrays(M.uniform(30, 3, -1, 1)(M.rng(11))[0])
const batchesOf = (widths: ReadonlyArray<number>): Batch[] => {
  let at = 0
  return widths.map((w) => {
    const rows = Array.from({ length: w }, () => data[at++ % data.length]!)
    return { inputs: columns(rows.map(([a, b]) => [a!, b!])), targets: columns(rows.map(([, , c]) => [c! > 0 ? 1 : 0])) }
  })
}

describe.runIf(wasm)('the engine in an arena', () => {
  it('keeps the reference’s losses, states, checkpoints and scores, bit for bit (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...optimizers),
        fc.constantFrom<Loss>(mse, binaryCrossEntropy),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(1000),
        (tx, loss, widths, every, seed) => {
          const net: Network = sigmoidNet([2, 5, 3, 1], seed) // 37 parameters: odd, so the kernel's last entry runs alone
          const start: EngineState = { network: net, opt: tx.init(net), step: 3 }
          const before = stateBits(start)
          const batches = batchesOf(widths)
          const scoreOn = batchesOf([4])
          const kernelBefore = made.kernel
          const r = engine(loss, ruleOf(tx)!, undefined, 0).run(start, batches, { scoreOn, checkpointEvery: every })!
          const calls = made.kernel - kernelBefore // every step in the arena: one call, or one a block (adamw, whose decay leaves the biases alone, steps block by block)
          expect(calls === batches.length || calls === 6 * batches.length).toBe(true)
          const ref = referenceRun(tx, loss, start, batches)
          expect(bits(r.losses)).toEqual(bits(ref.losses))
          expect(stateBits(r.state)).toEqual(stateBits(ref.states[batches.length]!))
          expect(scoreBits(r.scores)).toEqual(scoreBits(scoreOn.map((b) => scores(ref.states[batches.length]!.network, loss, b.inputs, b.targets))))
          for (const c of r.checkpoints) expect(stateBits(c.state)).toEqual(stateBits(ref.states[c.steps]!))
          expect(stateBits(start)).toEqual(before)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('single steps, runs, and starts it did not hand out, mixed on one engine, are the reference’s; nothing handed out changes later (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...optimizers),
        fc.array(fc.tuple(fc.constantFrom('one', 'run', 'foreign'), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 10 }),
        fc.nat(1000),
        (tx, plan, seed) => {
          const net: Network = sigmoidNet([2, 6, 1], seed)
          const e = engine(mse, ruleOf(tx)!, undefined, 0)
          const foreign: EngineState = { network: sigmoidNet([2, 6, 1], seed + 1), opt: tx.init(net), step: 0 }
          let at: EngineState = { network: net, opt: tx.init(net), step: 0 }
          const handed: Array<readonly [EngineState, unknown]> = []
          for (const [how, w] of plan) {
            const batches = batchesOf(Array.from({ length: w }, () => 2))
            if (how === 'foreign') {
              // another start on the same engine between two of ours: it reads that start, and ours is read again after
              const r = e.run(foreign, batches)!
              expect(stateBits(r.state)).toEqual(stateBits(referenceRun(tx, mse, foreign, batches).states[w]!))
              handed.push([r.state, stateBits(r.state)])
              continue
            }
            const ref = referenceRun(tx, mse, at, how === 'one' ? batches.slice(0, 1) : batches)
            const next = how === 'one' ? e.one(at, batches[0]!)!.state : e.run(at, batches)!.state
            expect(stateBits(next)).toEqual(stateBits(ref.states[ref.states.length - 1]!))
            handed.push([next, stateBits(next)])
            at = next
          }
          for (const [st, was] of handed) expect(stateBits(st)).toEqual(was)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('stops before a step that leaves the finite numbers, with the state before it, as outside the arena', () => {
    // η = 1e308: Adam's first update is about ±1 an entry, so the first step leaves parameters near ∓1e308 and the next overflows
    const tx = adam({ learningRate: 1e308 }) as Tx
    const net = sigmoidNet([2, 6, 1], 5)
    const start: EngineState = { network: net, opt: tx.init(net), step: 0 }
    const batches = batchesOf([2, 2, 2])
    const inArena = engine(mse, ruleOf(tx)!, undefined, 0).run(start, batches)!
    const outside = engine(mse, ruleOf(tx)!, undefined, Infinity).run(start, batches)!
    expect(inArena.stopped).toBeDefined()
    expect(inArena.stopped).toEqual(outside.stopped)
    expect(bits(inArena.losses)).toEqual(bits(outside.losses))
    expect(stateBits(inArena.state)).toEqual(stateBits(outside.state))
    // and steps taken whatever they give (trainStep's) are the reference's, infinities and all
    const e = engine(mse, ruleOf(tx)!, undefined, 0)
    let at = start
    for (const b of batches) at = e.one(at, b)!.state
    expect(stateBits(at)).toEqual(stateBits(referenceRun(tx, mse, start, batches).states[3]!))
  })

  it('a call made from inside a run (its onStep) takes its steps outside the arena and leaves the run’s sets alone', () => {
    const tx = adam({ learningRate: 0.02 }) as Tx
    const net = sigmoidNet([2, 6, 1], 9)
    const other = sigmoidNet([2, 6, 1], 10)
    const e = engine(mse, ruleOf(tx)!, undefined, 0)
    const start: EngineState = { network: net, opt: tx.init(net), step: 0 }
    const first = e.run(start, batchesOf([2]))! // the engine's own state, in the arena
    const batches = batchesOf([1, 2, 3, 1])
    const inner: EngineState[] = []
    const r = e.run(first.state, batches, { onStep: () => void inner.push(e.one({ network: other, opt: tx.init(other), step: 0 }, batches[0]!)!.state) })!
    expect(stateBits(r.state)).toEqual(stateBits(referenceRun(tx, mse, first.state, batches).states[batches.length]!))
    for (const st of inner) expect(stateBits(st)).toEqual(stateBits(referenceRun(tx, mse, { network: other, opt: tx.init(other), step: 0 }, batches.slice(0, 1)).states[1]!))
  })

  it('a start it did not hand out, even one that takes no step, is copied in over a set: the state handed out before is read afresh after it', () => {
    const tx = adam({ learningRate: 0.02 }) as Tx
    const net = sigmoidNet([2, 6, 1], 12)
    const e = engine(mse, ruleOf(tx)!, undefined, 0)
    const start: EngineState = { network: net, opt: tx.init(net), step: 0 }
    const batches = batchesOf([2, 1, 3])
    const batches4 = batchesOf([2, 1, 3, 2])
    const s1 = e.run(start, batches4.slice(0, 2))!.state // two steps: over the arena's first set, where a start is copied in
    const foreignNet = sigmoidNet([2, 6, 1], 13)
    expect(e.run({ network: foreignNet, opt: tx.init(foreignNet), step: 0 }, [])!.state.network).toBe(foreignNet) // no step, but copied in
    const s2 = e.one(s1, batches4[2]!)!.state
    const s3 = e.run(s2, batches4.slice(3))!.state
    // and from inside a run, a step from the state the run started at
    const inner: EngineState[] = []
    e.run(s3, batches, { onStep: () => void inner.push(e.one(s3, batches[0]!)!.state) })
    const ref = referenceRun(tx, mse, start, batches4).states
    expect(stateBits(s2)).toEqual(stateBits(ref[3]!))
    expect(stateBits(s3)).toEqual(stateBits(ref[4]!))
    for (const st of inner) expect(stateBits(st)).toEqual(stateBits(referenceRun(tx, mse, s3, batches.slice(0, 1)).states[1]!))
  })

  it('is taken from its default size on, for a rule with Adam’s link, and not for SGD', () => {
    const wide = sigmoidNet([2, 80, 60, 1], 1) // 5,161 parameters
    const narrow = sigmoidNet([2, 30, 1], 1)
    const count = (n: Network): number => n.layers.reduce((k, l) => k + l.weights.data.length + l.bias.data.length, 0)
    expect(count(wide)).toBeGreaterThanOrEqual(ARENA_MIN_PARAMETERS)
    expect(count(narrow)).toBeLessThan(ARENA_MIN_PARAMETERS)
    const tx = adam({ learningRate: 0.01 }) as Tx
    const batches = batchesOf([3, 3])
    for (const [n, arenas] of [
      [wide, 1],
      [narrow, 0]
    ] as const) {
      const before = made.arenas
      const start: EngineState = { network: n, opt: tx.init(n), step: 0 }
      const r = engine(mse, ruleOf(tx)!).run(start, batches)!
      expect(made.arenas - before).toBe(arenas)
      expect(stateBits(r.state)).toEqual(stateBits(referenceRun(tx, mse, start, batches).states[2]!))
    }
    const before = made.arenas
    const s = sgd({ learningRate: 0.1 }) as Tx
    engine(mse, ruleOf(s)!).run({ network: wide, opt: s.init(wide), step: 0 }, batches)
    expect(made.arenas).toBe(before)
  })
})
