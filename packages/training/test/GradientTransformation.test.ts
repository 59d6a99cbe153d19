import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import { pipe } from 'fp-ts/lib/function.js'
import {
  applyUpdates,
  chain,
  clipByGlobalNorm,
  emptyState,
  identity,
  scaleByAdam,
  scaleByLearningRate,
  stateless,
  trace
} from '@purenn/training'
import { entriesOf, gradientsLike, netOf, paramsOf } from './helpers.js'

const net = netOf([
  { weights: [[1, -2], [0.5, 3]], bias: [0.1, -0.2] },
  { weights: [[2, -1]], bias: [0.3] }
])
const size = paramsOf(net).length // 9

describe('identity and stateless', () => {
  it('identity proposes the gradients themselves', () => {
    const g = gradientsLike(net, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    const [u, s] = identity().update(g, identity().init(net), net)
    expect(u).toBe(g)
    expect(s).toEqual({})
  })

  it('stateless wraps a function of the gradients and the network', () => {
    const tx = stateless((g, n) => g.map((l, k) => ({ weights: n.layers[k]!.weights, bias: l.bias })))
    const g = gradientsLike(net, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    const [u, s] = tx.update(g, tx.init(net), net)
    expect(u[0]!.weights).toBe(net.layers[0]!.weights)
    expect(u[1]!.bias).toBe(g[1]!.bias)
    expect(s).toBe(emptyState)
  })
})

describe('chain', () => {
  const values = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: size, maxLength: size })

  it('equals applying each link by hand, bit for bit, over several steps', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 4 }), (steps) => {
        const a = clipByGlobalNorm(1)
        const b = scaleByAdam({ beta1: 0.8, beta2: 0.99 })
        const c = scaleByLearningRate((t) => 0.1 / (1 + t))
        const tx = chain(a, b, c)
        let chained = tx.init(net)
        let byHand = [a.init(net), b.init(net), c.init(net)] as const
        for (const v of steps) {
          const g = gradientsLike(net, v)
          const [u, s] = tx.update(g, chained, net)
          const [u1, sa] = a.update(g, byHand[0], net)
          const [u2, sb] = b.update(u1, byHand[1], net)
          const [u3, sc] = c.update(u2, byHand[2], net)
          expect(entriesOf(u)).toEqual(entriesOf(u3))
          expect(s).toEqual([sa, sb, sc])
          chained = s
          byHand = [sa, sb, sc]
        }
      }),
      { numRuns: 50 }
    )
  })

  it('keeps the states of its links in a tuple, in order', () => {
    const tx = chain(identity(), trace({ decay: 0.5 }), scaleByLearningRate(0.1))
    const s = tx.init(net)
    expect(s).toHaveLength(3)
    expect(s[0]).toEqual({})
    expect(entriesOf(s[1].trace)).toEqual(new Array(size).fill(0))
    expect(s[2]).toEqual({ count: 0 })
  })

  it('refuses a state of the wrong length, naming the expected length', () => {
    const tx = chain(identity(), scaleByLearningRate(0.1))
    const g = gradientsLike(net, new Array(size).fill(1))
    const bad = [{}] as unknown as Parameters<typeof tx.update>[1]
    expect(() => tx.update(g, bad, net)).toThrow(RangeError)
    expect(() => tx.update(g, bad, net)).toThrow('chain: expected a state of 2 entries (one per transformation), got an array of 1')
    expect(() => tx.update(g, null as unknown as Parameters<typeof tx.update>[1], net)).toThrow('got null')
  })

  it('of nothing is the identity', () => {
    const tx = chain()
    const g = gradientsLike(net, new Array(size).fill(2))
    const [u, s] = tx.update(g, tx.init(net), net)
    expect(u).toBe(g)
    expect(s).toEqual([])
  })
})

describe('applyUpdates', () => {
  it('adds the updates to every weight and bias, keeping activations', () => {
    const u = gradientsLike(net, [1, 1, 1, 1, 1, 1, 1, 1, 1])
    const next = pipe(net, applyUpdates(u))
    expect(paramsOf(next)).toEqual(paramsOf(net).map((x) => x + 1))
    expect(next.layers[1]!.activation).toBe(net.layers[1]!.activation)
    expect(next.inputSize).toBe(2)
  })

  it('changes neither the network nor the updates', () => {
    const u = gradientsLike(net, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    const before = [paramsOf(net), entriesOf(u)]
    applyUpdates(u)(net)
    expect([paramsOf(net), entriesOf(u)]).toEqual(before)
  })

  it('refuses updates for another number of layers, or of another shape', () => {
    const u = gradientsLike(net, new Array(size).fill(0))
    expect(() => applyUpdates(u.slice(0, 1))(net)).toThrow('applyUpdates: got updates for 1 layer, the network has 2 layers')
    const wrong = [u[0]!, { weights: M.zeros(1, 3), bias: u[1]!.bias }]
    expect(() => applyUpdates(wrong)(net)).toThrow(M.ShapeError)
  })
})
