import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import {
  RUNS,
  bytes,
  dim,
  dim0,
  literal,
  matrixOf,
  naiveDot,
  naiveTranspose,
  productTolerance,
  seeded,
  snapshot
} from './arbitraries.js'

const exact = M.getEq(0)

/** Two matrices that can be multiplied, `m x k` and `k x n`, with m, k, n in 1..13. */
const product2 = fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(matrixOf(m, k), matrixOf(k, n)))

/** Three matrices that can be multiplied in a row. */
const product3 = fc
  .tuple(dim, dim, dim, dim)
  .chain(([m, k, l, n]) => fc.tuple(matrixOf(m, k), matrixOf(k, l), matrixOf(l, n)))

/**
 * Shapes `[m, k, n]` that cross the kernel's thresholds: below and above the small-product
 * cut-off (4096 multiply-adds, or fewer than 4 rows or columns), tiles left partly empty, and
 * an inner dimension above the 256-long k-block.
 */
const namedShapes: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [4, 4, 4],
  [16, 16, 16],
  [16, 17, 16],
  [3, 50, 40],
  [40, 50, 3],
  [37, 70, 9],
  [9, 70, 37],
  [5, 300, 6],
  [13, 513, 11],
  [17, 257, 21],
  [64, 784, 12]
]

/** Random shapes up to 80 x 600 x 80, filled from a seed (too big to draw entry by entry). */
const bigShape = fc.record({
  m: fc.integer({ min: 1, max: 80 }),
  k: fc.integer({ min: 1, max: 600 }),
  n: fc.integer({ min: 1, max: 80 }),
  seed: fc.integer()
})

describe('dot', () => {
  it('multiplies as the tutorial does', () => {
    const w = literal(2, 2, [1, 2, 3, 4])
    const x = literal(2, 1, [5, 6])
    expect(M.toArrays(pipe(w, M.dot(x)))).toEqual([[17], [39]])
    expect(M.toArrays(pipe(literal(1, 3, [1, 2, 3]), M.dot(literal(3, 1, [4, 5, 6]))))).toEqual([[32]])
  })

  it('equals the textbook triple loop on small shapes', () => {
    fc.assert(
      fc.property(product2, ([a, b]) => M.getEq(productTolerance(a, b)).equals(pipe(a, M.dot(b)), naiveDot(a, b))),
      { numRuns: RUNS }
    )
  })

  it('equals the textbook triple loop on shapes across the kernel thresholds', () => {
    for (const [m, k, n] of namedShapes) {
      const a = seeded(m, k, m * 7 + k)
      const b = seeded(k, n, n * 13 + k)
      const c = pipe(a, M.dot(b))
      expect([c.rows, c.cols]).toEqual([m, n])
      expect(M.getEq(productTolerance(a, b)).equals(c, naiveDot(a, b))).toBe(true)
    }
    fc.assert(
      fc.property(bigShape, ({ m, k, n, seed }) => {
        const a = seeded(m, k, seed)
        const b = seeded(k, n, seed + 1)
        return M.getEq(productTolerance(a, b)).equals(pipe(a, M.dot(b)), naiveDot(a, b))
      }),
      { numRuns: RUNS }
    )
  })

  it('is associative: (AB)C = A(BC)', () => {
    fc.assert(
      fc.property(product3, ([a, b, c]) =>
        M.getEq(productTolerance(a, b, c)).equals(pipe(a, M.dot(b), M.dot(c)), pipe(a, M.dot(pipe(b, M.dot(c)))))
      ),
      { numRuns: RUNS }
    )
  })

  it('distributes over addition: A(B + C) = AB + AC', () => {
    const triple = fc
      .tuple(dim, dim, dim)
      .chain(([m, k, n]) => fc.tuple(matrixOf(m, k), matrixOf(k, n), matrixOf(k, n)))
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        const tolerance = productTolerance(a, M.add(M.map(Math.abs)(c))(M.map(Math.abs)(b)))
        return M.getEq(tolerance).equals(pipe(a, M.dot(pipe(b, M.add(c)))), pipe(a, M.dot(b), M.add(pipe(a, M.dot(c)))))
      }),
      { numRuns: RUNS }
    )
  })

  it('has the identity matrix as unit on both sides, exactly', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([r, c]) => matrixOf(r, c)),
        (a) => exact.equals(pipe(M.identity(a.rows), M.dot(a)), a) && exact.equals(pipe(a, M.dot(M.identity(a.cols))), a)
      ),
      { numRuns: RUNS }
    )
  })

  it('transposes as (AB)ᵀ = BᵀAᵀ', () => {
    fc.assert(
      fc.property(product2, ([a, b]) =>
        M.getEq(productTolerance(a, b)).equals(M.transpose(pipe(a, M.dot(b))), pipe(M.transpose(b), M.dot(M.transpose(a))))
      ),
      { numRuns: RUNS }
    )
  })

  it('handles empty shapes: an empty inner dimension gives zeros', () => {
    expect(pipe(M.zeros(3, 0), M.dot(M.zeros(0, 2)))).toEqual(M.zeros(3, 2))
    expect(exact.equals(pipe(M.zeros(0, 4), M.dot(M.fill(4, 5, 1))), M.zeros(0, 5))).toBe(true)
    expect(exact.equals(pipe(M.fill(5, 4, 1), M.dot(M.zeros(4, 0))), M.zeros(5, 0))).toBe(true)
    expect(M.toArrays(pipe(literal(1, 1, [3]), M.dot(literal(1, 1, [-2]))))).toEqual([[-6]])
  })

  it('gives the same bits run to run', () => {
    const a = seeded(37, 300, 1)
    const b = seeded(300, 41, 2)
    expect(bytes(pipe(a, M.dot(b)))).toEqual(bytes(pipe(a, M.dot(b))))
  })
})

describe('dotTransposeA and dotTransposeB', () => {
  it('compute aᵀ·b and a·bᵀ on examples', () => {
    const a = literal(2, 3, [1, 2, 3, 4, 5, 6])
    const b = literal(2, 2, [1, 0, 0, 1])
    expect(M.toArrays(pipe(a, M.dotTransposeA(b)))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6]
    ])
    expect(M.toArrays(pipe(a, M.dotTransposeB(a)))).toEqual([
      [14, 32],
      [32, 77]
    ])
  })

  /** aᵀ·b against the product with a materialised transpose, and against the reference. */
  const checkA = (a: M.Matrix, b: M.Matrix): boolean => {
    const tolerance = productTolerance(naiveTranspose(a), b)
    const got = pipe(a, M.dotTransposeA(b))
    return M.getEq(tolerance).equals(got, pipe(M.transpose(a), M.dot(b))) && M.getEq(tolerance).equals(got, naiveDot(naiveTranspose(a), b))
  }

  /** a·bᵀ against the product with a materialised transpose, and against the reference. */
  const checkB = (a: M.Matrix, b: M.Matrix): boolean => {
    const tolerance = productTolerance(a, naiveTranspose(b))
    const got = pipe(a, M.dotTransposeB(b))
    return M.getEq(tolerance).equals(got, pipe(a, M.dot(M.transpose(b)))) && M.getEq(tolerance).equals(got, naiveDot(a, naiveTranspose(b)))
  }

  it('equal the product with a materialised transpose on small shapes', () => {
    const shapes = fc.tuple(dim, dim, dim)
    fc.assert(
      fc.property(
        shapes.chain(([m, k, n]) => fc.tuple(matrixOf(k, m), matrixOf(k, n))),
        ([a, b]) => checkA(a, b)
      ),
      { numRuns: RUNS }
    )
    fc.assert(
      fc.property(
        shapes.chain(([m, k, n]) => fc.tuple(matrixOf(m, k), matrixOf(n, k))),
        ([a, b]) => checkB(a, b)
      ),
      { numRuns: RUNS }
    )
  })

  it('equal the product with a materialised transpose across the kernel thresholds', () => {
    for (const [m, k, n] of namedShapes) {
      expect(checkA(seeded(k, m, m + 3 * k), seeded(k, n, n + 5 * k))).toBe(true)
      expect(checkB(seeded(m, k, m + 7 * k), seeded(n, k, n + 11 * k))).toBe(true)
    }
    fc.assert(
      fc.property(bigShape, ({ m, k, n, seed }) => checkA(seeded(k, m, seed), seeded(k, n, seed ^ 1)) && checkB(seeded(m, k, seed), seeded(n, k, seed ^ 2))),
      { numRuns: RUNS }
    )
  })

  it('add the same products in the same order as dot: equal to it bit for bit', () => {
    fc.assert(
      fc.property(bigShape, ({ m, k, n, seed }) => {
        const a = seeded(m, k, seed)
        const b = seeded(k, n, seed ^ 3)
        const ab = bytes(pipe(a, M.dot(b)))
        expect(bytes(pipe(M.transpose(a), M.dotTransposeA(b)))).toEqual(ab)
        expect(bytes(pipe(a, M.dotTransposeB(M.transpose(b))))).toEqual(ab)
      }),
      { numRuns: 50 }
    )
  })

  it('handle empty shapes', () => {
    expect(exact.equals(pipe(M.zeros(0, 3), M.dotTransposeA(M.zeros(0, 2))), M.zeros(3, 2))).toBe(true)
    expect(exact.equals(pipe(M.zeros(3, 0), M.dotTransposeB(M.zeros(2, 0))), M.zeros(3, 2))).toBe(true)
    expect(exact.equals(pipe(M.zeros(4, 0), M.dotTransposeA(M.zeros(4, 2))), M.zeros(0, 2))).toBe(true)
    expect(exact.equals(pipe(M.zeros(0, 4), M.dotTransposeB(M.zeros(2, 4))), M.zeros(0, 2))).toBe(true)
    expect(M.toArrays(pipe(literal(1, 1, [3]), M.dotTransposeA(literal(1, 1, [2]))))).toEqual([[6]])
    expect(M.toArrays(pipe(literal(1, 1, [3]), M.dotTransposeB(literal(1, 1, [2]))))).toEqual([[6]])
  })
})

describe('outer', () => {
  it('is a column times a row', () => {
    fc.assert(
      fc.property(dim0, dim0, (m, n) => {
        const a = seeded(m, 1, m)
        const b = seeded(n, 1, n + 100)
        return exact.equals(pipe(a, M.outer(b)), naiveDot(a, naiveTranspose(b)))
      }),
      { numRuns: RUNS }
    )
    expect(M.toArrays(pipe(literal(2, 1, [1, 2]), M.outer(literal(3, 1, [3, 4, 5]))))).toEqual([
      [3, 4, 5],
      [6, 8, 10]
    ])
  })
})

describe('transpose', () => {
  it('swaps rows and columns', () => {
    expect(M.toArrays(M.transpose(literal(2, 3, [1, 2, 3, 4, 5, 6])))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6]
    ])
    expect(exact.equals(M.transpose(M.zeros(0, 3)), M.zeros(3, 0))).toBe(true)
    expect(exact.equals(M.transpose(M.zeros(3, 0)), M.zeros(0, 3))).toBe(true)
    expect(M.toArrays(M.transpose(literal(1, 1, [7])))).toEqual([[7]])
  })

  it('equals the reference on shapes larger than its 32x32 blocks', () => {
    for (const [r, c] of [[33, 65], [100, 7], [1, 70]] as const) {
      const a = seeded(r, c, r + c)
      expect(bytes(M.transpose(a))).toEqual(bytes(naiveTranspose(a)))
    }
  })

  it('is an involution: (Aᵀ)ᵀ = A, bit for bit', () => {
    fc.assert(
      fc.property(fc.tuple(dim0, dim0).chain(([r, c]) => matrixOf(r, c)), (a) => {
        const back = M.transpose(M.transpose(a))
        return back.rows === a.rows && back.cols === a.cols && exact.equals(back, a)
      }),
      { numRuns: RUNS }
    )
  })
})

describe('purity', () => {
  it('no product changes its inputs or hands one back', () => {
    fc.assert(
      fc.property(product2, ([a, b]) => {
        const before = [snapshot(a), snapshot(b)]
        const square = pipe(a, M.dotTransposeB(a))
        const outputs = [
          pipe(a, M.dot(b)),
          pipe(M.transpose(a), M.dotTransposeA(b)),
          pipe(a, M.dotTransposeB(M.transpose(b))),
          M.transpose(a),
          pipe(M.column(0)(a), M.outer(M.column(0)(b))),
          square
        ]
        expect(bytes(a)).toEqual(before[0])
        expect(bytes(b)).toEqual(before[1])
        for (const out of outputs) expect(out.data.buffer === a.data.buffer || out.data.buffer === b.data.buffer).toBe(false)
      }),
      { numRuns: RUNS }
    )
  })
})
