import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { flow, pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { RUNS, UNDERFLOW, anyMatrix, bytes, dim0, literal, matrixOf, samePair, snapshot } from './arbitraries.js'

const exact = M.getEq(0)
const EPS = Number.EPSILON // 2⁻⁵², twice the unit roundoff u

/** A non-zero scale factor of moderate size, or 0 (keeps products away from underflow). */
const scalar = fc.oneof(
  fc.constant(0),
  fc.tuple(fc.double({ min: 1e-3, max: 100, noNaN: true }), fc.boolean()).map(([x, negative]) => (negative ? -x : x))
)

/** Some functions to map with, as `[f, g]` pairs drawn from a small set of familiar ones. */
const fn = fc.constantFrom<(x: number) => number>(
  (x) => 2 * x + 1,
  Math.tanh,
  (x) => 1 / (1 + Math.exp(-x)),
  (x) => Math.max(0, x),
  (x) => x * x,
  Math.abs
)

describe('examples', () => {
  it('work as the tutorial operations', () => {
    const a = literal(2, 2, [1, 2, 3, 4])
    const b = literal(2, 2, [10, 20, 30, 40])
    expect(M.toArrays(pipe(a, M.add(b)))).toEqual([
      [11, 22],
      [33, 44]
    ])
    expect(M.toArrays(pipe(b, M.subtract(a)))).toEqual([
      [9, 18],
      [27, 36]
    ])
    expect(M.toArrays(pipe(a, M.hadamard(b)))).toEqual([
      [10, 40],
      [90, 160]
    ])
    expect(M.toArrays(pipe(a, M.scale(-2)))).toEqual([
      [-2, -4],
      [-6, -8]
    ])
    expect(M.toArrays(pipe(a, M.map((x) => x * x)))).toEqual([
      [1, 4],
      [9, 16]
    ])
    expect(M.toArrays(pipe(a, M.zipWith((x, y) => x * 10 + y, b)))).toEqual([
      [20, 40],
      [60, 80]
    ])
    expect(M.toArrays(pipe(M.zeros(2, 3), M.addColumn(M.fromArray([1, 2]))))).toEqual([
      [1, 1, 1],
      [2, 2, 2]
    ])
    expect(M.toArrays(pipe(M.zeros(2, 2), M.addRow(literal(1, 2, [1, 2]))))).toEqual([
      [1, 2],
      [1, 2]
    ])
  })

  it('zipWith passes the entry of a first', () => {
    expect(M.toArray(pipe(M.fromArray([1, 2]), M.zipWith((x, y) => x - y, M.fromArray([10, 20]))))).toEqual([-9, -18])
  })
})

describe('laws', () => {
  it('the Hadamard product and addition commute, exactly', () => {
    fc.assert(
      fc.property(samePair, ([a, b]) => exact.equals(pipe(a, M.hadamard(b)), pipe(b, M.hadamard(a))) && exact.equals(pipe(a, M.add(b)), pipe(b, M.add(a)))),
      { numRuns: RUNS }
    )
  })

  it('a + b − b = a, within rounding', () => {
    // |((a + b)(1 + δ₁) − b)(1 + δ₂) − a| <= u(|a| + |b|) + u(2|a| + |b|), with |δ| <= u = EPS/2
    fc.assert(
      fc.property(samePair, ([a, b]) => {
        const tolerance = 2 * EPS * (M.maxAbs(a) + M.maxAbs(b))
        return M.getEq(tolerance).equals(pipe(a, M.add(b), M.subtract(b)), a)
      }),
      { numRuns: RUNS }
    )
  })

  it('a − a = 0 and a + 0 = a, exactly', () => {
    fc.assert(
      fc.property(anyMatrix, (a) => exact.equals(pipe(a, M.subtract(a)), M.zeros(a.rows, a.cols)) && exact.equals(pipe(a, M.add(M.zeros(a.rows, a.cols))), a)),
      { numRuns: RUNS }
    )
  })

  it('scaling is linear: k(a + b) = ka + kb and k(la) = (kl)a, within rounding', () => {
    fc.assert(
      fc.property(samePair, scalar, scalar, ([a, b], k, l) => {
        const sum = M.maxAbs(a) + M.maxAbs(b)
        // each side rounds at most twice (three times with the sum), u = EPS/2 relative each time
        const distributes = M.getEq(3 * EPS * Math.abs(k) * sum + UNDERFLOW).equals(pipe(a, M.add(b), M.scale(k)), pipe(a, M.scale(k), M.add(pipe(b, M.scale(k)))))
        const composes = M.getEq(2 * EPS * Math.abs(k * l) * M.maxAbs(a) + UNDERFLOW).equals(pipe(a, M.scale(l), M.scale(k)), pipe(a, M.scale(k * l)))
        return distributes && composes
      }),
      { numRuns: RUNS }
    )
  })

  it('scale(1) is the identity, scale(0) gives zeros, scale(-1) negates, exactly', () => {
    fc.assert(
      fc.property(anyMatrix, (a) => {
        expect(bytes(pipe(a, M.scale(1)))).toEqual(bytes(a))
        return (
          exact.equals(pipe(a, M.scale(0)), M.zeros(a.rows, a.cols)) &&
          exact.equals(pipe(a, M.scale(-1)), pipe(M.zeros(a.rows, a.cols), M.subtract(a)))
        )
      }),
      { numRuns: RUNS }
    )
  })

  it('map fuses: map(g) after map(f) is map(g ∘ f), and map(identity) is the identity', () => {
    fc.assert(
      fc.property(anyMatrix, fn, fn, (a, f, g) => {
        expect(bytes(pipe(a, M.map(f), M.map(g)))).toEqual(bytes(pipe(a, M.map(flow(f, g)))))
        expect(bytes(pipe(a, M.map((x) => x)))).toEqual(bytes(a))
      }),
      { numRuns: RUNS }
    )
  })

  it('zipWith with + and × is add and hadamard', () => {
    fc.assert(
      fc.property(samePair, ([a, b]) => {
        expect(bytes(pipe(a, M.zipWith((x, y) => x + y, b)))).toEqual(bytes(pipe(a, M.add(b))))
        expect(bytes(pipe(a, M.zipWith((x, y) => x * y, b)))).toEqual(bytes(pipe(a, M.hadamard(b))))
      }),
      { numRuns: RUNS }
    )
  })

  it('addColumn and addRow are add with the vector repeated', () => {
    const shaped = fc.tuple(dim0, dim0).chain(([r, c]) => fc.tuple(matrixOf(r, c), matrixOf(r, 1), matrixOf(1, c)))
    fc.assert(
      fc.property(shaped, ([a, v, w]) => {
        const columns = M.fromFunction(a.rows, a.cols, (i) => v.data[i]!)
        const rows = M.fromFunction(a.rows, a.cols, (_, j) => w.data[j]!)
        return exact.equals(pipe(a, M.addColumn(v)), pipe(a, M.add(columns))) && exact.equals(pipe(a, M.addRow(w)), pipe(a, M.add(rows)))
      }),
      { numRuns: RUNS }
    )
  })
})

describe('edge shapes', () => {
  it('0xn, nx0 and 1x1 work for every operation', () => {
    for (const [r, c] of [
      [0, 3],
      [3, 0],
      [0, 0],
      [1, 1]
    ] as const) {
      const a = M.fill(r, c, 2)
      const b = M.fill(r, c, 3)
      const results = [
        pipe(a, M.add(b)),
        pipe(a, M.subtract(b)),
        pipe(a, M.hadamard(b)),
        pipe(a, M.scale(4)),
        pipe(a, M.map((x) => x + 1)),
        pipe(a, M.zipWith(Math.max, b)),
        pipe(a, M.addColumn(M.fill(r, 1, 1))),
        pipe(a, M.addRow(M.fill(1, c, 1)))
      ]
      for (const m of results) expect([m.rows, m.cols, m.data.length]).toEqual([r, c, r * c])
    }
    expect(M.toArrays(pipe(M.fill(1, 1, 2), M.hadamard(M.fill(1, 1, 3))))).toEqual([[6]])
  })
})

describe('purity', () => {
  it('no operation changes its inputs or hands one back', () => {
    const shaped = fc.tuple(dim0, dim0).chain(([r, c]) => fc.tuple(matrixOf(r, c), matrixOf(r, c), matrixOf(r, 1), matrixOf(1, c)))
    fc.assert(
      fc.property(shaped, ([a, b, v, w]) => {
        const inputs = [a, b, v, w]
        const before = inputs.map(snapshot)
        const outputs = [
          pipe(a, M.add(b)),
          pipe(a, M.subtract(b)),
          pipe(a, M.hadamard(b)),
          pipe(a, M.scale(1)),
          pipe(a, M.map((x) => x)),
          pipe(a, M.zipWith((x) => x, b)),
          pipe(a, M.addColumn(v)),
          pipe(a, M.addRow(w))
        ]
        inputs.forEach((m, i) => expect(bytes(m)).toEqual(before[i]))
        for (const out of outputs) for (const m of inputs) expect(out.data.buffer).not.toBe(m.data.buffer)
      }),
      { numRuns: RUNS }
    )
  })
})
