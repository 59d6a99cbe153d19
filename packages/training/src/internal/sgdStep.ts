/**
 * Plain gradient descent as training loops recognise it: an optimizer whose rule is a chain of
 * one `scaleByLearningRate` link (`sgd`, or the same chain spelled out by hand), with a state
 * of that shape. Such a step is `θ + (−η(t))·g`, which the workers' loop fuses with the
 * combination of a batch's shards (`async/shardStep.ts`); every other optimizer's step there
 * combines the shards, then updates.
 */
import type { GradientTransformation } from '../GradientTransformation.js'
import type { Schedule, ScheduleState } from '../Schedule.js'
import { ruleOf, sgdSchedule } from '../UpdateRule.js'

/** The learning rate of an SGD optimizer: its schedule, and the number it was given, if one. */
export interface SgdRate {
  readonly schedule: Schedule
  readonly constant: number | undefined
}

/** The rate of an optimizer that is plain SGD (see the module comment), else undefined. */
export const sgdRate = (tx: GradientTransformation<unknown>): SgdRate | undefined => sgdSchedule(ruleOf(tx))

/** True for a state of SGD's shape, `[{ count }]`. */
export const isSgdState = (opt: unknown): opt is readonly [ScheduleState] => Array.isArray(opt) && opt.length === 1
