// API.md, Conventions: "Shape mismatches between values the library built itself are
// programmer errors: they throw a `ShapeError` (a `RangeError`, exported by `@purenn/matrix`)
// naming both shapes." Held here (training depends on the other two packages) for every
// function of `@purenn/network` and `@purenn/training` that takes a batch (one sample per
// column) against a network, and for the data sets of `@purenn/training`: the error's
// `operation`, its `shapes`, and its message naming both.
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import type { Matrix } from '@purenn/matrix'
import * as N from '@purenn/network'
import { adam, fitStandardizer, initTrainState, sampleSet, sgd, standardize, trainStep, trainSteps, type GradientTransformation } from '@purenn/training'

/** The error `f` throws (fails the test when it throws none). */
const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  return expect.fail('expected a throw')
}

/** Holds `e` to be a ShapeError of `operation` naming the shapes `a` and `b`, in its message and its `shapes`. */
const expectShapeError = (e: unknown, operation: string, a: readonly [number, number], b: readonly [number, number]): void => {
  expect(e).toBeInstanceOf(M.ShapeError)
  expect(e).toBeInstanceOf(RangeError)
  const s = e as M.ShapeError
  expect(s.operation).toBe(operation)
  expect(s.shapes).toEqual([a, b])
  expect(s.message.startsWith(`${operation}: `)).toBe(true)
  expect(s.message).toContain(`${a[0]}x${a[1]}`)
  expect(s.message).toContain(`${b[0]}x${b[1]}`)
}

/** A network of `inputs` inputs, a hidden layer and `outputs` outputs. */
const net = (inputs: number, outputs: number): N.Network =>
  pipe(N.network(inputs), N.addLayer({ nodes: 3, activation: N.tanh }), N.addLayer({ nodes: outputs, activation: N.sigmoid }), N.randomize())(M.rng(1))[0]

/** A size other than `n` (1 to 7), drawn from `k`. */
const other = (n: number, k: number): number => (n + 1 + (k % 4)) % 6 || 6

/** sgd, adam, and a transformation whose `update` is the caller's (the plain fold's path, not the engine's). */
const optimizers: ReadonlyArray<GradientTransformation<unknown>> = [
  sgd({ learningRate: 0.1 }),
  adam({ learningRate: 0.01 }),
  { ...sgd({ learningRate: 0.1 }), update: sgd({ learningRate: 0.1 }).update }
] as ReadonlyArray<GradientTransformation<unknown>>

/** Every function that takes a batch of inputs and targets for the network, as `[name, (inputs, targets) => …]`; `name` undefined where it is not fixed. */
const takers = (n: N.Network): ReadonlyArray<readonly [operation: string | undefined, call: (x: Matrix, t: Matrix) => unknown]> => {
  const bp = N.compileBackprop(n, N.mse)
  const theta = N.parameterBlocks(n)
  const P = theta.reduce((k, b) => k + b.length, 0)
  const fitting = { inputs: M.zeros(n.inputSize, 1), targets: M.zeros(N.outputSize(n), 1) }
  return [
    ['gradients', (x, t) => N.gradients(N.mse, x, t)(n)],
    ['Backprop.run', (x, t) => bp.run(theta, x, t)],
    ['Backprop.runAdding', (x, t) => bp.runAdding(theta, x, t, -0.1, new Float64Array(P))],
    ['Backprop.scores', (x, t) => bp.scores(theta, x, t)],
    ['evaluate', (x, t) => N.evaluate(x, t)(n)],
    ['accuracy', (x, t) => N.accuracy(x, t)(n)],
    ['scores', (x, t) => N.scores(n, N.mse, x, t)],
    ['meanLoss', (x, t) => N.meanLoss(N.mse, x, t)(n)],
    ...optimizers.flatMap((o, i): Array<readonly [string | undefined, (x: Matrix, t: Matrix) => unknown]> => {
      const start = initTrainState(o, n, M.rng(0))
      const engine = i < 2 // the built-in optimizers run on the engine, which names the public function; the caller's `update` goes through `gradients`
      return [
        [engine ? 'trainStep' : 'gradients', (x, t) => trainStep(N.mse, o)(start, { inputs: x, targets: t })],
        [engine ? 'trainSteps' : 'gradients', (x, t) => trainSteps(N.mse, o)(start, [fitting, { inputs: x, targets: t }])]
      ]
    })
  ]
}

const sizes = fc.record({
  inputs: fc.integer({ min: 1, max: 5 }),
  outputs: fc.integer({ min: 1, max: 4 }),
  cols: fc.integer({ min: 1, max: 7 }),
  k: fc.nat(100),
  wrong: fc.constantFrom('inputs rows', 'targets rows', 'samples')
})

describe('a batch of the wrong shape', () => {
  it('predictBatch refuses inputs of other rows, naming both shapes', () => {
    fc.assert(
      fc.property(sizes, ({ inputs, outputs, cols, k }) => {
        const rows = other(inputs, k)
        expectShapeError(
          thrown(() => N.predictBatch(M.zeros(rows, cols))(net(inputs, outputs))),
          'predictBatch',
          [rows, cols],
          [inputs, cols]
        )
      })
    )
  })

  it('every function taking inputs and targets refuses other rows or other numbers of samples, naming both shapes', () => {
    fc.assert(
      fc.property(sizes, ({ inputs, outputs, cols, k, wrong }) => {
        const x = M.zeros(wrong === 'inputs rows' ? other(inputs, k) : inputs, cols)
        const t = M.zeros(wrong === 'targets rows' ? other(outputs, k) : outputs, wrong === 'samples' ? other(cols, k) : cols)
        // the shapes named: the wrong one and the one expected in its place, or the two that disagree
        const [a, b]: ReadonlyArray<readonly [number, number]> =
          wrong === 'inputs rows'
            ? [[x.rows, cols], [inputs, cols]]
            : wrong === 'targets rows'
              ? [[t.rows, cols], [outputs, cols]]
              : [[x.rows, x.cols], [t.rows, t.cols]]
        for (const [operation, call] of takers(net(inputs, outputs))) expectShapeError(thrown(() => call(x, t)), operation!, a!, b!)
      }),
      { numRuns: 60 }
    )
  })

  it('says what is wrong first, then the shapes', () => {
    const n = net(2, 1)
    const start = initTrainState(sgd({ learningRate: 0.1 }), n, M.rng(0))
    expect(() => N.predictBatch(M.zeros(3, 4))(n)).toThrow('predictBatch: inputs has 3 rows, the network expects 2 (one sample per column); inputs is 3x4, expected 2x4')
    expect(() => N.gradients(N.mse, M.zeros(2, 5), M.zeros(1, 4))(n)).toThrow('gradients: inputs has 5 samples (columns) but targets has 4; inputs is 2x5, targets is 1x4')
    expect(() => N.evaluate(M.zeros(1, 2), M.zeros(1, 2))(n)).toThrow(
      'evaluate: inputs has 1 row, the network expects 2 (a Matrix holds one sample per column); inputs is 1x2, expected 2x2'
    )
    expect(() => trainStep(N.mse, sgd({ learningRate: 0.1 }))(start, { inputs: M.zeros(3, 4), targets: M.zeros(1, 4) })).toThrow(
      'trainStep: batch.inputs has 3 rows, the network expects 2 (one sample per column); batch.inputs is 3x4, expected 2x4'
    )
    const good = { inputs: M.zeros(2, 4), targets: M.zeros(1, 4) }
    expect(() => trainSteps(N.mse, sgd({ learningRate: 0.1 }))(start, [good, { inputs: M.zeros(2, 4), targets: M.zeros(1, 5) }])).toThrow(
      'trainSteps: batches[1].inputs has 4 samples (columns) but targets has 5; inputs is 2x4, targets is 1x5'
    )
    // one of a kind, in the singular
    expect(() => trainStep(N.mse, sgd({ learningRate: 0.1 }))(start, { inputs: M.zeros(2, 1), targets: M.zeros(1, 2) })).toThrow(
      'trainStep: batch.inputs has 1 sample (columns) but targets has 2; inputs is 2x1, targets is 1x2'
    )
    expect(() => N.evaluate(M.zeros(2, 1), M.zeros(1, 3))(n)).toThrow('evaluate: inputs has 1 sample (columns) but labels has 3; inputs is 2x1, labels is 1x3')
  })

  it('rows from outside (number[][]) stay a plain RangeError naming the sample', () => {
    const e = thrown(() => N.evaluate([[0, 0], [0, 1, 1]], [[0], [1]])(net(2, 1)))
    expect(e).toBeInstanceOf(RangeError)
    expect(e).not.toBeInstanceOf(M.ShapeError)
    expect((e as Error).message).toBe('evaluate: inputs[1] has 3 values, the network expects 2')
  })
})

describe('data sets', () => {
  it('sampleSet refuses inputs and targets of different numbers of samples', () => {
    expectShapeError(
      thrown(() => sampleSet(M.zeros(3, 4), M.zeros(1, 2))),
      'sampleSet',
      [3, 4],
      [1, 2]
    )
  })

  it('sampleSet refuses what is not a matrix with a TypeError naming it', () => {
    expect(() => sampleSet(undefined as never, M.zeros(1, 2))).toThrow(new TypeError('sampleSet: inputs must be a Matrix (one sample per column), got undefined'))
    expect(() => sampleSet(M.zeros(2, 2), [[1, 0]] as never)).toThrow(new TypeError('sampleSet: targets must be a Matrix (one sample per column), got an array of 1'))
  })

  it('standardize refuses data of other features than it was fitted on', () => {
    const s = fitStandardizer(M.fromFunction(2, 5, (i, j) => i + j * j))
    expectShapeError(
      thrown(() => standardize(s)(M.zeros(3, 1))),
      'standardize',
      [3, 1],
      [2, 1]
    )
  })
})
