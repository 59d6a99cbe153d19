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

describe('mapWithIndex', () => {
  it('gives f the row, the column and the value, in that order (fp-ts order: index first, value last)', () => {
    const a = M.fromFunction(2, 3, (i, j) => 100 + 10 * i + j)
    const seen: Array<readonly [number, number, number]> = []
    const out = pipe(
      a,
      M.mapWithIndex((i, j, x) => {
        seen.push([i, j, x])
        return x - 100 + i * j
      })
    )
    expect(seen).toEqual([
      [0, 0, 100],
      [0, 1, 101],
      [0, 2, 102],
      [1, 0, 110],
      [1, 1, 111],
      [1, 2, 112]
    ])
    expect(M.toArrays(out)).toEqual([
      [0, 1, 2],
      [10, 12, 14]
    ])
  })

  it('ports Toy-Neural-Network-JS map((e, i, j) => …) with the value moved last', () => {
    // Toy-Neural-Network-JS: m.map((e, i, j) => e * 2 + i + j)
    const m = M.fromFunction(2, 2, (i, j) => i + j + 1)
    expect(M.toArrays(pipe(m, M.mapWithIndex((i, j, e) => e * 2 + i + j)))).toEqual([
      [2, 5],
      [5, 8]
    ])
  })

  it('mapWithIndex((_, __, x) => f(x)) is map(f), bit for bit', () => {
    fc.assert(
      fc.property(anyMatrix, fn, (a, f) => {
        expect(bytes(pipe(a, M.mapWithIndex((_, __, x) => f(x))))).toEqual(bytes(pipe(a, M.map(f))))
      }),
      { numRuns: RUNS }
    )
  })

  it('agrees with fromFunction: mapWithIndex(f)(a) is fromFunction((i, j) => f(i, j, a(i, j))), bit for bit', () => {
    fc.assert(
      fc.property(anyMatrix, (a) => {
        const f = (i: number, j: number, x: number): number => x * (i + 1) - j
        const expected = M.fromFunction(a.rows, a.cols, (i, j) => f(i, j, M.get(a, i, j)))
        expect(bytes(pipe(a, M.mapWithIndex(f)))).toEqual(bytes(expected))
      }),
      { numRuns: RUNS }
    )
  })

  it('refuses an f that is not a function', () => {
    const e = (() => {
      try {
        M.mapWithIndex(undefined as unknown as (i: number, j: number, x: number) => number)
      } catch (error) {
        return error
      }
      return undefined
    })()
    expect(e).toBeInstanceOf(TypeError)
    expect((e as Error).message).toBe('mapWithIndex: f must be a function, got undefined')
  })
})

describe('map given a function of the indices (plain JavaScript, ported code)', () => {
  /** `map`, as plain JavaScript calls it: with any function. */
  const mapJs = M.map as unknown as (f: unknown) => (a: M.Matrix) => M.Matrix

  it('throws a TypeError pointing to mapWithIndex, instead of silently passing undefined indices', () => {
    // today: (e, i, j) => e + i + j gives NaN everywhere
    for (const [f, n] of [
      [(e: number, i: number, j: number) => e + i + j, 3],
      [(e: number, i: number) => e * i, 2],
      [Math.max, 2]
    ] as const) {
      let e: unknown
      try {
        mapJs(f)
      } catch (error) {
        e = error
      }
      expect(e).toBeInstanceOf(TypeError)
      expect((e as Error).message).toBe(
        `map: f takes ${n} parameters, but map passes only the value; for the row and column use mapWithIndex((i, j, x) => …), where the value comes last (unlike Toy-Neural-Network-JS's map((x, i, j) => …))`
      )
    }
  })

  it('still takes functions of one parameter, or of one with defaults after it', () => {
    const a = M.fromArray([1, 4])
    expect(M.toArray(pipe(a, M.map(Math.sqrt)))).toEqual([1, 2])
    expect(M.toArray(pipe(a, M.map((x: number, k = 2) => x * k)))).toEqual([2, 8])
    expect(M.toArray(pipe(a, M.map(() => 7)))).toEqual([7, 7])
  })

  it('refuses an f that is not a function, when map is given it', () => {
    expect(() => mapJs(undefined)).toThrow(new TypeError('map: f must be a function, got undefined'))
    expect(() => mapJs('tanh')).toThrow(new TypeError('map: f must be a function, got string "tanh"'))
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
        pipe(a, M.mapWithIndex((i, j, x) => x + i + j)),
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
          pipe(a, M.mapWithIndex((_, __, x) => x)),
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
