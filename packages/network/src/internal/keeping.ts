/**
 * What a descent keeps besides its steps (`descend`'s `scoreOn`, `checkpointEvery` and
 * `scoreEvery`), shared by its two loops: the general one in `descent.ts` and the fused one in
 * `small.ts`.
 */
import type { DescentBatch, DescentCheckpoint, DescentScores } from '../descentTypes.js'
import type { Scores } from '../types.js'

/**
 * `scoreOn`, the checkpoints (every `every` steps, 0 for none) and the points of the curve
 * (every `scoreEvery` steps, 0 for none), filled in as the descent goes.
 */
export interface Keeping {
  readonly scoreOn: ReadonlyArray<DescentBatch> | undefined
  readonly every: number
  readonly checkpoints: DescentCheckpoint[]
  readonly scoreEvery: number
  readonly curve: DescentScores[]
}

/**
 * The scores on `scoreOn` already taken after `steps` steps: the last checkpoint's or the last
 * point of the curve's, when one falls there; else undefined (the network must be scored).
 */
export const scoredAt = (keep: Keeping, steps: number): ReadonlyArray<Scores> | undefined => {
  const checkpoint = keep.checkpoints[keep.checkpoints.length - 1]
  if (checkpoint !== undefined && checkpoint.steps === steps) return checkpoint.scores
  const point = keep.curve[keep.curve.length - 1]
  return point !== undefined && point.steps === steps ? point.scores : undefined
}
