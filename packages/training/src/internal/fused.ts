/**
 * The engine's optimizer step: a whole rule (a chain of built-in links, see `UpdateRule.ts`)
 * run over one step's gradients in place, then `θ ← θ + u`, in the same buffers.
 *
 * The reference, `applyUpdates(update(g, state, net)[0])(net)`, allocates each link's updates
 * and the sum; here the gradients' own buffers (fresh from `gradients`, never handed out) take
 * each link's updates in turn and end as the new network's parameters, and only the new
 * state's moments are allocated. Every entry goes through the same formulas in the same order
 * (`links.ts`), so the bits are the reference's. A rule whose state does not fit (another
 * shape, another number of layers) is not run: the caller falls back on `update`, which says
 * what is wrong.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import type { Gradients, Layer, LayerGradients, Network } from '@purenn/network'
import type { UpdateRule } from '../UpdateRule.js'
import { buf, matrix } from './buffer.js'
import { fitsTree, formulaOf, SKIP } from './links.js'

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

/**
 * Runs `rule` over `g` in place (the updates flowing in, then out) and returns the next state.
 * The state fits (see `fits`); `g` must be the caller's own: its buffers are overwritten.
 */
const runRule = (rule: UpdateRule, state: unknown, g: Gradients, net: Network): unknown => {
  if (rule.kind === 'chain') {
    const links = rule.links
    const tuple = state as ReadonlyArray<unknown>
    const next: unknown[] = new Array(links.length)
    for (let i = 0; i < links.length; i++) next[i] = runRule(links[i]!, tuple[i], g, net)
    return next
  }
  const f = formulaOf(rule)
  const moments = f.moments(state)!
  const c = f.prepare(rule, state, g)
  if (c === SKIP) return f.next(rule, state, [])
  if (moments.length === 0) {
    // a link without moments (the learning rate, a clip, a scale, weight decay): the blocks alone
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
    const ow = moments.map(() => new Float64Array(w.rows * w.cols))
    const ob = moments.map(() => new Float64Array(b.rows * b.cols))
    const gw = buf(w)
    const gb = buf(b)
    f.block(rule, c, gw, gw, buf(layer.weights), false, moments.map((m) => buf(m[k]!.weights)), ow)
    f.block(rule, c, gb, gb, buf(layer.bias), true, moments.map((m) => buf(m[k]!.bias)), ob)
    for (let j = 0; j < outs.length; j++) outs[j]!.push({ weights: matrix(w.rows, w.cols, ow[j]!), bias: matrix(b.rows, b.cols, ob[j]!) })
  }
  return f.next(rule, state, outs)
}

/** `u ← θ + u`, in `u`'s buffer. */
const addInto = (theta: Float64Array, u: Float64Array): void => {
  for (let i = 0; i < u.length; i++) u[i] = theta[i]! + u[i]!
}

/**
 * One optimizer step by its rule: the new network and state, as
 * `[applyUpdates(u)(net), s']` with `[u, s'] = update(g, state, net)` would give them, bit for
 * bit; or undefined when the state does not fit the rule. `g` must be the caller's own,
 * shaped like `net` (as `gradients` returns it): its buffers become the new parameters.
 */
export const fusedStep = (rule: UpdateRule, g: Gradients, state: unknown, net: Network): readonly [Network, unknown] | undefined => {
  if (g.length !== net.layers.length || !fits(rule, state, g)) return undefined
  const next = runRule(rule, state, g, net)
  const layers: Layer[] = [] // pushed: a packed array, like every network's
  for (let k = 0; k < g.length; k++) {
    const { weights, bias, activation } = net.layers[k]!
    const u = g[k]!
    addInto(buf(weights), buf(u.weights))
    addInto(buf(bias), buf(u.bias))
    layers.push({ weights: matrix(weights.rows, weights.cols, buf(u.weights)), bias: matrix(bias.rows, bias.cols, buf(u.bias)), activation })
  }
  return [{ inputSize: net.inputSize, layers }, next]
}
