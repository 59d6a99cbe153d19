/**
 * Backpropagation compiled for one network shape and one loss: the backend an optimizer's loop
 * runs step after step, with the parameters as plain blocks of numbers.
 *
 * `gradients` is the definition (its reference, `denseGradients`, is the dense layer's rules
 * one formula a line). A loop that takes thousands of steps does not want a new `Network` and
 * a new `Gradients` tree each step: it keeps the parameters θ in blocks of its own (layer 0's
 * weights row by row, layer 0's bias, layer 1's weights, …) and asks for ∂L/∂θ in the same
 * blocks. `compileBackprop(net, loss)` answers that, choosing once per batch width the fastest
 * backend with the reference's bits:
 *
 * - small networks on small batches (the tutorial's XOR, trained one sample at a time): the
 *   fused loops of `internal/small.ts` over one scratch buffer, and for a tiny network of
 *   element-wise layers, kernels written out for its shape (`internal/generated.ts`);
 * - anything larger: `denseGradients` itself, whose products run in `@purenn/matrix`'s kernels
 *   (WebAssembly where it loads).
 *
 * `runAdding` is `run` with the gradient added to the parameters rather than handed out
 * (θ + k·g, BLAS's axpy): the kernels written out for tiny shapes add each entry as they find
 * it; the other backends add after `run`. The caller chooses k (an optimizer's −η).
 *
 * Each backend is checked against `denseGradients` by a property test of its own
 * (test/compiledBackprop.test.ts, test/generated.test.ts, test/small.test.ts).
 *
 * The value owns its scratch, its kernels and its gradient blocks: its holder may overwrite
 * the blocks `gradient` hands it (an optimizer's update, in place) until the next `run`, and
 * nothing else sees them. Nothing it hands out is a `Network` or a `Matrix` of anyone's.
 *
 * @since 0.3.0
 */
import type { Matrix } from '@purenn/matrix'
import { denseGradients } from './backprop.js'
import type { Loss } from './Loss.js'
import { isBuiltinLoss } from './Loss.js'
import { scores } from './metrics.js'
import { outputSize } from './Network.js'
import type { Layer, Network, Scores } from './types.js'
import { addScaledInto } from './internal/axpy.js'
import { buf, matrix } from './internal/buffer.js'
import { describeValue, networkArg } from './internal/describe.js'
import type { Kernels } from './internal/generated.js'
import { checkBatch as checkNetworkBatch } from './internal/shapes.js'
import { gatherBlocks, isSmall, smallKernels, smallPlan, smallRun, smallScoresOf } from './internal/small.js'
import { workspace } from './Workspace.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Backpropagation compiled for a network's shape and a loss (see the module comment). The
 * parameters come as blocks, two a layer: its weights (row by row, `nodes x inputs`) then its
 * bias (`nodes`), layer after layer; `sizes` gives each block's length.
 *
 * @example
 * import { network, addLayer, randomize, compileBackprop, parameterBlocks, mse, sigmoid } from '@purenn/network'
 * import { fromArray, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const bp = compileBackprop(net, mse)
 * bp.sizes // => [2, 1]
 * const loss = bp.run(parameterBlocks(net), fromArray([0, 1]), fromArray([1]))
 * loss > 0 // => true
 * bp.gradient.length // => 2
 *
 * @category backprop
 * @since 0.3.0
 */
export interface Backprop {
  readonly _tag: 'Backprop'
  /** The length of each parameter block: layer k's weights at 2k, its bias at 2k + 1. */
  readonly sizes: ReadonlyArray<number>
  /**
   * The loss of a batch (`inputs` and `targets`, one sample per column) at the parameters
   * `theta`, only read: blocks of `sizes`, or one flat array of them all, block after block (the
   * small backends read that layout as it is), its gradient written into `gradient`. Throws a
   * `RangeError` or `TypeError` naming a block of the wrong size, or a `ShapeError` (a
   * `RangeError`) naming a batch of the wrong shape and both shapes.
   */
  readonly run: (theta: ReadonlyArray<Float64Array> | Float64Array, inputs: Matrix, targets: Matrix) => number
  /** ∂L/∂θ from the last `run`, in blocks of `sizes`: the backprop's own, which its holder may overwrite until the next `run`. */
  readonly gradient: ReadonlyArray<Float64Array>
  /** The flat array `gradient`'s blocks are views of, when they are the backprop's own (the small backends), else undefined. */
  readonly flatGradient: Float64Array | undefined
  /**
   * True when the last `run`'s `gradient` blocks are new and the backprop gives them up: it
   * will never read or write them again, so its holder may keep them (a loop may make them its
   * next parameters). False when they are the backprop's own, written again by the next `run`.
   */
  readonly fresh: boolean
  /**
   * `run` with the gradient added to the parameters rather than handed out: the loss, and
   * θ + k·∂L/∂θ written into `next`, one flat array of every parameter (block after block),
   * each entry rounded as `θ + k·g` rounds (BLAS's axpy, y ← a·x + y, on the gradient). A
   * kernel written out for a tiny shape adds each entry as it finds it (one store and one pass
   * over the parameters fewer: a quarter of a step on XOR); the other backends add after `run`.
   * `gradient` is then not written (what it holds is unspecified until the next `run`), and
   * `nonFinite` says whether the entries written are finite. The caller chooses k (an
   * optimizer's −η: the sign of a step is the optimizer's, not the backprop's).
   */
  readonly runAdding: (theta: ReadonlyArray<Float64Array> | Float64Array, inputs: Matrix, targets: Matrix, k: number, next: Float64Array) => number
  /** After `runAdding`: Σ (vᵢ − vᵢ) over the entries vᵢ it wrote, 0 when every one is finite and NaN otherwise (x − x is NaN for ±∞ and NaN). */
  readonly nonFinite: number
  /** The scores (Error, mean loss, count right) of a batch at the parameters `theta`, as `scores` gives them for the network over those parameters. */
  readonly scores: (theta: ReadonlyArray<Float64Array> | Float64Array, inputs: Matrix, targets: Matrix) => Scores
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The parameter blocks of a network (see `Backprop`): its own buffers, to be read, never
 * written.
 *
 * @example
 * import { network, addLayer, parameterBlocks, sigmoid } from '@purenn/network'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net = pipe(network(3), addLayer({ nodes: 2, activation: sigmoid }))
 * parameterBlocks(net).map((b) => b.length) // => [6, 2]
 *
 * @category backprop
 * @since 0.3.0
 */
export const parameterBlocks = (net: Network): ReadonlyArray<Float64Array> => {
  const out: Float64Array[] = [] // pushed: a packed array
  for (const { weights, bias } of net.layers) out.push(buf(weights), buf(bias))
  return out
}

/**
 * A network of `net`'s shape and activations over the given parameter blocks (see `Backprop`),
 * which it takes as they are, without a copy: hand it blocks nothing will write again.
 *
 * @example
 * import { network, addLayer, networkOver, sigmoid } from '@purenn/network'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const net = pipe(network(1), addLayer({ nodes: 1, activation: sigmoid }))
 * networkOver(net, [Float64Array.of(2), Float64Array.of(-1)]).layers[0]!.bias.data[0] // => -1
 *
 * @category backprop
 * @since 0.3.0
 */
export const networkOver = (net: Network, theta: ReadonlyArray<Float64Array>): Network => {
  checkBlocks('networkOver', net, theta)
  return wrap(net, theta)
}

/**
 * θ + k·g into `next` (θ and `next` in the flat layout, `g` as its blocks): `runAdding` after
 * a backend's `run`. Returns Σ (v − v): 0 when every entry is finite.
 */
const addInto = (theta: Float64Array, k: number, g: ReadonlyArray<Float64Array>, next: Float64Array): number => {
  let bad = 0
  for (let b = 0, at = 0; b < g.length; at += g[b]!.length, b++) bad += addScaledInto(theta, at, k, g[b]!, next, at)
  return bad
}

/** Views of consecutive blocks of the given sizes in a flat array. */
const viewsOf = (flat: Float64Array, sizes: ReadonlyArray<number>): Float64Array[] => {
  const out: Float64Array[] = []
  for (let b = 0, at = 0; b < sizes.length; at += sizes[b]!, b++) out.push(flat.subarray(at, at + sizes[b]!))
  return out
}

const wrap = (net: Network, theta: ReadonlyArray<Float64Array>): Network => {
  const layers: Layer[] = [] // pushed: a packed array, like every network's
  for (let k = 0; k < net.layers.length; k++) {
    const { weights, activation } = net.layers[k]!
    layers.push({ weights: matrix(weights.rows, weights.cols, theta[2 * k]!), bias: matrix(weights.rows, 1, theta[2 * k + 1]!), activation })
  }
  return { inputSize: net.inputSize, layers }
}

const checkBlocks = (fn: string, net: Network, theta: ReadonlyArray<Float64Array>): void => {
  if (!Array.isArray(theta)) throw new TypeError(`${fn}: expected the parameter blocks (an array of Float64Array), got ${describeValue(theta)}`)
  const L = net.layers.length
  if (theta.length !== 2 * L) throw new RangeError(`${fn}: expected ${2 * L} parameter blocks (weights and bias of ${L} layers), got ${theta.length}`)
  for (let k = 0; k < L; k++) {
    const { rows, cols } = net.layers[k]!.weights
    const w: unknown = theta[2 * k]
    const b: unknown = theta[2 * k + 1]
    if (!(w instanceof Float64Array) || w.length !== rows * cols)
      throw new RangeError(`${fn}: block ${2 * k} (layer ${k} weights) must be a Float64Array of ${rows * cols} numbers, got ${describeValue(w)}`)
    if (!(b instanceof Float64Array) || b.length !== rows) throw new RangeError(`${fn}: block ${2 * k + 1} (layer ${k} bias) must be a Float64Array of ${rows} numbers, got ${describeValue(b)}`)
  }
}

const checkBatch = (fn: string, net: Network, inputs: Matrix, targets: Matrix): void => checkNetworkBatch(fn, net, outputSize(net), inputs, targets)

/**
 * Backpropagation compiled for `net`'s shape and activations and for `loss` (see `Backprop`).
 * The same losses and gradients as `gradients` on the network over the same parameters, bit
 * for bit. With `{ generate: false }`, no kernel is written out with `new Function` (the fused
 * loops run instead, with the same bits). With `{ check: false }`, `run` and `scores` trust
 * their arguments: for a loop that has checked its batches and owns its blocks (on the
 * tutorial's XOR network the checks are a quarter of a step); a wrong size is then not refused
 * but read out of bounds (`undefined`, NaN).
 *
 * @example
 * import { network, addLayer, randomize, compileBackprop, parameterBlocks, gradients, mse, sigmoid } from '@purenn/network'
 * import { fromArray, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 2, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const bp = compileBackprop(net, mse)
 * const x = fromArray([0, 1])
 * const t = fromArray([1])
 * bp.run(parameterBlocks(net), x, t) === gradients(mse, x, t)(net).loss // => true
 *
 * @category backprop
 * @since 0.3.0
 */
export const compileBackprop = (net: Network, loss: Loss, options: { readonly generate?: boolean; readonly check?: boolean } = {}): Backprop => {
  networkArg('compileBackprop', net)
  if (net.layers.length === 0) throw new RangeError('compileBackprop: the network has no layers')
  if (typeof loss !== 'object' || loss === null || typeof loss.value !== 'function' || typeof loss.gradient !== 'function')
    throw new TypeError(`compileBackprop: loss must be a Loss (mse, crossEntropy, ...), got ${describeValue(loss)}`)
  const ws = workspace({ generate: options.generate !== false })
  const builtin = isBuiltinLoss(loss)
  const plan = builtin ? smallPlan(net, loss) : undefined
  const sizes = parameterBlocks(net).map((b) => b.length)
  const P = sizes.reduce((n, size) => n + size, 0)
  const ownFlat = new Float64Array(P) // the small backends' gradient, in the flat layout
  const own = viewsOf(ownFlat, sizes) // and as blocks
  const gathered = new Float64Array(P) // parameters given as blocks, gathered into the flat layout the small backends read
  // the widest batch the small backends take, worked out once (`isSmall` holds for every width up to it, and none past it; 0: none)
  let widest = 0
  if (plan !== undefined) while (isSmall(net, widest + 1)) widest++
  const small = (B: number): boolean => (B === 0 ? plan !== undefined && isSmall(net, 0) : B <= widest)
  const kernels: Kernels | undefined = small(1) ? smallKernels(plan!, ws) : undefined // written out once, for the shape (a tiny network of element-wise layers)
  const out = new Float64Array(Math.max(2, outputSize(net))) // where a kernel written out leaves the outputs, then the loss (and `runAdding`'s Σ (v − v))
  const check = options.check !== false
  /** The parameters in the flat layout: as given, or gathered from blocks. */
  const flatOf = (theta: ReadonlyArray<Float64Array> | Float64Array): Float64Array => {
    if (theta instanceof Float64Array) return theta
    gatherBlocks(theta, gathered, 0)
    return gathered
  }
  /** The parameters as blocks: as given, or views of a flat array. */
  const blocksOf = (theta: ReadonlyArray<Float64Array> | Float64Array): ReadonlyArray<Float64Array> => (theta instanceof Float64Array ? viewsOf(theta, sizes) : theta)
  const checkNext = (theta: ReadonlyArray<Float64Array> | Float64Array, next: Float64Array): void => {
    if (!(next instanceof Float64Array) || next.length !== P)
      throw new RangeError(`Backprop.runAdding: next must be a Float64Array of ${P} numbers (every parameter, block after block), got ${describeValue(next)}`)
    const blocks = theta instanceof Float64Array ? [theta] : theta
    if (blocks.some((b) => b.buffer === next.buffer)) throw new RangeError('Backprop.runAdding: next must not share memory with theta (the kernels read θ after writing entries of next)')
  }
  const checkTheta = (fn: string, theta: ReadonlyArray<Float64Array> | Float64Array): void => {
    if (!(theta instanceof Float64Array)) return checkBlocks(fn, net, theta)
    if (theta.length !== P) throw new RangeError(`${fn}: expected ${P} parameters in the flat layout, got ${theta.length}`)
  }
  /** The gradient is ours again (after a run of the dense path). */
  const own_ = (): void => {
    self.gradient = own
    self.flatGradient = ownFlat
    self.fresh = false
  }
  /** `run` once its arguments are checked: the loss, the gradient into `self.gradient` by the backend for the batch's width. */
  const gradientOf = (theta: ReadonlyArray<Float64Array> | Float64Array, inputs: Matrix, targets: Matrix): number => {
    const B = inputs.cols
    if (B === 1 && kernels !== undefined) {
      // the tutorial's case: samplePass, written out for the shape, straight into our gradient
      if (self.fresh) own_()
      kernels.gradients(flatOf(theta), ownFlat, out, buf(inputs), buf(targets))
      return out[0]!
    }
    if (small(B)) {
      if (self.fresh) own_()
      return smallRun(plan!, loss, flatOf(theta), inputs, targets, ownFlat, ws)
    }
    const r = denseGradients(wrap(net, blocksOf(theta)), loss, inputs, targets) // the reference itself: its buffers are fresh, and become ours
    const blocks: Float64Array[] = []
    for (const g of r.gradients) blocks.push(buf(g.weights), buf(g.bias))
    self.gradient = blocks
    self.flatGradient = undefined
    self.fresh = true
    return r.loss
  }
  // a plain object whose fields each run sets (data properties: read every step, getters would cost a call)
  const self: { -readonly [K in keyof Backprop]: Backprop[K] } = {
    _tag: 'Backprop',
    sizes,
    gradient: own,
    flatGradient: ownFlat,
    fresh: false,
    nonFinite: 0,
    runAdding: (theta, inputs, targets, k, next) => {
      if (check) {
        checkTheta('Backprop.runAdding', theta)
        checkBatch('Backprop.runAdding', net, inputs, targets)
        checkNext(theta, next)
      }
      const flat = flatOf(theta) // gathered once when given as blocks: the kernels and the sum after `run` both read it
      if (inputs.cols === 1 && kernels !== undefined) {
        // the tutorial's case: each θ + k·g as the kernel finds g
        kernels.axpy(flat, next, out, buf(inputs), buf(targets), k)
        self.nonFinite = out[1]!
        return out[0]!
      }
      const value = gradientOf(flat, inputs, targets)
      self.nonFinite = addInto(flat, k, self.gradient, next)
      return value
    },
    run: (theta, inputs, targets) => {
      if (check) {
        checkTheta('Backprop.run', theta)
        checkBatch('Backprop.run', net, inputs, targets)
      }
      return gradientOf(theta, inputs, targets)
    },
    scores: (theta, inputs, targets) => {
      if (check) {
        checkTheta('Backprop.scores', theta)
        checkBatch('Backprop.scores', net, inputs, targets)
      }
      if (small(inputs.cols)) return smallScoresOf(plan!, loss, flatOf(theta), inputs, targets, ws, kernels)
      return scores(wrap(net, blocksOf(theta)), loss, inputs, targets)
    }
  }
  return self
}
