// What the engine's tests hold it to (engine.test.ts, engineArena.test.ts): the reference fold of
// trainStep's two halves, and the bits of a state and of scores, to compare runs exactly.
import { applyUpdates, type Batch, type GradientTransformation } from '@purenn/training'
import { gradients, type Loss, type Scores } from '@purenn/network'
import type { EngineState } from '../src/internal/engine.js'
import { bits, paramsOf, valueBits } from './helpers.js'

export type Tx = GradientTransformation<unknown>

/** A state's parameters, optimizer state and step, as bits. */
export const stateBits = (st: EngineState): unknown => ({ net: bits(paramsOf(st.network)), opt: valueBits(st.opt), step: st.step })

/** Scores as bits (counts, and the Error and loss). */
export const scoreBits = (xs: ReadonlyArray<Scores> | undefined): unknown => xs?.map((s) => [s.count, s.correct, ...bits([s.error, s.loss])])

/** The reference: the fold of gradients, update and applyUpdates, every state on the way. */
export const referenceRun = (tx: Tx, loss: Loss, start: EngineState, batches: ReadonlyArray<Batch>): { states: EngineState[]; losses: number[] } => {
  const states = [start]
  const losses: number[] = []
  for (const b of batches) {
    const at = states[states.length - 1]!
    const { loss: value, gradients: g } = gradients(at.network, loss, b.inputs, b.targets)
    const [u, opt] = tx.update(g, at.opt, at.network)
    states.push({ network: applyUpdates(u)(at.network), opt, step: at.step + 1 })
    losses.push(value)
  }
  return { states, losses }
}
