/**
 * The reducer of training: one batch in, one update made. Everything else (epochs, batching,
 * reports) is a fold over it; a hand-written loop is too (see the README).
 *
 * @since 0.1.0
 */
import type { Loss } from '@purenn/network'
import type { GradientTransformation } from './GradientTransformation.js'
import type { Batch } from './batches.js'
import type { TrainState } from './TrainState.js'
import { stepsWith } from './trainSteps.js'

/** `trainStep` takes its step whatever numbers it leaves (the loops that stop before such a step check for it themselves). */
const EVERY_STEP = Object.freeze({ everyStep: true })

/**
 * One step: the batch's loss and gradients by backpropagation, the optimizer's proposed
 * updates, and the updated network: `(g, L) = ∇L(θ; batch)`, `(u, s') = update(g, s, θ)`,
 * `θ' = θ + u`. Pure: the same state and batch give the same new state, bit for bit. With an
 * optimizer that has a rule (every built-in, and any chain of built-in links, see `UpdateRule`),
 * the step runs on the engine (`trainSteps`'s: a compiled backprop, the links fused in one pass),
 * with the same bits as calling `update` and `applyUpdates`; any other optimizer's `update` is
 * called.
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
  const { run } = stepsWith(loss, optimizer) // keeps its compiled backprop from step to step
  return (state, batch) => run(state, [batch], EVERY_STEP).state
}

