import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { RUNS, dim } from './arbitraries.js'

/** The error `f` throws (fails the test if it returns). */
const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

/** The `Left` of `fromArrays(u)` (fails the test on a `Right`). */
const leftOf = (u: unknown, name = 'rows'): M.MatrixError => {
  const r = M.fromArraysAt(name)(u)
  if (E.isRight(r)) throw new Error(`expected a Left for ${JSON.stringify(u)}`)
  return r.left
}

describe('ShapeError', () => {
  it('is a RangeError with the operation and both shapes', () => {
    const e = thrown(() => pipe(M.zeros(2, 3), M.dot(M.zeros(2, 3))))
    expect(e).toBeInstanceOf(M.ShapeError)
    expect(e).toBeInstanceOf(RangeError)
    expect(e).toBeInstanceOf(Error)
    const s = e as M.ShapeError
    expect(s.name).toBe('ShapeError')
    expect(s.operation).toBe('dot')
    expect(s.shapes).toEqual([
      [2, 3],
      [2, 3]
    ])
    expect(s.message).toBe('dot: cannot compute a·b for a 2x3 and b 2x3 (inner sizes 3 and 2 differ)')
    expect(String(s)).toBe('ShapeError: dot: cannot compute a·b for a 2x3 and b 2x3 (inner sizes 3 and 2 differ)')
  })

  /** Every operation that takes two matrices, with `a` first, and whether `(a, b)` fit. */
  const ops: ReadonlyArray<readonly [string, (a: M.Matrix, b: M.Matrix) => M.Matrix, (a: M.Matrix, b: M.Matrix) => boolean]> = [
    ['add', (a, b) => pipe(a, M.add(b)), (a, b) => a.rows === b.rows && a.cols === b.cols],
    ['subtract', (a, b) => pipe(a, M.subtract(b)), (a, b) => a.rows === b.rows && a.cols === b.cols],
    ['hadamard', (a, b) => pipe(a, M.hadamard(b)), (a, b) => a.rows === b.rows && a.cols === b.cols],
    ['zipWith', (a, b) => pipe(a, M.zipWith((x, y) => x + y, b)), (a, b) => a.rows === b.rows && a.cols === b.cols],
    ['addColumn', (a, b) => pipe(a, M.addColumn(b)), (a, b) => b.cols === 1 && b.rows === a.rows],
    ['addRow', (a, b) => pipe(a, M.addRow(b)), (a, b) => b.rows === 1 && b.cols === a.cols],
    ['dot', (a, b) => pipe(a, M.dot(b)), (a, b) => a.cols === b.rows],
    ['dotTransposeA', (a, b) => pipe(a, M.dotTransposeA(b)), (a, b) => a.rows === b.rows],
    ['dotTransposeB', (a, b) => pipe(a, M.dotTransposeB(b)), (a, b) => a.cols === b.cols],
    ['outer', (a, b) => pipe(a, M.outer(b)), (a, b) => a.cols === 1 && b.cols === 1]
  ]

  it('is thrown by every operation on shapes that do not fit, naming the operation and both shapes', () => {
    const shape = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
    for (const [name, op, fits] of ops) {
      let refused = 0
      fc.assert(
        fc.property(shape, shape, ([ar, ac], [br, bc]) => {
          const a = M.zeros(ar, ac)
          const b = M.zeros(br, bc)
          if (fits(a, b)) {
            expect(() => op(a, b)).not.toThrow()
            return
          }
          refused++
          const e = thrown(() => op(a, b))
          expect(e).toBeInstanceOf(M.ShapeError)
          const s = e as M.ShapeError
          expect(s.operation).toBe(name)
          expect(s.message.startsWith(`${name}: `)).toBe(true)
          expect(s.message).toContain(`${ar}x${ac}`)
          expect(s.message).toContain(`${br}x${bc}`)
          expect(s.shapes).toEqual([
            [ar, ac],
            [br, bc]
          ])
        }),
        { numRuns: RUNS }
      )
      expect(refused).toBeGreaterThan(0)
    }
  })

  it('has messages that say what was expected', () => {
    expect(thrown(() => pipe(M.zeros(2, 3), M.add(M.zeros(3, 2))))).toHaveProperty('message', 'add: shapes 2x3 and 3x2 differ')
    expect(thrown(() => pipe(M.zeros(2, 3), M.addColumn(M.zeros(3, 1))))).toHaveProperty(
      'message',
      'addColumn: cannot add 3x1 to each column of 2x3 (expected 2x1)'
    )
    expect(thrown(() => pipe(M.zeros(2, 3), M.addRow(M.zeros(1, 2))))).toHaveProperty(
      'message',
      'addRow: cannot add 1x2 to each row of 2x3 (expected 1x3)'
    )
    expect(thrown(() => pipe(M.zeros(4, 2), M.dotTransposeA(M.zeros(3, 2))))).toHaveProperty(
      'message',
      'dotTransposeA: cannot compute aᵀ·b for a 4x2 and b 3x2 (inner sizes 4 and 3 differ)'
    )
    expect(thrown(() => pipe(M.zeros(2, 4), M.dotTransposeB(M.zeros(2, 3))))).toHaveProperty(
      'message',
      'dotTransposeB: cannot compute a·bᵀ for a 2x4 and b 2x3 (inner sizes 4 and 3 differ)'
    )
    expect(thrown(() => pipe(M.zeros(2, 2), M.outer(M.zeros(2, 1))))).toHaveProperty(
      'message',
      'outer: expected two column vectors, got 2x2 and 2x1'
    )
  })
})

describe('MatrixError from fromArrays', () => {
  it('NotAnArray: the input', () => {
    expect(leftOf(3)).toEqual({ _tag: 'NotAnArray', path: 'rows', value: 3, message: 'rows: expected an array of rows, got number 3' })
    expect(leftOf('abc').message).toBe('rows: expected an array of rows, got string "abc"')
    expect(leftOf(null).message).toBe('rows: expected an array of rows, got null')
    expect(leftOf(undefined, 'trainData').message).toBe('trainData: expected an array of rows, got undefined')
    expect(leftOf({ length: 2 }).message).toBe('rows: expected an array of rows, got object')
  })

  it('NotAnArray: a row', () => {
    expect(leftOf([1, 2])).toEqual({
      _tag: 'NotAnArray',
      path: 'rows[0]',
      value: 1,
      message: 'rows[0]: expected an array of numbers, got number 1'
    })
    expect(leftOf([[1], 'x'], 'trainLabels')).toEqual({
      _tag: 'NotAnArray',
      path: 'trainLabels[1]',
      value: 'x',
      message: 'trainLabels[1]: expected an array of numbers, got string "x"'
    })
    expect(leftOf([[1], new Float64Array(1)]).message).toBe('rows[1]: expected an array of numbers, got object')
  })

  it('RaggedRows', () => {
    expect(leftOf([[1, 2], [3, 4], [5]])).toEqual({
      _tag: 'RaggedRows',
      row: 2,
      expected: 2,
      actual: 1,
      message: 'rows[2]: expected 2 values, got 1'
    })
    expect(leftOf([[1], [2, 3]], 'trainLabels').message).toBe('trainLabels[1]: expected 1 value, got 2')
    expect(leftOf([[], [2]]).message).toBe('rows[1]: expected 0 values, got 1')
  })

  it('NotANumber', () => {
    expect(leftOf([[1, 2], [3, '4']])).toEqual({
      _tag: 'NotANumber',
      row: 1,
      col: 1,
      value: '4',
      message: 'rows[1][1]: expected a number, got string "4"'
    })
    expect(leftOf([[null]]).message).toBe('rows[0][0]: expected a number, got null')
    expect(leftOf([[1, undefined]]).message).toBe('rows[0][1]: expected a number, got undefined')
    expect(leftOf([[true]]).message).toBe('rows[0][0]: expected a number, got boolean true')
    expect(leftOf([[1n]]).message).toBe('rows[0][0]: expected a number, got bigint 1')
    expect(leftOf([[[1]]]).message).toBe('rows[0][0]: expected a number, got an array of 1')
    expect(leftOf([['a very long string that goes on and on']]).message).toBe(
      'rows[0][0]: expected a number, got string "a very long string t…"'
    )
  })

  it('NotFinite, for NaN, Infinity and -Infinity', () => {
    expect(leftOf([[0, Number.NaN]])).toEqual({
      _tag: 'NotFinite',
      row: 0,
      col: 1,
      value: Number.NaN,
      message: 'rows[0][1]: expected a finite number, got NaN'
    })
    expect(leftOf([[0], [Infinity]]).message).toBe('rows[1][0]: expected a finite number, got Infinity')
    expect(leftOf([[-Infinity]], 'x').message).toBe('x[0][0]: expected a finite number, got -Infinity')
  })

  it('gives each kind its own message', () => {
    const messages = [leftOf(1), leftOf([[1], [1, 2]]), leftOf([['1']]), leftOf([[Number.NaN]])].map((e) => e.message.replace(/^[^:]*: /, ''))
    expect(new Set(messages).size).toBe(4)
  })

  it('reports the first bad row or cell, in reading order', () => {
    expect(leftOf([[1, 'a'], [2]]).message).toBe('rows[0][1]: expected a number, got string "a"')
    expect(leftOf([[1, 2], [3], [Number.NaN, 1]]).message).toBe('rows[1]: expected 2 values, got 1')
  })

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (u) => {
        const r = M.fromArraysAt('data')(u)
        return E.isLeft(r) ? typeof r.left.message === 'string' && r.left.message.startsWith('data') : r.right.data.length === r.right.rows * r.right.cols
      }),
      { numRuns: RUNS * 5 }
    )
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.double(), fc.anything()), { maxLength: 4 }), { maxLength: 4 }), (u) => {
        const r = M.fromArrays(u as number[][])
        return E.isLeft(r) || r.right.data.every(Number.isFinite)
      }),
      { numRuns: RUNS * 5 }
    )
  })

  it('accepts any rectangular array of finite numbers', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true })
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([r, c]) => fc.array(fc.array(finite, { minLength: c, maxLength: c }), { minLength: r, maxLength: r })),
        (rows) => E.isRight(M.fromArrays(rows))
      ),
      { numRuns: RUNS }
    )
  })
})
