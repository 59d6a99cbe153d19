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
 * import { pipe } from 'fp-ts/lib/function.js'
 * import * as RA from 'fp-ts/lib/ReadonlyArray.js'
 * import * as M from '@purenn/matrix'
 * import { network, addLayer, initialize, mse, sigmoid } from '@purenn/network'
 * import { trainStep, adam, initTrainState, sampleSet, shuffledBatches } from '@purenn/training'
 * const [net, r0] = pipe(network(2), addLayer({ nodes: 3, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), initialize('xavier'))(M.rng(0))
 * const data = sampleSet(M.fromFunction(2, 4, (i, j) => (i === 0 ? j >> 1 : j & 1)), M.fromFunction(1, 4, (_, j) => (j === 1 || j === 2 ? 1 : 0)))
 * const optimizer = adam({ learningRate: 1e-3 })
 * const step = trainStep(mse, optimizer)
 * const [batches, r1] = shuffledBatches(data, 2)(r0)
 * const start = initTrainState(optimizer, net, r1)
 * const end = pipe(batches, RA.reduce(start, step)) // an epoch is a fold of steps
 * end.step // => 2
 * end.loss !== undefined && end.loss > 0 // => true
 * start.step // => 0
 *
 * @category reducers
 * @since 0.1.0
 */
export const trainStep = <S>(loss: Loss, optimizer: GradientTransformation<S>): ((state: TrainState<S>, batch: Batch) => TrainState<S>) => {
  const { one } = stepsWith(loss, optimizer) // keeps its compiled backprop from step to step
  return one
}

