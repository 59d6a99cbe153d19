import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { ElementwiseActivation } from '@purenn/network'
import { swish } from './reference.js'

const elementwise: ReadonlyArray<ElementwiseActivation> = [N.sigmoid, N.tanh, N.relu, N.leakyRelu, N.elu, N.softplus, N.linear, swish]

describe('element-wise activations', () => {
  it.each(elementwise.map((a) => [a.name, a] as const))('%s: df(x, f(x)) is the derivative of f', (_, a) => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        const h = 1e-6
        if (Math.abs(x) <= h && a !== N.sigmoid && a !== N.tanh && a !== N.softplus && a !== N.linear && a !== swish) return // kink at 0
        const f = (a.f(x + h) - a.f(x - h)) / (2 * h)
        const d = a.df(x, a.f(x))
        expect(Math.abs(d - f)).toBeLessThanOrEqual(1e-6 * Math.max(1e-2, Math.abs(d) + Math.abs(f)))
      }),
      { numRuns: 200 }
    )
  })

  it.each(elementwise.map((a) => [a.name, a] as const))('%s: the batch kernels agree with f and df entry by entry', (_, a) => {
    const z = M.fromFunction(3, 5, (i, j) => (i - 1) * 3 + j - 2.5)
    const y = N.activate(a)(z)
    const dy = M.fromFunction(3, 5, (i, j) => 0.5 + i - j / 4)
    const dz = N.activationBackward(a)(z, y, dy)
    for (let k = 0; k < 15; k++) {
      expect(y.data[k]).toBe(a.f(z.data[k]!))
      expect(dz.data[k]).toBeCloseTo(dy.data[k]! * a.df(z.data[k]!, y.data[k]!), 15)
    }
  })

  it('sigmoid and softplus do not overflow for large inputs', () => {
    expect(N.sigmoid.f(-1000)).toBe(0)
    expect(N.sigmoid.f(1000)).toBe(1)
    expect(N.softplus.f(1000)).toBe(1000)
    expect(N.softplus.f(-1000)).toBe(0)
    expect(Array.from(N.activate(N.sigmoid)(M.fromArray([-1000, 1000])).data)).toEqual([0, 1])
  })

  it('the tutorial derivative of sigmoid: y·(1 − y)', () => {
    expect(N.sigmoid.df(123, 0.25)).toBe(0.1875)
    expect(N.relu.df(-1, 0)).toBe(0)
    expect(N.relu.df(2, 2)).toBe(1)
  })
})

describe('softmax', () => {
  it('maps each column to probabilities, stably for large logits', () => {
    const y = N.softmax.forward(M.fromFunction(3, 2, (i, j) => (j === 0 ? i : 1000 * i)))
    expect(M.toArray(M.colSums(y)).map((s) => Math.abs(s - 1) < 1e-15)).toEqual([true, true])
    expect(M.get(y, 2, 1)).toBe(1)
    const e = [1, Math.E, Math.E ** 2]
    const s = e[0]! + e[1]! + e[2]!
    e.forEach((v, i) => expect(M.get(y, i, 0)).toBeCloseTo(v / s, 15))
  })

  it('backward applies the Jacobian diag(y) − y·yᵀ to the incoming gradient', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), (zs, dys) => {
        const z = M.fromArray(zs)
        const y = N.softmax.forward(z)
        const jacobian = M.fromFunction(4, 4, (i, j) => (i === j ? M.get(y, i, 0) : 0) - M.get(y, i, 0) * M.get(y, j, 0))
        const expected = M.dot(M.fromArray(dys))(jacobian)
        const dz = N.softmax.backward(z, y, M.fromArray(dys))
        for (let i = 0; i < 4; i++) expect(dz.data[i]).toBeCloseTo(expected.data[i]!, 14)
      }),
      { numRuns: 50 }
    )
  })
})

describe('activation (custom)', () => {
  it('builds an element-wise activation with a name', () => {
    expect(swish).toMatchObject({ _tag: 'Elementwise', name: 'swish' })
    expect(swish.f(0)).toBe(0)
  })

  it('refuses built-in names, empty names and non-functions', () => {
    expect(() => N.activation('relu', (x) => x, () => 1)).toThrow('activation: "relu" is the name of a built-in activation')
    expect(() => N.activation('', (x) => x, () => 1)).toThrow(TypeError)
    expect(() => N.activation('id', 1 as unknown as (x: number) => number, () => 1)).toThrow('activation: f must be a function, got number 1')
  })

  it('the built-ins are known by name', () => {
    expect(Object.keys(N.builtinActivations)).toEqual(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softplus', 'linear', 'softmax'])
    for (const [name, a] of Object.entries(N.builtinActivations)) expect(a.name).toBe(name)
    expect(N.isBuiltinName('softmax')).toBe(true)
    expect(N.isBuiltinName('swish')).toBe(false)
  })
})
