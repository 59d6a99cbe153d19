/**
 * The engine's optimizer step: a whole rule (a chain of built-in links, see `UpdateRule.ts`)
 * run over one step's gradients in place, then `θ ← θ + u`, in the same buffers.
 *
 * The reference, `applyUpdates(update(g, state, net)[0])(net)`, allocates each link's updates
 * and the sum; here the gradients' own buffers (fresh from `gradients`, never handed out) take
 * each link's updates in turn and end as the new network's parameters, and only the new
 * state's moments are allocated (by the caller's allocator: a loop of steps hands back the
 * buffers of states it no longer holds). When the rule ends with `scaleByLearningRate`, as every
 * named optimizer does, its product and the sum are one pass, `θ + (−η)·u`, which also finds
 * whether every new parameter is finite. Every entry goes through the same formulas in the same
 * order (`links.ts`), so the bits are the reference's. A rule whose state does not fit (another
 * shape, another number of layers) is not run: the caller falls back on `update`, which says
 * what is wrong.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import type { Gradients, Layer, LayerGradients, Network } from '@purenn/network'
import type { LinkSpec, UpdateRule } from '../UpdateRule.js'
import { buf, matrix } from './buffer.js'
import { fitsTree, formulaOf, SKIP } from './links.js'

/** Where a step's new moments go: a buffer of `n` entries that nothing else holds. */
export type Allocate = (n: number) => Float64Array

const fresh: Allocate = (n) => new Float64Array(n)

/** No blocks, no trees: what a link without moments reads and writes. */
const NONE: ReadonlyArray<Float64Array> = Object.freeze([])
const NONE_TREES: ReadonlyArray<Gradients> = Object.freeze([])

/** True when the state has the rule's shape: a tuple for a chain, each link's moments shaped like `g`. */
const fits = (rule: UpdateRule, state: unknown, g: Gradients): boolean => {
  if (rule.kind === 'chain')
    return Array.isArray(state) && state.length === rule.links.length && rule.links.every((link, i) => fits(link, state[i], g))
  const moments = formulaOf(rule).moments(state)
  return moments !== undefined && moments.every((m) => fitsTree(g, m))
}

/** What a run of the rule leaves for the final pass: the factor `k` of a deferred `scaleByLearningRate` (1 when none). */
interface Final {
  k: number
}

/**
 * Runs `rule` over `g` in place (the updates flowing in, then out) and returns the next state.
 * The state fits (see `fits`); `g` must be the caller's own: its buffers are overwritten. When
 * `last` (the rule is the last link of the whole rule, through nested chains) and a
 * `scaleByLearningRate`, the link is not applied but leaves its factor in `final`, for the final
 * pass. (By position, not by value: a chain may hold the same link twice.)
 */
const runRule = (rule: UpdateRule, state: unknown, g: Gradients, net: Network, alloc: Allocate, last: boolean, final: Final): unknown => {
  if (rule.kind === 'chain') {
    const links = rule.links
    const tuple = state as ReadonlyArray<unknown>
    const next: unknown[] = new Array(links.length)
    for (let i = 0; i < links.length; i++) next[i] = runRule(links[i]!, tuple[i], g, net, alloc, last && i === links.length - 1, final)
    return next
  }
  const f = formulaOf(rule as LinkSpec)
  const c = f.prepare(rule, state, g)
  if (last && rule.kind === 'scaleByLearningRate') {
    final.k = (c as ReadonlyArray<number>)[0]! // scaleByLearningRate's −η(t), taken into the final pass
    return f.next(rule, state, NONE_TREES)
  }
  const moments = f.moments(state)!
  if (c === SKIP) return f.next(rule, state, NONE_TREES)
  if (moments.length === 0) {
    // a link without moments (a scale, a clip, weight decay): the blocks alone
    for (let k = 0; k < g.length; k++) {
      const layer = net.layers[k]!
      f.block(rule, c, buf(g[k]!.weights), buf(g[k]!.weights), buf(layer.weights), false, NONE, NONE)
      f.block(rule, c, buf(g[k]!.bias), buf(g[k]!.bias), buf(layer.bias), true, NONE, NONE)
    }
    return f.next(rule, state, NONE_TREES)
  }
  const outs: LayerGradients[][] = moments.map(() => [])
  for (let k = 0; k < g.length; k++) {
    const layer = net.layers[k]!
    const w = g[k]!.weights
    const b = g[k]!.bias
    const ow = moments.map(() => alloc(w.rows * w.cols))
    const ob = moments.map(() => alloc(b.rows * b.cols))
    const gw = buf(w)
    const gb = buf(b)
    f.block(rule, c, gw, gw, buf(layer.weights), false, moments.map((m) => buf(m[k]!.weights)), ow)
    f.block(rule, c, gb, gb, buf(layer.bias), true, moments.map((m) => buf(m[k]!.bias)), ob)
    for (let j = 0; j < outs.length; j++) outs[j]!.push({ weights: matrix(w.rows, w.cols, ow[j]!), bias: matrix(b.rows, b.cols, ob[j]!) })
  }
  return f.next(rule, state, outs)
}

/**
 * `u ← θ + k·u`, in `u`'s buffer (`k·u` rounded, then the sum, as `scaleByLearningRate` and
 * `applyUpdates` compute them: k = 1 multiplies exactly); returns Σ (v − v) over the new
 * values, 0 when every one is finite and NaN otherwise.
 */
const addScaledInto = (theta: Float64Array, u: Float64Array, k: number): number => {
  let nonFinite = 0
  if (k === 1)
    for (let i = 0; i < u.length; i++) {
      const v = theta[i]! + u[i]!
      u[i] = v
      nonFinite += v - v
    }
  else
    for (let i = 0; i < u.length; i++) {
      const v = theta[i]! + k * u[i]!
      u[i] = v
      nonFinite += v - v
    }
  return nonFinite
}

/** One fused step: the new network and optimizer state, and whether every new parameter is finite. */
export interface FusedStep {
  readonly network: Network
  readonly state: unknown
  readonly finite: boolean
}

/**
 * One optimizer step by its rule: the new network and state, as
 * `[applyUpdates(u)(net), s']` with `[u, s'] = update(g, state, net)` would give them, bit for
 * bit, and whether the new parameters are all finite; or undefined when the state does not fit
 * the rule. `g` must be the caller's own, shaped like `net` (as `gradients` returns it): its
 * buffers become the new parameters. The new moments come from `alloc`.
 */
export const fusedStep = (rule: UpdateRule, g: Gradients, state: unknown, net: Network, alloc: Allocate = fresh): FusedStep | undefined => {
  if (g.length !== net.layers.length || !fits(rule, state, g)) return undefined
  const final: Final = { k: 1 }
  const next = runRule(rule, state, g, net, alloc, true, final)
  const layers: Layer[] = [] // pushed: a packed array, like every network's
  let nonFinite = 0
  for (let k = 0; k < g.length; k++) {
    const { weights, bias, activation } = net.layers[k]!
    const u = g[k]!
    nonFinite += addScaledInto(buf(weights), buf(u.weights), final.k)
    nonFinite += addScaledInto(buf(bias), buf(u.bias), final.k)
    layers.push({ weights: matrix(weights.rows, weights.cols, buf(u.weights)), bias: matrix(bias.rows, bias.cols, buf(u.bias)), activation })
  }
  return { network: { inputSize: net.inputSize, layers }, state: next, finite: nonFinite === 0 }
}
