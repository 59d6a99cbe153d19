// The engine's optimizer step (src/internal/engine.ts) against the reference, each on its own:
// for any chain of built-in links, running the chain's rule in place over the gradients and
// adding the result to the parameters gives the bits of `applyUpdates(update(g, s, θ)[0])(θ)`
// and the same next state; and `trainStep` takes that path only where the rule is the
// optimizer's own.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import { addLayer, gradients, linear, mse, network, randomize, trainIteration, type Gradients, type Network } from '@purenn/network'
import { pipe } from 'fp-ts/lib/function.js'
import {
  adam,
  adamw,
  addDecayedWeights,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  clipByValue,
  identity,
  initTrainState,
  momentum,
  rmsprop,
  ruleOf,
  scale,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  sgd,
  sgdSchedule,
  stateless,
  trace,
  trainStep,
  trainSteps,
  type Batch,
  type GradientTransformation,
  type TrainState
} from '@purenn/training'
import { engine } from '../src/internal/engine.js'
import type { UpdateRule } from '../src/UpdateRule.js'
import { bits, columns, entriesOf, gradientsLike, paramsOf, sigmoidNet, valueBits as stateBits } from './helpers.js'

type Tx = GradientTransformation<unknown>


/**
 * One step of the engine over the given gradients (a backprop that hands them over, whatever
 * the batch), taken whatever numbers it leaves: the new network and state, and whether every
 * new parameter is finite; undefined when the engine cannot read the state. The engine writes
 * the updates into the gradients' buffers, as into a backprop's own.
 */
const fusedStep = (rule: UpdateRule, g: Gradients, state: unknown, network: Network, everyStep = true) => {
  const blocks = g.flatMap((l) => [l.weights.data as Float64Array, l.bias.data as Float64Array])
  const handing = {
    sizes: blocks.map((b) => b.length),
    run: () => 0,
    runAdding: (): never => {
      throw new Error('runAdding: not asked for in a run of one batch')
    },
    nonFinite: 0,
    gradient: blocks,
    flatGradient: undefined,
    fresh: false,
    scores: () => [] as never
  }
  const dummy = { inputs: M.zeros(network.inputSize, 1), targets: M.zeros(network.layers[network.layers.length - 1]!.weights.rows, 1) }
  const r = engine(mse, rule, () => handing).run({ network, opt: state, step: 0 }, [dummy], { everyStep })
  return r === undefined
    ? undefined
    : { network: r.state.network, state: r.state.opt, finite: paramsOf(r.state.network).every(Number.isFinite), stopped: r.stopped }
}

/** A copy of gradients in fresh buffers (the fused step overwrites the ones it is given). */
const copyOf = (g: Gradients): Gradients => g.map((l) => ({ weights: M.map((x: number) => x)(l.weights), bias: M.map((x: number) => x)(l.bias) }))

const net = sigmoidNet([3, 4, 2], 11)
const size = paramsOf(net).length

/** A built-in link with drawn parameters. */
const link: fc.Arbitrary<Tx> = fc.oneof(
  fc.constant(identity() as Tx),
  fc.double({ min: -2, max: 2, noNaN: true }).map((k) => scale(k) as Tx),
  fc.double({ min: 1e-3, max: 1, noNaN: true }).map((eta) => scaleByLearningRate(eta) as Tx),
  fc.constant(scaleByLearningRate((t) => 0.1 / (1 + t)) as Tx),
  fc.record({ decay: fc.double({ min: 0, max: 0.99, noNaN: true }), nesterov: fc.boolean() }).map((o) => trace(o) as Tx),
  fc.double({ min: 0, max: 0.99, noNaN: true }).map((decay) => scaleByRms({ decay }) as Tx),
  fc.record({ beta1: fc.double({ min: 0, max: 0.99, noNaN: true }), beta2: fc.double({ min: 0, max: 0.999, noNaN: true }) }).map((o) => scaleByAdam(o) as Tx),
  fc.record({ rate: fc.double({ min: 0, max: 0.5, noNaN: true }), bias: fc.boolean() }).map((o) => addDecayedWeights(o.rate, { bias: o.bias }) as Tx),
  fc.double({ min: 0.01, max: 5, noNaN: true }).map((c) => clipByGlobalNorm(c) as Tx),
  fc.double({ min: 0.01, max: 5, noNaN: true }).map((c) => clipByValue(c) as Tx)
)

/** A chain of built-in links, possibly holding chains itself, or a named optimizer. */
const optimizer: fc.Arbitrary<Tx> = fc.oneof(
  fc.array(link, { minLength: 1, maxLength: 4 }).map((links) => chain(...links) as Tx),
  fc.tuple(link, fc.array(link, { minLength: 1, maxLength: 3 })).map(([a, rest]) => chain(a, chain(...rest)) as Tx),
  fc.constantFrom<Tx>(
    sgd({ learningRate: 0.3 }) as Tx,
    momentum({ learningRate: 0.1, nesterov: true }) as Tx,
    rmsprop({ learningRate: 0.01 }) as Tx,
    adam({ learningRate: 0.01 }) as Tx,
    adamw({ learningRate: 0.01, weightDecay: 0.1 }) as Tx,
    chain(clipByGlobalNorm(1), adam({ learningRate: 0.01 })) as Tx
  )
)

const values = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: size, maxLength: size })

describe('the fused optimizer step', () => {
  it('gives the reference step’s network and state, bit for bit, over several steps (property)', () => {
    fc.assert(
      fc.property(optimizer, fc.array(values, { minLength: 1, maxLength: 4 }), (tx, steps) => {
        const rule = ruleOf(tx)
        expect(rule).toBeDefined()
        let ref: { net: Network; s: unknown } = { net, s: tx.init(net) }
        let fused = ref
        for (const v of steps) {
          const g = gradientsLike(net, v)
          const [u, s] = tx.update(g, ref.s, ref.net)
          ref = { net: applyUpdates(u)(ref.net), s }
          const step = fusedStep(rule!, copyOf(g), fused.s, fused.net)!
          fused = { net: step.network, s: step.state }
          expect(step.finite).toBe(paramsOf(step.network).every(Number.isFinite))
          expect(bits(paramsOf(fused.net))).toEqual(bits(paramsOf(ref.net)))
          expect(stateBits(fused.s)).toEqual(stateBits(ref.s))
        }
      })
    )
  })

  it('changes neither the network nor the state it is given (property)', () => {
    fc.assert(
      fc.property(optimizer, values, values, (tx, v1, v2) => {
        const s1 = fusedStep(ruleOf(tx)!, gradientsLike(net, v1), tx.init(net), net)!.state
        const before = { net: bits(paramsOf(net)), s: stateBits(s1) }
        fusedStep(ruleOf(tx)!, gradientsLike(net, v2), s1, net)
        expect(bits(paramsOf(net))).toEqual(before.net)
        expect(stateBits(s1)).toEqual(before.s)
      })
    )
  })

  it('applies a link that stands twice in a chain twice (the last one fused with the sum)', () => {
    const lr = scaleByLearningRate(0.5)
    const tx = chain(lr, lr) as Tx
    const g = gradientsLike(net, Array.from({ length: size }, (_, i) => i - 7))
    const [u] = tx.update(g, tx.init(net), net)
    expect(bits(paramsOf(fusedStep(ruleOf(tx)!, copyOf(g), tx.init(net), net)!.network))).toEqual(bits(paramsOf(applyUpdates(u)(net))))
  })

  it('does not take a step that leaves a parameter that is not finite, unless asked to take every step', () => {
    const tx = chain(scale(1e300), scaleByLearningRate(1e10)) as Tx
    const values = Array.from({ length: size }, (_, i) => (i === 3 ? 1e10 : 0))
    const taken = fusedStep(ruleOf(tx)!, gradientsLike(net, values), tx.init(net), net)!
    expect(taken.finite).toBe(false)
    expect(taken.stopped).toBeUndefined()
    const refused = fusedStep(ruleOf(tx)!, gradientsLike(net, values), tx.init(net), net, false)!
    expect(refused.stopped).toMatchObject({ step: 0, reason: 'parameters' })
    expect(refused.network).toBe(net) // the state before the step: the caller's own
    const fine = fusedStep(ruleOf(sgd({ learningRate: 0.1 }) as Tx)!, gradientsLike(net, new Array(size).fill(1)), [{ count: 0 }], net, false)!
    expect(fine.finite).toBe(true)
    expect(fine.stopped).toBeUndefined()
  })

  it('declines a state of another shape, leaving the gradients as they were', () => {
    const tx = adam({ learningRate: 0.1 })
    const g = gradientsLike(net, Array.from({ length: size }, (_, i) => i / 10))
    const before = bits(entriesOf(g))
    const other = sigmoidNet([3, 5, 2], 1)
    expect(fusedStep(ruleOf(tx)!, g, tx.init(other), net)).toBeUndefined()
    expect(fusedStep(ruleOf(tx)!, g, [tx.init(net)[0]], net)).toBeUndefined()
    expect(fusedStep(ruleOf(tx)!, g, undefined, net)).toBeUndefined()
    expect(bits(entriesOf(g))).toEqual(before)
  })
})

describe('rules', () => {
  it('are carried by every built-in link and by chains of them; a chain with a link of the user’s has none', () => {
    for (const tx of [identity(), scale(2), clipByValue(1), sgd({ learningRate: 0.1 }), adamw({ learningRate: 0.1 })]) expect(ruleOf(tx as Tx)).toBeDefined()
    const mine = stateless((g) => g)
    expect(ruleOf(mine as Tx)).toBeUndefined()
    expect(ruleOf(chain(mine, scaleByLearningRate(0.1)) as Tx)).toBeUndefined()
  })

  it('are bound to their own update: a transformation whose update was replaced has none', () => {
    const tx = adam({ learningRate: 0.1 })
    const mine: Tx['update'] = (g, s) => [g, s]
    expect(ruleOf({ ...tx, update: mine } as Tx)).toBeUndefined()
    expect(Object.isFrozen(tx) && Object.isFrozen(tx.rule)).toBe(true)
  })

  it('say when an optimizer is plain SGD, however it was spelled', () => {
    expect(sgdSchedule(ruleOf(sgd({ learningRate: 0.1 }) as Tx))?.constant).toBe(0.1)
    expect(sgdSchedule(ruleOf(chain(scaleByLearningRate(0.1)) as Tx))?.constant).toBe(0.1)
    expect(sgdSchedule(ruleOf(chain(scaleByLearningRate((t) => 1 / (1 + t))) as Tx))?.constant).toBeUndefined()
    expect(sgdSchedule(ruleOf(chain(scaleByLearningRate((t) => 1 / (1 + t))) as Tx))?.schedule(1)).toBe(0.5)
    expect(sgdSchedule(ruleOf(momentum({ learningRate: 0.1 }) as Tx))).toBeUndefined()
    expect(sgdSchedule(ruleOf(scaleByLearningRate(0.1) as Tx))).toBeUndefined() // a bare link's state is not sgd's tuple
  })
})

describe('trainStep', () => {
  const data = M.toArrays(M.uniform(12, 3, -1, 1)(M.rng(2))[0])
  const batches: Batch[] = [0, 4, 8].map((i) => ({
    inputs: columns(data.slice(i, i + 4)),
    targets: columns(data.slice(i, i + 4).map(([a, b, c]) => [Math.tanh(a! + b!) / 2 + 0.5, c! > 0 ? 1 : 0]))
  }))

  /** The reference reducer: gradients, `update`, `applyUpdates`. */
  const reference =
    (tx: Tx) =>
    (st: TrainState<unknown>, b: Batch): TrainState<unknown> => {
      const { loss, gradients: g } = gradients(st.network, mse, b.inputs, b.targets)
      const [u, opt] = tx.update(g, st.opt, st.network)
      return { network: applyUpdates(u)(st.network), opt, rng: st.rng, step: st.step + 1, loss }
    }

  it('folds to the reference’s states, bit for bit, for every optimizer (property)', () => {
    fc.assert(
      fc.property(optimizer, (tx) => {
        const start = initTrainState(tx, net, M.rng(0))
        const a = batches.reduce(trainStep(mse, tx), start)
        const b = batches.reduce(reference(tx), start)
        expect(bits(paramsOf(a.network))).toEqual(bits(paramsOf(b.network)))
        expect(stateBits(a.opt)).toEqual(stateBits(b.opt))
        expect(a.loss).toBe(b.loss)
      }),
      { numRuns: 40 }
    )
  })

  it('folds to the reference’s states on a network past the small-network path (gradients from the batched products)', () => {
    const big = sigmoidNet([40, 30, 3], 5)
    const X = M.uniform(40, 6, -1, 1)(M.rng(9))[0]
    const T = M.uniform(3, 6, 0, 1)(M.rng(10))[0]
    const bs: Batch[] = [0, 1, 2].map(() => ({ inputs: X, targets: T }))
    for (const tx of [adam({ learningRate: 0.01 }), chain(clipByGlobalNorm(0.5), momentum({ learningRate: 0.1, nesterov: true }))] as Tx[]) {
      const start = initTrainState(tx, big, M.rng(0))
      const a = bs.reduce(trainStep(mse, tx), start)
      const b = bs.reduce(reference(tx), start)
      expect(bits(paramsOf(a.network))).toEqual(bits(paramsOf(b.network)))
      expect(stateBits(a.opt)).toEqual(stateBits(b.opt))
      expect(stateBits(trainSteps(mse, tx)(start, bs).state.opt)).toEqual(stateBits(b.opt))
    }
  })

  it('takes on one sample the step network’s trainIteration takes, bit for bit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.double({ min: 1e-3, max: 2, noNaN: true }), (v, eta) => {
        const x = v.slice(0, 3)
        const t = v.slice(3)
        const tx = sgd({ learningRate: eta }) as Tx
        const stepped = trainStep(mse, tx)(initTrainState(tx, net, M.rng(0)), { inputs: columns([x]), targets: columns([t]) })
        expect(bits(paramsOf(stepped.network))).toEqual(bits(paramsOf(trainIteration(x, t, eta)(net))))
      }),
      { numRuns: 100 }
    )
  })

  it('runs an update that replaced a built-in one, not the built-in rule', () => {
    const tx = adam({ learningRate: 0.1 })
    let calls = 0
    const frozen: Tx = { ...(tx as Tx), update: (g, s) => (calls++, [g.map((l) => ({ weights: M.scale(0)(l.weights), bias: M.scale(0)(l.bias) })), s]) }
    const end = batches.reduce(trainStep(mse, frozen), initTrainState(frozen, net, M.rng(0)))
    expect(calls).toBe(batches.length)
    expect(bits(paramsOf(end.network))).toEqual(bits(paramsOf(net)))
  })

  it('refuses a state of another shape as update does, naming it', () => {
    const tx = adam({ learningRate: 0.1 })
    const bad = { ...initTrainState(tx as Tx, net, M.rng(0)), opt: [tx.init(net)[0]] }
    expect(() => trainStep(mse, tx as Tx)(bad, batches[0]!)).toThrow('chain: expected a state of 2 entries (one per transformation), got an array of 1')
  })
})

describe('trainSteps', () => {
  const data = M.toArrays(M.uniform(40, 3, -1, 1)(M.rng(4))[0])
  const batchesOf = (from: number, n: number): Batch[] =>
    Array.from({ length: n }, (_, i) => {
      const rows = data.slice((from + 3 * i) % 36, ((from + 3 * i) % 36) + 3)
      return { inputs: columns(rows), targets: columns(rows.map(([a, b, c]) => [Math.tanh(a! - b!) / 2 + 0.5, c! > 0 ? 1 : 0])) }
    })
  const stateBitsOf = (st: TrainState<unknown>): unknown => ({ net: bits(paramsOf(st.network)), opt: stateBits(st.opt), step: st.step, loss: st.loss })

  it('ends on the fold of trainStep, bit for bit, call after call, and never writes a state it handed out (property)', () => {
    fc.assert(
      fc.property(optimizer, fc.integer({ min: 0, max: 20 }), (tx, from) => {
        const steps = trainSteps(mse, tx)
        const step = trainStep(mse, tx)
        let fused = initTrainState(tx, net, M.rng(0))
        let folded = fused
        const handedOut: Array<readonly [TrainState<unknown>, unknown]> = []
        for (const n of [3, 1, 4]) {
          const batches = batchesOf(from + n, n)
          const r = steps(fused, batches)
          expect(r.stopped).toBeUndefined()
          fused = r.state
          folded = batches.reduce(step, folded)
          expect(stateBitsOf(fused)).toEqual(stateBitsOf(folded))
          handedOut.push([fused, stateBitsOf(fused)])
        }
        for (const [st, was] of handedOut) expect(stateBitsOf(st)).toEqual(was) // later calls reused no buffer of theirs
      }),
      { numRuns: 60 }
    )
  })

  it('calls onStep after each step with its batch and loss', () => {
    const seen: Array<[number, number]> = []
    const tx = adam({ learningRate: 0.01 }) as Tx
    const r = trainSteps(mse, tx)(initTrainState(tx, net, M.rng(0)), batchesOf(0, 3), (b, loss) => seen.push([b, loss]))
    expect(seen.map(([b]) => b)).toEqual([0, 1, 2])
    expect(seen.at(-1)![1]).toBe(r.state.loss)
  })

  it('stops before a step whose loss or new parameters are not finite, with the state before it', () => {
    const tx = sgd({ learningRate: 0.1 }) as Tx
    const start = initTrainState(tx, net, M.rng(0))
    const [ok] = batchesOf(0, 1)
    const nanTarget: Batch = { inputs: ok!.inputs, targets: M.map(() => Number.NaN)(ok!.targets) }
    const byLoss = trainSteps(mse, tx)(start, [ok!, nanTarget, ok!])
    expect(byLoss.stopped).toMatchObject({ step: 1, reason: 'loss' })
    expect(stateBitsOf(byLoss.state)).toEqual(stateBitsOf(trainStep(mse, tx)(start, ok!)))
    const huge = chain(scale(1e300), scaleByLearningRate(1e10)) as Tx
    const byParams = trainSteps(mse, huge)(initTrainState(huge, net, M.rng(0)), [ok!])
    expect(byParams.stopped).toMatchObject({ step: 0, reason: 'parameters' })
    expect(byParams.state.step).toBe(0)
    const mine = stateless((g) => g.map((l) => ({ weights: M.scale(1e300)(M.scale(1e300)(l.weights)), bias: l.bias })))
    expect(trainSteps(mse, mine as Tx)(initTrainState(mine as Tx, net, M.rng(0)), [ok!]).stopped?.reason).toBe('parameters')
  })

  it('stops the same way when plain SGD’s steps are added by the backprop itself (runs of many steps): before the step that overflows', () => {
    // y = w·x + b on x = (10, 10) against −10: ∂L/∂w ≈ (y + 10)·10, so at a rate of 1e307 the first step overflows, its loss finite
    const [lin] = pipe(network(2), addLayer({ nodes: 1, activation: linear }), randomize(-0.1, 0.1))(M.rng(3))
    const b: Batch = { inputs: M.fromArray([10, 10]), targets: M.fromArray([-10]) }
    for (const tx of [sgd({ learningRate: 1e307 }), chain(scaleByLearningRate(1e307))] as Tx[]) {
      const start = initTrainState(tx, lin, M.rng(0))
      const r = trainSteps(mse, tx)(start, [b, b, b])
      expect(r.stopped).toMatchObject({ step: 0, reason: 'parameters' })
      expect(Number.isFinite(r.stopped!.loss)).toBe(true)
      expect(r.state).toBe(start) // the state before that step: the caller's own
      expect(paramsOf(trainStep(mse, tx)(start, b).network).some((v) => !Number.isFinite(v))).toBe(true) // the step refused does leave the finite numbers
    }
  })
})
