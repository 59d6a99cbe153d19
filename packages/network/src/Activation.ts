/**
 * Activations: the built-in ones (sigmoid, tanh, relu, leakyRelu, elu, softplus, linear,
 * softmax), custom element-wise ones, and the two kernels every layer runs them through:
 * `Y = f(Z)` forward and `dZ = dY ⊙ f'(Z, Y)` backward, over a whole batch at once.
 *
 * An activation is a small constant value with a name. A model file stores the name; decoding
 * maps a built-in name back to the value here, and any other name to the caller's table.
 *
 * The built-in element-wise activations are defined once, in the table of
 * `internal/activationRules.ts` (one row per activation: its forward rule and its backward rule
 * side by side, as functions and as source text, tested to give the same bits). The values
 * exported here are made from the rows; so are the rules by number (`forwardAt`, `backwardAt`,
 * selected by the number `elementwiseCode` gives), which the kernels here and the fused kernels
 * of `internal/small.ts` run in plain loops over the buffer (no closure called per entry), and
 * the source forms the kernels written out in `internal/generated.ts` run. A custom activation
 * (any value that is not one of the built-ins below, even if it borrows a built-in's name) goes
 * through its own `f` and `df`.
 *
 * Reading typed arrays: see `internal/buffer.ts` (`x[i]!` is in bounds by construction).
 *
 * @since 0.1.0
 */
import type { Matrix } from '@purenn/matrix'
import { ShapeError } from '@purenn/matrix'
import type { Activation, ColumnActivation, ElementwiseActivation } from './types.js'
import { buf, matrix } from './internal/buffer.js'
import { describeValue } from './internal/describe.js'
import { backwardAt, backwardSource, forwardAt, forwardSource, rules, type ElementwiseName, type Rule } from './internal/activationRules.js'

export type { Activation, ColumnActivation, ElementwiseActivation } from './types.js'
/**
 * The built-in element-wise rules by number (`forwardAt`, `backwardAt`) and as source text
 * (`forwardSource`, `backwardSource`), all made from the rule table; each is documented there.
 *
 * @internal
 */
export { backwardAt, backwardSource, forwardAt, forwardSource }

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The names of the built-in activations, as a model file stores them.
 *
 * @example
 * import { builtinActivations, isBuiltinName, type BuiltinActivationName } from '@purenn/network'
 * const name: BuiltinActivationName = 'leakyRelu'
 * builtinActivations[name].name // => 'leakyRelu'
 * Object.keys(builtinActivations).every(isBuiltinName) // => true
 *
 * @category model
 * @since 0.1.0
 */
export type BuiltinActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'softplus' | 'linear' | 'softmax'

const elementwise = (name: string, f: (x: number) => number, df: (x: number, y: number) => number): ElementwiseActivation =>
  Object.freeze({ _tag: 'Elementwise', name, f, df })

/**
 * The exported value of a row of the rule table: `f` is the row's forward rule, `df(x, y)` its
 * backward rule with dy = 1 (which is f'(x) exactly: 1·v is v for every double).
 */
const builtin = (name: ElementwiseName): ElementwiseActivation => {
  const rule: Rule = rules[name]
  return elementwise(name, rule.forward, (x, y) => rule.backward(1, x, y))
}

// -------------------------------------------------------------------------------------
// built-ins
// -------------------------------------------------------------------------------------

/**
 * The logistic sigmoid σ(x) = 1 / (1 + e^−x), with the tutorial's derivative σ' = y·(1 − y).
 *
 * @example
 * import { sigmoid } from '@purenn/network'
 * sigmoid.f(0) // => 0.5
 * sigmoid.df(0, 0.5) // => 0.25
 *
 * @category built-ins
 * @since 0.1.0
 */
export const sigmoid: ElementwiseActivation = builtin('sigmoid')

/**
 * The hyperbolic tangent, with derivative 1 − y².
 *
 * @example
 * import { tanh } from '@purenn/network'
 * tanh.f(0) // => 0
 * tanh.df(0, 0) // => 1
 *
 * @category built-ins
 * @since 0.1.0
 */
export const tanh: ElementwiseActivation = builtin('tanh')

/**
 * The rectified linear unit max(0, x). Its derivative is 1 for x > 0 and 0 otherwise (the
 * subgradient 0 is taken at the kink x = 0, so that a dead unit stays dead).
 *
 * @example
 * import { relu } from '@purenn/network'
 * relu.f(-2) // => 0
 * relu.df(3, 3) // => 1
 *
 * @category built-ins
 * @since 0.1.0
 */
export const relu: ElementwiseActivation = builtin('relu')

/**
 * The leaky rectifier: x for x > 0, 0.01·x otherwise; derivative 1 or 0.01 (0.01 at x = 0).
 *
 * @example
 * import { leakyRelu } from '@purenn/network'
 * leakyRelu.f(-2) // ≈ -0.02
 *
 * @category built-ins
 * @since 0.1.0
 */
export const leakyRelu: ElementwiseActivation = builtin('leakyRelu')

/**
 * The exponential linear unit (α = 1): x for x > 0, eˣ − 1 otherwise. Its derivative is 1 for
 * x > 0 and eˣ = y + 1 otherwise, continuous at 0.
 *
 * @example
 * import { elu } from '@purenn/network'
 * elu.f(0) // => 0
 * elu.df(-1, elu.f(-1)) // ≈ Math.exp(-1)
 *
 * @category built-ins
 * @since 0.1.0
 */
export const elu: ElementwiseActivation = builtin('elu')

/**
 * softplus(x) = log(1 + eˣ), a smooth relu, computed without overflow; its derivative is σ(x).
 *
 * @example
 * import { softplus } from '@purenn/network'
 * softplus.f(0) // ≈ Math.LN2
 * softplus.df(0, Math.LN2) // => 0.5
 *
 * @category built-ins
 * @since 0.1.0
 */
export const softplus: ElementwiseActivation = builtin('softplus')

/**
 * The identity f(x) = x (derivative 1): a linear output for regression, and the identity
 * activation of the tutorial's worked examples.
 *
 * @example
 * import { linear } from '@purenn/network'
 * linear.f(7) // => 7
 *
 * @category built-ins
 * @since 0.1.0
 */
export const linear: ElementwiseActivation = builtin('linear')

/**
 * softmax over each column (one sample per column): yᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m), with m the
 * column's largest entry so that no exponential overflows. Its backward rule applies the
 * Jacobian diag(y) − y·yᵀ to the incoming gradient: dzᵢ = yᵢ·(dyᵢ − Σⱼ yⱼ dyⱼ).
 *
 * Meant for a classifier's last layer, with the `crossEntropy` loss (which fuses the two).
 *
 * @example
 * import { softmax } from '@purenn/network'
 * import { fromArray, toArray } from '@purenn/matrix'
 * toArray(softmax.forward(fromArray([0, 0]))) // => [0.5, 0.5]
 *
 * @category built-ins
 * @since 0.1.0
 */
export const softmax: ColumnActivation = Object.freeze({
  _tag: 'Column',
  name: 'softmax',
  forward: (z: Matrix): Matrix => {
    const out = new Float64Array(z.rows * z.cols)
    softmaxForward(buf(z), 0, out, 0, z.rows, z.cols)
    return matrix(z.rows, z.cols, out)
  },
  backward: (z: Matrix, y: Matrix, dy: Matrix): Matrix => {
    sameShape('softmax.backward', 'y', y, z)
    sameShape('softmax.backward', 'dy', dy, z)
    const out = new Float64Array(z.rows * z.cols)
    softmaxBackward(buf(y), 0, buf(dy), 0, out, 0, z.rows, z.cols)
    return matrix(z.rows, z.cols, out)
  }
} as const)

/**
 * Every built-in activation by its name: the table `decodeNetwork` reads names from.
 *
 * @example
 * import { builtinActivations, relu } from '@purenn/network'
 * builtinActivations.relu === relu // => true
 *
 * @category built-ins
 * @since 0.1.0
 */
export const builtinActivations: Readonly<Record<BuiltinActivationName, Activation>> = Object.freeze({
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  elu,
  softplus,
  linear,
  softmax
})

/**
 * Whether a value is an activation as layers use it: an element-wise one with its `f` and
 * `df`, or a column one with its `forward` and `backward`, and a name (checked where one comes
 * from a caller: `addLayer`, the tables of `decodeNetwork`, `fromTutorialWeights`).
 *
 * @internal
 */
export const isActivationValue = (u: unknown): u is Activation => {
  if (typeof u !== 'object' || u === null) return false
  const a = u as Partial<Record<string, unknown>>
  return (
    typeof a['name'] === 'string' &&
    ((a['_tag'] === 'Elementwise' && typeof a['f'] === 'function' && typeof a['df'] === 'function') ||
      (a['_tag'] === 'Column' && typeof a['forward'] === 'function' && typeof a['backward'] === 'function'))
  )
}

/**
 * True when `name` is the name of a built-in activation.
 *
 * @example
 * import { isBuiltinName } from '@purenn/network'
 * isBuiltinName('relu') // => true
 * isBuiltinName('swish') // => false
 *
 * @category refinements
 * @since 0.1.0
 */
export const isBuiltinName = (name: string): name is BuiltinActivationName => Object.hasOwn(builtinActivations, name)

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A custom element-wise activation: `f` maps a pre-activation x to an output, `df(x, y)` is
 * f'(x), given also y = f(x) (so sigmoid's could be written `(x, y) => y * (1 - y)`). The name
 * is what a model file stores; pass the activation in `decodeNetwork`'s table to read it
 * back. Built-in names are reserved: a TypeError names the clash.
 *
 * @example
 * import { activation } from '@purenn/network'
 * const swish = activation('swish', (x) => x / (1 + Math.exp(-x)), (x, y) => {
 *   const s = 1 / (1 + Math.exp(-x))
 *   return y + s * (1 - y)
 * })
 * swish.f(0) // => 0
 *
 * @category constructors
 * @since 0.1.0
 */
export const activation = (
  name: string,
  f: (x: number) => number,
  df: (x: number, y: number) => number
): ElementwiseActivation => {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`activation: name must be a non-empty string, got ${describeValue(name)}`)
  if (isBuiltinName(name))
    throw new TypeError(`activation: "${name}" is the name of a built-in activation; give a custom activation another name`)
  if (typeof f !== 'function') throw new TypeError(`activation: f must be a function, got ${describeValue(f)}`)
  if (typeof df !== 'function') throw new TypeError(`activation: df must be a function, got ${describeValue(df)}`)
  return elementwise(name, f, df)
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

const sameShape = (fn: string, name: string, a: Matrix, z: Matrix): void => {
  if (a.rows !== z.rows || a.cols !== z.cols)
    throw new ShapeError(fn, `${name} is ${a.rows}x${a.cols}, z is ${z.rows}x${z.cols}`, [
      [a.rows, a.cols],
      [z.rows, z.cols]
    ])
}

/** Softmax of each column of a row-major `rows x cols` block of `z` (from `zo`), into `y` (from `yo`). */
const softmaxForward = (z: Float64Array, zo: number, y: Float64Array, yo: number, rows: number, cols: number): void => {
  for (let j = 0; j < cols; j++) {
    let m = -Infinity
    for (let i = 0, k = j; i < rows; i++, k += cols) if (z[zo + k]! > m) m = z[zo + k]!
    let s = 0
    for (let i = 0, k = j; i < rows; i++, k += cols) {
      const e = Math.exp(z[zo + k]! - m) // ≤ 1: no overflow
      y[yo + k] = e
      s += e
    }
    const inv = 1 / s // s ≥ 1 (the largest entry contributes e⁰)
    for (let i = 0, k = j; i < rows; i++, k += cols) y[yo + k] = y[yo + k]! * inv
  }
}

/** dz = (diag(y) − y·yᵀ)·dy for each column: dzᵢ = yᵢ·(dyᵢ − Σⱼ yⱼ dyⱼ). */
const softmaxBackward = (
  y: Float64Array,
  yo: number,
  dy: Float64Array,
  dyo: number,
  dz: Float64Array,
  dzo: number,
  rows: number,
  cols: number
): void => {
  for (let j = 0; j < cols; j++) {
    let dot = 0
    for (let i = 0, k = j; i < rows; i++, k += cols) dot += y[yo + k]! * dy[dyo + k]!
    for (let i = 0, k = j; i < rows; i++, k += cols) dz[dzo + k] = y[yo + k]! * (dy[dyo + k]! - dot)
  }
}

/** A `rows x cols` matrix holding a copy of the block of `x` from `offset` (for custom column activations). */
const blockOf = (x: Float64Array, offset: number, rows: number, cols: number): Matrix =>
  matrix(rows, cols, x.slice(offset, offset + rows * cols))

/**
 * Why an activation cannot serve a layer of `nodes` nodes, or undefined when it can: softmax
 * normalises over the layer's nodes, so on one node it always outputs 1 and passes back no
 * gradient (a network that trains "successfully" and learns nothing).
 *
 * @internal
 */
export const unfitFor = (a: Activation, nodes: number): string | undefined =>
  a._tag === 'Column' && a.name === 'softmax' && nodes < 2
    ? 'softmax needs 2 or more nodes: on 1 node it always outputs 1 and its gradient is 0 (for one output, use sigmoid)'
    : undefined

// -------------------------------------------------------------------------------------
// the built-in element-wise rules, one number at a time
// -------------------------------------------------------------------------------------

/**
 * The number of a built-in element-wise activation (its row in the rule table, which
 * `forwardAt` and `backwardAt` take), or −1 for softmax and for any activation the caller built
 * (a custom activation that borrows a built-in's name is not the built-in). A switch on identity,
 * as it is called once a layer every step: `indexOf` over the values in row order measured about
 * 8% slower on a loop of `trainIteration` on XOR. The numbers are the rows' places in the table
 * (test/activationRules.test.ts checks them).
 */
export const elementwiseCode = (a: Activation): number => {
  switch (a) {
    case sigmoid:
      return 0
    case tanh:
      return 1
    case relu:
      return 2
    case leakyRelu:
      return 3
    case elu:
      return 4
    case softplus:
      return 5
    case linear:
      return 6
    default:
      return -1
  }
}

// -------------------------------------------------------------------------------------
// the batch kernels
// -------------------------------------------------------------------------------------

/**
 * The forward rule `Y = f(Z)` for a `rows x cols` batch (samples are columns): reads the block
 * of `z` starting at `zo`, writes the block of `y` starting at `yo` (a buffer the caller has
 * just allocated, or its own scratch). Built-ins run as plain loops; custom ones call `f`.
 */
export const activateInto = (a: Activation, z: Float64Array, zo: number, y: Float64Array, yo: number, rows: number, cols: number): void => {
  const n = rows * cols
  const code = elementwiseCode(a)
  if (code >= 0) {
    for (let i = 0; i < n; i++) y[yo + i] = forwardAt(code, z[zo + i]!)
    return
  }
  if (a === softmax) softmaxForward(z, zo, y, yo, rows, cols)
  else if (a._tag === 'Elementwise') {
    const f = a.f
    for (let i = 0; i < n; i++) y[yo + i] = f(z[zo + i]!)
  } else {
    const zm = blockOf(z, zo, rows, cols)
    const out = a.forward(zm)
    sameShape(`${a.name}.forward`, 'its result', out, zm)
    y.set(buf(out), yo)
  }
}

/**
 * The backward rule `dZ = dY ⊙ f'(Z, Y)` for a `rows x cols` batch, each operand a block of
 * its buffer from its offset; for a column activation, its own rule (softmax:
 * `dz = (diag(y) − y·yᵀ)·dy` per column). `dz` may be the very block of `dy` (each entry is
 * read before it is written).
 */
export const activationBackwardInto = (
  a: Activation,
  z: Float64Array,
  zo: number,
  y: Float64Array,
  yo: number,
  dy: Float64Array,
  dyo: number,
  dz: Float64Array,
  dzo: number,
  rows: number,
  cols: number
): void => {
  const n = rows * cols
  const code = elementwiseCode(a)
  if (code >= 0) {
    for (let i = 0; i < n; i++) dz[dzo + i] = backwardAt(code, dy[dyo + i]!, z[zo + i]!, y[yo + i]!)
    return
  }
  if (a === softmax) softmaxBackward(y, yo, dy, dyo, dz, dzo, rows, cols)
  else if (a._tag === 'Elementwise') {
    const df = a.df
    for (let i = 0; i < n; i++) dz[dzo + i] = dy[dyo + i]! * df(z[zo + i]!, y[yo + i]!)
  } else {
    const zm = blockOf(z, zo, rows, cols)
    const out = a.backward(zm, blockOf(y, yo, rows, cols), blockOf(dy, dyo, rows, cols))
    sameShape(`${a.name}.backward`, 'its result', out, zm)
    dz.set(buf(out), dzo)
  }
}

/**
 * Applies an activation to a batch of pre-activations: `Y = f(Z)`, one sample per column.
 *
 * @example
 * import { activate, relu } from '@purenn/network'
 * import { fromArray, toArray } from '@purenn/matrix'
 * toArray(activate(relu)(fromArray([-1, 2]))) // => [0, 2]
 *
 * @category kernels
 * @since 0.1.0
 */
export const activate =
  (a: Activation) =>
  (z: Matrix): Matrix => {
    const out = new Float64Array(z.rows * z.cols)
    activateInto(a, buf(z), 0, out, 0, z.rows, z.cols)
    return matrix(z.rows, z.cols, out)
  }

/**
 * An activation's backward rule over a batch: given the pre-activations `Z`, the outputs
 * `Y = f(Z)` and the gradient `dY` of a loss with respect to `Y`, the gradient with respect
 * to `Z`: `dZ = dY ⊙ f'(Z, Y)` (element-wise), or the column rule (softmax).
 *
 * @example
 * import { activationBackward, sigmoid } from '@purenn/network'
 * import { fromArray, toArray } from '@purenn/matrix'
 * // σ'(0) = 0.25
 * toArray(activationBackward(sigmoid)(fromArray([0]), fromArray([0.5]), fromArray([1]))) // => [0.25]
 *
 * @category kernels
 * @since 0.1.0
 */
export const activationBackward =
  (a: Activation) =>
  (z: Matrix, y: Matrix, dy: Matrix): Matrix => {
    sameShape('activationBackward', 'y', y, z)
    sameShape('activationBackward', 'dy', dy, z)
    const out = new Float64Array(z.rows * z.cols)
    activationBackwardInto(a, buf(z), 0, buf(y), 0, buf(dy), 0, out, 0, z.rows, z.cols)
    return matrix(z.rows, z.cols, out)
  }
