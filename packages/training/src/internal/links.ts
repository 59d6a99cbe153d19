/**
 * The built-in links' formulas, each written once, as a loop over one block of numbers (a
 * layer's weights or its bias), and the two ways they run:
 *
 * - `linkOf(spec)` builds the link's `GradientTransformation`, whose `update` runs the
 *   formula block by block into fresh buffers (the reference: optax's semantics, a new value
 *   for every updates and state);
 * - the engine (`engine.ts`) runs a whole chain of them in place over a step's own buffers.
 *
 * A block's formula reads `g` (the updates flowing in) and writes `u` (the updates flowing
 * out; `u` may be `g` itself, so each entry is read before it is written), reads the state's
 * blocks `ins` and writes the new state's blocks `outs` (never `ins`). Scalars that do not
 * depend on the entry (a learning rate at its step, Adam's bias corrections, a clipping
 * factor) are computed once a step by `prepare`, into a small buffer the runner holds (no
 * allocation a step, see `scalarsOf`), which may also say the link leaves the updates as they
 * are (`identity`, a clip under its bound): it then answers false. Numbers that depend on the
 * link's parameters alone (`fixed`: when Adam's bias corrections settle at 1) are written into
 * that buffer once, when it is made. Adam's `prepare` also carries β₁ⁿ and β₂ⁿ in it from step
 * to step (`powers.ts`): the engine keeps one buffer a link for its steps, so each step costs
 * one product; the reference's update copies a fresh buffer, and computes the powers afresh.
 * Either way the corrections are the doubles `1 - Math.pow(β, n)` gives.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import * as M from '@purenn/matrix'
import type { Gradients, LayerGradients, Network } from '@purenn/network'
import { emptyState, type GradientTransformation } from '../GradientTransformation.js'
import type { LinkSpec, UpdateRule } from '../UpdateRule.js'
import { buf, matrix } from './buffer.js'
import { count, describeValue } from './describe.js'
import { blocksOf, globalNorm, zerosLike } from './gradients.js'
import { oneMinusPower, powerSlots, powersAt, startPowers } from './powers.js'

/**
 * How many scalars a link keeps (see `prepare` and `fixed`): the step's from index 0, its
 * parameters' own after them, then what carries over from step to step (Adam's powers of β₁
 * and β₂, `powers.ts`).
 */
const SCALARS = 4 + powerSlots(2)

/** Where Adam's powers start in its scalars (see `powersAt`): the exponent, then β₁ⁿ and β₂ⁿ, two doubles each. */
const POWERS = 4

/**
 * One block's formula: see the module comment. `bias` says whether the block is a bias. With
 * `next`, the link is the last of the step and, instead of its updates u, writes the new
 * parameters `θ + k·u` into `next` (the step's final pass, fused: u is never stored) and returns
 * Σ (θ' − θ') over them, 0 when every one is finite and NaN otherwise; without, returns 0.
 */
type Block<R> = (
  rule: R,
  c: Float64Array,
  g: Float64Array,
  u: Float64Array,
  theta: Float64Array,
  bias: boolean,
  ins: ReadonlyArray<Float64Array>,
  outs: ReadonlyArray<Float64Array>,
  k: number,
  next: Float64Array | undefined
) => number

/** Everything the two runners need to know of one kind of link. */
export interface Formula<R> {
  /** The initial state. */
  readonly init: (rule: R, net: Network) => unknown
  /** The state's network-shaped parts, read block by block (none for most links); undefined when the state has not the link's shape. */
  readonly moments: (state: unknown) => ReadonlyArray<Gradients> | undefined
  /** Whether the formula reads the parameters θ (weight decay). */
  readonly readsParams: boolean
  /** The step's scalars, from the state's count (undefined for a link that keeps none) and the updates flowing in, as blocks (layer 0's weights, its bias, layer 1's weights, …). */
  readonly prepare: (rule: R, count: number | undefined, g: ReadonlyArray<Float64Array>, c: Float64Array) => boolean
  /** Writes the scalars that depend on the rule alone into `c`, once, when the buffer is made (see `scalarsOf`); most links have none. */
  readonly fixed?: (rule: R, c: Float64Array) => void
  readonly block: Block<R>
  /**
   * `block` over arrays of an arena (`@purenn/matrix`'s `Arena`: WebAssembly memory), for a
   * link with a kernel there (Adam's): the same bits, two entries at a time. `g`, `theta`, `ins`
   * and `outs` are all the arena's; the updates go into `g` (without `next`).
   */
  readonly arena?: (rule: R, c: Float64Array, arena: M.Arena, g: Float64Array, theta: Float64Array, ins: ReadonlyArray<Float64Array>, outs: ReadonlyArray<Float64Array>, k: number, next: Float64Array | undefined) => number
  /** The state of the given count (undefined for a link that keeps none) and moments (in the order of `moments`). */
  readonly make: (rule: R, count: number | undefined, moments: ReadonlyArray<Gradients>) => unknown
}

type Spec<K extends LinkSpec['kind']> = Extract<LinkSpec, { kind: K }>

/** The count of a state that keeps one, or undefined. */
export const countOf = (state: unknown): number | undefined => {
  const n: unknown = typeof state === 'object' && state !== null ? (state as { count?: unknown }).count : undefined
  return typeof n === 'number' ? n : undefined
}

/** The named network-shaped fields of a state, or undefined when one is missing. */
const fields =
  (...names: ReadonlyArray<string>) =>
  (state: unknown): ReadonlyArray<Gradients> | undefined => {
    if (typeof state !== 'object' || state === null) return undefined
    const out: Gradients[] = []
    for (const name of names) {
      const g: unknown = (state as Record<string, unknown>)[name]
      if (!Array.isArray(g)) return undefined
      out.push(g as Gradients)
    }
    return out
  }

const none = (): ReadonlyArray<Gradients> => []
const stateless = { init: () => emptyState, moments: none, make: () => emptyState } as const
/** `prepare` for a link without step scalars that always applies. */
const applies = (): boolean => true

/**
 * The end of one entry's formula: its update `ui` into `u[i]`; or, when the link takes the
 * step's final pass (`next`), the new parameter `θ' = θ + k·ui` into `next[i]` (k = −η: the
 * sign of a step is `scaleByLearningRate`'s, and this is the one place a step adds its updates
 * to the parameters). Returns θ' − θ', 0 when θ' is finite and NaN otherwise (x − x is NaN for
 * ±∞ and NaN), or 0 when it wrote an update. Small and called directly: inlined in each loop.
 */
const emit = (u: Float64Array, i: number, ui: number, theta: Float64Array, k: number, next: Float64Array | undefined): number => {
  if (next === undefined) {
    u[i] = ui
    return 0
  }
  const v = theta[i]! + k * ui // θ + (−η)·u: `k·u` rounded, then the sum, as scaleByLearningRate and applyUpdates compute them
  next[i] = v
  return v - v
}

/** `u ← g`, entry by entry (a block that a link passes on unchanged); or, with `next`, `θ' = θ + k·g`. */
const copy = (g: Float64Array, u: Float64Array, theta: Float64Array, k: number, next: Float64Array | undefined): number => {
  if (next === undefined && u === g) return 0
  let bad = 0
  for (let i = 0; i < g.length; i++) bad += emit(u, i, g[i]!, theta, k, next)
  return bad
}

/** `u ← a · g`; or, with `next`, `θ' = θ + k·(a·g)`. */
const scaled = (a: number, g: Float64Array, u: Float64Array, theta: Float64Array, k: number, next: Float64Array | undefined): number => {
  let bad = 0
  for (let i = 0; i < g.length; i++) bad += emit(u, i, a * g[i]!, theta, k, next)
  return bad
}

/**
 * The final pass of a step on its own (when no link took it): `θ' = θ + k·u` into `next`
 * (k = 1 multiplies exactly). Returns Σ (θ' − θ'): 0 when every new parameter is finite.
 */
export const addScaled = (theta: Float64Array, k: number, u: Float64Array, next: Float64Array): number => copy(u, u, theta, k, next)

/**
 * The first step n from which Adam's bias correction 1 − βⁿ is exactly 1 in doubles, whatever
 * the last bit of `Math.pow(β, n)`: from n ≥ 56·ln 2 / −ln β on, βⁿ ≤ 2⁻⁵⁶, so the computed
 * power (within an ulp of βⁿ) is below 2⁻⁵⁴, half the gap between 1 and the double below it,
 * and 1 − βⁿ rounds to 1. (The factor of 2 between 2⁻⁵⁶ and 2⁻⁵⁵ covers the rounding of the
 * logarithms many times over.) Infinity for β ≥ 1, whose power never vanishes. For β = 0.9
 * it is 370 (0.9³⁷⁰ ≈ 1.2e-17, below 2⁻⁵⁶ ≈ 1.4e-17); for β = 0.999, 38,798.
 */
export const settledAt = (beta: number): number => (beta < 1 ? Math.ceil((56 * Math.LN2) / -Math.log(beta)) + 1 : Infinity)

/**
 * Adam's bias correction at step n, 1 − βⁿ, the double `1 - Math.pow(β, n)` gives: from step
 * `settled` (`settledAt(β)`) on it is 1, answered without the power; before, it is decided from
 * `hi`, the high part of βⁿ carried from step to step (`oneMinusPower` in `powers.ts`). At
 * β = 0.9, step 1 gives 0.09999999999999998 (1 − 0.9 in doubles), and every step from 370 on
 * gives 1.
 */
export const biasCorrection = (beta: number, n: number, settled: number, hi: number): number => (n >= settled ? 1 : oneMinusPower(beta, n, hi))

/**
 * The formulas, one per kind of link. Each cites its rule; the links' doc comments (in
 * `transforms.ts`) give the references.
 */
export const formulas: { readonly [K in LinkSpec['kind']]: Formula<Spec<K>> } = {
  identity: { ...stateless, readsParams: false, prepare: () => false, block: (_r, _c, g, u, theta, _b, _i, _o, k, next) => copy(g, u, theta, k, next) },

  // u ← k · u
  scale: { ...stateless, readsParams: false, prepare: applies, block: (r, _c, g, u, theta, _b, _i, _o, k, next) => scaled(r.k, g, u, theta, k, next) },

  // u ← −η(t) · u: the sign of a step lives here, so applying updates only adds
  scaleByLearningRate: {
    init: () => ({ count: 0 }),
    moments: (s) => (countOf(s) === undefined ? undefined : []),
    readsParams: false,
    prepare: (r, n, _g, c) => {
      c[0] = -r.schedule(n!)
      return true
    },
    block: (_r, c, g, u, theta, _b, _i, _o, k, next) => scaled(c[0]!, g, u, theta, k, next),
    make: (_r, n) => ({ count: n! })
  },

  // t ← g + decay · t; u = t, or with Nesterov u = g + decay · t (the new t)
  trace: {
    init: (_r, net) => ({ trace: zerosLike(net) }),
    moments: fields('trace'),
    readsParams: false,
    prepare: applies,
    block: ({ decay, nesterov }, _c, g, u, theta, _bias, [t0], [t1], k, next) => {
      let bad = 0
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!
        const t = gi + decay * t0![i]!
        t1![i] = t
        const ui = nesterov ? gi + decay * t : t
        bad += emit(u, i, ui, theta, k, next)
      }
      return bad
    },
    make: (_r, _n, [trace]) => ({ trace })
  },

  // ν ← decay · ν + (1 − decay) · g², u = g / (√ν + ε)
  scaleByRms: {
    init: (_r, net) => ({ nu: zerosLike(net) }),
    moments: fields('nu'),
    readsParams: false,
    prepare: applies,
    block: ({ decay, eps }, _c, g, u, theta, _bias, [v0], [v1], k, next) => {
      let bad = 0
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!
        const v = decay * v0![i]! + (1 - decay) * gi * gi
        v1![i] = v
        const ui = gi / (Math.sqrt(v) + eps)
        bad += emit(u, i, ui, theta, k, next)
      }
      return bad
    },
    make: (_r, _n, [nu]) => ({ nu })
  },

  // μ ← β₁μ + (1 − β₁)g, ν ← β₂ν + (1 − β₂)g², u = μ̂ / (√ν̂ + ε) with μ̂ = μ / (1 − β₁ⁿ), ν̂ = ν / (1 − β₂ⁿ)
  scaleByAdam: {
    init: (_r, net) => ({ count: 0, mu: zerosLike(net), nu: zerosLike(net) }),
    moments: (s) => (countOf(s) === undefined ? undefined : fields('mu', 'nu')(s)),
    readsParams: false,
    fixed: ({ beta1, beta2 }, c) => {
      c[2] = settledAt(beta1)
      c[3] = settledAt(beta2)
      startPowers(c, POWERS, 2)
    },
    prepare: ({ beta1, beta2 }, count, _g, c) => {
      const n = count! + 1
      if (n < c[2]! || n < c[3]!) powersAt(c, POWERS, n, beta1, beta2, c[2]!) // β₁ⁿ and β₂ⁿ, while a correction needs them
      c[0] = biasCorrection(beta1, n, c[2]!, c[POWERS + 1]!) // the moments start at 0
      c[1] = biasCorrection(beta2, n, c[3]!, c[POWERS + 3]!)
      return true
    },
    block: ({ beta1: b1, beta2: b2, eps }, c, g, u, theta, _bias, ins, outs, k, next) => {
      const m0 = ins[0]!
      const v0 = ins[1]!
      const m1 = outs[0]!
      const v1 = outs[1]!
      const c1 = c[0]!
      const c2 = c[1]!
      let bad = 0
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!
        const m = b1 * m0[i]! + (1 - b1) * gi
        const v = b2 * v0[i]! + (1 - b2) * gi * gi
        m1[i] = m
        v1[i] = v
        // μ / c₁ / (√(ν / c₂) + ε); a correction that has settled at 1 divides by nothing (x / 1 is x, exactly)
        const ui = (c1 === 1 ? m : m / c1) / (Math.sqrt(c2 === 1 ? v : v / c2) + eps)
        bad += emit(u, i, ui, theta, k, next)
      }
      return bad
    },
    // the same formula in the arena's kernel (`assembly/adam.ts` of @purenn/matrix), two entries at a time
    arena: ({ beta1, beta2, eps }, c, arena, g, theta, [m0, v0], [m1, v1], k, next) =>
      arena.adam({ g, theta, mu: m0!, nu: v0!, nextMu: m1!, nextNu: v1!, out: next ?? g }, { beta1, beta2, eps, c1: c[0]!, c2: c[1]!, k: next === undefined ? undefined : k }),
    make: (_r, n, [mu, nu]) => ({ count: n!, mu, nu })
  },

  // u ← u + λ · θ (the weights; the biases too only when asked)
  addDecayedWeights: {
    ...stateless,
    readsParams: true,
    prepare: applies,
    block: ({ rate, bias: decayBias }, _c, g, u, theta, bias, _i, _o, k, next) => {
      if (bias && !decayBias) return copy(g, u, theta, k, next)
      let bad = 0
      for (let i = 0; i < g.length; i++) {
        const ui = g[i]! + rate * theta[i]!
        bad += emit(u, i, ui, theta, k, next)
      }
      return bad
    }
  },

  // u ← u · min(1, c / ‖u‖), ‖u‖ the global norm over every weight and bias
  clipByGlobalNorm: {
    ...stateless,
    readsParams: false,
    prepare: ({ maxNorm }, _n, g, c) => {
      const norm = globalNorm(g)
      c[0] = maxNorm / norm
      return norm > maxNorm
    },
    block: (_r, c, g, u, theta, _b, _i, _o, k, next) => scaled(c[0]!, g, u, theta, k, next)
  },

  // u ← clamp(u, −c, c), entry by entry
  clipByValue: {
    ...stateless,
    readsParams: false,
    prepare: applies,
    block: ({ maxDelta }, _c, g, u, theta, _b, _i, _o, k, next) => {
      let bad = 0
      for (let i = 0; i < g.length; i++) {
        const ui = Math.min(maxDelta, Math.max(-maxDelta, g[i]!))
        bad += emit(u, i, ui, theta, k, next)
      }
      return bad
    }
  }
}

/** The formula of a link's kind. */
export const formulaOf = <R extends LinkSpec>(rule: R): Formula<R> => formulas[rule.kind] as unknown as Formula<R>

/**
 * A fresh buffer for a link's scalars, its `fixed` ones written: the engine keeps one per link
 * for a run, the reference copies one per update.
 */
export const scalarsOf = (rule: LinkSpec): Float64Array => {
  const c = new Float64Array(SCALARS)
  formulaOf(rule).fixed?.(rule, c)
  return c
}

/**
 * Checks that a tree (a state's moments, or the parameters) has the layers and shapes of the
 * updates, naming the link: a `RangeError` for another number of layers, a `ShapeError` for
 * another shape.
 */
export const checkTree = (fn: string, g: Gradients, t: Gradients): void => {
  if (g.length !== t.length) throw new RangeError(`${fn}: expected ${count(g.length, 'layer')} of state, got ${count(t.length, 'layer')}`)
  for (let k = 0; k < g.length; k++)
    for (const part of ['weights', 'bias'] as const) {
      const a = g[k]![part]
      const b: unknown = t[k]?.[part]
      if (!M.isMatrix(b)) throw new TypeError(`${fn}: expected a Matrix at layer ${k} ${part} of state, got ${describeValue(b)}`)
      if (a.rows !== b.rows || a.cols !== b.cols)
        throw new M.ShapeError(fn, `shapes ${M.shapeOf(a)} and ${M.shapeOf(b)} differ`, [
          [a.rows, a.cols],
          [b.rows, b.cols]
        ])
    }
}

/** True when `checkTree` would pass. */
export const fitsTree = (g: Gradients, t: Gradients): boolean => {
  if (g.length !== t.length) return false
  for (let k = 0; k < g.length; k++) {
    const a = g[k]!
    const b = t[k]
    if (b === undefined || !M.isMatrix(b.weights) || !M.isMatrix(b.bias)) return false
    if (a.weights.rows !== b.weights.rows || a.weights.cols !== b.weights.cols || a.bias.rows !== b.bias.rows || a.bias.cols !== b.bias.cols) return false
  }
  return true
}

/** The parameters of a network as a tree of the gradients' shape. */
export const paramsOf = (net: Network): Gradients => net.layers.map((l) => ({ weights: l.weights, bias: l.bias }))

/**
 * The built-in link of a spec, as a `GradientTransformation` whose `update` runs the link's
 * formula into fresh buffers (the reference), carrying the spec as its rule, bound to that
 * `update`. Frozen, so that the rule stays bound to the function it describes.
 */
export const linkOf = <S>(spec: LinkSpec): GradientTransformation<S> => {
  const f = formulaOf(spec)
  const fn = spec.kind
  const scalars = scalarsOf(spec)
  const update = (grads: Gradients, state: S, net: Network): readonly [Gradients, S] => {
    const moments = f.moments(state)
    if (moments === undefined) throw new TypeError(`${fn}: expected the state of a ${fn} (from its init), got ${describeValue(state)}`)
    const n = countOf(state)
    const c = scalars.slice() // this update's own: the reference shares nothing between calls
    const after = n === undefined ? undefined : n + 1
    if (!f.prepare(spec, n, blocksOf(grads), c)) return [grads, f.make(spec, after, []) as S]
    for (const m of moments) checkTree(fn, grads, m)
    const params = f.readsParams ? paramsOf(net) : undefined
    if (params !== undefined) checkTree(fn, grads, params)
    const updates: LayerGradients[] = [] // pushed: packed arrays, like the gradients
    const outs: LayerGradients[][] = moments.map(() => [])
    for (let k = 0; k < grads.length; k++) {
      const blocks = (part: 'weights' | 'bias'): { u: M.Matrix; outs: M.Matrix[] } => {
        const g = grads[k]![part]
        const u = new Float64Array(g.rows * g.cols)
        const fresh = moments.map(() => new Float64Array(g.rows * g.cols))
        const theta = params === undefined ? u : buf(params[k]![part])
        f.block(spec, c, buf(g), u, theta, part === 'bias', moments.map((m) => buf(m[k]![part])), fresh, 1, undefined)
        return { u: matrix(g.rows, g.cols, u), outs: fresh.map((o) => matrix(g.rows, g.cols, o)) }
      }
      const w = blocks('weights')
      const b = blocks('bias')
      updates.push({ weights: w.u, bias: b.u })
      for (let j = 0; j < outs.length; j++) outs[j]!.push({ weights: w.outs[j]!, bias: b.outs[j]! })
    }
    return [updates, f.make(spec, after, outs) as S]
  }
  // the rule as Object.assign builds it, not as a spread ({ ...spec, update }): V8 gives spread
  // copies whose fields hold functions a new hidden class after the first few, so the engine's
  // code, which reads the rule every step, was compiled again and again over a run's first calls
  const rule = Object.freeze(Object.assign({}, spec, { update })) as UpdateRule
  return Object.freeze({ init: (net: Network) => f.init(spec, net) as S, update, rule })
}
