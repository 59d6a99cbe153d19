/**
 * The tutorial's `Matrix` class ("Write your own neural network!", 2018, after The Coding
 * Train's toy library), written out in the tutorial's shape: each matrix holds its entries as
 * nested `number[][]` rows, and every operation builds a new matrix with plain nested loops.
 *
 * This is a baseline for the benchmarks, our own code in the tutorial's shape, and not part of
 * the library: it shows what purenn's flat `Float64Array` kernels are measured against. Two
 * departures, both so that a benchmark run is reproducible: `randomize` draws from an explicit
 * `() => number` source in `[0, 1)` (pass a seeded one) instead of `Math.random`, and it returns a
 * new matrix instead of overwriting the receiver, like every other operation here.
 *
 * Index reads use `!`: indices are in bounds by construction (loops run over the shapes, which
 * are checked first), and `noUncheckedIndexedAccess` cannot see that.
 */
export class Matrix {
  readonly rows: number
  /** The tutorial's name for the number of columns. */
  readonly columns: number
  /** The entries, one array per row. */
  readonly data: number[][]

  /** A `rows x columns` matrix of zeros, as the tutorial's `new Matrix(rows, cols)`. */
  constructor(rows: number, columns: number) {
    this.rows = rows
    this.columns = columns
    this.data = []
    for (let i = 0; i < rows; i++) {
      const row: number[] = []
      for (let j = 0; j < columns; j++) row.push(0)
      this.data.push(row)
    }
  }

  /** A column vector (`n x 1`) holding `values`. */
  static fromArray(values: ReadonlyArray<number>): Matrix {
    const m = new Matrix(values.length, 1)
    for (let i = 0; i < values.length; i++) m.data[i]![0] = values[i]!
    return m
  }

  /** A matrix holding a copy of nested rows (all of the same length). */
  static fromRows(rows: ReadonlyArray<ReadonlyArray<number>>): Matrix {
    const m = new Matrix(rows.length, rows.length > 0 ? rows[0]!.length : 0)
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) m.data[i]![j] = rows[i]![j]!
    return m
  }

  /** All entries, row by row, as one flat array (a column vector's values). */
  toArray(): number[] {
    const out: number[] = []
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.columns; j++) out.push(this.data[i]![j]!)
    return out
  }

  /** The matrix product `a · b`, by the textbook triple loop: `(i, j) = Σ_k a(i, k) b(k, j)`. */
  static dot(a: Matrix, b: Matrix): Matrix {
    if (a.columns !== b.rows)
      throw new RangeError(`Matrix.dot: columns of a (${a.rows}x${a.columns}) must match rows of b (${b.rows}x${b.columns})`)
    const out = new Matrix(a.rows, b.columns)
    for (let i = 0; i < out.rows; i++) {
      for (let j = 0; j < out.columns; j++) {
        let sum = 0
        for (let k = 0; k < a.columns; k++) sum += a.data[i]![k]! * b.data[k]![j]!
        out.data[i]![j] = sum
      }
    }
    return out
  }

  /** `a + b` entry by entry, or `a + n` for a number `n`. */
  static add(a: Matrix, b: Matrix | number): Matrix {
    return Matrix.zip('add', a, b, (x, y) => x + y)
  }

  /** `a - b` entry by entry, or `a - n` for a number `n`. */
  static subtract(a: Matrix, b: Matrix | number): Matrix {
    return Matrix.zip('subtract', a, b, (x, y) => x - y)
  }

  /** The Hadamard (entry-by-entry) product `a ⊙ b`, or `n · a` for a number `n`. */
  static multiply(a: Matrix, b: Matrix | number): Matrix {
    return Matrix.zip('multiply', a, b, (x, y) => x * y)
  }

  /** `f` applied to every entry (the tutorial passes `f(value, i, j)`). */
  static map(a: Matrix, f: (value: number, i: number, j: number) => number): Matrix {
    const out = new Matrix(a.rows, a.columns)
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) out.data[i]![j] = f(a.data[i]![j]!, i, j)
    return out
  }

  /** The transpose: entry `(i, j)` of the result is entry `(j, i)` of `a`. */
  static transpose(a: Matrix): Matrix {
    const out = new Matrix(a.columns, a.rows)
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) out.data[j]![i] = a.data[i]![j]!
    return out
  }

  /**
   * A matrix of this shape with entries uniform in `[lower, upper)`, drawn row by row from
   * `source` (which must return numbers in `[0, 1)`): the tutorial's `randomize(-1, 1)`, seeded.
   */
  randomize(lower: number, upper: number, source: () => number): Matrix {
    return Matrix.map(this, () => lower + (upper - lower) * source())
  }

  /** The entry-by-entry combination behind add, subtract and multiply. */
  private static zip(op: string, a: Matrix, b: Matrix | number, f: (x: number, y: number) => number): Matrix {
    if (typeof b === 'number') return Matrix.map(a, (x) => f(x, b))
    if (a.rows !== b.rows || a.columns !== b.columns)
      throw new RangeError(`Matrix.${op}: shapes ${a.rows}x${a.columns} and ${b.rows}x${b.columns} differ`)
    const out = new Matrix(a.rows, a.columns)
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) out.data[i]![j] = f(a.data[i]![j]!, b.data[i]![j]!)
    return out
  }
}

/**
 * A small seeded source of numbers in `[0, 1)` for `randomize` (mulberry32: a 32-bit state
 * advanced by a Weyl step, then mixed). Good enough to fill benchmark inputs reproducibly;
 * the library's own randomness is `rng` in @purenn/matrix.
 */
export const seededSource = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
