/**
 * The reducer of training: one batch in, one update made. Everything else (epochs, batching,
 * reports) is a fold over it; a hand-written loop is too (see the README).
 *
 * @since 0.1.0
 */
import type { Rng } from '@purenn/matrix'
import { gradients, type Gradients, type Loss, type Network } from '@purenn/network'
import { applyUpdates, type GradientTransformation } from './GradientTransformation.js'
import type { Batch } from './batches.js'
import type { Schedule } from './Schedule.js'
import type { ScheduleState } from './Schedule.js'
import { descend, isSgdState, sgdRate } from './internal/sgdStep.js'

/**
 * Where training stands between two steps: the network, the optimizer's state, the generator
 * (for what the loop draws next, e.g. the next shuffle), how many steps were taken, and the
 * loss of the last batch, measured before its update (absent before the first step).
 *
 * @example
 * import { rng } from '@purenn/matrix'
 * import { initTrainState, sgd } from '@purenn/training'
 * // initTrainState(sgd({ learningRate: 0.1 }), net, rng(0)) is { network: net, opt: [{ count: 0 }], rng, step: 0 }
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainState<S> {
  readonly network: Network
  readonly opt: S
  readonly rng: Rng
  readonly step: number
  readonly loss?: number
}

/**
 * The state before the first step: the optimizer initialised for the network, step 0.
 *
 * @example
 * import { rng } from '@purenn/matrix'
 * import { initTrainState, sgd } from '@purenn/training'
 * // const st = initTrainState(sgd({ learningRate: 0.1 }), net, rng(0))
 *
 * @category constructors
 * @since 0.1.0
 */
export const initTrainState = <S>(optimizer: GradientTransformation<S>, network: Network, rng: Rng): TrainState<S> => ({
  network,
  opt: optimizer.init(network),
  rng,
  step: 0
})

/**
 * One step: the batch's loss and gradients by backpropagation, the optimizer's proposed
 * updates, and the updated network: `(g, L) = ∇L(θ; batch)`, `(u, s') = update(g, s, θ)`,
 * `θ' = θ + u`. Pure: the same state and batch give the same new state, bit for bit. With an
 * optimizer built by `sgd`, the update and its application are fused into one pass (same bits).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as RA from 'fp-ts/ReadonlyArray'
 * import { mse } from '@purenn/network'
 * import { trainStep, adam } from '@purenn/training'
 * const step = trainStep(mse, adam({ learningRate: 1e-3 }))
 * // const end = pipe(batches, RA.reduce(start, step))
 *
 * @category reducers
 * @since 0.1.0
 */
export const trainStep = <S>(loss: Loss, optimizer: GradientTransformation<S>): ((state: TrainState<S>, batch: Batch) => TrainState<S>) => {
  const general = generalStep(loss, optimizer)
  const rate = sgdRate(optimizer as GradientTransformation<unknown>)
  return rate === undefined ? general : (sgdStep(loss, rate.schedule, general as unknown as Reducer<unknown>) as unknown as Reducer<S>)
}

type Reducer<S> = (state: TrainState<S>, batch: Batch) => TrainState<S>

/**
 * The second half of a step for any optimizer, from the batch's gradients `g` and loss:
 * `(u, s') = update(g, s, θ)`, `θ' = θ + u`. (A step whose gradients come in shards, from
 * workers, ends with it too: see `async/shardStep.ts`.)
 *
 * @internal
 */
export const updateWith =
  <S>(optimizer: GradientTransformation<S>) =>
  (state: TrainState<S>, g: Gradients, loss: number): TrainState<S> => {
    const [updates, opt] = optimizer.update(g, state.opt, state.network)
    return { network: applyUpdates(updates)(state.network), opt, rng: state.rng, step: state.step + 1, loss }
  }

/** One step for any optimizer: gradients, then `updateWith`. */
const generalStep = <S>(loss: Loss, optimizer: GradientTransformation<S>): Reducer<S> => {
  const update = updateWith(optimizer)
  return (state, batch) => {
    const { loss: value, gradients: g } = gradients(state.network, loss, batch.inputs, batch.targets)
    return update(state, g, value)
  }
}

/**
 * One step for an optimizer built by `sgd`, fused (see `internal/sgdStep.ts`): the same state
 * as `generalStep`'s, bit for bit, without building the updates. A state of another shape
 * goes to the general step, which refuses it.
 */
const sgdStep =
  (loss: Loss, schedule: Schedule, general: Reducer<unknown>): Reducer<unknown> =>
  (state, batch) => {
    const opt = state.opt
    if (!isSgdState(opt)) return general(state, batch)
    const { loss: value, gradients: g } = gradients(state.network, loss, batch.inputs, batch.targets)
    const count = opt[0].count
    const k = -schedule(count) // scaleByLearningRate's u = −η(t)·g, taken into the sum below
    const next: readonly [ScheduleState] = [{ count: count + 1 }]
    return { network: descend(state.network, g, k), opt: next, rng: state.rng, step: state.step + 1, loss: value }
  }
