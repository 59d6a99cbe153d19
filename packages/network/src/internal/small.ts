/**
 * The fast path of `gradients`, `predictBatch` and `compileBackprop` for small networks and small
 * batches, such as the tutorial's 2-2-1 XOR network trained one sample at a time.
 *
 * Why it exists: on a network that small the arithmetic of a step is a few dozen
 * multiply-adds, and the general path (`backprop.ts`, `Layer.ts`) spends far more than that on
 * plumbing: a product call per layer and per rule, a fresh matrix for every Z, Y, dZ and dY,
 * and the objects that carry them (a small `Float64Array` costs a few hundred bytes of heap).
 * Here each layer's rules are fused loops over one scratch buffer (the caller's workspace's,
 * see `Workspace.ts`, or a fresh one for a call given none), and the only other buffers
 * allocated are those handed back (the gradients, the outputs, the trained network).
 *
 * What it must agree with: the general path, bit for bit. It takes the same steps in the same
 * order: each product sums its terms in order of the inner index, starting from 0, as
 * `@purenn/matrix`'s products do for the sizes admitted here (see `isSmall`); the bias is added
 * after the product; the activations, the losses and the output deltas are computed by the
 * very functions the general path's kernels run (`forwardAt`, `backwardAt`, `gradientAt`,
 * `meanLoss`), or by those kernels themselves (`activateInto`, `activationBackwardInto`,
 * `builtinOutputLoss`, `builtinOutputDelta`) for softmax, custom activations and the fused
 * pairs. The tests check the two paths against each other (test/small.test.ts,
 * test/descent.test.ts).
 *
 * On a tiny network of element-wise layers, `compileBackprop` takes its one-sample gradients and
 * scores its batches through kernels written out for the network's shape (`generated.ts`),
 * which stand in for `samplePass` and `forward` with their bits.
 *
 * Layout: samples are columns, so a `rows x B` block holds entry (i, s) at i·B + s. The
 * parameters of a network sit in one flat block, layer after layer, each layer's weights (row
 * by row) then its bias; gradients use the same layout. A pass's work area holds each layer's
 * Z and Y (`nodes x B` each), then two blocks for the deltas (dZ of a layer, dY of the one
 * before).
 *
 * Reading typed arrays: see `buffer.ts` (`x[i]!` is in bounds by construction).
 */
import type { Matrix } from '@purenn/matrix'
import { activateInto, activationBackwardInto, backwardAt, elementwiseCode, forwardAt } from '../Activation.js'
import { builtinOutputDelta, builtinOutputLoss, gradientAt, isBuiltinLoss, lossTerm, meanLoss, unfusedTerm, type Loss, type Term } from '../Loss.js'
import { correctIn } from './classes.js'
import type { Gradients, Layer, LayerGradients, Network, Scores } from '../types.js'
import { buf, matrix } from './buffer.js'
import type { Kernels } from './generated.js'
import { acquire, kernelsFor, release, type Workspace } from '../Workspace.js'

/**
 * The limits of the fast path. A layer qualifies when nodes · inputs · batch is at most
 * `SMALL_WORK` (the size below which `@purenn/matrix` computes a product by its direct loop,
 * so the plumbing outweighs the arithmetic) and when every dimension is at most `MAX_DIM`
 * (so that each product's inner dimension is within one block of the blocked product, which
 * then also sums in plain order: the two paths agree whichever loop the product would take).
 */
const SMALL_WORK = 4096
const MAX_DIM = 128

/**
 * True when every layer of the network, on a batch of `batch` samples, is small enough for
 * the fused path (see `SMALL_WORK`, `MAX_DIM`).
 */
export const isSmall = (net: Network, batch: number): boolean => {
  if (batch > MAX_DIM) return false
  const layers = net.layers
  for (let k = 0; k < layers.length; k++) {
    const w = layers[k]!.weights
    if (w.rows > MAX_DIM || w.cols > MAX_DIM || w.rows * w.cols * batch > SMALL_WORK) return false
  }
  return true
}

/**
 * True when `gradients` (or a `Backprop`'s run) may take the fused path: a small network
 * (`isSmall`) and one of the built-in losses, whose kernels read blocks of buffers (a loss
 * the caller built is handed matrices, by the general path).
 */
export const smallGradientsApply = (net: Network, loss: Loss, batch: number): boolean => isBuiltinLoss(loss) && isSmall(net, batch)

// -------------------------------------------------------------------------------------
// the flat parameter block
// -------------------------------------------------------------------------------------

/** How many numbers the flat parameter block of the layers holds: Σₖ (nodesₖ·inputsₖ + nodesₖ). */
const paramCount = (layers: ReadonlyArray<Layer>): number => {
  let p = 0
  for (let k = 0; k < layers.length; k++) p += layers[k]!.weights.rows * (layers[k]!.weights.cols + 1)
  return p
}

/**
 * Copies every weight and bias of the layers into `s` from `to`, in the flat layout. (Plain
 * loops: for arrays this short, `set` and `slice` cost more than the copy.)
 */
const gatherParams = (layers: ReadonlyArray<Layer>, s: Float64Array, to: number): void => {
  for (let k = 0; k < layers.length; k++) {
    const { weights, bias } = layers[k]!
    const w = buf(weights)
    const b = buf(bias)
    const size = weights.rows * weights.cols
    for (let i = 0; i < size; i++) s[to + i] = w[i]!
    to += size
    for (let i = 0; i < weights.rows; i++) s[to + i] = b[i]!
    to += weights.rows
  }
}

/** A fresh copy of the `n` entries of `s` from `from`. */
const copyOut = (s: Float64Array, from: number, n: number): Float64Array => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = s[from + i]!
  return out
}

// -------------------------------------------------------------------------------------
// the plan of a call
// -------------------------------------------------------------------------------------

/**
 * What the passes of one call need to know of the network and the loss, worked out once:
 * the sizes, the number of each layer's element-wise rule (`elementwiseCode`, −1 for softmax
 * or a custom activation, which run through `activateInto`), and the loss's term when it is
 * not fused with the output activation and that activation is element-wise (so that the output
 * delta is `backwardAt(gradientAt(…))` per entry), else undefined (`builtinOutputLoss`,
 * `builtinOutputDelta`).
 */
interface Plan {
  readonly layers: ReadonlyArray<Layer>
  readonly P: number
  readonly widest: number
  readonly codes: ReadonlyArray<number>
  readonly term: Term | undefined
  /** Each layer's nodes and inputs, side by side: layer k is `nodes = dims[2k]`, `inputs = dims[2k + 1]`. */
  readonly dims: ReadonlyArray<number>
  /** Every layer element-wise and the loss not fused with the output's activation: a one-sample batch may take `samplePass`, and a descent the kernels written out for the shape (`generated.ts`). */
  readonly elementwise: boolean
}

const planOf = (net: Network, loss: Loss | undefined): Plan => {
  const layers = net.layers
  const codes: number[] = []
  const dims: number[] = []
  let widest = net.inputSize
  let elementwise = true
  for (let k = 0; k < layers.length; k++) {
    const { weights, activation } = layers[k]!
    const code = elementwiseCode(activation)
    codes.push(code)
    dims.push(weights.rows, weights.cols)
    widest = Math.max(widest, weights.rows)
    if (code < 0) elementwise = false
  }
  const last = layers[layers.length - 1]!
  const term = loss !== undefined && codes[layers.length - 1]! >= 0 ? unfusedTerm(loss, last.activation) : undefined
  return { layers, P: paramCount(layers), widest, codes, term, dims, elementwise: elementwise && term !== undefined }
}

/** The work area a pass needs for a batch of `B`: Z and Y of every layer, then two delta blocks. */
const workSize = (plan: Plan, B: number): number => {
  let size = 0
  for (let k = 0; k < plan.layers.length; k++) size += 2 * plan.layers[k]!.weights.rows * B
  return size + 2 * plan.widest * B
}

// -------------------------------------------------------------------------------------
// the dense layer's rules, fused
// -------------------------------------------------------------------------------------

/**
 * The forward rule of layer k on a `m x B` block `x` (from `xo`), its weights in `s` from `wo`
 * and its bias from `bo`: `Z = W·X + b·1ᵀ` into `s` from `zo` and `Y = f(Z)` from `yo`. Each
 * entry of `W·X` is summed over the inputs in order from 0, then the bias is added
 * (`layerForward`'s order); an element-wise rule runs on each entry as soon as it is made.
 */
const forwardInto = (plan: Plan, k: number, s: Float64Array, wo: number, bo: number, x: Float64Array, xo: number, B: number, zo: number, yo: number): void => {
  const layer = plan.layers[k]!
  const code = plan.codes[k]!
  const n = layer.weights.rows
  const m = layer.weights.cols
  for (let i = 0; i < n; i++) {
    const bi = s[bo + i]!
    const wi = wo + i * m
    for (let c = 0; c < B; c++) {
      let sum = 0
      for (let j = 0, xj = xo + c; j < m; j++, xj += B) sum += s[wi + j]! * x[xj]! // Σⱼ Wᵢⱼ Xⱼc
      const z = sum + bi // + bᵢ
      s[zo + i * B + c] = z
      if (code >= 0) s[yo + i * B + c] = forwardAt(code, z) // y = f(z)
    }
  }
  if (code < 0) activateInto(layer.activation, s, zo, s, yo, n, B) // Y = f(Z), a column at a time
}

/**
 * The backward rule of layer k given dZ (`n x B` in `s` from `dzo`) and its input X (`m x B`
 * in `x` from `xo`), its weights in `s` from `wo`: writes ∂L/∂W = dZ·Xᵀ into `s` from `gwo`
 * and ∂L/∂b = dZ·1 from `gbo`. Every sum runs in order from 0 over the samples, as the
 * products do.
 */
const gradientsInto = (plan: Plan, k: number, s: Float64Array, x: Float64Array, xo: number, B: number, dzo: number, gwo: number, gbo: number): void => {
  const { rows: n, cols: m } = plan.layers[k]!.weights
  for (let i = 0; i < n; i++) {
    const di = dzo + i * B
    for (let j = 0; j < m; j++) {
      let sum = 0
      for (let c = 0, xj = xo + j * B; c < B; c++) sum += s[di + c]! * x[xj + c]! // (dZ·Xᵀ)ᵢⱼ
      s[gwo + i * m + j] = sum
    }
    let sum = 0
    for (let c = 0; c < B; c++) sum += s[di + c]! // (dZ·1)ᵢ
    s[gbo + i] = sum
  }
}

/**
 * The error sent back through layer k (k > 0): dYₖ₋₁ = Wₖᵀ·dZₖ, each entry summed over the
 * nodes in order from 0 (as the product does), then dZₖ₋₁ = dYₖ₋₁ ⊙ f'ₖ₋₁(Zₖ₋₁, Yₖ₋₁), into `s`
 * from `dxo`. Layer k − 1's Z and Y are in `s` from `zp` and `zp + inputs·B`.
 */
const backInto = (plan: Plan, k: number, s: Float64Array, wo: number, B: number, dzo: number, dxo: number, zp: number): void => {
  const { rows: n, cols: m } = plan.layers[k]!.weights
  const code = plan.codes[k - 1]!
  const yp = zp + m * B
  for (let j = 0; j < m; j++)
    for (let c = 0; c < B; c++) {
      let sum = 0
      for (let i = 0; i < n; i++) sum += s[wo + i * m + j]! * s[dzo + i * B + c]! // (Wᵀ·dZ)ⱼc
      const e = j * B + c
      s[dxo + e] = code >= 0 ? backwardAt(code, sum, s[zp + e]!, s[yp + e]!) : sum // ⊙ f'(z, y)
    }
  if (code < 0) activationBackwardInto(plan.layers[k - 1]!.activation, s, zp, s, yp, s, dxo, s, dxo, m, B) // a column rule
}

/**
 * The forward pass: reads the parameters from `s` at `theta` (flat layout) and the inputs;
 * writes each layer's Z and Y into the work area from `work`. Returns where the last Y starts.
 */
const forward = (plan: Plan, s: Float64Array, theta: number, inputs: Matrix, work: number): number => {
  const layers = plan.layers
  const B = inputs.cols
  let p = theta
  let zo = work
  let xo = 0
  for (let k = 0; k < layers.length; k++) {
    const n = layers[k]!.weights.rows
    const wSize = n * layers[k]!.weights.cols
    forwardInto(plan, k, s, p, p + wSize, k === 0 ? buf(inputs) : s, xo, B, zo, zo + n * B)
    p += wSize + n
    xo = zo + n * B
    zo += 2 * n * B
  }
  return xo
}

/**
 * One forward and one reverse pass on a small network (see `isSmall`) with a built-in loss:
 * reads the parameters from `s` at `theta`, writes the gradients into `s` at `grad` (both in
 * the flat layout), uses the work area from `work` (`workSize`), and returns the batch's loss.
 * The caller has checked the shapes.
 */
const smallPass = (plan: Plan, loss: Loss, inputs: Matrix, targets: Matrix, s: Float64Array, theta: number, grad: number, work: number): number => {
  if (inputs.cols === 1 && plan.elementwise) return samplePass(plan, inputs, targets, s, theta, grad, work) // the tutorial's case
  const layers = plan.layers
  const L = layers.length
  const B = inputs.cols
  const yL = forward(plan, s, theta, inputs, work)

  // the loss, and the output delta dZ_L = ∂L/∂Z_L
  const last = layers[L - 1]!
  const nL = last.weights.rows
  const zL = yL - nL * B
  const t = buf(targets)
  let dz = yL + nL * B // the two delta blocks take turns: dZₖ in one, dZₖ₋₁ in the other
  let dx = dz + plan.widest * B
  const term = plan.term
  let value: number
  if (term === undefined) {
    value = builtinOutputLoss(loss, last.activation, s, zL, s, yL, t, 0, nL, B)
    builtinOutputDelta(loss, last.activation, s, zL, s, yL, t, 0, nL, B, s, dz)
  } else {
    value = meanLoss(term, s, yL, t, 0, nL, B)
    const code = plan.codes[L - 1]!
    const inv = 1 / B
    for (let e = 0; e < nL * B; e++) s[dz + e] = backwardAt(code, gradientAt(term, s[yL + e]!, t[e]!, inv), s[zL + e]!, s[yL + e]!) // dY ⊙ f'
  }

  // reverse pass: ∂L/∂Wₖ = dZₖ·Xₖᵀ, ∂L/∂bₖ = dZₖ·1, dZₖ₋₁ = (Wₖᵀ·dZₖ) ⊙ f'ₖ₋₁(Zₖ₋₁, Yₖ₋₁)
  let p = plan.P // the end of the parameters of layer k, walking back
  let zk = zL
  for (let k = L - 1; k > 0; k--) {
    const { rows: n, cols: m } = layers[k]!.weights
    const zp = zk - 2 * m * B // layer k − 1's Z (it has m = inputs of k nodes)
    p -= n * (m + 1)
    gradientsInto(plan, k, s, s, zp + m * B, B, dz, grad + p, grad + p + n * m)
    backInto(plan, k, s, theta + p, B, dz, dx, zp)
    const free = dz
    dz = dx
    dx = free
    zk = zp
  }
  const { rows: n0, cols: m0 } = layers[0]!.weights
  gradientsInto(plan, 0, s, buf(inputs), 0, B, dz, grad, grad + n0 * m0) // the input's gradient is not needed
  return value
}

/**
 * `smallPass` for a batch of one sample on a network whose every layer is element-wise, with
 * a loss not fused with the output's activation (`plan.elementwise`): the tutorial's
 * `trainIteration`. The same steps in the same order, written for vectors: with B = 1 each
 * batch sum has one term, so ∂L/∂Wᵢⱼ = 0 + dzᵢ·xⱼ and ∂L/∂bᵢ = 0 + dzᵢ (the `0 +` keeps the
 * sum's bits, −0 included), and every loop over the batch disappears. Same layout as
 * `smallPass`: each layer's Z then Y (`nodes` entries each) in the work area, then two delta
 * blocks of `widest` entries.
 */
const samplePass = (plan: Plan, inputs: Matrix, targets: Matrix, s: Float64Array, theta: number, grad: number, work: number): number => {
  const { dims, codes, widest } = plan
  const term = plan.term!
  const L = codes.length
  const x0 = buf(inputs)

  // forward: zᵢ = (Σⱼ Wᵢⱼ xⱼ) + bᵢ, yᵢ = f(zᵢ), layer after layer
  let p = theta // layer k's weights, then its bias
  let z = work // layer k's Z; its Y follows
  let x = x0 // layer k's input: the sample, then the Y before
  let xo = 0
  for (let k = 0; k < L; k++) {
    const n = dims[2 * k]!
    const m = dims[2 * k + 1]!
    const code = codes[k]!
    const b = p + n * m
    const y = z + n
    for (let i = 0, wi = p; i < n; i++, wi += m) {
      let sum = 0
      for (let j = 0; j < m; j++) sum += s[wi + j]! * x[xo + j]! // Σⱼ Wᵢⱼ xⱼ
      const zi = sum + s[b + i]! // + bᵢ
      s[z + i] = zi
      s[y + i] = forwardAt(code, zi) // y = f(z)
    }
    p = b + n
    x = s
    xo = y
    z = y + n
  }

  // the loss, and the output delta dz = ℓ'(y, t) ⊙ f'(z, y)
  const nL = dims[2 * L - 2]!
  const yL = xo
  const zL = yL - nL
  const t = buf(targets)
  const value = meanLoss(term, s, yL, t, 0, nL, 1)
  let dz = yL + nL // the two delta blocks take turns, as in smallPass
  let dx = dz + widest
  const codeL = codes[L - 1]!
  for (let i = 0; i < nL; i++) s[dz + i] = backwardAt(codeL, gradientAt(term, s[yL + i]!, t[i]!, 1), s[zL + i]!, s[yL + i]!)

  // reverse: ∂L/∂W = dz·xᵀ, ∂L/∂b = dz, and dx = (Wᵀ·dz) ⊙ f'(z, y) of the layer before
  p = plan.P
  let zk = zL
  for (let k = L - 1; k >= 0; k--) {
    const n = dims[2 * k]!
    const m = dims[2 * k + 1]!
    const zp = zk - 2 * m // layer k − 1's Z (its Y, layer k's input, follows)
    p -= n * (m + 1)
    const input = k === 0 ? x0 : s
    const io = k === 0 ? 0 : zp + m
    const gw = grad + p
    const gb = gw + n * m
    for (let i = 0; i < n; i++) {
      const d = s[dz + i]!
      for (let j = 0; j < m; j++) s[gw + i * m + j] = 0 + d * input[io + j]! // (dz·xᵀ)ᵢⱼ, a sum of one term
      s[gb + i] = 0 + d
    }
    if (k === 0) break // the input's gradient is not needed
    const code = codes[k - 1]!
    const w = theta + p
    for (let j = 0; j < m; j++) {
      let sum = 0
      for (let i = 0; i < n; i++) sum += s[w + i * m + j]! * s[dz + i]! // (Wᵀ·dz)ⱼ
      s[dx + j] = backwardAt(code, sum, s[zp + j]!, s[zp + m + j]!) // ⊙ f'(z, y)
    }
    const free = dz
    dz = dx
    dx = free
    zk = zp
  }
  return value
}

// -------------------------------------------------------------------------------------
// entry points
// -------------------------------------------------------------------------------------

/**
 * `gradients` on a small network (see `isSmall`) with a built-in loss: the loss of the batch
 * and the gradient of every layer, equal bit for bit to the general path's (`denseGradients`
 * in `backprop.ts`). The caller has checked the shapes.
 */
export const smallGradients = (net: Network, loss: Loss, inputs: Matrix, targets: Matrix, ws: Workspace | undefined): { loss: number; gradients: Gradients } => {
  const layers = net.layers
  const plan = planOf(net, loss)
  const P = plan.P
  const s = acquire(ws, 2 * P + workSize(plan, inputs.cols))
  try {
    gatherParams(layers, s, 0)
    const value = smallPass(plan, loss, inputs, targets, s, 0, P, 2 * P)
    const grads: LayerGradients[] = [] // pushed: a packed array, like every network's
    for (let k = 0, p = P; k < layers.length; k++) {
      const { rows, cols } = layers[k]!.weights
      grads.push({ weights: matrix(rows, cols, copyOut(s, p, rows * cols)), bias: matrix(rows, 1, copyOut(s, p + rows * cols, rows)) })
      p += rows * (cols + 1)
    }
    return { loss: value, gradients: grads }
  } finally {
    release(ws, s)
  }
}

/**
 * `predictBatch` on a small network (see `isSmall`): the outputs of the batch in a fresh
 * buffer, equal bit for bit to the general path's (`layerForward` layer after layer). The
 * caller has checked the shapes; the network has at least one layer.
 */
export const smallPredict = (net: Network, inputs: Matrix, ws: Workspace | undefined): Matrix => {
  const layers = net.layers
  const plan = planOf(net, undefined)
  const P = plan.P
  const s = acquire(ws, P + workSize(plan, inputs.cols))
  try {
    gatherParams(layers, s, 0)
    const yL = forward(plan, s, 0, inputs, P)
    const n = layers[layers.length - 1]!.weights.rows
    return matrix(n, inputs.cols, copyOut(s, yL, n * inputs.cols))
  } finally {
    release(ws, s)
  }
}

/**
 * `scores` on a small network (see `isSmall`) with a built-in loss: one forward pass, then the
 * Error, the mean loss (`meanLoss`, as `loss.value` computes it from the predictions) and the
 * count classified right, read off the outputs in the scratch buffer: the same numbers as
 * from `predictBatch`'s outputs, without building them. The caller has checked the shapes.
 */
export const smallScores = (net: Network, loss: Loss, inputs: Matrix, targets: Matrix, ws: Workspace | undefined): Scores => {
  const plan = planOf(net, undefined)
  const s = acquire(ws, plan.P + workSize(plan, inputs.cols))
  try {
    gatherParams(plan.layers, s, 0)
    return scoresAt(plan, loss, s, 0, plan.P, inputs, targets)
  } finally {
    release(ws, s)
  }
}

/**
 * The scores of a batch (see `smallScores`) for the parameters in `s` at `theta`, with the
 * work area from `work` (`workSize` for the batch).
 */
const scoresAt = (plan: Plan, loss: Loss, s: Float64Array, theta: number, work: number, inputs: Matrix, targets: Matrix): Scores =>
  scoresOfOutputs(loss, s, forward(plan, s, theta, inputs, work), targets)

/** The scores of a batch whose outputs are in `s` from `yL` (`rows x B`, as the targets). */
const scoresOfOutputs = (loss: Loss, s: Float64Array, yL: number, targets: Matrix): Scores => {
  const rows = targets.rows
  const cols = targets.cols
  const t = buf(targets)
  let error = 0
  for (let k = 0; k < rows * cols; k++) error += Math.abs(s[yL + k]! - t[k]!) // Σ |prediction − label|
  return { count: cols, error, loss: meanLoss(lossTerm(loss)!, s, yL, t, 0, rows, cols), correct: correctIn(s, yL, t, 0, rows, cols) }
}

// -------------------------------------------------------------------------------------
// parameters given as blocks (`Backprop`)
// -------------------------------------------------------------------------------------

/** What `compileBackprop` works out once for a small network and its loss. */
export type SmallPlan = Plan

/** The plan of the fused passes for a network and a loss (see `Plan`). */
export const smallPlan = (net: Network, loss: Loss): SmallPlan => planOf(net, loss)

/**
 * The kernels written out for the plan's shape (`generated.ts`), when it is a tiny network of
 * element-wise layers and code can be generated, else undefined.
 */
export const smallKernels = (plan: SmallPlan, ws: Workspace): Kernels | undefined =>
  plan.elementwise ? kernelsFor(ws, { dims: plan.dims, codes: plan.codes, term: plan.term! }, plan.P) : undefined

/** Copies the blocks (layer 0's weights, its bias, layer 1's weights, …: the flat layout, piece by piece) into `s` from `to`. */
export const gatherBlocks = (theta: ReadonlyArray<Float64Array>, s: Float64Array, to: number): void => {
  for (let b = 0; b < theta.length; b++) {
    const x = theta[b]!
    for (let i = 0; i < x.length; i++) s[to + i] = x[i]!
    to += x.length
  }
}

/** Copies `n` entries of `from` (from `fo`) into `to` (from `too`). (Plain loops: for arrays this short, `set` and `subarray` cost more than the copy.) */
const copyInto = (from: Float64Array, fo: number, to: Float64Array, too: number, n: number): void => {
  for (let i = 0; i < n; i++) to[too + i] = from[fo + i]!
}

/**
 * `smallPass` on parameters in the flat layout (`theta`, P entries): the loss of the batch, and
 * its gradients written into `out` (P entries, the backprop's own). The caller has checked the
 * shapes (and runs a one-sample batch through the kernel written out for the shape itself, when
 * there is one).
 */
export const smallRun = (plan: SmallPlan, loss: Loss, theta: Float64Array, inputs: Matrix, targets: Matrix, out: Float64Array, ws: Workspace): number => {
  const P = plan.P
  const s = acquire(ws, 2 * P + workSize(plan, inputs.cols))
  try {
    copyInto(theta, 0, s, 0, P)
    const value = smallPass(plan, loss, inputs, targets, s, 0, P, 2 * P)
    copyInto(s, P, out, 0, P)
    return value
  } finally {
    release(ws, s)
  }
}

/**
 * `smallScores` on parameters in the flat layout, through the forward pass written out for the
 * shape when there is one. The caller has checked the shapes.
 */
export const smallScoresOf = (
  plan: SmallPlan,
  loss: Loss,
  theta: Float64Array,
  inputs: Matrix,
  targets: Matrix,
  ws: Workspace,
  kernels: Kernels | undefined
): Scores => {
  if (kernels !== undefined) {
    // the forward pass written out for the shape: reads the parameters where they are
    const s = acquire(ws, targets.rows * inputs.cols)
    try {
      kernels.forward(theta, buf(inputs), inputs.cols, s, 0)
      return scoresOfOutputs(loss, s, 0, targets)
    } finally {
      release(ws, s)
    }
  }
  const s = acquire(ws, plan.P + workSize(plan, inputs.cols))
  try {
    copyInto(theta, 0, s, 0, plan.P)
    return scoresAt(plan, loss, s, 0, plan.P, inputs, targets)
  } finally {
    release(ws, s)
  }
}
