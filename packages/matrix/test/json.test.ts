import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { RUNS, bytes, dim0, literal, matrixOf } from './arbitraries.js'

/** Every finite double, with -0 and subnormal numbers drawn often. */
const anyFinite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 0, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308 / 3, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE)
)

/** A matrix of any shape from `dim0 x dim0`, over every finite double. */
const anyFiniteMatrix = fc.tuple(dim0, dim0).chain(([r, c]) => matrixOf(r, c, anyFinite))

/** The `Right` of a decode (fails the test on a `Left`). */
const rightOf = (r: E.Either<M.MatrixJsonError, M.Matrix>): M.Matrix => {
  if (E.isLeft(r)) throw new Error(`expected a Right, got ${r.left.message}`)
  return r.right
}

/** The `Left` of a decode (fails the test on a `Right`). */
const leftOf = (r: E.Either<M.MatrixJsonError, M.Matrix>): M.MatrixJsonError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}

describe('encodeMatrix', () => {
  it('gives { rows, cols, data } with the entries row by row, in a fresh plain array', () => {
    const m = M.fromFunction(2, 3, (i, j) => 10 * i + j)
    const json = M.encodeMatrix(m)
    expect(json).toEqual({ rows: 2, cols: 3, data: [0, 1, 2, 10, 11, 12] })
    expect(Array.isArray(json.data)).toBe(true)
    expect(JSON.stringify(json)).toBe('{"rows":2,"cols":3,"data":[0,1,2,10,11,12]}')
    json.data[0] = 99
    expect(M.get(m, 0, 0)).toBe(0)
  })

  it('refuses a matrix holding NaN or an infinity, which JSON cannot carry, naming the entry', () => {
    const m = literal(2, 2, [1, 2, Number.NaN, 4])
    expect(() => M.encodeMatrix(m)).toThrow(
      new RangeError('encodeMatrix: m.data[2] (row 1, column 0) is NaN, which JSON cannot carry (decodeMatrix reads finite numbers only)')
    )
    expect(() => M.encodeMatrix(literal(1, 2, [0, -Infinity]))).toThrow(
      new RangeError('encodeMatrix: m.data[1] (row 0, column 1) is -Infinity, which JSON cannot carry (decodeMatrix reads finite numbers only)')
    )
  })
})

describe('decodeMatrix', () => {
  it('decodeMatrix(encodeMatrix(m)) is m, bit for bit, -0 and subnormal numbers included', () => {
    fc.assert(
      fc.property(anyFiniteMatrix, (m) => {
        const back = rightOf(M.decodeMatrix(M.encodeMatrix(m)))
        expect([back.rows, back.cols]).toEqual([m.rows, m.cols])
        expect(bytes(back)).toEqual(bytes(m))
      }),
      { numRuns: RUNS }
    )
  })

  it('through JSON text too, except that JSON.stringify writes -0 as 0', () => {
    fc.assert(
      fc.property(anyFiniteMatrix, (m) => {
        const back = rightOf(M.decodeMatrix(JSON.parse(JSON.stringify(M.encodeMatrix(m)))))
        const unsigned = pipe(
          m,
          M.map((x) => (x === 0 ? 0 : x))
        )
        expect([back.rows, back.cols]).toEqual([m.rows, m.cols])
        expect(bytes(back)).toEqual(bytes(unsigned))
      }),
      { numRuns: RUNS }
    )
    const subnormal = literal(1, 2, [Number.MIN_VALUE, -0])
    const back = rightOf(M.decodeMatrix(JSON.parse(JSON.stringify(M.encodeMatrix(subnormal)))))
    expect(Object.is(back.data[0], Number.MIN_VALUE)).toBe(true)
    expect(Object.is(back.data[1], 0)).toBe(true)
  })

  it('makes the same matrix as fromArrays from the same rows, and refuses what fromArrays refuses', () => {
    const cell = fc.oneof({ weight: 5, arbitrary: anyFinite }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) })
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 6 }), dim0).chain(([r, c]) => fc.array(fc.array(cell, { minLength: c, maxLength: c }), { minLength: r, maxLength: r })),
        (rows) => {
          const cols = rows[0]!.length
          const fromRows = M.fromArrays(rows)
          const fromJson = M.decodeMatrix({ rows: rows.length, cols, data: rows.flat() })
          expect(E.isRight(fromJson)).toBe(E.isRight(fromRows))
          if (E.isRight(fromRows)) expect(bytes(rightOf(fromJson))).toEqual(bytes(fromRows.right))
          else {
            const bad = rows.flat().findIndex((v) => !Number.isFinite(v))
            expect(leftOf(fromJson).message).toBe(`data[${bad}]: expected a finite number, got ${rows.flat()[bad]}`)
          }
        }
      ),
      { numRuns: RUNS }
    )
  })

  it('decodes empty matrices', () => {
    expect(rightOf(M.decodeMatrix({ rows: 0, cols: 0, data: [] }))).toEqual({ rows: 0, cols: 0, data: new Float64Array(0) })
    expect(rightOf(M.decodeMatrix({ rows: 0, cols: 3, data: [] }))).toEqual({ rows: 0, cols: 3, data: new Float64Array(0) })
    expect(rightOf(M.decodeMatrix({ rows: 3, cols: 0, data: [] }))).toEqual({ rows: 3, cols: 0, data: new Float64Array(0) })
  })

  it('copies the entries: the matrix shares nothing with the document, and ignores extra fields', () => {
    const doc = { rows: 1, cols: 2, data: [1, 2], note: 'saved by hand' }
    const m = rightOf(M.decodeMatrix(doc))
    doc.data[0] = 99
    expect(M.toArray(m)).toEqual([1, 2])
  })

  /** Documents that are not a matrix, and the Left each gives. */
  const refused: ReadonlyArray<readonly [doc: unknown, tag: M.MatrixJsonError['_tag'], path: string, message: string]> = [
    [{ rows: 2, cols: 2, data: [1, 2, 3, 'x'] }, 'InvalidDocument', 'data[3]', 'data[3]: expected a finite number, got string "x"'],
    [{ rows: 2, cols: 2, data: [1, 2, 3, null] }, 'InvalidDocument', 'data[3]', 'data[3]: expected a finite number, got null'],
    [{ rows: 2, cols: 2, data: [1, 2, Number.NaN, 4] }, 'NotFinite', 'data[2]', 'data[2]: expected a finite number, got NaN'],
    [{ rows: 1, cols: 1, data: [-Infinity] }, 'NotFinite', 'data[0]', 'data[0]: expected a finite number, got -Infinity'],
    [{ rows: 2, cols: 3, data: [1, 2, 3, 4, 5] }, 'ShapeMismatch', 'data', 'data: expected 6 values (rows 2 x cols 3), got 5'],
    [{ rows: 1, cols: 1, data: [1, 2] }, 'ShapeMismatch', 'data', 'data: expected 1 value (rows 1 x cols 1), got 2'],
    [{ rows: -1, cols: 2, data: [] }, 'InvalidDocument', 'rows', 'rows: expected a non-negative integer, got number -1'],
    [{ rows: 2, cols: 1.5, data: [1, 2, 3] }, 'InvalidDocument', 'cols', 'cols: expected a non-negative integer, got number 1.5'],
    [{ rows: '2', cols: 1, data: [1, 2] }, 'InvalidDocument', 'rows', 'rows: expected a non-negative integer, got string "2"'],
    [{ rows: 2, cols: 1 }, 'InvalidDocument', 'data', 'data: expected an array of numbers (the entries, row by row), got undefined'],
    [
      JSON.parse(JSON.stringify(M.identity(2))),
      'InvalidDocument',
      'data',
      'data: expected an array of numbers (the entries, row by row), got object'
    ],
    [[[1, 2]], 'InvalidDocument', 'matrix', 'matrix: expected a matrix { rows, cols, data }, got an array of 1'],
    [null, 'InvalidDocument', 'matrix', 'matrix: expected a matrix { rows, cols, data }, got null'],
    ['{"rows":1}', 'InvalidDocument', 'matrix', 'matrix: expected a matrix { rows, cols, data }, got string "{\\"rows\\":1}"']
  ]

  it('refuses a bad document with a Left whose message names the path', () => {
    for (const [doc, tag, path, message] of refused) {
      const e = leftOf(M.decodeMatrix(doc))
      expect(e._tag, message).toBe(tag)
      expect(e.path).toBe(path)
      expect(e.message).toBe(message)
    }
  })

  it('carries the data of each failure', () => {
    expect(leftOf(M.decodeMatrix({ rows: 2, cols: 2, data: [1, 2, 3, 'x'] }))).toEqual({
      _tag: 'InvalidDocument',
      path: 'data[3]',
      expected: 'a finite number',
      value: 'x',
      message: 'data[3]: expected a finite number, got string "x"'
    })
    expect(leftOf(M.decodeMatrix({ rows: 2, cols: 3, data: [1] }))).toEqual({
      _tag: 'ShapeMismatch',
      path: 'data',
      expected: 6,
      actual: 1,
      message: 'data: expected 6 values (rows 2 x cols 3), got 1'
    })
    expect(leftOf(M.decodeMatrix({ rows: 1, cols: 2, data: [0, Infinity] }))).toEqual({
      _tag: 'NotFinite',
      path: 'data[1]',
      index: 1,
      value: Infinity,
      message: 'data[1]: expected a finite number, got Infinity'
    })
  })

  it('decodeMatrixAt(name) puts the name before every path', () => {
    expect(leftOf(M.decodeMatrixAt('bias')({ rows: 2, cols: 1, data: [0] })).message).toBe('bias.data: expected 2 values (rows 2 x cols 1), got 1')
    expect(leftOf(M.decodeMatrixAt('layers[0].weights')({ rows: 1, cols: 2, data: [0, 'x'] })).message).toBe(
      'layers[0].weights.data[1]: expected a finite number, got string "x"'
    )
    expect(leftOf(M.decodeMatrixAt('w')({ rows: -1, cols: 2, data: [] })).message).toBe('w.rows: expected a non-negative integer, got number -1')
    expect(leftOf(M.decodeMatrixAt('w')(7)).message).toBe('w: expected a matrix { rows, cols, data }, got number 7')
  })

  it('never throws, even on a document whose fields throw when read', () => {
    const hostile = {
      rows: 1,
      cols: 1,
      get data(): never {
        throw new Error('no')
      }
    }
    const e = leftOf(M.decodeMatrix(hostile))
    expect(e._tag).toBe('InvalidDocument')
    expect(e.message).toBe('matrix: could not be read (no)')
    fc.assert(
      fc.property(fc.anything(), (u) => {
        expect(() => M.decodeMatrix(u)).not.toThrow()
      }),
      { numRuns: RUNS }
    )
  })
})
