/**
 * Many steps in one call: the fold of `trainStep` over a list of batches, as one loop (what
 * JAX's `lax.scan` is to a step function). `train` takes its steps with it, and a loop of your
 * own can too.
 *
 * Why a loop of its own: a fold of `trainStep` must hand back a new state each step, so each
 * step allocates the optimizer's new moments (Adam's μ and ν, the size of the network each).
 * Inside one call the states between the first and the last are never seen by anyone, so the
 * loop takes each step's moments into the buffers of the state two steps back, which it no
 * longer holds; the state it returns, and the one it was given, are never written again. The
 * steps are `trainStep`'s, so the bits are the fold's.
 *
 * @since 0.2.0
 */
import { compileGradients, type Loss } from '@purenn/network'
import type { GradientTransformation } from './GradientTransformation.js'
import type { Batch } from './batches.js'
import { stepFrom, type TrainState } from './trainStep.js'
import { isFiniteNetwork } from './internal/gradients.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why `trainSteps` stopped before its last batch: at batch `step` (from 0) the loss `loss` was
 * not a finite number (`reason: 'loss'`), or the step would have left a weight or a bias that is
 * not (`reason: 'parameters'`).
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
 * The fold of `trainStep(loss, optimizer)` over `batches`, in one call: the same final state,
 * bit for bit, allocating less (see the module comment). Stops before a step whose loss is not
 * finite, or that would leave a parameter that is not, and says so in `stopped`. `onStep(b,
 * loss)` is called after each step taken, with the batch's index and its loss (measured before
 * the step). The value `trainSteps(loss, optimizer)` keeps buffers it has freed for its next
 * calls: keep it for a run.
 *
 * @example
 * import * as M from '@purenn/matrix'
 * import { mse } from '@purenn/network'
 * import { adam, initTrainState, shuffledBatches, trainSteps } from '@purenn/training'
 * const steps = trainSteps(mse, adam({ learningRate: 0.01 }))
 * // const [batches, r] = shuffledBatches(data, 32)(M.rng(0))
 * // const { state } = steps(initTrainState(adam({ learningRate: 0.01 }), net, r), batches)
 *
 * @category reducers
 * @since 0.2.0
 */
export const trainSteps = <S>(
  loss: Loss,
  optimizer: GradientTransformation<S>
): ((state: TrainState<S>, batches: ReadonlyArray<Batch>, onStep?: (b: number, loss: number) => void) => Steps<S>) => {
  const gradientsOf = compileGradients(loss)
  const step = stepFrom(optimizer)
  // buffers of moments no state handed out holds any more, by length: taken again by later steps
  const free = new Map<number, Float64Array[]>()
  const give = (buffers: ReadonlyArray<Float64Array>): void => {
    for (const b of buffers) {
      const list = free.get(b.length)
      if (list === undefined) free.set(b.length, [b])
      else list.push(b)
    }
  }
  return (start, batches, onStep) => {
    let state = start
    let held: Float64Array[] | undefined // the moments of `state`, when a step of this call made them
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b]!
      const { loss: value, gradients: g } = gradientsOf(state.network, batch.inputs, batch.targets)
      if (!Number.isFinite(value)) return { state, stopped: { step: b, reason: 'loss', loss: value } }
      const made: Float64Array[] = [] // the new moments, when the rule runs fused (else none: `update` allocates its own)
      const next = step(state, g, value, (n) => {
        const buffer = free.get(n)?.pop() ?? new Float64Array(n)
        made.push(buffer)
        return buffer
      })
      if (!(next.finite ?? isFiniteNetwork(next.state.network))) {
        give(made) // the step not taken: its moments are no one's
        return { state, stopped: { step: b, reason: 'parameters', loss: value } }
      }
      if (held !== undefined) give(held) // the state before this step is no one's now
      held = made
      state = next.state
      if (onStep !== undefined) onStep(b, value)
    }
    return { state, stopped: undefined }
  }
}
