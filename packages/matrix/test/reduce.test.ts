import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { RUNS, anyMatrix, bytes, dim, literal, matrixOf, snapshot } from './arbitraries.js'

const EPS = Number.EPSILON

/**
 * The tolerance for two orders of summing the entries of `m`: a sum of `n` terms in any order
 * is within `(n − 1)·u·Σ|x|` of the exact one (u = EPS/2), so two orders differ by at most
 * `n·EPS·Σ|x|`.
 */
const sumTolerance = (m: M.Matrix): number => m.data.length * EPS * M.sum(M.map(Math.abs)(m))

describe('examples', () => {
  const m = literal(2, 3, [1, -2, 3, 4, 5, -6])

  it('sum, sumOfSquares, norm and maxAbs', () => {
    expect(M.sum(m)).toBe(5)
    expect(M.sumOfSquares(m)).toBe(91)
    expect(M.norm(M.fromArray([3, 4]))).toBe(5)
    expect(M.maxAbs(m)).toBe(6)
  })

  it('sums and means along either axis', () => {
    expect(M.toArrays(M.rowSums(m))).toEqual([[2], [3]])
    expect(M.toArrays(M.colSums(m))).toEqual([[5, 3, -3]])
    expect(M.toArrays(M.rowMeans(m))).toEqual([[2 / 3], [1]])
    expect(M.toArrays(M.colMeans(m))).toEqual([[2.5, 1.5, -1.5]])
  })

  it('argmaxColumns gives each column’s largest row, the first on ties', () => {
    const scores = literal(3, 4, [0.1, 0.7, 5, 1, 0.9, 0.3, 5, 1, 0, 0.9, -1, 1])
    expect(M.argmaxColumns(scores)).toEqual([1, 2, 0, 0])
    expect(M.argmaxColumns(literal(2, 1, [-3, -2]))).toEqual([1])
  })
})

describe('laws', () => {
  it('the total is the sum of the row sums and of the column sums', () => {
    fc.assert(
      fc.property(anyMatrix, (m) => {
        const tolerance = sumTolerance(m)
        return Math.abs(M.sum(M.rowSums(m)) - M.sum(m)) <= tolerance && Math.abs(M.sum(M.colSums(m)) - M.sum(m)) <= tolerance
      }),
      { numRuns: RUNS }
    )
  })

  it('row sums are the product with a column of ones, column sums with a row of ones', () => {
    fc.assert(
      fc.property(anyMatrix, (m) => {
        const tolerance = sumTolerance(m)
        return (
          M.getEq(tolerance).equals(M.rowSums(m), pipe(m, M.dot(M.fill(m.cols, 1, 1)))) &&
          M.getEq(tolerance).equals(M.colSums(m), pipe(M.fill(1, m.rows, 1), M.dot(m)))
        )
      }),
      { numRuns: RUNS }
    )
  })

  it('means are sums divided by the count', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([r, c]) => matrixOf(r, c)),
        (m) => {
          expect(M.toArray(M.rowMeans(m))).toEqual(M.toArray(M.rowSums(m)).map((s) => s / m.cols))
          expect(M.toArray(M.colMeans(m))).toEqual(M.toArray(M.colSums(m)).map((s) => s / m.rows))
        }
      ),
      { numRuns: RUNS }
    )
  })

  it('sumOfSquares is the squared norm and bounded by maxAbs', () => {
    fc.assert(
      fc.property(anyMatrix, (m) => {
        const s = M.sumOfSquares(m)
        const top = M.maxAbs(m)
        return (
          Math.abs(M.norm(m) ** 2 - s) <= 4 * EPS * s &&
          top * top <= s * (1 + 2 * EPS) &&
          s <= m.data.length * top * top * (1 + m.data.length * EPS) &&
          m.data.every((x) => Math.abs(x) <= top)
        )
      }),
      { numRuns: RUNS }
    )
  })

  it('argmaxColumns picks an entry no smaller than the rest of its column', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([r, c]) => matrixOf(r, c)),
        (m) =>
          M.argmaxColumns(m).every((i, j) => {
            const column = M.toArray(M.column(j)(m))
            return column.every((x, r) => x <= column[i]! && (r >= i || x < column[i]!))
          })
      ),
      { numRuns: RUNS }
    )
  })
})

describe('edge shapes', () => {
  it('empty matrices sum to zero along every axis', () => {
    expect(M.sum(M.zeros(0, 3))).toBe(0)
    expect(M.sumOfSquares(M.zeros(3, 0))).toBe(0)
    expect(M.norm(M.zeros(0, 0))).toBe(0)
    expect(M.maxAbs(M.zeros(0, 2))).toBe(0)
    expect(M.rowSums(M.zeros(3, 0))).toEqual(M.zeros(3, 1))
    expect(M.colSums(M.zeros(0, 3))).toEqual(M.zeros(1, 3))
    expect(M.rowSums(M.zeros(0, 3))).toEqual(M.zeros(0, 1))
    expect(M.colSums(M.zeros(3, 0))).toEqual(M.zeros(1, 0))
  })

  it('means of nothing throw, naming the shape', () => {
    expect(() => M.rowMeans(M.zeros(2, 0))).toThrow('rowMeans: a 2x0 matrix has no row means')
    expect(() => M.colMeans(M.zeros(0, 2))).toThrow('colMeans: a 0x2 matrix has no column means')
    expect(M.rowMeans(M.zeros(0, 2))).toEqual(M.zeros(0, 1))
    expect(M.colMeans(M.zeros(2, 0))).toEqual(M.zeros(1, 0))
  })

  it('argmaxColumns of a matrix without rows gives -1 per column', () => {
    expect(M.argmaxColumns(M.zeros(0, 3))).toEqual([-1, -1, -1])
    expect(M.argmaxColumns(M.zeros(3, 0))).toEqual([])
  })

  it('1x1 matrices reduce to their entry', () => {
    const one = M.fill(1, 1, -7)
    expect([M.sum(one), M.sumOfSquares(one), M.norm(one), M.maxAbs(one)]).toEqual([-7, 49, 7, 7])
    expect(M.toArrays(M.rowSums(one))).toEqual([[-7]])
    expect(M.toArrays(M.colMeans(one))).toEqual([[-7]])
    expect(M.argmaxColumns(one)).toEqual([0])
  })
})

describe('purity', () => {
  it('no reduction changes its input or hands out its buffer', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([r, c]) => matrixOf(r, c)),
        (m) => {
          const before = snapshot(m)
          const outputs = [M.rowSums(m), M.colSums(m), M.rowMeans(m), M.colMeans(m)]
          M.sum(m)
          M.sumOfSquares(m)
          M.norm(m)
          M.maxAbs(m)
          M.argmaxColumns(m)
          expect(bytes(m)).toEqual(before)
          for (const out of outputs) expect(out.data.buffer).not.toBe(m.data.buffer)
        }
      ),
      { numRuns: RUNS }
    )
  })
})
