/**
 * The optimizer's step from a batch's shards (their losses and gradients, computed by this
 * thread and the workers): the second half of `trainStep`, `(u, s') = update(g, s, θ)`,
 * `θ' = θ + u`, on the combined `(g, L) = Σₖ (Bₖ/B)·(gₖ, Lₖ)` (`shards.ts`). For an optimizer
 * that is plain SGD (`sgd`, or `chain(scaleByLearningRate(η))`: see `internal/sgdStep.ts`), the
 * combination and the step are fused into one pass, `θ' = θ + (−η(t))·g` (the same bits as
 * combining, then stepping: see `combineDescend`).
 *
 * @since 0.1.0
 */
import type { GradientTransformation } from '../GradientTransformation.js'
import { updateWith, type TrainState } from '../TrainState.js'
import type { ScheduleState } from '../Schedule.js'
import { isSgdState, sgdRate } from '../internal/sgdStep.js'
import { combine, combineDescend, type DescendInto, type ShardResult } from './shards.js'

/**
 * The state after a step whose batch came in these shards (in shard order); whether every
 * parameter of its network is known to be finite (`true`: checked on the way; `undefined`: not
 * checked); and whether its parameters were also written into `into.flat` (the fused SGD step
 * writes there, and into `into.spare`'s buffers, as `combineDescend` does; another optimizer's
 * step writes neither).
 */
export type ShardStep<S> = (
  state: TrainState<S>,
  shards: ReadonlyArray<ShardResult>,
  into?: DescendInto
) => { readonly state: TrainState<S>; readonly finite: true | undefined; readonly written: boolean }

/** The step of an optimizer from a batch's shards. */
export const shardStep = <S>(optimizer: GradientTransformation<S>): ShardStep<S> => {
  const update = updateWith(optimizer)
  const general: ShardStep<S> = (state, shards) => {
    const { loss, gradients } = combine(shards)
    return { state: update(state, gradients, loss), finite: undefined, written: false }
  }
  const rate = sgdRate(optimizer as GradientTransformation<unknown>)
  if (rate === undefined) return general
  return (state, shards, into) => {
    const opt: unknown = state.opt
    if (!isSgdState(opt)) return general(state, shards) // a state of another shape: the general path refuses it
    const count = opt[0].count
    const { loss, network, finite } = combineDescend(state.network, shards, -rate.schedule(count), into) // u = −η(t)·g, as scaleByLearningRate forms it
    const next: readonly [ScheduleState] = [{ count: count + 1 }]
    return { state: { network, opt: next as unknown as S, rng: state.rng, step: state.step + 1, loss }, finite: finite ? true : undefined, written: into?.flat !== undefined }
  }
}
