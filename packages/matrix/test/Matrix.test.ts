import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { RUNS, anyMatrix, bytes, dim, dim0, entry, literal, matrixOf, snapshot } from './arbitraries.js'

const exact = M.getEq(0)

/** A matrix with at least one row and one column, with a valid row index and column index. */
const withIndex = fc
  .tuple(dim, dim)
  .chain(([r, c]) => fc.tuple(matrixOf(r, c), fc.nat(r - 1), fc.nat(c - 1)))

describe('constructors', () => {
  it('zeros, fill and identity', () => {
    expect(M.zeros(2, 3)).toEqual({ rows: 2, cols: 3, data: new Float64Array(6) })
    expect(M.toArrays(M.fill(2, 2, 7))).toEqual([
      [7, 7],
      [7, 7]
    ])
    expect(M.toArrays(M.identity(3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1]
    ])
    expect(M.identity(0)).toEqual({ rows: 0, cols: 0, data: new Float64Array(0) })
  })

  it('fromFunction fills entry (i, j) with f(i, j)', () => {
    expect(M.toArrays(M.fromFunction(2, 3, (i, j) => 10 * i + j))).toEqual([
      [0, 1, 2],
      [10, 11, 12]
    ])
    fc.assert(
      fc.property(dim0, dim0, (r, c) => {
        const m = M.fromFunction(r, c, (i, j) => i * 100 + j)
        return m.rows === r && m.cols === c && m.data.every((v, x) => v === Math.floor(x / c) * 100 + (x % c))
      }),
      { numRuns: RUNS }
    )
  })

  it('fromArray makes a column vector, as the tutorial', () => {
    const v = M.fromArray([1, 2, 3])
    expect([v.rows, v.cols]).toEqual([3, 1])
    expect(M.toArray(v)).toEqual([1, 2, 3])
    expect([M.fromArray([]).rows, M.fromArray([]).cols]).toEqual([0, 1])
  })

  it('refuse bad sizes and values, naming the function and argument', () => {
    expect(() => M.zeros(-1, 2)).toThrow('zeros: rows must be a non-negative integer, got -1')
    expect(() => M.zeros(2, 1.5)).toThrow('zeros: cols must be a non-negative integer, got 1.5')
    expect(() => M.zeros(Number.NaN, 1)).toThrow(RangeError)
    expect(() => M.zeros('2' as unknown as number, 1)).toThrow(TypeError)
    expect(() => M.fill(1, 1, Infinity)).toThrow('fill: value must be a finite number, got Infinity')
    expect(() => M.identity(-3)).toThrow('identity: n must be a non-negative integer, got -3')
    expect(() => M.fromFunction(2, 2, (i, j) => (i === 1 && j === 0 ? Number.NaN : 0))).toThrow(
      'fromFunction: f(1, 0) returned number NaN, expected a finite number'
    )
    expect(() => M.fromArray([1, Number.NaN])).toThrow('fromArray: values[1] must be finite, got NaN')
    expect(() => M.fromArray([1, '2' as unknown as number])).toThrow(TypeError)
    expect(() => M.fromArray([1, '2' as unknown as number])).toThrow('fromArray: values[1] must be a number, got string "2"')
    expect(() => M.fromArray('12' as unknown as number[])).toThrow('fromArray: expected an array of numbers, got string "12"')
  })
})

describe('fromArrays and toArrays', () => {
  it('round-trip any rectangular array of finite numbers', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim0, dim).chain(([r, c]) => fc.array(fc.array(entry, { minLength: c, maxLength: c }), { minLength: r, maxLength: r })),
        (rows) => {
          const m = M.fromArrays(rows)
          if (E.isLeft(m)) return false
          expect(M.toArrays(m.right)).toEqual(rows)
          return m.right.rows === rows.length && m.right.cols === (rows[0]?.length ?? 0)
        }
      ),
      { numRuns: RUNS }
    )
  })

  it('fromArrays(toArrays(m)) is m', () => {
    fc.assert(
      fc.property(anyMatrix, (m) => {
        const back = M.fromArrays(M.toArrays(m))
        // a matrix with no rows loses its column count in nested arrays
        return E.isRight(back) && (m.rows === 0 ? back.right.data.length === 0 : exact.equals(back.right, m))
      }),
      { numRuns: RUNS }
    )
  })

  it('handle empty input', () => {
    expect(M.fromArrays([])).toEqual(E.right(M.zeros(0, 0)))
    expect(M.fromArrays([[], []])).toEqual(E.right(M.zeros(2, 0)))
    expect(M.toArrays(M.zeros(2, 0))).toEqual([[], []])
    expect(M.toArrays(M.zeros(0, 3))).toEqual([])
  })

  it('copy: the matrix does not share memory with the arrays', () => {
    const rows = [
      [1, 2],
      [3, 4]
    ]
    const m = M.fromArrays(rows)
    if (E.isLeft(m)) throw new Error('unexpected Left')
    rows[0]![0] = 99
    expect(M.get(m.right, 0, 0)).toBe(1)
    const out = M.toArrays(m.right)
    out[1]![1] = 99
    const flat = M.toArray(m.right)
    flat[0] = 99
    expect(M.toArrays(m.right)).toEqual([
      [1, 2],
      [3, 4]
    ])
  })

  it('toArray reads row by row', () => {
    expect(M.toArray(literal(2, 2, [1, 2, 3, 4]))).toEqual([1, 2, 3, 4])
    expect(M.toArray(M.zeros(0, 5))).toEqual([])
  })
})

describe('accessors', () => {
  it('get reads entry (i, j) of the row-major buffer', () => {
    fc.assert(
      fc.property(withIndex, ([m, i, j]) => Object.is(M.get(m, i, j), m.data[i * m.cols + j])),
      { numRuns: RUNS }
    )
  })

  it('get refuses indices outside the matrix', () => {
    const m = M.zeros(2, 3)
    expect(() => M.get(m, 2, 0)).toThrow('get: row 2 is out of range [0, 2)')
    expect(() => M.get(m, 0, 3)).toThrow('get: column 3 is out of range [0, 3)')
    expect(() => M.get(m, -1, 0)).toThrow(RangeError)
    expect(() => M.get(m, 0.5, 0)).toThrow(RangeError)
    expect(() => M.get(M.zeros(0, 0), 0, 0)).toThrow('get: row 0 is out of range [0, 0)')
    // an index that is not a number is a TypeError saying so, not "row 1 is out of range"
    expect(() => M.get(m, '1' as never, 0)).toThrow(new TypeError('get: row must be an integer, got string "1"'))
    expect(() => M.row(undefined as never)(m)).toThrow(new TypeError('row: index must be an integer, got undefined'))
  })

  it('row and column agree with get', () => {
    fc.assert(
      fc.property(withIndex, ([m, i, j]) => {
        const r = M.row(i)(m)
        const c = M.column(j)(m)
        expect([r.rows, r.cols, c.rows, c.cols]).toEqual([1, m.cols, m.rows, 1])
        for (let x = 0; x < m.cols; x++) expect(Object.is(M.get(r, 0, x), M.get(m, i, x))).toBe(true)
        for (let x = 0; x < m.rows; x++) expect(Object.is(M.get(c, x, 0), M.get(m, x, j))).toBe(true)
      }),
      { numRuns: RUNS }
    )
    const m = M.fromFunction(2, 3, (i, j) => 10 * i + j)
    expect(M.toArrays(M.row(1)(m))).toEqual([[10, 11, 12]])
    expect(M.toArray(M.column(2)(m))).toEqual([2, 12])
    expect(M.toArrays(M.row(0)(M.zeros(1, 0)))).toEqual([[]])
    expect(M.column(0)(M.zeros(0, 1)).rows).toBe(0)
    expect(() => M.row(2)(m)).toThrow('row: index 2 is out of range [0, 2)')
    expect(() => M.column(3)(m)).toThrow('column: index 3 is out of range [0, 3)')
  })

  it('selectColumns and selectRows gather in the order given, repeats allowed', () => {
    const m = M.fromFunction(2, 3, (i, j) => 10 * i + j)
    expect(M.toArrays(pipe(m, M.selectColumns([2, 0, 2])))).toEqual([
      [2, 0, 2],
      [12, 10, 12]
    ])
    expect(M.toArrays(pipe(m, M.selectRows([1, 1])))).toEqual([
      [10, 11, 12],
      [10, 11, 12]
    ])
    expect(pipe(m, M.selectColumns([]))).toEqual(M.zeros(2, 0))
    expect(pipe(m, M.selectRows([]))).toEqual(M.zeros(0, 3))
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([r, c]) =>
          fc.tuple(matrixOf(r, c), fc.array(fc.nat(c - 1), { maxLength: 8 }), fc.array(fc.nat(r - 1), { maxLength: 8 }))
        ),
        ([a, cols, rows]) => {
          const byCols = pipe(a, M.selectColumns(cols))
          const byRows = pipe(a, M.selectRows(rows))
          // selecting columns is selecting rows of the transpose
          expect(exact.equals(M.transpose(byCols), pipe(M.transpose(a), M.selectRows(cols)))).toBe(true)
          return (
            cols.every((j, k) => exact.equals(M.column(k)(byCols), M.column(j)(a))) &&
            rows.every((i, k) => exact.equals(M.row(k)(byRows), M.row(i)(a)))
          )
        }
      ),
      { numRuns: RUNS }
    )
    expect(() => pipe(m, M.selectColumns([0, 3]))).toThrow('selectColumns: indices[1] 3 is out of range [0, 3)')
    expect(() => pipe(m, M.selectRows([-1]))).toThrow('selectRows: indices[0] -1 is out of range [0, 2)')
  })

  it('shapeOf prints rows x cols', () => {
    expect(M.shapeOf(M.zeros(2, 3))).toBe('2x3')
    expect(M.shapeOf(M.zeros(0, 0))).toBe('0x0')
  })
})

describe('purity', () => {
  it('no accessor changes its input or hands out its buffer', () => {
    fc.assert(
      fc.property(withIndex, ([m, i, j]) => {
        const before = snapshot(m)
        const outputs = [M.row(i)(m), M.column(j)(m), pipe(m, M.selectColumns([j, 0])), pipe(m, M.selectRows([i, 0]))]
        M.toArrays(m)
        M.toArray(m)
        M.get(m, i, j)
        expect(bytes(m)).toEqual(before)
        for (const out of outputs) expect(out.data.buffer).not.toBe(m.data.buffer)
      }),
      { numRuns: RUNS }
    )
  })

  it('matrices from constructors are independent', () => {
    const a = M.zeros(2, 2)
    const b = M.zeros(2, 2)
    expect(a.data.buffer).not.toBe(b.data.buffer)
    expect(M.identity(2).data.buffer).not.toBe(M.identity(2).data.buffer)
  })
})
