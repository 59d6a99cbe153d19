/**
 * The built-in element-wise activations, each defined in one place: one row of `rules` per
 * activation, its forward rule y = f(x) and its backward rule dx = dy·f'(x) side by side, each
 * as a function and as source text, under a comment citing the formulas. Everything else is
 * made from the rows:
 *
 * - the exported values (`sigmoid`, `tanh`, …, in `Activation.ts`): `f` is the row's `forward`,
 *   `df(x, y)` its `backward` with dy = 1 (1·v is v, bit for bit, for every double v);
 * - the dispatch by number (`forwardAt`, `backwardAt`) that the batch kernels and the fused
 *   loops of `small.ts` run per entry: a switch whose case k calls row k's function, nothing more;
 * - the source forms (`forwardSource`, `backwardSource`) that `generated.ts` writes into its
 *   kernels: the row's text (or, for softplus, which has none, a call of `forwardAt`).
 *
 * Why a row holds its rule twice, as a function and as text, next to each other (a test checks
 * per row, on edge values and any double, that both give the same bits, and the same bits as the
 * formulas before this table): neither can be made from the other here. Functions cannot be made
 * from text where code cannot be generated (a Content-Security-Policy without `'unsafe-eval'`),
 * and the library must run there; text read back from a function (`toString`) names whatever
 * a bundler, minifier or coverage tool left in the function, not what the kernel's scope holds.
 * And the written-out kernels cannot simply call `forwardAt` for every rule: measured, that made
 * them about 40% slower (V8 inlines only so many calls into one function, and a shape's kernel
 * has one per node), while the text costs nothing.
 *
 * Why a switch, and not `rows[code].forward(x)`: the kernels call the rules per entry, in their
 * hottest loops. A case that calls one known function is a call site with one target, which V8
 * inlines (and where the number is a constant, the switch folds away); one call site reached
 * with seven functions is megamorphic and calls through per entry. Measured with a
 * micro-benchmark of the fused descent loops on small networks (before the engine) (median CPU time of several runs, alternating
 * builds): with one or two activations in the process, the switch over the rows runs as fast as
 * the formulas written into the switch by hand (within the noise); with all seven in turn
 * through the same compiled loops, about 8–12% slower (V8's inlining budget again: each row is
 * one more function to inline); `rows[code].forward(x)` was about 30% slower in both cases.
 *
 * The backward rule is written as the kernels compute it, dy first (`dy * y * (1 - y)` is
 * `(dy·y)·(1 − y)`, not `dy·(y·(1 − y))`: the two may differ in the last bit), and relu's
 * backward passes dy or 0 rather than multiplying (0·∞ would be NaN): a row is the definition
 * of its bits, and every path runs it.
 *
 * @internal
 */

/** One built-in element-wise activation's rules, as functions and as source text. */
export interface Rule {
  /** y = f(x). */
  readonly forward: (x: number) => number
  /** dx = dy·f'(x), given the pre-activation x and the output y = f(x) (a rule may use either). */
  readonly backward: (dy: number, x: number, y: number) => number
  /**
   * `forward` as JavaScript statements that set the variable named `y` from the variable named
   * `x`: the same operations in the same order. Absent, the written-out kernels call `forwardAt`.
   */
  readonly forwardText?: (x: string, y: string) => string
  /** `backward` as a JavaScript expression over the variables named `dy`, `x`, `y`, as `forwardText`. */
  readonly backwardText?: (dy: string, x: string, y: string) => string
}

/** The slope of `leakyRelu` for negative inputs. */
const LEAK = 0.01

/**
 * σ(x) = 1 / (1 + e^−x), written so that neither branch overflows: for x < 0 it is
 * eˣ / (1 + eˣ) (the same value, multiplied through by eˣ).
 */
const logistic = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/**
 * The table: one row per built-in element-wise activation. A row's number (`forwardAt`) is its
 * place here, sigmoid 0 to linear 6; a model file stores the name, never the number.
 */
export const rules = {
  /** Logistic sigmoid: σ(x) = 1 / (1 + e^−x); σ'(x) = σ(x)·(1 − σ(x)) = y·(1 − y). */
  sigmoid: {
    forward: logistic,
    backward: (dy, _x, y) => dy * y * (1 - y),
    forwardText: (x, y) => `if (${x} >= 0) ${y} = 1 / (1 + Math.exp(-${x})); else { const e = Math.exp(${x}); ${y} = e / (1 + e); }`,
    backwardText: (dy, _x, y) => `${dy} * ${y} * (1 - ${y})`
  },
  /** Hyperbolic tangent: tanh'(x) = 1 − tanh²(x) = 1 − y². */
  tanh: {
    forward: Math.tanh,
    backward: (dy, _x, y) => dy * (1 - y * y),
    forwardText: (x, y) => `${y} = Math.tanh(${x});`,
    backwardText: (dy, _x, y) => `${dy} * (1 - ${y} * ${y})`
  },
  /** Rectified linear unit: max(0, x); derivative 1 for x > 0, else 0 (0 at the kink, so that a dead unit stays dead). */
  relu: {
    forward: (x) => (x > 0 ? x : 0),
    backward: (dy, x) => (x > 0 ? dy : 0),
    forwardText: (x, y) => `${y} = ${x} > 0 ? ${x} : 0;`,
    backwardText: (dy, x) => `(${x} > 0 ? ${dy} : 0)`
  },
  /** Leaky rectifier: x for x > 0, else 0.01·x; derivative 1, or 0.01 (0.01 at x = 0). */
  leakyRelu: {
    forward: (x) => (x > 0 ? x : LEAK * x),
    backward: (dy, x) => (x > 0 ? dy : LEAK * dy),
    forwardText: (x, y) => `${y} = ${x} > 0 ? ${x} : ${LEAK} * ${x};`,
    backwardText: (dy, x) => `(${x} > 0 ? ${dy} : ${LEAK} * ${dy})`
  },
  /** Exponential linear unit (α = 1): x for x > 0, else eˣ − 1; derivative 1, or eˣ = y + 1 (continuous at 0). */
  elu: {
    forward: (x) => (x > 0 ? x : Math.expm1(x)),
    backward: (dy, x, y) => (x > 0 ? dy : dy * (y + 1)),
    forwardText: (x, y) => `${y} = ${x} > 0 ? ${x} : Math.expm1(${x});`,
    backwardText: (dy, x, y) => `(${x} > 0 ? ${dy} : ${dy} * (${y} + 1))`
  },
  /**
   * softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|), which never overflows; softplus' = σ.
   * No source text: the written-out kernels call `forwardAt` / `backwardAt` for it.
   */
  softplus: {
    forward: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    backward: (dy, x) => dy * logistic(x)
  },
  /** Identity: f(x) = x, f' = 1 (a linear output, for regression). */
  linear: {
    forward: (x) => x,
    backward: (dy) => dy,
    forwardText: (x, y) => `${y} = ${x};`,
    backwardText: (dy) => dy
  }
} as const satisfies Record<string, Rule>

/** The name of a built-in element-wise activation: a row of `rules`. */
export type ElementwiseName = keyof typeof rules

/** The rows' names in the order of their numbers: the number of a row is its index here. */
export const elementwiseNames: ReadonlyArray<ElementwiseName> = Object.freeze(Object.keys(rules) as ElementwiseName[])

/**
 * The rows' rules as module constants, for the switches below: a case then calls a constant
 * (V8 inlines it), where `rules.sigmoid.forward(x)` would also load two properties per entry.
 */
const {
  sigmoid: { forward: sigmoidForward, backward: sigmoidBackward },
  tanh: { forward: tanhForward, backward: tanhBackward },
  relu: { forward: reluForward, backward: reluBackward },
  leakyRelu: { forward: leakyReluForward, backward: leakyReluBackward },
  elu: { forward: eluForward, backward: eluBackward },
  softplus: { forward: softplusForward, backward: softplusBackward },
  linear: { forward: linearForward, backward: linearBackward }
} = rules

/**
 * y = f(x) for the built-in element-wise activation numbered `code` (its place in `rules`).
 * Case k calls row k's rule and does nothing else (see the module comment for why a switch).
 */
export const forwardAt = (code: number, x: number): number => {
  switch (code) {
    case 0:
      return sigmoidForward(x)
    case 1:
      return tanhForward(x)
    case 2:
      return reluForward(x)
    case 3:
      return leakyReluForward(x)
    case 4:
      return eluForward(x)
    case 5:
      return softplusForward(x)
    default:
      return linearForward(x)
  }
}

/**
 * dx = dy·f'(x, y) for the built-in element-wise activation numbered `code`, given the
 * pre-activation x and the output y = f(x): row `code`'s backward rule, dispatched as `forwardAt`.
 */
export const backwardAt = (code: number, dy: number, x: number, y: number): number => {
  switch (code) {
    case 0:
      return sigmoidBackward(dy, x, y)
    case 1:
      return tanhBackward(dy, x, y)
    case 2:
      return reluBackward(dy, x)
    case 3:
      return leakyReluBackward(dy, x)
    case 4:
      return eluBackward(dy, x, y)
    case 5:
      return softplusBackward(dy, x)
    default:
      return linearBackward(dy)
  }
}

/** Row `code` of the table (`forwardAt`'s numbering). */
const ruleAt = (code: number): Rule => rules[elementwiseNames[code]!]

/**
 * JavaScript statements that set the variable `y` to `forwardAt(code, x)` (`x` a variable's
 * name), for kernels written out for one network shape (`generated.ts`): the row's source text,
 * or, for a row without one, a call of `forwardAt` (which the generated code must have in scope).
 *
 * For instance, `forwardSource(2, 'z', 'y')` is `'y = z > 0 ? z : 0;'` (relu's row). Internal: no
 * `@example`, which is for what a package exports (the examples test imports them by name).
 */
export const forwardSource = (code: number, x: string, y: string): string =>
  ruleAt(code).forwardText?.(x, y) ?? `${y} = forwardAt(${code}, ${x});`

/**
 * A JavaScript expression for `backwardAt(code, dy, x, y)` (`dy`, `x`, `y` variables' names),
 * for generated kernels, as `forwardSource`: the row's source text, or a call of `backwardAt`.
 *
 * For instance, `backwardSource(0, 'dy', 'z', 'y')` is `'dy * y * (1 - y)'` (sigmoid's row).
 */
export const backwardSource = (code: number, dy: string, x: string, y: string): string =>
  ruleAt(code).backwardText?.(dy, x, y) ?? `backwardAt(${code}, ${dy}, ${x}, ${y})`
