/**
 * The engine: optimizer steps taken in a loop over parameter blocks, for any rule made of
 * built-in links (see `UpdateRule.ts`), with the bits of the reference fold.
 *
 * The reference is a fold of `trainStep`'s two halves: `(L, g) = gradients(θ; batch)`, then
 * `(u, s') = update(g, s, θ)` and `θ' = applyUpdates(u)(θ)`, each link's `update` making new
 * updates and a new state (`linkOf` in `links.ts`). Here one value (`engine(loss, rule)`) keeps,
 * for the network's shape, a `Backprop` compiled for it (`@purenn/network`), which writes each
 * step's gradients into blocks of its own, and two private sets of parameters and moments that
 * take turns: a step reads θₛ and the moments from one set and writes θₛ₊₁ and the new moments
 * into the other. The links run over the gradient blocks in place, in the chain's order,
 * through the very formulas `linkOf`'s updates run (`formulas` in `links.ts`); when the last link
 * is `scaleByLearningRate`, as in every named optimizer, its product and the sum are one pass,
 * `θ + (−η)·u`, which also finds whether every new parameter is finite. When that link is the
 * whole rule (plain SGD), a run of many steps hands that pass to the backprop, which adds each
 * entry of −η·g as it finds it (`Backprop.runAdding`, the same rounding). So a step allocates
 * nothing, and the bits are the fold's.
 *
 * The private sets are never handed out. A run copies its start into the first set (unless the
 * start is the state the engine handed out last, whose set it still holds), and hands out a
 * copy of its last set, keeping the set as where the next call given that state back starts.
 * `one` takes a single step (`trainStep`'s) without the records a run keeps: from the caller's
 * buffers (or the set it holds) into fresh buffers that become the new state, unless in an arena.
 *
 * In an arena: when a link of the rule has a kernel in WebAssembly (Adam's, `Formula.arena`) and
 * the network has at least `ARENA_MIN_PARAMETERS` parameters, the two sets live in an arena of
 * `@purenn/matrix` (WebAssembly memory, sized once), with a third array for the gradient, copied
 * in from the backprop's blocks each step. That link then runs its kernel over them, two entries
 * at a time with the same rounding (on MNIST's 101,770 parameters, 0.3 ms a step against the
 * JavaScript loop's 0.6); the other links run their loops over the same arrays, which are
 * ordinary typed arrays to them. `one` then steps between the arena's sets too, and hands out a
 * copy (a fold of `trainStep` copies three arrays out a step and none in).
 *
 * Nothing private reaches anyone: the caller's state is read, never written; states handed out
 * and checkpoints are copies; `onStep` is told only the step and its loss. A call made while a
 * run (or a step in the arena) is under way, from `onStep` say, takes sets of its own.
 *
 * A step that would leave the finite numbers is not taken (unless asked, as `trainStep` is,
 * to take every step): when the loss of batch s is not finite, or a new parameter is not, the
 * run stops with the state before that step and says why.
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import { compileBackprop, networkOver, parameterBlocks, type Backprop, type Gradients, type LayerGradients, type Loss, type Network, type Scores } from '@purenn/network'
import type { LinkSpec, UpdateRule } from '../UpdateRule.js'
import { buf, matrix } from './buffer.js'
import { describeValue } from './describe.js'
import { rowsError, samplesError } from './shapes.js'
import { addScaled, countOf, fitsTree, formulaOf, paramsOf, scalarsOf, type Formula } from './links.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where the engine stands between two steps: the network and the optimizer's state (the rule's), and how many steps were taken. */
export interface EngineState {
  readonly network: Network
  readonly opt: unknown
  readonly step: number
}

/** A batch: one sample per column. */
export interface EngineBatch {
  readonly inputs: Matrix
  readonly targets: Matrix
}

/** What a run may keep besides its steps. */
export interface RunOptions {
  /** Called after each step taken, with the batch's index and its loss (measured before the step). */
  readonly onStep?: ((b: number, loss: number) => void) | undefined
  /** Batches to score the network on: at the end (`scores`), and with every checkpoint and point of the curve. */
  readonly scoreOn?: ReadonlyArray<EngineBatch> | undefined
  /** Keep the state after every so many steps (a copy), with its scores on `scoreOn`. */
  readonly checkpointEvery?: number | undefined
  /** Keep the scores on `scoreOn` after every so many steps (no state built). */
  readonly scoreEvery?: number | undefined
  /** Take every step, finite or not (`trainStep`'s contract); by default a run stops before a step that leaves the finite numbers. */
  readonly everyStep?: boolean | undefined
  /**
   * The batches (and `scoreOn`) were cut by this package from a data set decoded at the
   * boundary (`train`'s): matrices of the network's sizes, not checked again. Any other caller
   * leaves it unset, and each batch is checked (see `checkBatches`).
   */
  readonly trusted?: boolean | undefined
}

/** Why a run stopped before its last batch (see the module comment). */
export interface RunStop {
  readonly step: number
  readonly reason: 'loss' | 'parameters'
  readonly loss: number
}

/** What a run gives. */
export interface Run {
  /** The state after the last step taken (the one before the step that stopped it, if one did). */
  readonly state: EngineState
  /** The loss of the last step taken. */
  readonly loss: number | undefined
  readonly stopped: RunStop | undefined
  /** The loss of every step taken, in order. */
  readonly losses: ReadonlyArray<number>
  readonly checkpoints: ReadonlyArray<{ readonly steps: number; readonly state: EngineState; readonly scores: ReadonlyArray<Scores> | undefined }>
  readonly curve: ReadonlyArray<{ readonly steps: number; readonly scores: ReadonlyArray<Scores> }>
  /** The scores of the final state on `scoreOn`. */
  readonly scores: ReadonlyArray<Scores> | undefined
}

/** The engine of a loss and a rule: `run` answers undefined for a state the rule cannot read (the caller then calls `update`, which says what is wrong). */
export interface Engine {
  /** True when the rule can read this optimizer state for this network (else `run` answers undefined). */
  readonly fits: (network: Network, opt: unknown) => boolean
  readonly run: (start: EngineState, batches: ReadonlyArray<EngineBatch>, options?: RunOptions) => Run | undefined
  /**
   * One step on `batch`, taken whatever it gives (`trainStep`'s contract): what `run` over
   * `[batch]` with `everyStep` gives, its state and loss, without the records of a run.
   */
  readonly one: (start: EngineState, batch: EngineBatch) => { readonly state: EngineState; readonly loss: number } | undefined
}

// -------------------------------------------------------------------------------------
// the rule, flattened
// -------------------------------------------------------------------------------------

/** One link of the rule, in chain order. */
interface Link {
  readonly spec: LinkSpec
  readonly f: Formula<LinkSpec>
  /** The last link of the whole rule and a `scaleByLearningRate`: its factor is taken into the final pass. */
  readonly final: boolean
  /** Its scalars (see `prepare`, `scalarsOf`): the step's, written each step, then its fixed ones. */
  readonly c: Float64Array
}

/** How the state tree is made of the links' states: a link's index, or a chain's tuple. */
type Tree = number | ReadonlyArray<Tree>

const flatten = (rule: UpdateRule, links: Link[], last: boolean): Tree => {
  if (rule.kind === 'chain') return rule.links.map((r, i) => flatten(r, links, last && i === rule.links.length - 1))
  links.push({ spec: rule, f: formulaOf(rule as LinkSpec), final: last && rule.kind === 'scaleByLearningRate', c: scalarsOf(rule as LinkSpec) })
  return links.length - 1
}

/** What the state holds of each link: its count (undefined for a link that keeps none) and its moments, network-shaped. */
interface LinkState {
  readonly count: number | undefined
  readonly moments: ReadonlyArray<Gradients>
}

/** Reads the state tree, link by link; false when it has not the rule's shape or the network's. */
const read = (tree: Tree, links: ReadonlyArray<Link>, state: unknown, params: Gradients, out: LinkState[]): boolean => {
  if (typeof tree !== 'number') {
    if (!Array.isArray(state) || state.length !== tree.length) return false
    for (let i = 0; i < tree.length; i++) if (!read(tree[i]!, links, state[i], params, out)) return false
    return true
  }
  const moments = links[tree]!.f.moments(state)
  if (moments === undefined || !moments.every((m) => fitsTree(params, m))) return false
  out[tree] = { count: countOf(state), moments }
  return true
}

// -------------------------------------------------------------------------------------
// the sets of blocks the steps take turns in
// -------------------------------------------------------------------------------------

/** Parameters and moments as blocks (layer 0's weights, its bias, layer 1's weights, …). */
interface Blocks {
  readonly theta: ReadonlyArray<Float64Array>
  /** For each link, for each block, that block of each of the link's moments. */
  readonly moments: ReadonlyArray<ReadonlyArray<ReadonlyArray<Float64Array>>>
  /**
   * When the set is the engine's own: the flat arrays its blocks are views of, the parameters
   * (`theta`) and each link's moments (`moments[i][j]`, link i's moment j). A step between two
   * such sets runs each formula once over the whole flat arrays, not block by block.
   */
  readonly flat: { readonly theta: Float64Array; readonly moments: ReadonlyArray<ReadonlyArray<Float64Array>> } | undefined
}

const NONE: ReadonlyArray<Float64Array> = Object.freeze([])
/** A link's moments when it keeps none (never written). */
const NO_MOMENTS: ReadonlyArray<ReadonlyArray<Float64Array>> = Object.freeze([])
/** No checkpoints, no points of the curve: what a run that keeps none answers (never written: nothing is pushed when none are kept). */
const NO_CHECKPOINTS: Run['checkpoints'] = Object.freeze([])
const NO_POINTS: Run['curve'] = Object.freeze([])

/** The moments' blocks of a link, block by block. */
const byBlock = (moments: ReadonlyArray<ReadonlyArray<Float64Array>>, blocks: number): ReadonlyArray<ReadonlyArray<Float64Array>> => {
  const out: Array<ReadonlyArray<Float64Array>> = []
  for (let b = 0; b < blocks; b++) out.push(moments.length === 0 ? NONE : moments.map((m) => m[b]!))
  return out
}

const treeBlocks = (t: Gradients): Float64Array[] => {
  const out: Float64Array[] = []
  for (const l of t) out.push(buf(l.weights), buf(l.bias))
  return out
}

/** The caller's state as blocks: read, never written. */
const blocksOfState = (net: Network, states: ReadonlyArray<LinkState>): Blocks => {
  const theta = parameterBlocks(net)
  return { theta, moments: states.map((s) => byBlock(s.moments.map(treeBlocks), theta.length)), flat: undefined }
}

/** A fresh buffer for each size (a loop: this runs every step of a fold of `trainStep`). */
const buffersOf = (sizes: ReadonlyArray<number>): Float64Array[] => {
  const out: Float64Array[] = []
  for (let b = 0; b < sizes.length; b++) out.push(new Float64Array(sizes[b]!))
  return out
}

/** Views of consecutive blocks of the given sizes in a flat array. */
const viewsOf = (flat: Float64Array, sizes: ReadonlyArray<number>): Float64Array[] => {
  const out: Float64Array[] = []
  for (let b = 0, at = 0; b < sizes.length; at += sizes[b]!, b++) out.push(flat.subarray(at, at + sizes[b]!))
  return out
}

/** How many parameters blocks of these sizes hold. */
const totalOf = (sizes: ReadonlyArray<number>): number => sizes.reduce((n, size) => n + size, 0)

/**
 * A fresh set for the sizes and the links' numbers of moments, a buffer a block: what a single
 * step, handed out at once, wants (on a tiny network each block is small enough for V8 to
 * allocate on its own heap, a tenth of the cost of one larger array). With `theta` (a backprop's
 * fresh gradient blocks, which the step turns into the new parameters in place), the parameters
 * are those blocks.
 */
const freshBlocks = (sizes: ReadonlyArray<number>, states: ReadonlyArray<LinkState>, theta?: ReadonlyArray<Float64Array>): Blocks => {
  const moments: Array<ReadonlyArray<ReadonlyArray<Float64Array>>> = []
  for (const s of states) moments.push(byBlock(s.moments.length === 0 ? NO_MOMENTS : s.moments.map(() => buffersOf(sizes)), sizes.length))
  return { theta: theta ?? buffersOf(sizes), moments, flat: undefined }
}

/** A fresh set over flat arrays, its blocks views of them: what a run of many steps wants (each formula once over a whole array). */
const flatBlocks = (sizes: ReadonlyArray<number>, states: ReadonlyArray<LinkState>): Blocks => {
  const P = totalOf(sizes)
  return blocksOver(
    new Float64Array(P),
    states.map((s) => s.moments.map(() => new Float64Array(P))),
    sizes
  )
}

/** A set over flat arrays (the parameters, and each link's moments), its blocks views of them. */
const blocksOver = (theta: Float64Array, moments: ReadonlyArray<ReadonlyArray<Float64Array>>, sizes: ReadonlyArray<number>): Blocks => ({
  theta: viewsOf(theta, sizes),
  moments: moments.map((ms) => byBlock(ms.map((m) => viewsOf(m, sizes)), sizes.length)),
  flat: { theta, moments }
})

/** Copies a set's parameters and moments into another of the same shape. */
const copyInto = (to: Blocks, from: Blocks): void => {
  for (let b = 0; b < to.theta.length; b++) to.theta[b]!.set(from.theta[b]!)
  for (let i = 0; i < to.moments.length; i++) for (let b = 0; b < to.theta.length; b++) for (let j = 0; j < to.moments[i]![b]!.length; j++) to.moments[i]![b]![j]!.set(from.moments[i]![b]![j]!)
}

/** A copy of a set, in fresh buffers (the parameters into `theta`'s blocks, when given: buffers no one else holds). */
const copyBlocks = (x: Blocks, theta?: ReadonlyArray<Float64Array>): Blocks => {
  if (theta !== undefined) for (let b = 0; b < theta.length; b++) theta[b]!.set(x.theta[b]!)
  return { theta: theta ?? x.theta.map((b) => b.slice()), moments: x.moments.map((l) => l.map((ms) => ms.map((m) => m.slice()))), flat: undefined }
}

// -------------------------------------------------------------------------------------
// the sets in an arena
// -------------------------------------------------------------------------------------

/**
 * Networks with at least this many parameters take their steps in an arena when a link of the
 * rule has a kernel there (Adam's): below it, copying the gradient in and the state out costs
 * more than the kernel's two entries at a time save (on MNIST's 101,770 parameters the kernel
 * takes 0.3 ms a step where the JavaScript loop takes 0.6).
 */
export const ARENA_MIN_PARAMETERS = 4096

/**
 * The engine's private sets: two that take turns, flat arrays with their blocks as views. In an
 * arena (`@purenn/matrix`'s `Arena`, WebAssembly memory), with a third array for the gradient,
 * copied in each step from the backprop's blocks; else in JavaScript memory, the steps reading
 * the gradient where the backprop wrote it.
 */
type Resident = PlainResident | ArenaResident

/** Two private sets in JavaScript memory: the steps read the gradient where the backprop wrote it. */
interface PlainResident {
  readonly arena: undefined
  readonly sets: readonly [Blocks, Blocks]
}

/** Two private sets in an arena, and the gradient's array there (`g`, and its blocks as views). */
interface ArenaResident {
  readonly arena: M.Arena
  readonly sets: readonly [Blocks, Blocks]
  readonly g: Float64Array
  readonly gBlocks: ReadonlyArray<Float64Array>
}

/** Two private sets in JavaScript memory. */
const plainResident = (sizes: ReadonlyArray<number>, states: ReadonlyArray<LinkState>): PlainResident => ({
  arena: undefined,
  sets: [flatBlocks(sizes, states), flatBlocks(sizes, states)]
})

/** An arena for the sizes and the links' moments, or undefined where there is none (no WebAssembly). */
const residentOf = (sizes: ReadonlyArray<number>, states: ReadonlyArray<LinkState>): ArenaResident | undefined => {
  const perSet = 1 + states.reduce((n, st) => n + st.moments.length, 0)
  const made = M.arena(new Array<number>(2 * perSet + 1).fill(totalOf(sizes)))
  if (made._tag === 'None') return undefined
  const arrays = made.value.arrays
  let at = 0
  const next = (): Float64Array => arrays[at++]!
  const setOf = (): Blocks => {
    const theta = next()
    return blocksOver(
      theta,
      states.map((st) => st.moments.map(next)),
      sizes
    )
  }
  const sets = [setOf(), setOf()] as const
  const g = next()
  return { arena: made.value, sets, g, gBlocks: viewsOf(g, sizes) }
}

/** The backprop's last gradient, copied into the arena's. */
const gatherGradient = (r: ArenaResident, bp: Gradienter): void => {
  if (bp.flatGradient !== undefined) r.g.set(bp.flatGradient)
  else for (let b = 0; b < r.gBlocks.length; b++) r.gBlocks[b]!.set(bp.gradient[b]!)
}

/** A network-shaped tree over blocks, taken as they are. */
const treeOver = (net: Network, blocks: ReadonlyArray<Float64Array>): Gradients => {
  const out: LayerGradients[] = []
  for (let k = 0; k < net.layers.length; k++) {
    const { rows, cols } = net.layers[k]!.weights
    out.push({ weights: matrix(rows, cols, blocks[2 * k]!), bias: matrix(rows, 1, blocks[2 * k + 1]!) })
  }
  return out
}

/** The state over a set (whose blocks it takes as they are), with the links' counts. */
const stateOver = (net: Network, tree: Tree, links: ReadonlyArray<Link>, set: Blocks, counts: ReadonlyArray<number | undefined>, step: number): EngineState => {
  const L = set.theta.length
  const build = (t: Tree): unknown => {
    if (typeof t !== 'number') return t.map(build)
    const per = set.moments[t]! // block by block: regroup moment by moment
    const n = per.length === 0 ? 0 : per[0]!.length
    const moments: Gradients[] = []
    for (let j = 0; j < n; j++) {
      const blocks: Float64Array[] = []
      for (let b = 0; b < L; b++) blocks.push(per[b]![j]!)
      moments.push(treeOver(net, blocks))
    }
    return links[t]!.f.make(links[t]!.spec, counts[t], moments)
  }
  return { network: networkOver(net, set.theta), opt: build(tree), step }
}

// -------------------------------------------------------------------------------------
// one step
// -------------------------------------------------------------------------------------

/**
 * The links over the gradients `g` in place (the updates flowing in, then out), reading the
 * parameters and moments of `from` and writing the new moments into `to`; then
 * `θ' = θ + k·u` into `to` (k: the final `scaleByLearningRate`'s −η, else 1, which multiplies
 * exactly). That final pass is fused into the last link when it applies (its block writes θ'
 * instead of u: one pass over the parameters fewer), else taken on its own. Returns Σ (θ' − θ'),
 * 0 when every new parameter is finite and NaN otherwise.
 */
const step = (
  links: ReadonlyArray<Link>,
  counts: ReadonlyArray<number | undefined>,
  g: ReadonlyArray<Float64Array>,
  gFlat: Float64Array | undefined,
  from: Blocks,
  to: Blocks,
  byBias: boolean,
  arena: M.Arena | undefined
): number => {
  let n = links.length
  let k = 1
  const last = links[n - 1]
  if (last !== undefined && last.final) {
    last.f.prepare(last.spec, counts[n - 1], g, last.c)
    k = last.c[0]! // scaleByLearningRate's −η(t), taken into the final pass
    n -= 1
  }
  // between two flat sets, with a flat gradient, and no link that treats a bias apart: each formula once over the flat arrays
  const flatFrom = from.flat
  const flatTo = to.flat
  const flat = gFlat !== undefined && flatFrom !== undefined && flatTo !== undefined && !byBias
  for (let i = 0; i < n; i++) {
    const { spec, f, c } = links[i]!
    const ins = from.moments[i]!
    const outs = to.moments[i]!
    const lastLink = i === n - 1
    if (!f.prepare(spec, counts[i], g, c)) {
      for (let b = 0; b < g.length; b++) for (let j = 0; j < ins[b]!.length; j++) outs[b]![j]!.set(ins[b]![j]!) // the moments as they are
      continue
    }
    if (flat) {
      const next = lastLink ? flatTo.theta : undefined
      const bad =
        arena !== undefined && f.arena !== undefined // every array is the arena's: its kernel
          ? f.arena(spec, c, arena, gFlat, flatFrom.theta, flatFrom.moments[i]!, flatTo.moments[i]!, k, next)
          : f.block(spec, c, gFlat, gFlat, flatFrom.theta, false, flatFrom.moments[i]!, flatTo.moments[i]!, k, next)
      if (lastLink) return bad // the last link took the final pass
      continue
    }
    let nonFinite = 0
    const kernel = arena !== undefined ? f.arena : undefined // the blocks are views of the arena's arrays: its kernel, block by block
    for (let b = 0; b < g.length; b++) {
      const next = lastLink ? to.theta[b]! : undefined
      nonFinite +=
        kernel !== undefined
          ? kernel(spec, c, arena!, g[b]!, from.theta[b]!, ins[b]!, outs[b]!, k, next)
          : f.block(spec, c, g[b]!, g[b]!, from.theta[b]!, b % 2 === 1, ins[b]!, outs[b]!, k, next)
    }
    if (lastLink) return nonFinite // the last link took the final pass
  }
  // no link took the final pass (none, or the last left the updates as they were)
  if (flat) return addScaled(flatFrom.theta, k, gFlat, flatTo.theta)
  let nonFinite = 0
  for (let b = 0; b < g.length; b++) nonFinite += addScaled(from.theta[b]!, k, g[b]!, to.theta[b]!)
  return nonFinite
}

/**
 * The factor k = −η(t) of a final `scaleByLearningRate` link (`prepare` writes it; that link
 * reads no gradient, so it can run before the gradient is known).
 */
const finalFactor = (link: Link, count: number | undefined): number => {
  link.f.prepare(link.spec, count, NONE, link.c)
  return link.c[0]!
}

// -------------------------------------------------------------------------------------
// the engine
// -------------------------------------------------------------------------------------

/** A matrix of this realm, at a glance (`M.isMatrix` also takes typed arrays of other realms, more slowly). */
const plainMatrix = (m: Matrix): boolean => typeof m === 'object' && m !== null && m.data instanceof Float64Array && m.rows * m.cols === m.data.length && m.rows >>> 0 === m.rows

/** Where a batch is, for a message: `name[s]`, or `name` alone for s < 0 (the one batch of a step). */
const placeOf = (name: string, s: number): string => (s < 0 ? name : `${name}[${s}]`)

/**
 * Refuses a batch that is not a pair of matrices of the network's sizes (`width` outputs),
 * naming it (see `placeOf`) after `fn`, the public function that was given it: a `TypeError`
 * for a value that is not a matrix, a `ShapeError` for a matrix of other sizes. The backprop
 * then trusts it (it is compiled with `check: false`).
 */
const checkBatch = (fn: string, net: Network, width: number, name: string, s: number, b: unknown): void => {
  if (typeof b !== 'object' || b === null) throw new TypeError(`${fn}: ${placeOf(name, s)}: expected { inputs, targets }, got ${describeValue(b)}`)
  const { inputs, targets } = b as EngineBatch
  if (plainMatrix(inputs) && plainMatrix(targets) && inputs.rows === net.inputSize && targets.rows === width && targets.cols === inputs.cols) return // the common case, quickly
  const at = placeOf(name, s)
  if (!M.isMatrix(inputs)) throw new TypeError(`${fn}: ${at}.inputs must be a Matrix (one sample per column), got ${describeValue(inputs)}`)
  if (!M.isMatrix(targets)) throw new TypeError(`${fn}: ${at}.targets must be a Matrix (one sample per column), got ${describeValue(targets)}`)
  if (inputs.rows !== net.inputSize) throw rowsError(fn, `${at}.inputs`, inputs, net.inputSize, 'the network expects')
  if (targets.rows !== width) throw rowsError(fn, `${at}.targets`, targets, width, 'the network outputs')
  if (targets.cols !== inputs.cols) throw samplesError(fn, `${at}.`, inputs, targets)
}

/** The number of outputs of a network (0 without layers). */
const widthOf = (net: Network): number => {
  const last = net.layers[net.layers.length - 1]
  return last === undefined ? 0 : last.weights.rows
}

/** `checkBatch` for each batch, named `name[s]`. */
const checkBatches = (fn: string, net: Network, name: string, batches: ReadonlyArray<EngineBatch>): void => {
  const width = widthOf(net)
  for (let s = 0; s < batches.length; s++) checkBatch(fn, net, width, name, s, batches[s])
}

/** The indices of the links that keep a count (those whose count is a number). */
const countedOf = (counts: ReadonlyArray<number | undefined>): ReadonlyArray<number> => {
  const out: number[] = []
  for (let i = 0; i < counts.length; i++) if (counts[i] !== undefined) out.push(i)
  return out
}

/** The last state a run or step handed out, with what the engine knows of it, so that a fold handing it back is not read again. */
interface Handed {
  readonly state: EngineState
  readonly blocks: Blocks
  readonly states: ReadonlyArray<LinkState>
  /** Each link's count (not written again: a run copies them before it counts). */
  readonly counts: ReadonlyArray<number | undefined>
  /** The links that keep a count. */
  readonly counted: ReadonlyArray<number>
}

/** True when two networks have the same shape and activations (a `Backprop` of one runs the other). */
const sameShape = (a: Network, b: Network): boolean => {
  if (a === b) return true
  if (a.inputSize !== b.inputSize || a.layers.length !== b.layers.length) return false
  for (let k = 0; k < a.layers.length; k++) {
    const x = a.layers[k]!
    const y = b.layers[k]!
    if (x.activation !== y.activation || x.weights.rows !== y.weights.rows || x.weights.cols !== y.weights.cols) return false
  }
  return true
}

/** What the engine asks of a backprop (a `Backprop`; a test may hand it gradients of its own). */
export type Gradienter = Pick<Backprop, 'sizes' | 'run' | 'runAdding' | 'nonFinite' | 'gradient' | 'flatGradient' | 'fresh' | 'scores'>

/**
 * The engine of a loss and a rule (see the module comment). Keep it for a run: it holds the
 * backprop of the last network shape it met (`compile`'s, by default `compileBackprop`) and two
 * private sets of blocks for it, in an arena for networks of `arenaMinParameters` or more when a
 * link has a kernel there.
 */
export const engine = (
  loss: Loss,
  rule: UpdateRule,
  compile: (net: Network) => Gradienter = (net) => compileBackprop(net, loss, { check: false }),
  arenaMinParameters: number = ARENA_MIN_PARAMETERS
): Engine => {
  const links: Link[] = []
  const tree = flatten(rule, links, true)
  const byBias = links.some((l) => l.spec.kind === 'addDecayedWeights' && !l.spec.bias) // a link that treats the biases apart: steps go block by block
  /**
   * The rule is a final `scaleByLearningRate` alone (`sgd`, `chain(scaleByLearningRate(η))`):
   * a step is θ + (−η(t))·g, which the backprop can write itself as it finds g
   * (`Backprop.runAdding`, the same bits as the final pass of `step`).
   */
  const addsAlone = links.length === 1 && links[0]!.final
  /** A link of the rule has a kernel in an arena: large networks step in an arena (see `ARENA_MIN_PARAMETERS`). */
  const arenaRule = links.some((l) => l.f.arena !== undefined)
  let compiled: { readonly net: Network; readonly bp: Gradienter } | undefined
  /** The private sets of the compiled shape (made at its first run), in an arena or not, held while that shape is. */
  let resident: { readonly bp: Gradienter; readonly r: Resident } | undefined
  /** A run, or a step in the arena, is under way: a call made meanwhile (from `onStep`, or a loss) takes sets of its own, leaving these alone. */
  let busy = false
  /** The last state a run handed out, with its blocks: a fold hands it back as the next run's start, which then need not be read again. */
  let handed: Handed | undefined

  /** `start` as the engine last handed it out (read already), else undefined. */
  const knownOf = (start: EngineState): Handed | undefined => (handed !== undefined && handed.state.network === start.network && handed.state.opt === start.opt ? handed : undefined)
  /** The links' states of `start` (the known ones, or read now); undefined when the rule cannot read them. */
  const statesOf = (start: EngineState, known: Handed | undefined): LinkState[] | undefined => {
    if (known !== undefined) return known.states as LinkState[]
    const states: LinkState[] = new Array(links.length)
    return read(tree, links, start.opt, paramsOf(start.network), states) ? states : undefined
  }

  /**
   * The backprop for the network's shape. `known`: the network is the last state handed out,
   * whose shape the backprop has (a new shape forgets that state, so that this holds).
   */
  const backpropFor = (net: Network, known: boolean): Gradienter => {
    if (compiled === undefined || (!known && !sameShape(compiled.net, net))) {
      compiled = { net, bp: compile(net) }
      handed = undefined
    }
    return compiled.bp
  }

  /**
   * The private sets for the backprop's shape: in an arena when the rule and the size call for
   * one and WebAssembly is there, else in JavaScript memory. A call made while another is under
   * way gets sets of its own, kept by no one.
   */
  const residentFor = (bp: Gradienter, states: ReadonlyArray<LinkState>): Resident => {
    if (busy) return plainResident(bp.sizes, states)
    if (resident?.bp !== bp) resident = { bp, r: (arenaRule && totalOf(bp.sizes) >= arenaMinParameters ? residentOf(bp.sizes, states) : undefined) ?? plainResident(bp.sizes, states) }
    return resident.r
  }

  /**
   * Where the steps start: the private set the last state handed out is over (handed out as a
   * copy), else the start's parameters and moments copied into the first set. Either way the
   * last state handed out is forgotten until the call ends (its set may be written).
   */
  const startIn = (r: Resident, known: Handed | undefined, net: Network, states: ReadonlyArray<LinkState>): Blocks => {
    handed = undefined
    if (known !== undefined && (known.blocks === r.sets[0] || known.blocks === r.sets[1])) return known.blocks
    copyInto(r.sets[0], known?.blocks ?? blocksOfState(net, states))
    return r.sets[0]
  }

  const run = (start: EngineState, batches: ReadonlyArray<EngineBatch>, options: RunOptions = {}): Run | undefined => {
    const net = start.network
    const known = knownOf(start) // our own last state: read already
    const states = statesOf(start, known)
    if (states === undefined) return undefined
    const { onStep, scoreOn, everyStep } = options
    if (net.layers.length === 0) throw new RangeError('the network has no layers')
    if (options.trusted !== true) {
      checkBatches('trainSteps', net, 'batches', batches)
      if (scoreOn !== undefined) checkBatches('trainSteps', net, 'scoreOn', scoreOn)
    }
    const every = options.checkpointEvery ?? 0
    const scoreEvery = options.scoreEvery ?? 0
    const bp = backpropFor(net, known !== undefined)
    const counts = known === undefined ? states.map((s) => s.count) : known.counts.slice() // written as the steps are taken: the known state's stay as they were
    const losses = new Array<number>(batches.length) // the first `taken` are the steps' (on the heap: a typed array this size would be allocated outside it, at a far higher cost)
    let taken = 0
    const checkpoints: Array<Run['checkpoints'][number]> = every > 0 ? [] : (NO_CHECKPOINTS as Array<Run['checkpoints'][number]>)
    const curve: Array<Run['curve'][number]> = scoreEvery > 0 ? [] : (NO_POINTS as Array<Run['curve'][number]>)
    const scoresOf = (set: Blocks): ReadonlyArray<Scores> | undefined => {
      if (scoreOn === undefined) return undefined
      const out = new Array<Scores>(scoreOn.length) // its exact size (one batch, most often): taken every epoch
      for (let b = 0; b < scoreOn.length; b++) out[b] = bp.scores(set.flat?.theta ?? set.theta, scoreOn[b]!.inputs, scoreOn[b]!.targets)
      return out
    }
    const r = residentFor(bp, states) // the two private sets the steps take turns in
    let from = startIn(r, known, net, states) // θₛ and the moments
    let other = r.sets[from === r.sets[0] ? 1 : 0] // the set the next step writes
    let stopped: RunStop | undefined
    let lastCheckpoint: Run['checkpoints'][number] | undefined // (read from here, not as checkpoints[length − 1]: an index past the end of the frozen NO_CHECKPOINTS is a slow lookup)
    let toCheckpoint = every // steps left before the next checkpoint (none with 0), and before the next point of the curve
    let toScore = scoreEvery
    const counted = known?.counted ?? countedOf(counts) // the links that keep a count
    const adding = addsAlone && batches.length > 1 // see `addsAlone`: for a run of many steps, between flat sets
    const wasBusy = busy
    busy = true
    try {
      for (let s = 0; s < batches.length; s++) {
        const { inputs, targets } = batches[s]!
        const theta = from.flat?.theta ?? from.theta
        let value: number // Lₛ
        let nonFinite: number
        let to: Blocks // the set this step writes
        if (adding) {
          to = other
          value = bp.runAdding(theta, inputs, targets, finalFactor(links[0]!, counts[0]), to.flat!.theta) // θₛ + (−η)·gₛ into `to`
          nonFinite = bp.nonFinite
          if (!everyStep && !Number.isFinite(value)) {
            stopped = { step: s, reason: 'loss', loss: value }
            break
          }
        } else {
          value = bp.run(theta, inputs, targets) // and gₛ into bp.gradient
          if (!everyStep && !Number.isFinite(value)) {
            stopped = { step: s, reason: 'loss', loss: value }
            break
          }
          to = other
          if (r.arena !== undefined) {
            gatherGradient(r, bp)
            nonFinite = step(links, counts, r.gBlocks, r.g, from, to, byBias, r.arena)
          } else nonFinite = step(links, counts, bp.gradient, bp.flatGradient, from, to, byBias, undefined)
        }
        if (!everyStep && nonFinite !== 0) {
          stopped = { step: s, reason: 'parameters', loss: value }
          break
        }
        for (let j = 0; j < counted.length; j++) counts[counted[j]!]! += 1
        other = from // free again
        from = to
        losses[taken++] = value
        if (onStep !== undefined) onStep(s, value)
        if (--toCheckpoint === 0) {
          toCheckpoint = every
          const kept = copyBlocks(from)
          lastCheckpoint = { steps: s + 1, state: stateOver(net, tree, links, kept, counts, start.step + s + 1), scores: scoresOf(kept) }
          checkpoints.push(lastCheckpoint)
        }
        if (--toScore === 0) {
          toScore = scoreEvery
          curve.push({ steps: s + 1, scores: lastCheckpoint !== undefined && lastCheckpoint.steps === s + 1 ? lastCheckpoint.scores! : scoresOf(from)! })
        }
      }
    } finally {
      busy = wasBusy
    }
    const last = lastCheckpoint
    const state: EngineState =
      taken === 0
        ? start
        : last !== undefined && last.steps === taken
          ? last.state
          : stateOver(net, tree, links, copyBlocks(from), counts, start.step + taken) // a copy: `from` stays private
    const scores = taken > 0 && last !== undefined && last.steps === taken ? last.scores : scoresOf(from)
    if (taken > 0) handed = { state, blocks: from, states, counts, counted } // `counts` is not written again: the next run copies it
    return { state, loss: taken === 0 ? undefined : losses[taken - 1], stopped, losses: taken === losses.length ? losses : losses.slice(0, taken), checkpoints, curve, scores }
  }
  const one = (start: EngineState, batch: EngineBatch): { readonly state: EngineState; readonly loss: number } | undefined => {
    const net = start.network
    const known = knownOf(start)
    const states = statesOf(start, known)
    if (states === undefined) return undefined
    if (net.layers.length === 0) throw new RangeError('the network has no layers')
    checkBatch('trainStep', net, widthOf(net), 'batch', -1, batch)
    const bp = backpropFor(net, known !== undefined)
    // in an arena, between its two sets, the new state a copy; else from the caller's buffers (or a set the engine holds, only read) into fresh ones, the new state's own
    const r = arenaRule && !busy ? residentFor(bp, states) : undefined
    const inArena = r?.arena !== undefined ? r : undefined
    const from = inArena !== undefined ? startIn(inArena, known, net, states) : (known?.blocks ?? blocksOfState(net, states))
    const wasBusy = busy
    busy = true // a loss of the caller's may call this engine: that call takes sets of its own
    let loss: number
    try {
      loss = bp.run(from.flat?.theta ?? from.theta, batch.inputs, batch.targets)
    } finally {
      busy = wasBusy
    }
    const counts = known === undefined ? states.map((s) => s.count) : known.counts.slice()
    let to: Blocks
    if (inArena !== undefined) {
      to = inArena.sets[from === inArena.sets[0] ? 1 : 0]
      gatherGradient(inArena, bp)
      step(links, counts, inArena.gBlocks, inArena.g, from, to, byBias, inArena.arena) // taken, finite or not
    } else {
      to = freshBlocks(bp.sizes, states, bp.fresh ? bp.gradient : undefined)
      step(links, counts, bp.gradient, bp.flatGradient, from, to, byBias, undefined) // taken, finite or not
    }
    const counted = known?.counted ?? countedOf(counts)
    for (let j = 0; j < counted.length; j++) counts[counted[j]!]! += 1
    // out of the arena, a copy (its parameters in the backprop's gradient blocks when it gives them up: copied into the arena already, they are no one's)
    const state = stateOver(net, tree, links, inArena !== undefined ? copyBlocks(to, bp.fresh ? bp.gradient : undefined) : to, counts, start.step + 1)
    handed = { state, blocks: to, states, counts, counted }
    return { state, loss }
  }
  const fits = (network: Network, opt: unknown): boolean => read(tree, links, opt, paramsOf(network), new Array(links.length))
  return { fits, run, one }
}
