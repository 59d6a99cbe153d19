/**
 * Gradient transformations, after optax: an optimizer is a pair of pure functions. `init`
 * builds the state from the network; `update` turns gradients into proposed updates and a
 * new state. Nothing is kept between calls: the state handed back is all there is to know.
 * Proposing a step and taking it are separate: `applyUpdates` adds the updates to the network.
 *
 * Small transformations are joined with `chain` into optimizers (see `optimizers.ts`).
 *
 * @since 0.1.0
 */
import * as M from '@purenn/matrix'
import type { Gradients, Layer, Network } from '@purenn/network'
import { count, describeValue } from './internal/describe.js'
import { ruleOf, type UpdateRule } from './UpdateRule.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A gradient transformation: `init(net)` gives the initial state, `update(grads, state, net)`
 * gives the proposed updates (same shapes as the gradients) and the next state. Both are pure.
 *
 * Law: `update` never changes `grads`, `state` or `net`, and the same arguments give the same
 * result.
 *
 * @example
 * import { chain, clipByGlobalNorm, adam, applyUpdates, type GradientTransformation } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const tx = chain(clipByGlobalNorm(1), adam({ learningRate: 1e-3 }))
 * const state = tx.init(net) // everything the optimizer remembers, as plain data
 * const [updates, next] = tx.update(g, state, net) // proposed updates, and the next state
 * flat(updates) // ≈ [-1e-3, 1e-3]
 * next[1][0].count // => 1
 * // applying them is a separate, pure step
 * flat(pipe(net, applyUpdates(updates)).layers.map((l) => ({ weights: l.weights, bias: l.bias }))) // ≈ [1 - 1e-3, 1 + 1e-3]
 * // a transformation of one's own: two functions, no object
 * const doubled: GradientTransformation<{ readonly calls: number }> = {
 *   init: () => ({ calls: 0 }),
 *   update: (grads, s) => [grads.map((l) => ({ weights: M.scale(2)(l.weights), bias: M.scale(2)(l.bias) })), { calls: s.calls + 1 }]
 * }
 * flat(doubled.update(g, doubled.init(net), net)[0]) // => [4, -8]
 *
 * @category model
 * @since 0.1.0
 */
export interface GradientTransformation<S> {
  /** The state before the first update, shaped by the network (zeros for moments, a count of 0). */
  readonly init: (net: Network) => S
  /** The updates proposed for these gradients, and the state after them; `applyUpdates` takes the step. */
  readonly update: (grads: Gradients, state: S, net: Network) => readonly [updates: Gradients, state: S]
  /**
   * What `update` does, as data, on the built-in links and on chains of them (see
   * `UpdateRule`): training loops read it to run the whole optimizer in one pass, with the same
   * bits. Honoured only while `rule.update` is this value's own `update` (see `ruleOf`); a
   * transformation of your own needs none.
   */
  readonly rule?: UpdateRule
}

/**
 * The state of a transformation that keeps none: an empty record (encodes as `{}`).
 *
 * @example
 * import { identity, type EmptyState } from '@purenn/training'
 * import { network } from '@purenn/network'
 * const s: EmptyState = identity().init(network(2))
 * s // => {}
 *
 * @category model
 * @since 0.1.0
 */
export type EmptyState = Readonly<Record<string, never>>

/**
 * The one `EmptyState` value.
 *
 * @example
 * import { emptyState } from '@purenn/training'
 * JSON.stringify(emptyState) // => '{}'
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyState: EmptyState = {}

/**
 * The state type of a transformation.
 *
 * @example
 * import { adam, type StateOf, type AdamState, type ScheduleState } from '@purenn/training'
 * import { network, addLayer, sigmoid } from '@purenn/network'
 * type S = StateOf<ReturnType<typeof adam>>
 * const s: S = adam({ learningRate: 1e-3 }).init(addLayer({ nodes: 1, activation: sigmoid })(network(1)))
 * const parts: readonly [AdamState, ScheduleState] = s // the state of each link of adam's chain
 * parts[1] // => { count: 0 }
 *
 * @category model
 * @since 0.1.0
 */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The transformation that proposes the gradients themselves and keeps no state.
 *
 * @example
 * import { identity } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * identity().update(g, {}, net)[0] === g // => true
 *
 * @category constructors
 * @since 0.1.0
 */
export const identity = (): GradientTransformation<EmptyState> => {
  const update = (grads: Gradients): readonly [Gradients, EmptyState] => [grads, emptyState]
  return Object.freeze({ init: () => emptyState, update, rule: Object.freeze({ kind: 'identity' as const, update }) })
}

/**
 * A transformation without state from a function of the gradients (and the network).
 *
 * @example
 * import { stateless } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const halve = stateless((grads) => grads.map((l) => ({ weights: M.scale(0.5)(l.weights), bias: M.scale(0.5)(l.bias) })))
 * flat(halve.update(g, halve.init(net), net)[0]) // => [1, -2]
 *
 * @category constructors
 * @since 0.1.0
 */
export const stateless = (f: (grads: Gradients, net: Network) => Gradients): GradientTransformation<EmptyState> => ({
  init: () => emptyState,
  update: (grads, _state, net) => [f(grads, net), emptyState]
})

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/**
 * Joins transformations into one that applies them in order, the updates of each feeding the
 * next; its state is the tuple of their states, in the same order (its type is inferred).
 * `update` throws a `RangeError` when given a state that is not an array of that length.
 *
 * Law: `chain(a, b).update(g, [sa, sb], net)` is `[u2, [sa2, sb2]]` where
 * `[u1, sa2] = a.update(g, sa, net)` and `[u2, sb2] = b.update(u1, sb, net)`.
 *
 * @example
 * import { chain, clipByGlobalNorm, scaleByAdam, scaleByLearningRate } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * const tx = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3))
 * const zero = [{ weights: M.zeros(1, 1), bias: M.zeros(1, 1) }]
 * tx.init(net) // => [{}, { count: 0, mu: zero, nu: zero }, { count: 0 }]
 * // the updates pass through each link in turn: clipped, scaled by Adam, then by −η
 * flat(tx.update(g, tx.init(net), net)[0]) // ≈ [-1e-3, 1e-3]
 *
 * @category combinators
 * @since 0.1.0
 */
export const chain = <S extends ReadonlyArray<unknown>>(
  ...transforms: { readonly [K in keyof S]: GradientTransformation<S[K]> }
): GradientTransformation<Readonly<S>> => {
  const links = transforms as ReadonlyArray<GradientTransformation<unknown>>
  const n = links.length
  const update = (grads: Gradients, state: Readonly<S>, net: Network): readonly [Gradients, Readonly<S>] => {
    if (!Array.isArray(state) || state.length !== n)
      throw new RangeError(`chain: expected a state of ${count(n, 'entry', 'entries')} (one per transformation), got ${describeValue(state)}`)
    const next: unknown[] = new Array(n)
    let updates = grads
    for (let i = 0; i < n; i++) {
      const [u, s] = links[i]!.update(updates, state[i], net)
      updates = u
      next[i] = s
    }
    return [updates, next as unknown as S]
  }
  // the chain's rule, when every link has one bound to its own update (read now: links are values)
  const rules = links.map(ruleOf)
  const rule: UpdateRule | undefined = rules.every((r) => r !== undefined) ? Object.freeze({ kind: 'chain' as const, links: rules as UpdateRule[], update }) : undefined
  const init = (net: Network): Readonly<S> => links.map((t) => t.init(net)) as unknown as S
  return Object.freeze(rule === undefined ? { init, update } : { init, update, rule })
}

// -------------------------------------------------------------------------------------
// applying updates
// -------------------------------------------------------------------------------------

/**
 * Takes a step: adds each layer's updates to its weights and bias, `θ ← θ + u`, and returns
 * the new network (activations unchanged). Throws a `RangeError` when the updates do not
 * have one entry per layer, and a `ShapeError` when a shape differs.
 *
 * @example
 * import { applyUpdates } from '@purenn/training'
 * import { network, addLayer, randomize, linear, type Gradients } from '@purenn/network'
 * import * as M from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * // a 1-1 network of weight 1 and bias 1, and a gradient of 2 for the weight and -4 for the bias
 * const [net] = pipe(network(1), addLayer({ nodes: 1, activation: linear }), randomize(1, 1))(M.rng(0))
 * const g: Gradients = [{ weights: M.fill(1, 1, 2), bias: M.fill(1, 1, -4) }]
 * const flat = (u: Gradients) => u.flatMap((l) => [...l.weights.data, ...l.bias.data])
 * // θ ← θ + u: the sign of a step is the optimizer's (scaleByLearningRate's)
 * const next = pipe(net, applyUpdates(g))
 * flat(next.layers) // => [3, -3]
 * flat(net.layers) // => [1, 1]
 *
 * @category combinators
 * @since 0.1.0
 */
export const applyUpdates =
  (updates: Gradients) =>
  (net: Network): Network => {
    const layers = net.layers
    if (updates.length !== layers.length)
      throw new RangeError(
        `applyUpdates: got updates for ${count(updates.length, 'layer')}, the network has ${count(layers.length, 'layer')}`
      )
    const next: Layer[] = [] // pushed: a packed array, like every network's
    for (let k = 0; k < layers.length; k++) {
      const layer = layers[k]!
      const u = updates[k]!
      next.push({ weights: M.add(u.weights)(layer.weights), bias: M.add(u.bias)(layer.bias), activation: layer.activation })
    }
    return { inputSize: net.inputSize, layers: next }
  }
