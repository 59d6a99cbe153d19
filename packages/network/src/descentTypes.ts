/**
 * The values a descent takes and gives (`descend` in `descent.ts`): its batches and options,
 * the checkpoints and scores it keeps, and why it stopped. Types only, in a file of their own so
 * that the loops that fill them in (`descent.ts`, `internal/small.ts`) can share them without
 * importing each other.
 *
 * @since 0.1.0
 */
import type { Matrix } from '@purenn/matrix'
import type { Loss } from './Loss.js'
import type { Network, Scores } from './types.js'
import type { Workspace } from './Workspace.js'

/**
 * One batch of a descent: inputs and targets with one sample per column (`inputSize x B`
 * and `outputs x B`).
 *
 * @category model
 * @since 0.1.0
 */
export interface DescentBatch {
  readonly inputs: Matrix
  readonly targets: Matrix
}

/**
 * What `descend` needs: the loss, the batches in the order of the steps, the learning rate
 * (a positive number, or a function of the step counted from 0 within the call) and,
 * optionally, `onStep(step, loss)`, called after each step taken, `scoreOn`, batches to score
 * the trained network on, `checkpointEvery`, to keep the network every so many steps, and
 * `scoreEvery`, to score it every so many steps.
 *
 * @category model
 * @since 0.1.0
 */
export interface DescentOptions {
  readonly loss: Loss
  readonly batches: ReadonlyArray<DescentBatch>
  readonly learningRate: number | ((step: number) => number)
  readonly onStep?: (step: number, loss: number) => void
  /**
   * Batches to score the trained network on (`scores` of each, in order), as a training loop
   * measures every epoch: on a small network, a batch of at most 128 samples is scored on the
   * descent's own buffers, for the cost of one forward pass. Not scored at the end when the
   * descent stops early (checkpoints taken before the stop keep their scores). Checked as
   * `batches` is.
   */
  readonly scoreOn?: ReadonlyArray<DescentBatch>
  /**
   * Also keep the network after every `checkpointEvery` steps (a positive integer), with its
   * scores on `scoreOn` when given: a training loop that runs several short epochs in one call
   * reads each epoch's network and measures there (see `DescentCheckpoint`).
   */
  readonly checkpointEvery?: number
  /**
   * Also score the network on `scoreOn` (required with it) after every `scoreEvery` steps (a
   * positive integer), without keeping the network: a learning curve for the cost of a
   * forward pass a point, no network built for it (see `DescentScores`).
   */
  readonly scoreEvery?: number
  /**
   * Where to keep scratch memory and the kernels written out for tiny shapes between calls (see
   * `Workspace`): a loop that descends again and again (a training run) hands the same one to
   * each call. Without it a call works in memory of its own and writes out no kernel.
   */
  readonly workspace?: Workspace
}

/**
 * The scores on `scoreOn` of the network after the first `steps` steps of a descent (as
 * `scores` gives them for that network), taken after every `scoreEvery` steps.
 *
 * @example
 * import { network, addLayer, randomize, descend, mse, sigmoid } from '@purenn/network'
 * import { fromArray, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/function'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const xor = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]].map(([a, b, t]) => ({ inputs: fromArray([a, b]), targets: fromArray([t]) }))
 * const { curve } = descend({ loss: mse, batches: [...xor, ...xor], learningRate: 0.5, scoreOn: [xor[0]!], scoreEvery: 4 })(net)
 * curve!.map((c) => c.scores[0]!.error) // the Error on the first sample after 4 and after 8 steps
 *
 * @category model
 * @since 0.1.0
 */
export interface DescentScores {
  readonly steps: number
  readonly scores: ReadonlyArray<Scores>
}

/**
 * The network after the first `steps` steps of a descent, and with `scoreOn`, its scores on
 * those batches (as the end of a descent gives them). Taken after every `checkpointEvery`
 * steps; a descent that stops early keeps those it took before the stop.
 *
 * @example
 * import { network, addLayer, randomize, descend, mse, sigmoid } from '@purenn/network'
 * import { fromArray, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/function'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const xor = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]].map(([a, b, t]) => ({ inputs: fromArray([a, b]), targets: fromArray([t]) }))
 * const { checkpoints } = descend({ loss: mse, batches: [...xor, ...xor], learningRate: 0.5, scoreOn: [xor[0]!], checkpointEvery: 4 })(net)
 * checkpoints!.map((c) => c.steps) // [4, 8]: the network after each pass over the four samples, and its scores
 *
 * @category model
 * @since 0.1.0
 */
export interface DescentCheckpoint {
  readonly steps: number
  readonly network: Network
  readonly scores: ReadonlyArray<Scores> | undefined
}

/**
 * Why a descent stopped before its last batch: at step `step` (from 0), the loss `loss` was
 * not a finite number (`reason: 'loss'`), or the step would have left a weight or a bias that
 * is not (`reason: 'parameters'`).
 *
 * @category model
 * @since 0.1.0
 */
export interface DescentStop {
  readonly step: number
  readonly reason: 'loss' | 'parameters'
  readonly loss: number
}

/**
 * What `descend` returns: the network after the last step taken, the loss of each step taken
 * (measured before it), and, when it stopped early, why.
 *
 * @category model
 * @since 0.1.0
 */
export interface Descent {
  readonly network: Network
  readonly losses: ReadonlyArray<number>
  readonly stopped: DescentStop | undefined
  /** With `scoreOn`, the scores of the returned network on each of its batches, unless the descent stopped early (the very list of the last checkpoint or point of the curve, when one falls on the last step). */
  readonly scores?: ReadonlyArray<Scores>
  /** With `checkpointEvery`, the checkpoints taken, in order (when the descent ran every batch and the last one falls on the last step, its network is `network`). */
  readonly checkpoints?: ReadonlyArray<DescentCheckpoint>
  /** With `scoreEvery`, the scores taken, in order (a descent that stops early keeps those taken before the stop). */
  readonly curve?: ReadonlyArray<DescentScores>
}
