/**
 * The reducer of training: one batch in, one update made. Everything else (epochs, batching,
 * reports) is a fold over it; a hand-written loop is too (see the README).
 *
 * @since 0.1.0
 */
import type { Rng } from '@purenn/matrix'
import { compileGradients, type Gradients, type Loss, type Network } from '@purenn/network'
import { applyUpdates, type GradientTransformation } from './GradientTransformation.js'
import type { Batch } from './batches.js'
import { ruleOf } from './UpdateRule.js'
import { fusedStep, type Allocate } from './internal/fused.js'

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
 * optimizer that has a rule (every built-in, and any chain of built-in links, see `UpdateRule`),
 * the update and its application run as one pass over the gradients' own buffers, with the
 * same bits as calling `update` and `applyUpdates`; any other optimizer's `update` is called.
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
  const step = stepFrom(optimizer)
  const gradientsOf = compileGradients(loss) // keeps its scratch and kernels from step to step
  return (state, batch) => {
    const { loss: value, gradients: g } = gradientsOf(state.network, batch.inputs, batch.targets)
    return step(state, g, value).state
  }
}

/**
 * The second half of a step, from the batch's gradients `g` (the caller's own, fresh from
 * `gradients`: with a rule, their buffers become the new parameters) and loss: the optimizer's
 * rule in one pass when it has one (`internal/fused.ts`, its new moments from `alloc`), else
 * `updateWith`. `finite` says whether every new parameter is finite, when the fused pass found
 * out (undefined otherwise).
 *
 * @internal
 */
export const stepFrom = <S>(optimizer: GradientTransformation<S>) => {
  const rule = ruleOf(optimizer)
  const update = updateWith(optimizer)
  return (state: TrainState<S>, g: Gradients, loss: number, alloc?: Allocate): { readonly state: TrainState<S>; readonly finite: boolean | undefined } => {
    const fused = rule === undefined ? undefined : fusedStep(rule, g, state.opt, state.network, alloc)
    if (fused === undefined) return { state: update(state, g, loss), finite: undefined }
    return { state: { network: fused.network, opt: fused.state as S, rng: state.rng, step: state.step + 1, loss }, finite: fused.finite }
  }
}

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
