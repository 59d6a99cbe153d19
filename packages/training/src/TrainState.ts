/**
 * Where training stands between two steps, and the plain second half of a step: the
 * optimizer's `update`, then `applyUpdates`.
 *
 * @since 0.1.0
 */
import type { Rng } from '@purenn/matrix'
import type { Gradients, Network } from '@purenn/network'
import { applyUpdates, type GradientTransformation } from './GradientTransformation.js'

/**
 * Where training stands between two steps: the network, the optimizer's state, the generator
 * (for what the loop draws next, e.g. the next shuffle), how many steps were taken, and the
 * loss of the last batch, measured before its update (absent before the first step).
 *
 * @example
 * import { rng } from '@purenn/matrix'
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * import { initTrainState, sgd, type TrainState } from '@purenn/training'
 * const net = addLayer({ nodes: 1, activation: sigmoid })(network(2))
 * const st: TrainState<unknown> = initTrainState(sgd({ learningRate: 0.1 }), net, rng(0))
 * st.network === net // => true
 * st.opt // => [{ count: 0 }]
 * st.step // => 0
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
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * import { initTrainState, sgd } from '@purenn/training'
 * const net = addLayer({ nodes: 1, activation: sigmoid })(network(2))
 * const st = initTrainState(sgd({ learningRate: 0.1 }), net, rng(0))
 * st.rng // => rng(0)
 * st.opt // => sgd({ learningRate: 0.1 }).init(net)
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
