/**
 * Plain-JavaScript misuse: every exported operation that takes a Matrix refuses anything else
 * with a `TypeError` naming the operation, the argument and what came instead, checked once
 * at the door (never per entry).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { runInNewContext } from 'node:vm'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { RUNS, anyMatrix } from './arbitraries.js'

/** The error `f` throws (fails the test if it returns). */
const thrown = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw')
}

/** Lets a test pass what TypeScript would refuse, as plain JavaScript does. */
const js = (u: unknown): M.Matrix => u as M.Matrix

/**
 * Every exported operation that takes a matrix: its name, the argument, the call as the message
 * writes it, and how to pass `u` in that place (with a fitting 2x2 matrix everywhere else).
 */
const m22 = M.identity(2)
const uses: ReadonlyArray<readonly [op: string, arg: string, call: string, pass: (u: M.Matrix) => unknown]> = [
  ['toArrays', 'm', 'toArrays(m)', (u) => M.toArrays(u)],
  ['toArray', 'm', 'toArray(m)', (u) => M.toArray(u)],
  ['get', 'm', 'get(m, i, j)', (u) => M.get(u, 0, 0)],
  ['row', 'm', 'row(i)(m)', (u) => M.row(0)(u)],
  ['column', 'm', 'column(j)(m)', (u) => M.column(0)(u)],
  ['selectColumns', 'm', 'selectColumns(indices)(m)', (u) => M.selectColumns([0])(u)],
  ['selectRows', 'm', 'selectRows(indices)(m)', (u) => M.selectRows([0])(u)],
  ['shapeOf', 'm', 'shapeOf(m)', (u) => M.shapeOf(u)],
  ['add', 'b', 'add(b)(a)', (u) => M.add(u)(m22)],
  ['add', 'a', 'add(b)(a)', (u) => M.add(m22)(u)],
  ['subtract', 'b', 'subtract(b)(a)', (u) => M.subtract(u)(m22)],
  ['subtract', 'a', 'subtract(b)(a)', (u) => M.subtract(m22)(u)],
  ['hadamard', 'b', 'hadamard(b)(a)', (u) => M.hadamard(u)(m22)],
  ['hadamard', 'a', 'hadamard(b)(a)', (u) => M.hadamard(m22)(u)],
  ['scale', 'a', 'scale(k)(a)', (u) => M.scale(2)(u)],
  ['map', 'a', 'map(f)(a)', (u) => M.map((x) => x)(u)],
  ['mapWithIndex', 'a', 'mapWithIndex(f)(a)', (u) => M.mapWithIndex((_, __, x) => x)(u)],
  ['zipWith', 'b', 'zipWith(f, b)(a)', (u) => M.zipWith((x, y) => x + y, u)(m22)],
  ['zipWith', 'a', 'zipWith(f, b)(a)', (u) => M.zipWith((x, y) => x + y, m22)(u)],
  ['addColumn', 'v', 'addColumn(v)(a)', (u) => M.addColumn(u)(m22)],
  ['addColumn', 'a', 'addColumn(v)(a)', (u) => M.addColumn(M.fromArray([1, 2]))(u)],
  ['addRow', 'r', 'addRow(r)(a)', (u) => M.addRow(u)(m22)],
  ['addRow', 'a', 'addRow(r)(a)', (u) => M.addRow(M.fill(1, 2, 1))(u)],
  ['dot', 'b', 'dot(b)(a)', (u) => M.dot(u)(m22)],
  ['dot', 'a', 'dot(b)(a)', (u) => M.dot(m22)(u)],
  ['dotTransposeA', 'b', 'dotTransposeA(b)(a)', (u) => M.dotTransposeA(u)(m22)],
  ['dotTransposeA', 'a', 'dotTransposeA(b)(a)', (u) => M.dotTransposeA(m22)(u)],
  ['dotTransposeB', 'b', 'dotTransposeB(b)(a)', (u) => M.dotTransposeB(u)(m22)],
  ['dotTransposeB', 'a', 'dotTransposeB(b)(a)', (u) => M.dotTransposeB(m22)(u)],
  ['dot', 'b', 'dot(b)(a)', (u) => M.withKernel(M.kernels.plain).dot(u)(m22)],
  ['dotTransposeA', 'a', 'dotTransposeA(b)(a)', (u) => M.withKernel(M.kernels.plain).dotTransposeA(m22)(u)],
  ['dotTransposeB', 'b', 'dotTransposeB(b)(a)', (u) => M.withKernel(M.defaultKernel).dotTransposeB(u)(m22)],
  ['outer', 'b', 'outer(b)(a)', (u) => M.outer(u)(M.fromArray([1]))],
  ['outer', 'a', 'outer(b)(a)', (u) => M.outer(M.fromArray([1]))(u)],
  ['transpose', 'a', 'transpose(a)', (u) => M.transpose(u)],
  ['sum', 'm', 'sum(m)', (u) => M.sum(u)],
  ['sumOfSquares', 'm', 'sumOfSquares(m)', (u) => M.sumOfSquares(u)],
  ['norm', 'm', 'norm(m)', (u) => M.norm(u)],
  ['maxAbs', 'm', 'maxAbs(m)', (u) => M.maxAbs(u)],
  ['rowSums', 'm', 'rowSums(m)', (u) => M.rowSums(u)],
  ['colSums', 'm', 'colSums(m)', (u) => M.colSums(u)],
  ['rowMeans', 'm', 'rowMeans(m)', (u) => M.rowMeans(u)],
  ['colMeans', 'm', 'colMeans(m)', (u) => M.colMeans(u)],
  ['argmaxColumns', 'm', 'argmaxColumns(m)', (u) => M.argmaxColumns(u)],
  ['getEq', 'a', 'getEq(tolerance).equals(a, b)', (u) => M.getEq(0).equals(u, m22)],
  ['getEq', 'b', 'getEq(tolerance).equals(a, b)', (u) => M.getEq(0).equals(m22, u)],
  ['Show', 'm', 'Show.show(m)', (u) => M.Show.show(u)],
  ['encodeMatrix', 'm', 'encodeMatrix(m)', (u) => M.encodeMatrix(u)]
]

/** Values that are not matrices, and how a message describes each. */
const notMatrices: ReadonlyArray<readonly [value: unknown, described: string]> = [
  [[[1]], 'an array of 1 row (make a Matrix of nested rows with fromArrays)'],
  [
    [
      [1, 2],
      [3, 4]
    ],
    'an array of 2 rows (make a Matrix of nested rows with fromArrays)'
  ],
  [[1, 2, 3], 'an array of 3 (fromArray makes a column of numbers, fromArrays a Matrix of nested rows)'],
  [undefined, 'undefined'],
  [null, 'null'],
  [3, 'number 3'],
  ['m', 'string "m"'],
  [Float64Array.of(1, 2), 'a Float64Array of 2'],
  [() => 1, 'a function'],
  [{}, 'an object without rows, cols and data'],
  [
    JSON.parse(JSON.stringify(M.identity(2))),
    'an object whose data is a plain object, not a Float64Array (JSON keeps no Float64Array: write a matrix with encodeMatrix, read it back with decodeMatrix)'
  ],
  [
    { rows: 2, cols: 2, data: [1, 0, 0, 1] },
    'an object whose data is an array of 4, not a Float64Array (JSON keeps no Float64Array: write a matrix with encodeMatrix, read it back with decodeMatrix)'
  ],
  [{ rows: 2, cols: 2, data: new Float32Array(4) }, 'an object whose data is a Float32Array, not a Float64Array'],
  [{ rows: 2, cols: 2 }, 'an object whose data is undefined, not a Float64Array'],
  [{ rows: '2', cols: 2, data: new Float64Array(4) }, 'an object whose rows is string "2", not a non-negative integer'],
  [{ rows: 2, cols: -2, data: new Float64Array(4) }, 'an object whose cols is number -2, not a non-negative integer'],
  [{ rows: 0.5, cols: 8, data: new Float64Array(4) }, 'an object whose rows is number 0.5, not a non-negative integer'],
  [{ rows: 2, cols: 2, data: new Float64Array(3) }, 'an object of 2 rows and 2 cols holding 3 values (expected 4)']
]

describe('a value that is not a Matrix', () => {
  it('is the TypeError the issue asks for in its example: add([[1]]) applied to a 1x2 matrix', () => {
    // today: `add: shapes 1x2 and undefinedxundefined differ`
    const m = M.fromFunction(1, 2, (_, j) => j)
    const e = thrown(() => js(M.add(js([[1]]))(m)))
    expect(e).toBeInstanceOf(TypeError)
    expect(e).not.toBeInstanceOf(M.ShapeError)
    expect(e.message).toBe('add: expected a Matrix as b in add(b)(a), got an array of 1 row (make a Matrix of nested rows with fromArrays)')
  })

  it('is refused by every operation that takes a Matrix, naming the operation, the argument and what came', () => {
    for (const [op, arg, call, pass] of uses)
      for (const [value, described] of notMatrices) {
        const e = thrown(() => pass(js(value)))
        expect(e, `${op} (${arg}) given ${described}`).toBeInstanceOf(TypeError)
        expect(e.message).toBe(`${op}: expected a Matrix as ${arg} in ${call}, got ${described}`)
      }
  })

  it('is refused at the first call of a curried operation, before the matrix it applies to', () => {
    expect(() => M.add(js([[1]]))).toThrow(TypeError)
    expect(() => M.dot(js(undefined))).toThrow('dot: expected a Matrix as b in dot(b)(a), got undefined')
    expect(() => M.zipWith((x, y) => x + y, js(null))).toThrow('zipWith: expected a Matrix as b in zipWith(f, b)(a), got null')
  })

  it('covers every export that takes a Matrix: each function export is in the table above or takes none', () => {
    const takesNoMatrix = new Set([
      'describeValue',
      'isMatrix',
      'zeros',
      'fill',
      'identity',
      'fromFunction',
      'fromArray',
      'fromArrays',
      'fromArraysAt',
      'withKernel',
      'arena', // takes lengths; its kernels take arrays of its own
      'getEq', // its equals is in the table
      'rng',
      'isRng',
      'split',
      'nextDouble',
      'nextInt',
      'permutation',
      'uniform',
      'normal',
      'decodeMatrix',
      'decodeMatrixAt',
      'ShapeError'
    ])
    const tested = new Set(uses.map(([op]) => op))
    const exported = Object.entries(M).filter(([, v]) => typeof v === 'function').map(([k]) => k)
    const missing = exported.filter((k) => !tested.has(k) && !takesNoMatrix.has(k))
    expect(missing).toEqual([])
  })
})

describe('a Matrix', () => {
  it('passes the check in every operation, whatever its shape, including empty ones', () => {
    fc.assert(
      fc.property(anyMatrix, (a) => {
        expect(M.isMatrix(a)).toBe(true)
        expect(() => pipe(a, M.add(a), M.map(Math.abs), M.transpose, M.sum)).not.toThrow()
      }),
      { numRuns: RUNS }
    )
  })

  it('may hold a Float64Array from another realm (an iframe, a vm context)', () => {
    const data = runInNewContext('new Float64Array([1, 2, 3, 4])') as Float64Array
    expect(data instanceof Float64Array).toBe(false)
    const m = js({ rows: 2, cols: 2, data })
    expect(M.isMatrix(m)).toBe(true)
    expect(M.toArrays(pipe(m, M.add(M.identity(2))))).toEqual([
      [2, 2],
      [3, 5]
    ])
  })

  it('is told from other values by isMatrix, without reading its entries', () => {
    let reads = 0
    const data = new Proxy(new Float64Array(4), {
      get: (target, key) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++
        const v: unknown = Reflect.get(target, key, target)
        return typeof v === 'function' ? v.bind(target) : v
      }
    })
    expect(M.isMatrix({ rows: 2, cols: 2, data })).toBe(true)
    expect(reads).toBe(0)
    for (const [value] of notMatrices) expect(M.isMatrix(value)).toBe(false)
  })
})
