import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as M from '@purenn/matrix'
import { RUNS, anyMatrix, literal, samePair } from './arbitraries.js'

describe('getEq', () => {
  it('compares shape and every entry within the tolerance', () => {
    const eq = M.getEq(0.1)
    expect(eq.equals(M.fromArray([1, 2]), M.fromArray([1.05, 1.95]))).toBe(true)
    expect(eq.equals(M.fromArray([1, 2]), M.fromArray([1, 2.2]))).toBe(false)
    expect(eq.equals(M.zeros(2, 3), M.zeros(3, 2))).toBe(false)
    expect(eq.equals(M.zeros(0, 3), M.zeros(3, 0))).toBe(false)
    expect(eq.equals(M.zeros(0, 3), M.zeros(0, 3))).toBe(true)
    expect(M.getEq(1e-9).equals(M.fromArray([0.1 + 0.2]), M.fromArray([0.3]))).toBe(true)
    expect(M.getEq(0).equals(M.fromArray([0.1 + 0.2]), M.fromArray([0.3]))).toBe(false)
    expect(M.getEq(0).equals(M.fromArray([0]), M.fromArray([-0]))).toBe(true)
  })

  it('never equates NaN, even with a huge tolerance', () => {
    const nan = M.map(() => Number.NaN)(M.zeros(1, 1))
    expect(M.getEq(Infinity).equals(nan, M.zeros(1, 1))).toBe(false)
    expect(M.getEq(Infinity).equals(M.fill(1, 1, 1e300), M.fill(1, 1, -1e300))).toBe(true)
  })

  it('is reflexive and symmetric, and exact equality is transitive', () => {
    fc.assert(
      fc.property(anyMatrix, fc.double({ min: 0, max: 10, noNaN: true }), (a, t) => {
        const copy = literal(a.rows, a.cols, a.data)
        return M.getEq(t).equals(a, a) && M.getEq(t).equals(a, copy) && M.getEq(0).equals(copy, a)
      }),
      { numRuns: RUNS }
    )
    fc.assert(
      fc.property(samePair, fc.double({ min: 0, max: 100, noNaN: true }), ([a, b], t) => M.getEq(t).equals(a, b) === M.getEq(t).equals(b, a)),
      { numRuns: RUNS }
    )
  })

  it('holds exactly when the largest difference is within the tolerance', () => {
    fc.assert(
      fc.property(samePair, ([a, b]) => {
        const gap = a.data.reduce((g, x, i) => Math.max(g, Math.abs(x - b.data[i]!)), 0)
        return M.getEq(gap).equals(a, b) && (gap === 0 || !M.getEq(gap / 2).equals(a, b))
      }),
      { numRuns: RUNS }
    )
  })

  it('refuses a negative or NaN tolerance', () => {
    expect(() => M.getEq(-1)).toThrow('getEq: tolerance must be a non-negative number, got -1')
    expect(() => M.getEq(Number.NaN)).toThrow(RangeError)
  })
})

describe('Show', () => {
  it('prints the shape and aligned rows', () => {
    expect(M.Show.show(M.identity(2))).toBe(['Matrix 2x2', '[ 1  0 ]', '[ 0  1 ]'].join('\n'))
    expect(M.Show.show(literal(2, 3, [1, -2.5, 300, 0.125, 4, -0]))).toBe(
      ['Matrix 2x3', '[     1  -2.5  300 ]', '[ 0.125     4    0 ]'].join('\n')
    )
    expect(M.Show.show(M.fromArray([7]))).toBe('Matrix 1x1\n[ 7 ]')
  })

  it('keeps six significant digits, switching to exponents for very large or small values', () => {
    expect(M.Show.show(literal(1, 4, [Math.PI, 1 / 3, 1e-5, 123456789]))).toBe('Matrix 1x4\n[ 3.14159  0.333333  1.0000e-5  1.2346e+8 ]')
    expect(M.Show.show(literal(1, 2, [-1e6, 999999]))).toBe('Matrix 1x2\n[ -1.0000e+6  999999 ]')
  })

  it('says when a matrix is empty', () => {
    expect(M.Show.show(M.zeros(0, 3))).toBe('Matrix 0x3 (empty)')
    expect(M.Show.show(M.zeros(2, 0))).toBe('Matrix 2x0 (empty)')
  })

  it('elides the middle of large matrices', () => {
    const big = M.fromFunction(12, 11, (i, j) => 100 * i + j)
    const lines = M.Show.show(big).split('\n')
    expect(lines[0]).toBe('Matrix 12x11')
    expect(lines).toHaveLength(1 + 9) // 4 rows, …, 4 rows
    expect(lines[1]).toBe('[    0     1     2     3  …     7     8     9    10 ]')
    expect(lines[4]).toBe('[  300   301   302   303  …   307   308   309   310 ]')
    expect(lines[5]).toBe('[    …     …     …     …  …     …     …     …     … ]')
    expect(lines[6]).toBe('[  800   801   802   803  …   807   808   809   810 ]')
    expect(lines[9]).toBe('[ 1100  1101  1102  1103  …  1107  1108  1109  1110 ]')
    // ten rows or columns are still shown in full
    expect(M.Show.show(M.zeros(10, 10)).split('\n')).toHaveLength(11)
  })

  it('shows every matrix on one line per row, with its shape first', () => {
    fc.assert(
      fc.property(anyMatrix, (m) => {
        const lines = M.Show.show(m).split('\n')
        const shown = m.rows === 0 || m.cols === 0 ? 0 : Math.min(m.rows, 10) === m.rows ? m.rows : 9
        return lines[0]!.startsWith(`Matrix ${m.rows}x${m.cols}`) && lines.length === 1 + shown && lines.slice(1).every((l) => l.startsWith('[ ') && l.endsWith(' ]'))
      }),
      { numRuns: RUNS }
    )
  })
})
