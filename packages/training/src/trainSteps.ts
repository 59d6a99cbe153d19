/**
 * Many steps in one call: the fold of `trainStep` over a list of batches, as one loop (what
 * JAX's `lax.scan` is to a step function). `train` takes its steps with it, and a loop of your
 * own can too.
 *
 * Why a loop of its own: a fold of `trainStep` must hand back a new state each step, so each
 * step allocates a new network and the optimizer's new moments (Adam's μ and ν, the size of the
 * network each). Inside one call the states between the first and the last are never seen by
 * anyone, so an optimizer made of built-in links (every named one, and any chain of them: see
 * `UpdateRule`) runs on the engine (`internal/engine.ts`): the gradients of a `Backprop`
 * compiled for the network, the links fused over them in place, two private sets of parameters
 * and moments taking turns. Any other optimizer (a custom `update`) is folded step by step.
 * Either way the steps are `trainStep`'s, so the bits are the fold's.
 *
 * @since 0.2.0
 */
import { compileGradients, type Loss } from '@purenn/network'
import type { GradientTransformation } from './GradientTransformation.js'
import type { Batch } from './batches.js'
import { updateWith, type TrainState } from './TrainState.js'
import { ruleOf } from './UpdateRule.js'
import { isFiniteNetwork } from './internal/gradients.js'
import { engine, type Run, type RunOptions } from './internal/engine.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why `trainSteps` stopped before its last batch: at batch `step` (from 0) the loss `loss` was
 * not a finite number (`reason: 'loss'`), or the step would have left a weight or a bias that is
 * not (`reason: 'parameters'`).
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { network, addLayer, randomize, mse, linear } from '@purenn/network'
 * import { sgd, initTrainState, sampleSet, batches, trainSteps, type StepsStop } from '@purenn/training'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // y = x + 1 on an input so large that the loss, ½(y − t)², overflows
 * const [net, r] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const data = sampleSet(M.fill(1, 1, 1e200), M.fill(1, 1, 0))
 * const optimizer = sgd({ learningRate: 0.1 })
 * const start = initTrainState(optimizer, net, r)
 * const { state, stopped } = trainSteps(mse, optimizer)(start, batches(data, [0], 1))
 * const stop: StepsStop | undefined = stopped
 * stop // => { step: 0, reason: 'loss', loss: Infinity }
 * // the state before that step: the last with finite parameters
 * state.network // => net
 *
 * @category model
 * @since 0.2.0
 */
export interface StepsStop {
  readonly step: number
  readonly reason: 'loss' | 'parameters'
  readonly loss: number
}

/**
 * What `trainSteps` returns: the state after the last step taken and, when it stopped early,
 * why (the state is then the one before that step: the last with finite parameters).
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { network, addLayer, initialize, mse, sigmoid } from '@purenn/network'
 * import { sgd, initTrainState, sampleSet, batches, trainSteps, type Steps, type StepsStop } from '@purenn/training'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net, r] = pipe(network(2), addLayer({ nodes: 3, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), initialize('xavier'))(M.rng(0))
 * const data = sampleSet(M.fromFunction(2, 4, (i, j) => (i === 0 ? j >> 1 : j & 1)), M.fromFunction(1, 4, (_, j) => (j === 1 || j === 2 ? 1 : 0)))
 * const all = batches(data, [0, 1, 2, 3], 2)
 * const optimizer = sgd({ learningRate: 0.5 })
 * const done: Steps<unknown> = trainSteps(mse, optimizer)(initTrainState(optimizer, net, r), all)
 * done.state.step // => 2
 * done.stopped // => undefined
 *
 * @category model
 * @since 0.2.0
 */
export interface Steps<S> {
  readonly state: TrainState<S>
  readonly stopped: StepsStop | undefined
}

// -------------------------------------------------------------------------------------
// the loop
// -------------------------------------------------------------------------------------

/**
 * What a run of steps gives the training loops: the steps' result and, when the optimizer ran
 * on the engine, everything else it kept (see `RunOptions`); undefined fields otherwise.
 *
 * @internal
 */
export interface StepsRun<S> extends Steps<S> {
  readonly losses: ReadonlyArray<number>
  readonly engine: Run | undefined
}

/** `trainStep`'s options: every step is taken, finite or not (the loops that stop before such a step check for it themselves). */
const EVERY_STEP: RunOptions = Object.freeze({ everyStep: true })

/**
 * The loop behind `trainSteps`, with the engine's options (checkpoints, scores): the engine for
 * an optimizer of built-in links whose state it can read, else the plain fold, which honours
 * only `onStep` and `everyStep`. `fits(state)` says which a state will take.
 *
 * @internal
 */
export const stepsWith = <S>(loss: Loss, optimizer: GradientTransformation<S>) => {
  const rule = ruleOf(optimizer)
  const fast = rule === undefined ? undefined : engine(loss, rule)
  const gradientsOf = compileGradients(loss)
  const update = updateWith(optimizer)
  const fold = (start: TrainState<S>, batches: ReadonlyArray<Batch>, options: RunOptions): StepsRun<S> => {
    let state = start
    const losses: number[] = []
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b]!
      const { loss: value, gradients: g } = gradientsOf(state.network, batch.inputs, batch.targets)
      if (options.everyStep !== true && !Number.isFinite(value)) return { state, stopped: { step: b, reason: 'loss', loss: value }, losses, engine: undefined }
      const next = update(state, g, value)
      if (options.everyStep !== true && !isFiniteNetwork(next.network)) return { state, stopped: { step: b, reason: 'parameters', loss: value }, losses, engine: undefined }
      state = next
      losses.push(value)
      if (options.onStep !== undefined) options.onStep(b, value)
    }
    return { state, stopped: undefined, losses, engine: undefined }
  }
  const run = (start: TrainState<S>, batches: ReadonlyArray<Batch>, options: RunOptions = {}): StepsRun<S> => {
    const r = fast?.run({ network: start.network, opt: start.opt, step: start.step }, batches, options)
    if (r === undefined) return fold(start, batches, options)
    const state: TrainState<S> =
      r.state.step === start.step ? start : { network: r.state.network, opt: r.state.opt as S, rng: start.rng, step: r.state.step, loss: r.loss! }
    return { state, stopped: r.stopped, losses: r.losses, engine: r }
  }
  /** One step, taken whatever it gives (`trainStep`): `run` over `[batch]` with `everyStep`, its state alone. */
  const one = (start: TrainState<S>, batch: Batch): TrainState<S> => {
    const r = fast?.one({ network: start.network, opt: start.opt, step: start.step }, batch)
    if (r === undefined) return fold(start, [batch], EVERY_STEP).state
    return { network: r.state.network, opt: r.state.opt as S, rng: start.rng, step: r.state.step, loss: r.loss }
  }
  const fits = (state: { readonly network: TrainState<S>['network']; readonly opt: S }): boolean => fast?.fits(state.network, state.opt) === true
  return { run, one, fits }
}

/**
 * The fold of `trainStep(loss, optimizer)` over `batches`, in one call: the same final state,
 * bit for bit, allocating far less (see the module comment). Stops before a step whose loss is
 * not finite, or that would leave a parameter that is not, and says so in `stopped`.
 * `onStep(b, loss)` is called after each step taken, with the batch's index and its loss
 * (measured before the step). The value `trainSteps(loss, optimizer)` keeps a compiled
 * backprop and two private sets of buffers for its next calls: keep it for a run.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { network, addLayer, initialize, mse, sigmoid } from '@purenn/network'
 * import { adam, initTrainState, sampleSet, shuffledBatches, trainStep, trainSteps } from '@purenn/training'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net, r0] = pipe(network(2), addLayer({ nodes: 3, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), initialize('xavier'))(M.rng(0))
 * const data = sampleSet(M.fromFunction(2, 4, (i, j) => (i === 0 ? j >> 1 : j & 1)), M.fromFunction(1, 4, (_, j) => (j === 1 || j === 2 ? 1 : 0)))
 * const [batches, r1] = shuffledBatches(data, 2)(r0)
 * const optimizer = adam({ learningRate: 0.01 })
 * const start = initTrainState(optimizer, net, r1)
 * const { state, stopped } = trainSteps(mse, optimizer)(start, batches)
 * stopped // => undefined
 * state.step // => 2
 * // the fold of trainStep over the same batches, bit for bit
 * state.network // => batches.reduce(trainStep(mse, optimizer), start).network
 *
 * @category reducers
 * @since 0.2.0
 */
export const trainSteps = <S>(
  loss: Loss,
  optimizer: GradientTransformation<S>
): ((state: TrainState<S>, batches: ReadonlyArray<Batch>, onStep?: (b: number, loss: number) => void) => Steps<S>) => {
  const { run } = stepsWith(loss, optimizer)
  return (start, batches, onStep) => {
    const r = run(start, batches, { onStep })
    return { state: r.state, stopped: r.stopped }
  }
}
