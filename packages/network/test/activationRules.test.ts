// The rule table of the built-in element-wise activations (src/internal/activationRules.ts) and
// everything made from it, per activation and bit for bit: the exported value's f and df, the
// dispatch by number (forwardAt / backwardAt), the source forms compiled with new Function, and
// the batch kernels (activateInto / activationBackwardInto), each against the row, and the row against the formulas as they were written
// before the table (`before` below: the bits the table must keep), on edge values and on any
// double.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as N from '@purenn/network'
import type { ElementwiseActivation } from '@purenn/network'
import { activateInto, activationBackwardInto, backwardAt, backwardSource, elementwiseCode, forwardAt, forwardSource } from '../src/Activation.js'
import { elementwiseNames, rules, type ElementwiseName } from '../src/internal/activationRules.js'

/** The bits of numbers, so that −0 and 0 differ; every NaN reads as one (see generated.test.ts for why). */
const bitsOf = (xs: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float64Array.from(xs, (x) => (Number.isNaN(x) ? Number.NaN : x)).buffer))

/** Doubles of every kind: any double (NaN, ±∞, ±0, subnormals, the largest), the working range, and the edges of each rule. */
const doubles = fc.oneof(
  fc.double({ noNaN: false }),
  fc.double({ min: -50, max: 50, noNaN: true }),
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    5e-324,
    -5e-324,
    1e-310,
    -1e-310,
    36.8, // σ rounds to 1 from here
    -37,
    709.8, // eˣ overflows past here
    710,
    -745, // eˣ underflows to 0 past here
    -746,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN
  )
)

/** Today's formulas before the table, as forwardAt, backwardAt and the exported df spelled them: the bits to keep. */
const logistic = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}
const before: Record<
  ElementwiseName,
  { readonly f: (x: number) => number; readonly back: (dy: number, x: number, y: number) => number; readonly df: (x: number, y: number) => number }
> = {
  sigmoid: { f: logistic, back: (dy, _x, y) => dy * y * (1 - y), df: (_x, y) => y * (1 - y) },
  tanh: { f: Math.tanh, back: (dy, _x, y) => dy * (1 - y * y), df: (_x, y) => 1 - y * y },
  relu: { f: (x) => (x > 0 ? x : 0), back: (dy, x) => (x > 0 ? dy : 0), df: (x) => (x > 0 ? 1 : 0) },
  leakyRelu: { f: (x) => (x > 0 ? x : 0.01 * x), back: (dy, x) => (x > 0 ? dy : 0.01 * dy), df: (x) => (x > 0 ? 1 : 0.01) },
  elu: { f: (x) => (x > 0 ? x : Math.expm1(x)), back: (dy, x, y) => (x > 0 ? dy : dy * (y + 1)), df: (x, y) => (x > 0 ? 1 : y + 1) },
  softplus: { f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), back: (dy, x) => dy * logistic(x), df: (x) => logistic(x) },
  linear: { f: (x) => x, back: (dy) => dy, df: () => 1 }
}

const values: Record<ElementwiseName, ElementwiseActivation> = {
  sigmoid: N.sigmoid,
  tanh: N.tanh,
  relu: N.relu,
  leakyRelu: N.leakyRelu,
  elu: N.elu,
  softplus: N.softplus,
  linear: N.linear
}

describe('the rule table of the built-in element-wise activations', () => {
  it('has one row per built-in element-wise activation, each numbered by its place', () => {
    expect(elementwiseNames).toEqual(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softplus', 'linear'])
    for (const [code, name] of elementwiseNames.entries()) {
      expect(elementwiseCode(values[name])).toBe(code)
      expect(values[name].name).toBe(name)
      expect(N.builtinActivations[name]).toBe(values[name])
      expect(values[name].f).toBe(rules[name].forward)
    }
    expect(elementwiseCode(N.softmax)).toBe(-1)
    expect(elementwiseCode({ ...N.relu })).toBe(-1) // a copy of a built-in is not the built-in
    expect(elementwiseCode({ _tag: 'Elementwise', name: 'toString', f: (x) => x, df: () => 1 })).toBe(-1)
  })

  it.each(elementwiseNames.map((name, code) => [name, code] as const))(
    '%s: row, exported value, forwardAt/backwardAt, compiled source and batch kernels give the same bits as before the table',
    (name, code) => {
      const row = rules[name]
      const a = values[name]
      const old = before[name]
      const f = new Function('forwardAt', 'x', `let y; ${forwardSource(code, 'x', 'y')} return y;`) as (at: typeof forwardAt, x: number) => number
      const back = new Function('backwardAt', 'dy', 'x', 'y', `return ${backwardSource(code, 'dy', 'x', 'y')};`) as (
        at: typeof backwardAt,
        dy: number,
        x: number,
        y: number
      ) => number
      fc.assert(
        fc.property(doubles, doubles, doubles, (x, dy, anyY) => {
          const y = old.f(x)
          const forwards = [row.forward(x), a.f(x), forwardAt(code, x), f(forwardAt, x)]
          expect(bitsOf(forwards)).toEqual(bitsOf(forwards.map(() => y)))
          for (const at of [y, anyY]) {
            const dx = old.back(dy, x, at)
            const backwards = [row.backward(dy, x, at), backwardAt(code, dy, x, at), back(backwardAt, dy, x, at)]
            expect(bitsOf(backwards)).toEqual(bitsOf(backwards.map(() => dx)))
            expect(bitsOf([a.df(x, at)])).toEqual(bitsOf([old.df(x, at)]))
          }
          // the batch kernels, entry by entry (a 1x3 batch of x, −x and dy; fromArray takes finite numbers only, the kernels any)
          const z = Float64Array.of(x, -x, dy)
          const ys = new Float64Array(3)
          activateInto(a, z, 0, ys, 0, 1, 3)
          expect(bitsOf(ys)).toEqual(bitsOf([old.f(x), old.f(-x), old.f(dy)]))
          const dys = Float64Array.of(dy, anyY, x)
          const dz = new Float64Array(3)
          activationBackwardInto(a, z, 0, ys, 0, dys, 0, dz, 0, 1, 3)
          expect(bitsOf(dz)).toEqual(bitsOf([old.back(dy, x, ys[0]!), old.back(anyY, -x, ys[1]!), old.back(x, dy, ys[2]!)]))
        }),
        { numRuns: 500 }
      )
    }
  )
})
