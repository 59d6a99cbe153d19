/**
 * Gradient descent over a sequence of batches, in one call: the loop every trainer runs,
 * written once so that its steps need not build a network each.
 *
 * From a network θ₀ and batches 0 … n−1, step s takes the loss Lₛ and the gradients gₛ of
 * batch s at θₛ (by `gradients`), then θₛ₊₁ = θₛ − ηₛ·gₛ for every weight and bias, computed as
 * θₛ + (−ηₛ)·gₛ (the same bits: negation is exact). The result is θₙ and the losses L₀ … Lₙ₋₁,
 * each measured before its step: the very numbers that folding `gradients` and that update
 * over the batches gives.
 *
 * Why one call: a step that returns a new network must allocate every weight and bias again,
 * which on a small network costs more than the step's arithmetic. Here the parameters live in
 * two private sets of buffers that take turns (θₛ is read from one while θₛ₊₁ is written into
 * the other), and one network is built at the end. Nothing private reaches the caller or a
 * callback: the network handed back owns buffers no one writes again, `onStep` is told only
 * the step and its loss, and custom losses and activations see what `gradients` shows them.
 *
 * A step that would leave the finite numbers is not taken: when the loss of batch s is not
 * finite, or when θₛ₊₁ holds a weight or a bias that is not, the descent stops there and
 * returns θₛ, the last finite network, with `stopped` saying which step and why.
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import { dual } from './internal/dual.js'
import { denseGradients } from './backprop.js'
import type { Loss } from './Loss.js'
import { scores } from './metrics.js'
import { outputSize } from './Network.js'
import type { Layer, Network, Scores } from './types.js'
import { buf, matrix } from './internal/buffer.js'
import { describeValue, isMatrix } from './internal/describe.js'
import { smallDescent, smallGradientsApply } from './internal/small.js'
import { scoredAt, type Keeping } from './internal/keeping.js'
import type { Workspace } from './Workspace.js'
import type { Descent, DescentBatch, DescentCheckpoint, DescentOptions, DescentScores, DescentStop } from './descentTypes.js'

export type { Descent, DescentBatch, DescentCheckpoint, DescentOptions, DescentScores, DescentStop } from './descentTypes.js'

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

const checkOptions = (net: Network, o: DescentOptions): void => {
  if (net.layers.length === 0) throw new RangeError('descend: the network has no layers')
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`descend: expected { loss, batches, learningRate }, got ${describeValue(o)}`)
  const loss: unknown = o.loss
  if (typeof loss !== 'object' || loss === null || typeof (loss as Loss).value !== 'function' || typeof (loss as Loss).gradient !== 'function')
    throw new TypeError(`descend: loss must be a Loss (mse, crossEntropy, ...), got ${describeValue(loss)}`)
  const ws: unknown = o.workspace
  if (ws !== undefined && (typeof ws !== 'object' || ws === null || (ws as Workspace)._tag !== 'Workspace'))
    throw new TypeError(`descend: workspace must be a Workspace (from workspace()), got ${describeValue(ws)}`)
  const lr: unknown = o.learningRate
  if (typeof lr !== 'function' && !(typeof lr === 'number' && Number.isFinite(lr) && lr > 0))
    throw new RangeError(`descend: learningRate must be a positive finite number or a function of the step, got ${describeValue(lr)}`)
  if (o.onStep !== undefined && typeof o.onStep !== 'function')
    throw new TypeError(`descend: onStep must be a function, got ${describeValue(o.onStep)}`)
  const every: unknown = o.checkpointEvery
  if (every !== undefined && !(typeof every === 'number' && Number.isSafeInteger(every) && every > 0))
    throw new RangeError(`descend: checkpointEvery must be a positive integer, got ${describeValue(every)}`)
  const scoreEvery: unknown = o.scoreEvery
  if (scoreEvery !== undefined && !(typeof scoreEvery === 'number' && Number.isSafeInteger(scoreEvery) && scoreEvery > 0))
    throw new RangeError(`descend: scoreEvery must be a positive integer, got ${describeValue(scoreEvery)}`)
  if (scoreEvery !== undefined && o.scoreOn === undefined) throw new RangeError('descend: scoreEvery needs scoreOn, the batches to score on')
  checkBatches(net, 'batches', o.batches)
  if (o.scoreOn !== undefined) checkBatches(net, 'scoreOn', o.scoreOn)
}

const checkBatches = (net: Network, name: string, batches: unknown): void => {
  if (!Array.isArray(batches)) throw new TypeError(`descend: ${name} must be an array of { inputs, targets }, got ${describeValue(batches)}`)
  const width = outputSize(net)
  for (let s = 0; s < batches.length; s++) {
    const b: unknown = batches[s]
    if (typeof b !== 'object' || b === null) throw new TypeError(`descend: ${name}[${s}] must be { inputs, targets }, got ${describeValue(b)}`)
    const { inputs, targets } = b as DescentBatch
    if (!isMatrix(inputs)) throw new TypeError(`descend: ${name}[${s}].inputs must be a Matrix (one sample per column), got ${describeValue(inputs)}`)
    if (!isMatrix(targets)) throw new TypeError(`descend: ${name}[${s}].targets must be a Matrix (one sample per column), got ${describeValue(targets)}`)
    if (inputs.rows !== net.inputSize)
      throw new RangeError(`descend: ${name}[${s}].inputs has ${inputs.rows} rows, the network expects ${net.inputSize} (one sample per column)`)
    if (targets.rows !== width)
      throw new RangeError(`descend: ${name}[${s}].targets has ${targets.rows} rows, the network outputs ${width} (one sample per column)`)
    if (targets.cols !== inputs.cols)
      throw new RangeError(`descend: ${name}[${s}].inputs has ${inputs.cols} samples (columns) but targets has ${targets.cols}`)
  }
}

// -------------------------------------------------------------------------------------
// the loop
// -------------------------------------------------------------------------------------

/** A network over the given parameter buffers (the layers give shapes and activations). */
const networkOver = (net: Network, ws: ReadonlyArray<Float64Array>, bs: ReadonlyArray<Float64Array>): Network => {
  const layers: Layer[] = [] // pushed: a packed array, like every network's
  for (let k = 0; k < net.layers.length; k++) {
    const { weights, activation } = net.layers[k]!
    layers.push({ weights: matrix(weights.rows, weights.cols, ws[k]!), bias: matrix(weights.rows, 1, bs[k]!), activation })
  }
  return { inputSize: net.inputSize, layers }
}

/**
 * `θ' = θ + k·g` for one matrix, written into `out`; returns Σ (θ' − θ') over its entries,
 * which is 0 when every θ' is finite and NaN otherwise (x − x is NaN for ±∞ and NaN).
 */
const stepInto = (theta: Float64Array, g: Float64Array, k: number, out: Float64Array): number => {
  let nonFinite = 0
  for (let i = 0; i < out.length; i++) {
    const v = theta[i]! + k * g[i]! // θ + (−η)·g
    out[i] = v
    nonFinite += v - v
  }
  return nonFinite
}

const descendWith = (net: Network, o: DescentOptions): Descent => {
  checkOptions(net, o)
  const { loss, batches, learningRate, onStep, scoreOn } = o
  const rate = typeof learningRate === 'function' ? learningRate : undefined
  const eta = typeof learningRate === 'number' ? learningRate : 0
  const every = o.checkpointEvery ?? 0
  const scoreEvery = o.scoreEvery ?? 0
  const losses: number[] = []
  const checkpoints: DescentCheckpoint[] = []
  const curve: DescentScores[] = []
  let widest = 0 // the widest batch: the fused path's limits grow with the batch
  for (let b = 0; b < batches.length; b++) widest = Math.max(widest, batches[b]!.inputs.cols)
  const run = smallGradientsApply(net, loss, widest) // a built-in loss, and layers within the fused path's limits
    ? smallDescent(net, loss, batches, rate, eta, onStep, losses, { scoreOn, scoreLarge: (trained, x, t) => scores(trained, loss, x, t), every, checkpoints, scoreEvery, curve }, o.workspace)
    : denseDescent(net, loss, batches, rate, eta, onStep, losses, { scoreOn, every, checkpoints, scoreEvery, curve })
  const out: { -readonly [K in keyof Descent]: Descent[K] } = { network: run.network, losses, stopped: run.stopped }
  if (run.scores !== undefined) out.scores = run.scores
  if (every > 0) out.checkpoints = checkpoints
  if (scoreEvery > 0) out.curve = curve
  return out
}

/**
 * The general loop of `descend`: each step's gradients by `denseGradients` (the dense layer's
 * rules, by batched products), then θₛ₊₁ = θₛ + (−ηₛ)·gₛ into private buffers. Small networks
 * take a fused loop that agrees with this one bit for bit (`smallDescent`, `internal/small.ts`).
 */
const denseDescent = (
  net: Network,
  loss: Loss,
  batches: ReadonlyArray<DescentBatch>,
  rate: ((step: number) => number) | undefined,
  eta: number,
  onStep: ((step: number, loss: number) => void) | undefined,
  losses: number[],
  keep: Keeping
): { network: Network; stopped: DescentStop | undefined; scores: ReadonlyArray<Scores> | undefined } => {
  const layers = net.layers
  const L = layers.length
  // θₛ is read from (ws, bs): the network's own buffers at first, then ours. θₛ₊₁ is written
  // into (nws, nbs), a set that is never the network's; then the two sets swap.
  let ws: Float64Array[] = new Array(L)
  let bs: Float64Array[] = new Array(L)
  let nws: Float64Array[] = new Array(L)
  let nbs: Float64Array[] = new Array(L)
  const spareW: Float64Array[] = new Array(L) // the second private set, used from step 1 on
  const spareB: Float64Array[] = new Array(L)
  for (let k = 0; k < L; k++) {
    const { weights, bias } = layers[k]!
    ws[k] = buf(weights)
    bs[k] = buf(bias)
    nws[k] = new Float64Array(weights.rows * weights.cols)
    nbs[k] = new Float64Array(weights.rows)
    spareW[k] = new Float64Array(weights.rows * weights.cols)
    spareB[k] = new Float64Array(weights.rows)
  }
  for (let s = 0; s < batches.length; s++) {
    const { inputs, targets } = batches[s]!
    const { loss: value, gradients: g } = denseGradients(networkOver(net, ws, bs), loss, inputs, targets) // Lₛ and gₛ at θₛ
    const k = -(rate === undefined ? eta : rate(s)) // the rate is read after the gradients, as an optimizer reads it
    let nonFinite = 0 // θₛ₊₁ = θₛ + (−ηₛ)·gₛ, and whether every entry is still finite
    for (let l = 0; l < L; l++) {
      nonFinite += stepInto(ws[l]!, buf(g[l]!.weights), k, nws[l]!)
      nonFinite += stepInto(bs[l]!, buf(g[l]!.bias), k, nbs[l]!)
    }
    if (!Number.isFinite(value) || nonFinite !== 0)
      return {
        network: losses.length === 0 ? net : networkOver(net, ws, bs), // θₛ, the last finite network
        stopped: { step: s, reason: Number.isFinite(value) ? 'parameters' : 'loss', loss: value },
        scores: undefined
      }
    losses.push(value)
    // θₛ₊₁ becomes the current set; the next step writes into the set θₛ was not read from
    const oldW = ws
    const oldB = bs
    ws = nws
    bs = nbs
    nws = s === 0 ? spareW : oldW // θ₀ is the caller's: never written
    nbs = s === 0 ? spareB : oldB
    if (onStep !== undefined) onStep(s, value)
    if (keep.every > 0 && (s + 1) % keep.every === 0) {
      const copy = networkOver(net, ws.map((w) => w.slice()), bs.map((b) => b.slice())) // θₛ₊₁, in buffers the next steps do not write
      keep.checkpoints.push({ steps: s + 1, network: copy, scores: scoresOn(copy, loss, keep.scoreOn) })
    }
    if (keep.scoreEvery > 0 && (s + 1) % keep.scoreEvery === 0)
      keep.curve.push({ steps: s + 1, scores: scoredAt(keep, s + 1) ?? scoresOn(networkOver(net, ws, bs), loss, keep.scoreOn)! }) // scoreOn is given with scoreEvery
  }
  const last = keep.checkpoints[keep.checkpoints.length - 1]
  if (last !== undefined && last.steps === losses.length) return { network: last.network, stopped: undefined, scores: last.scores } // already scored
  // the caller's network itself if no step was taken, else a set of ours that nothing writes again
  const network = losses.length === 0 ? net : networkOver(net, ws, bs)
  return { network, stopped: undefined, scores: scoredAt(keep, losses.length) ?? scoresOn(network, loss, keep.scoreOn) }
}

/** The scores of the network on each batch, or undefined with no batches to score on. */
const scoresOn = (net: Network, loss: Loss, on: ReadonlyArray<DescentBatch> | undefined): ReadonlyArray<Scores> | undefined =>
  on === undefined ? undefined : on.map((b) => scores(net, loss, b.inputs, b.targets))

/**
 * Runs gradient descent over a sequence of batches (see the module comment): from `net`, one
 * step θ ← θ − η·∇L(θ; batch) per batch, in order. Returns the network after the last step,
 * the loss of each batch (measured before its step) and, if a step would have left the
 * finite numbers, where it stopped; the network is then the last finite one. Gives the same
 * bits as folding `gradients` and θ + (−η)·g over the batches, with far less allocation.
 * With `scoreOn`, also the `scores` of the trained network on those batches (what an epoch's
 * report needs, in the same call); with `checkpointEvery`, the network (and those scores) after
 * every so many steps, as `checkpoints`; with `scoreEvery`, those scores alone, as `curve`
 * (no network built for them). Data-last, `descend(options)(net)`, or data-first,
 * `descend(net, options)`. Refuses batches (and `scoreOn` batches) of the wrong sizes, naming
 * the batch, a learning rate that is not a positive number or a function, and a
 * `checkpointEvery` or `scoreEvery` that is not a positive integer, and `scoreEvery` without
 * `scoreOn`.
 *
 * @example
 * import { network, addLayer, randomize, descend, mse, sigmoid } from '@purenn/network'
 * import { fromArray, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/function'
 * const [net] = pipe(network(2), addLayer({ nodes: 2, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const xor = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]].map(([a, b, t]) => ({ inputs: fromArray([a, b]), targets: fromArray([t]) }))
 * const { network: trained, losses } = descend({ loss: mse, batches: xor, learningRate: 0.5 })(net)
 * losses.length // 4: one step per batch
 *
 * @category training
 * @since 0.1.0
 */
export const descend: {
  (options: DescentOptions): (net: Network) => Descent
  (net: Network, options: DescentOptions): Descent
} = dual(2, (net: Network, options: DescentOptions) => descendWith(net, options))
