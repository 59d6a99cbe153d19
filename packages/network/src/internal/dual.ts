/**
 * Functions of a network callable both ways, as the tutorial's steps are used in this package:
 * data-last, `predict(input)(net)`, which composes with `pipe`, and data-first,
 * `predict(net, input)`. The form is told by how many arguments come: `arity` is the number
 * the data-first form takes (the network first); a call with fewer is data-last and returns a
 * function of the network. Each exported function spells out both signatures in its type.
 * (`trainIteration` keeps a body of its own: its data-last form checks the learning rate once,
 * before any network comes.)
 */
import type { Network } from '../types.js'

/**
 * `body` (network first) callable data-first or data-last: see the module comment.
 *
 * For instance, with
 * `const addBias: { (b: number): (net: Network) => number; (net: Network, b: number): number } = dual(2, (net: Network, b: number) => net.inputSize + b)`,
 * `addBias(1)(net)` and `addBias(net, 1)` are the same number.
 */
export const dual = <Signatures>(arity: number, body: (net: Network, ...args: never[]) => unknown): Signatures => {
  if (body.length !== arity) throw new Error(`dual: the data-first form takes ${body.length} arguments, not ${arity}`) // a slip when the module loads, not a wrong form later
  const run = body as (...args: unknown[]) => unknown
  return ((...args: unknown[]) => (args.length >= arity ? run(...args) : (net: Network) => run(net, ...args))) as Signatures
}
