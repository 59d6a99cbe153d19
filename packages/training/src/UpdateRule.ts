/**
 * What a built-in transformation does, as data: its `rule`. Every built-in link (`scale`,
 * `scaleByLearningRate`, `trace`, `scaleByRms`, `scaleByAdam`, `addDecayedWeights`,
 * `clipByGlobalNorm`, `clipByValue`, `identity`) carries one, and so does a `chain` of links
 * that all carry one, so every named optimizer (`sgd`, `momentum`, `rmsprop`, `adam`, `adamw`)
 * and every chain spelled out by hand from the same links has one.
 *
 * The engine reads the rule to run a whole optimizer in one pass over the step's own buffers
 * (see `trainStep`), instead of calling `update` link by link and allocating each link's
 * updates. Both run the same formulas, written once per link (`internal/links.ts`), so they
 * give the same bits. A rule is bound to the `update` it describes: `rule.update` is that very
 * function, and a rule whose `update` is not the transformation's own is ignored. So a
 * transformation derived by replacing `update` (`{ ...adam(o), update: mine }`) runs `mine`.
 *
 * @since 0.2.0
 */
import type { Schedule } from './Schedule.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The parameters of one built-in link, tagged by its name (its `kind`): the very numbers its
 * constructor checked.
 *
 * @example
 * import { scaleByAdam } from '@purenn/training'
 * const rule = scaleByAdam().rule
 * rule?.kind === 'scaleByAdam' && [rule.beta1, rule.beta2, rule.eps] // => [0.9, 0.999, 1e-8]
 *
 * @category model
 * @since 0.2.0
 */
export type LinkSpec =
  | { readonly kind: 'identity' }
  | { readonly kind: 'scale'; readonly k: number }
  | { readonly kind: 'scaleByLearningRate'; readonly schedule: Schedule; readonly constant: number | undefined }
  | { readonly kind: 'trace'; readonly decay: number; readonly nesterov: boolean }
  | { readonly kind: 'scaleByRms'; readonly decay: number; readonly eps: number }
  | { readonly kind: 'scaleByAdam'; readonly beta1: number; readonly beta2: number; readonly eps: number }
  | { readonly kind: 'addDecayedWeights'; readonly rate: number; readonly bias: boolean }
  | { readonly kind: 'clipByGlobalNorm'; readonly maxNorm: number }
  | { readonly kind: 'clipByValue'; readonly maxDelta: number }

/**
 * The `update` function a rule describes, compared by identity only.
 *
 * @example
 * import { adam, ruleOf, type BoundUpdate } from '@purenn/training'
 * const tx = adam({ learningRate: 1e-3 })
 * const bound: BoundUpdate | undefined = tx.rule?.update
 * // a rule holds the update it describes: ruleOf trusts it only while they are the same function
 * bound === tx.update // => true
 * ruleOf(tx) === tx.rule // => true
 *
 * @category model
 * @since 0.2.0
 */
export type BoundUpdate = (...args: never[]) => unknown

/**
 * A transformation's rule: one link's parameters, or a chain of rules in order; either way
 * bound to the `update` it describes.
 *
 * @example
 * import { chain, clipByGlobalNorm, adam } from '@purenn/training'
 * chain(clipByGlobalNorm(1), adam({ learningRate: 1e-3 })).rule?.kind // => 'chain'
 *
 * @category model
 * @since 0.2.0
 */
export type UpdateRule =
  | (LinkSpec & { readonly update: BoundUpdate })
  | { readonly kind: 'chain'; readonly links: ReadonlyArray<UpdateRule>; readonly update: BoundUpdate }

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The rule of a transformation, if it has one bound to its own `update`; else undefined (a
 * transformation of the user's, or one whose `update` was replaced): the engine then calls
 * `update` itself.
 *
 * @example
 * import { adam, ruleOf } from '@purenn/training'
 * const tx = adam({ learningRate: 1e-3 })
 * ruleOf(tx)?.kind // => 'chain'
 * // the rule described the other update: a replaced one has none
 * const replaced: typeof tx = { ...tx, update: (g, s) => [g, s] }
 * ruleOf(replaced) // => undefined
 *
 * @category destructors
 * @since 0.2.0
 */
export const ruleOf = (tx: { readonly update: unknown; readonly rule?: UpdateRule | undefined }): UpdateRule | undefined => {
  const rule = tx.rule
  return rule !== undefined && rule.update === tx.update ? rule : undefined
}

/**
 * The learning rate of plain gradient descent, when a rule is exactly that: a chain of one
 * `scaleByLearningRate` link (what `sgd` builds, and `chain(scaleByLearningRate(η))` too).
 * Training loops run such a descent as one fused loop (`θ ← θ + (−η)·g`).
 *
 * @example
 * import { chain, scaleByLearningRate, sgd, sgdSchedule, ruleOf } from '@purenn/training'
 * sgdSchedule(ruleOf(sgd({ learningRate: 0.1 })))?.constant // => 0.1
 * sgdSchedule(ruleOf(chain(scaleByLearningRate(0.1))))?.constant // => 0.1
 *
 * @category destructors
 * @since 0.2.0
 */
export const sgdSchedule = (
  rule: UpdateRule | undefined
): { readonly schedule: Schedule; readonly constant: number | undefined } | undefined => {
  if (rule === undefined || rule.kind !== 'chain' || rule.links.length !== 1) return undefined
  const link = rule.links[0]!
  return link.kind === 'scaleByLearningRate' ? { schedule: link.schedule, constant: link.constant } : undefined
}
