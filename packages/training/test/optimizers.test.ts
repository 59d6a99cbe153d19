import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { adam, adamw, addDecayedWeights, applyUpdates, cosineDecay, momentum, rmsprop, scaleByAdam, scaleByRms, sgd, trace, type GradientTransformation } from '@purenn/training'
import { describeValue } from '@purenn/matrix'
import type { Network } from '@purenn/network'
import { gradientsLike, netOf, paramsOf, quadraticGradients } from './helpers.js'

/**
 * The tiny problem: f(θ) = ½‖θ‖² for a network with one weight w and one bias b, started at
 * w = 1, b = −2. Its gradient is θ itself, so each step is easy to work out by hand.
 */
const start = netOf([{ weights: [[1]], bias: [-2] }])

/** Runs `n` steps of `tx` on f(θ) = ½ Σ curvature_i θ_i², returning the parameters after each. */
const run = <S>(tx: GradientTransformation<S>, net: Network, n: number, curvature?: ReadonlyArray<number>): number[][] => {
  let state = tx.init(net)
  let params = net
  const out: number[][] = []
  for (let i = 0; i < n; i++) {
    const g = curvature === undefined ? quadraticGradients(params) : gradientsLike(params, paramsOf(params).map((x, j) => curvature[j]! * x))
    const [u, s] = tx.update(g, state, params)
    params = applyUpdates(u)(params)
    state = s
    out.push(paramsOf(params))
  }
  return out
}

const expectSteps = (actual: number[][], expected: number[][]): void => {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((step, i) => step.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, 12)))
}

describe('first two steps, worked by hand on f(θ) = ½‖θ‖² from w = 1, b = −2', () => {
  it('sgd: θ ← θ − ηg', () => {
    // w: 1 − 0.1·1 = 0.9, then 0.9 − 0.1·0.9 = 0.81; b: −2 → −1.8 → −1.62
    expectSteps(run(sgd({ learningRate: 0.1 }), start, 2), [
      [0.9, -1.8],
      [0.81, -1.62]
    ])
  })

  it('momentum: v ← g + βv, θ ← θ − ηv', () => {
    // w: v = 1, w = 0.9; v = 0.9 + 0.9·1 = 1.8, w = 0.9 − 0.18 = 0.72
    // b: v = −2, b = −1.8; v = −1.8 + 0.9·(−2) = −3.6, b = −1.8 + 0.36 = −1.44
    expectSteps(run(momentum({ learningRate: 0.1, beta: 0.9 }), start, 2), [
      [0.9, -1.8],
      [0.72, -1.44]
    ])
  })

  it('momentum with Nesterov: θ ← θ − η(g + βv)', () => {
    // w: v = 1, u = 1 + 0.9·1 = 1.9, w = 1 − 0.19 = 0.81;
    //    g = 0.81, v = 0.81 + 0.9·1 = 1.71, u = 0.81 + 0.9·1.71 = 2.349, w = 0.81 − 0.2349 = 0.5751
    // b: v = −2, u = −3.8, b = −1.62; v = −1.62 − 1.8 = −3.42, u = −1.62 − 3.078 = −4.698, b = −1.1502
    expectSteps(run(momentum({ learningRate: 0.1, beta: 0.9, nesterov: true }), start, 2), [
      [0.81, -1.62],
      [0.5751, -1.1502]
    ])
  })

  it('rmsprop: ν ← ρν + (1 − ρ)g², θ ← θ − ηg/√ν (ε = 0)', () => {
    // w: ν = 0.1, w = 1 − 0.1/√0.1 = 1 − √0.1 = 0.683772233983162;
    //    ν = 0.09 + 0.1·0.683772…² = 0.136754446796632, w = 0.683772… − 0.1·0.683772…/√0.136754… = 0.498870606896870
    // b: ν = 0.4, b = −2 + 0.1·2/√0.4 = −1.683772233983162;
    //    ν = 0.36 + 0.1·1.683772…² = 0.643508893593265, b = −1.683772… + 0.1·1.683772…/√0.643508… = −1.473875313498585
    expectSteps(run(rmsprop({ learningRate: 0.1, decay: 0.9, eps: 0 }), start, 2), [
      [0.683772233983162, -1.683772233983162],
      [0.49887060689687, -1.473875313498585]
    ])
  })

  it('adam: θ ← θ − η μ̂ / √ν̂ (ε = 0)', () => {
    // step 1: μ̂ = g, ν̂ = g², so the step is η·sign(g): w = 0.9, b = −1.9
    // step 2, w: g = 0.9, μ = 0.09 + 0.09 = 0.18, ν = 0.000999 + 0.00081 = 0.001809,
    //   μ̂ = 0.18/0.19, ν̂ = 0.001809/0.001999, w = 0.9 − 0.1·0.947368…/0.951290… = 0.800412227671247
    // step 2, b: g = −1.9, μ = −0.18 − 0.19 = −0.37, ν = 0.003996 + 0.00361 = 0.007606,
    //   μ̂ = −0.37/0.19, ν̂ = 0.007606/0.001999, b = −1.9 + 0.1·1.947368…/1.950616… = −1.800166485610310
    expectSteps(run(adam({ learningRate: 0.1, eps: 0 }), start, 2), [
      [0.9, -1.9],
      [0.800412227671247, -1.80016648561031]
    ])
  })

  it('adamw: θ ← θ − η(μ̂/√ν̂ + λθ), biases not decayed (ε = 0)', () => {
    // step 1, w: u = 1 + 0.01·1, w = 1 − 0.101 = 0.899; b as adam: −1.9
    // step 2, w: g = 0.899, μ = 0.09 + 0.0899 = 0.1799, ν = 0.000999 + 0.000808201 = 0.001807201,
    //   u = (0.1799/0.19)/√(0.001807201/0.001999) + 0.00899 = 0.995819… + 0.00899, w = 0.798519026148264
    expectSteps(run(adamw({ learningRate: 0.1, eps: 0, weightDecay: 0.01 }), start, 2), [
      [0.899, -1.9],
      [0.798519026148264, -1.80016648561031]
    ])
  })

  it('a learning-rate schedule is read at steps 0, 1, … (sgd)', () => {
    // η = 0.5 then 0.25: w = 1 − 0.5 = 0.5, then 0.5 − 0.125 = 0.375
    expectSteps(run(sgd({ learningRate: (t) => 0.5 / 2 ** t }), start, 2), [
      [0.5, -1],
      [0.375, -0.75]
    ])
  })
})

describe('convergence on a convex quadratic from random starting points (property)', () => {
  const optimizers: ReadonlyArray<readonly [string, () => GradientTransformation<unknown>, number, number]> = [
    ['sgd', () => sgd({ learningRate: 0.1 }), 400, 1e-6],
    ['momentum', () => momentum({ learningRate: 0.05, beta: 0.9 }), 400, 1e-6],
    ['nesterov', () => momentum({ learningRate: 0.05, beta: 0.9, nesterov: true }), 400, 1e-6],
    ['rmsprop', () => rmsprop({ learningRate: cosineDecay({ init: 0.05, steps: 400 }) }), 400, 1e-2],
    ['adam', () => adam({ learningRate: cosineDecay({ init: 0.2, steps: 400 }) }), 400, 1e-2],
    ['adamw', () => adamw({ learningRate: cosineDecay({ init: 0.2, steps: 400 }), weightDecay: 0.01 }), 400, 1e-2]
  ] as ReadonlyArray<readonly [string, () => GradientTransformation<unknown>, number, number]>

  it.each(optimizers)('%s nears the minimum', (_, make, steps, tolerance) => {
    const coordinate = fc.double({ min: -5, max: 5, noNaN: true })
    const curvature = fc.double({ min: 0.5, max: 2, noNaN: true })
    fc.assert(
      fc.property(fc.array(coordinate, { minLength: 3, maxLength: 3 }), fc.array(curvature, { minLength: 3, maxLength: 3 }), ([w1, w2, b], c) => {
        const net = netOf([{ weights: [[w1!, w2!]], bias: [b!] }])
        const last = run(make(), net, steps, c).at(-1)!
        for (const x of last) expect(Math.abs(x)).toBeLessThan(tolerance)
      }),
      { numRuns: 25 }
    )
  })
})

describe('optimizers are checked when built', () => {
  it('refuses a bad learning rate or beta, naming the optimizer and the option as the caller gave them', () => {
    expect(() => sgd({ learningRate: -1 })).toThrow(new RangeError('sgd: learningRate must be a positive finite number, got number -1'))
    expect(() => adam({ learningRate: 0.1, beta1: 1.5 })).toThrow(new RangeError('adam: beta1 must be in [0, 1), got number 1.5'))
    expect(() => adam({ learningRate: 0, beta1: 0.5 })).toThrow(new RangeError('adam: learningRate must be a positive finite number, got number 0'))
    expect(() => momentum({ learningRate: 0.1, beta: -0.1 })).toThrow(new RangeError('momentum: beta must be in [0, 1), got number -0.1'))
    expect(() => momentum({ learningRate: 0.1, beta: 1.5 })).toThrow(new RangeError('momentum: beta must be in [0, 1), got number 1.5'))
    expect(() => rmsprop({ learningRate: 0.1, decay: 1 })).toThrow(new RangeError('rmsprop: decay must be in [0, 1), got number 1'))
    expect(() => rmsprop({ learningRate: 0.1, eps: -1 })).toThrow(new RangeError('rmsprop: eps must be a non-negative finite number, got number -1'))
    expect(() => adamw({ learningRate: 0.1, weightDecay: -1 })).toThrow(new RangeError('adamw: weightDecay must be a non-negative finite number, got number -1'))
    expect(() => adamw({ learningRate: 0.1, beta2: 1 })).toThrow(new RangeError('adamw: beta2 must be in [0, 1), got number 1'))
  })

  it('refuses options that are not an object with a TypeError, not a crash inside', () => {
    const cases: ReadonlyArray<readonly [string, (u: never) => unknown, string]> = [
      ['sgd', sgd, '{ learningRate }'],
      ['momentum', momentum, '{ learningRate, beta?, nesterov? }'],
      ['rmsprop', rmsprop, '{ learningRate, decay?, eps? }'],
      ['adam', adam, '{ learningRate, beta1?, beta2?, eps? }'],
      ['adamw', adamw, '{ learningRate, beta1?, beta2?, eps?, weightDecay? }'],
      ['trace', trace, '{ decay, nesterov? }'],
      ['scaleByRms', scaleByRms, '{ decay?, eps? }'],
      ['scaleByAdam', scaleByAdam, '{ beta1?, beta2?, eps? }']
    ]
    for (const [name, make, shape] of cases)
      for (const u of [null, 0.1, 'adam'] as const) expect(() => make(u as never)).toThrow(new TypeError(`${name}: expected ${shape}, got ${describeValue(u)}`))
    expect(() => (adam as (o?: unknown) => unknown)()).toThrow(new TypeError('adam: expected { learningRate, beta1?, beta2?, eps? }, got undefined'))
    expect(() => addDecayedWeights(0.1, null as never)).toThrow(new TypeError('addDecayedWeights: expected { bias? }, got null'))
  })
})
