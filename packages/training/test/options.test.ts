import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import { mse } from '@purenn/network'
import { epochs, sgd, train, type TrainError } from '@purenn/training'
import { columns, netOf, sigmoidNet, xorData, xorLabels } from './helpers.js'

const net = sigmoidNet([2, 3, 1], 0)
const base: Record<string, unknown> = { trainData: xorData, trainLabels: xorLabels, numEpochs: 2, learningRate: 0.1 }

/** The error `epochs` answers for these options (and network), or undefined for a Right. */
const errorOf = (options: unknown, network: unknown = net): TrainError | undefined => {
  const r = epochs(options as never)(network as never)
  return E.isLeft(r) ? r.left : undefined
}

const without = (key: string): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))

describe('each bad option gets its own message, naming the field and the index', () => {
  const cases: ReadonlyArray<readonly [string, unknown, string]> = [
    ['not an object', null, 'options: expected an object, got null'],
    ['a number', 5, 'options: expected an object, got number 5'],
    ['an array', [], 'options: expected an object, got an array of 0'],
    ['no trainData', without('trainData'), 'trainData: expected rows (an array of samples, one a row) or a Matrix of columns, got undefined'],
    ['a ragged row', { ...base, trainData: [[0, 0], [0, 1, 2], [1, 0], [1, 1]] }, 'trainData[1]: expected 2 values, got 3 (the network takes 2 inputs)'],
    ['rows too wide for the network', { ...base, trainData: xorData.map((r) => [...r, 0]) }, 'trainData[0]: expected 2 values, got 3 (the network takes 2 inputs)'],
    ['a NaN', { ...base, trainData: [[0, 0], [0, 1], [1, NaN], [1, 1]] }, 'trainData[2][1]: expected a finite number, got number NaN'],
    ['an infinity', { ...base, trainData: [[0, 0], [0, 1], [1, 0], [Infinity, 1]] }, 'trainData[3][0]: expected a finite number, got number Infinity'],
    ['a string value', { ...base, trainData: [['a', 0], [0, 1], [1, 0], [1, 1]] }, 'trainData[0][0]: expected a finite number, got string "a"'],
    ['a row that is not an array', { ...base, trainData: [[0, 0], [0, 1], [1, 0], 7] }, 'trainData[3]: expected an array of 2 numbers, got number 7'],
    ['a label of the wrong width', { ...base, trainLabels: [[0], [1], [1], [0, 1, 1]] }, 'trainLabels[3]: expected 1 value, got 3 (the network has 1 output)'],
    ['labels for fewer samples', { ...base, trainLabels: [[0], [1], [1]] }, 'trainLabels: expected 4 samples (one per sample of trainData), got 3'],
    ['no samples', { ...base, trainData: [], trainLabels: [] }, 'trainData: expected at least 1 sample, got 0'],
    ['a Matrix of the wrong height', { ...base, trainData: M.zeros(3, 4) }, 'trainData: expected a Matrix of 2 rows (one sample per column), got 3x4 (the network takes 2 inputs)'],
    ['a Matrix holding NaN', { ...base, trainData: M.fromFunction(2, 4, () => 0), trainLabels: { rows: 1, cols: 4, data: new Float64Array([0, 1, NaN, 0]) } }, 'trainLabels: expected finite numbers, got NaN in row 0, column 2'],
    ['no numEpochs', without('numEpochs'), 'numEpochs: expected a positive integer, got undefined'],
    ['zero epochs', { ...base, numEpochs: 0 }, 'numEpochs: expected a positive integer, got number 0'],
    ['a fractional epoch count', { ...base, numEpochs: 2.5 }, 'numEpochs: expected a positive integer, got number 2.5'],
    ['a negative learning rate', { ...base, learningRate: -0.1 }, 'learningRate: expected a positive number or a schedule (a function of the step), got number -0.1'],
    ['a NaN learning rate', { ...base, learningRate: NaN }, 'learningRate: expected a positive number or a schedule (a function of the step), got number NaN'],
    ['no learning rate and no optimizer', without('learningRate'), 'learningRate: expected a positive number or a schedule (or else an optimizer), got undefined'],
    ['both optimizer and learningRate', { ...base, optimizer: sgd({ learningRate: 0.1 }) }, 'optimizer: expected either an optimizer or a learningRate, got both (learningRate builds sgd when no optimizer is given)'],
    ['an optimizer that is not one', { ...without('learningRate'), optimizer: {} }, 'optimizer: expected a GradientTransformation (an object with init and update functions), got object'],
    ['a batch size of 0', { ...base, batchSize: 0 }, 'batchSize: expected a positive integer, got number 0'],
    ['a seed that is not an integer', { ...base, seed: 1.5 }, 'seed: expected a safe integer, got number 1.5'],
    ['a verbose that is neither', { ...base, verbose: 'yes' }, 'verbose: expected true, false or a positive integer (print every n epochs), got string "yes"'],
    ['a loss given by name', { ...base, loss: 'mse' }, 'loss: expected a Loss (an object with a name and perSample, value and gradient functions), got string "mse"'],
    ['validation data without labels', { ...base, validationData: xorData }, 'validationLabels: expected labels for validationData (give both or neither), got undefined'],
    ['validation labels without data', { ...base, validationLabels: xorLabels }, 'validationData: expected data for validationLabels (give both or neither), got undefined'],
    ['validation counts that differ', { ...base, validationData: xorData, validationLabels: [[1]] }, 'validationLabels: expected 4 samples (one per sample of validationData), got 1'],
    ['a ragged validation row', { ...base, validationData: [[0, 0], [1]], validationLabels: [[0], [1]] }, 'validationData[1]: expected 2 values, got 1 (the network takes 2 inputs)'],
    ['an empty validation set', { ...base, validationData: [], validationLabels: [] }, 'validationData: expected at least 1 sample, got 0'],
    ['earlyStopping that is not a record', { ...base, earlyStopping: 5 }, 'earlyStopping: expected { patience, minDelta?, restoreBest? }, got number 5'],
    ['a patience of 0', { ...base, earlyStopping: { patience: 0 } }, 'earlyStopping.patience: expected a positive integer, got number 0'],
    ['a negative minDelta', { ...base, earlyStopping: { patience: 2, minDelta: -1 } }, 'earlyStopping.minDelta: expected a non-negative number, got number -1'],
    ['a restoreBest that is not a boolean', { ...base, earlyStopping: { patience: 2, restoreBest: 'yes' } }, 'earlyStopping.restoreBest: expected true or false, got string "yes"'],
    ['an earlyStopping key in the wrong case', { ...base, earlyStopping: { patience: 2, restorebest: false } }, 'earlyStopping.restorebest: unknown field, did you mean restoreBest?'],
    ['an earlyStopping key it does not know', { ...base, earlyStopping: { patience: 2, min_delta: 0.1 } }, 'earlyStopping.min_delta: unknown field (the fields are patience, minDelta, restoreBest)'],
    ['an onEpoch that is not a function', { ...base, onEpoch: 'x' }, 'onEpoch: expected a function, got string "x"'],
    ['an onBatch that is not a function', { ...base, onBatch: 1 }, 'onBatch: expected a function, got number 1'],
    ['a logger that is not a function', { ...base, logger: {} }, 'logger: expected a function, got object'],
    ['an unknown metric', { ...base, metrics: ['loss', 'acc'] }, "metrics[1]: expected 'loss' or 'accuracy', got string \"acc\""],
    ['accuracy without class labels', { ...base, trainLabels: [[0], [1], [0.5], [0]], metrics: ['loss', 'accuracy'] }, "metrics[1]: expected class labels for 'accuracy' (one-hot rows, or a single 0 or 1), got trainLabels[2] = [0.5]"],
    ['a misspelt option', { ...base, learningrate: 0.1 }, 'learningrate: unknown option, did you mean learningRate?']
  ]

  it.each(cases)('%s', (_, options, message) => {
    const e = errorOf(options)
    expect(e?._tag).toBe('InvalidOptions')
    expect(e?.message).toBe(message)
    expect(e?.message.startsWith(`${(e as { path: string }).path}: `)).toBe(true)
  })

  it('all these messages differ', () => {
    const messages = cases.map(([, options]) => errorOf(options)?.message)
    expect(new Set(messages).size).toBe(cases.length)
  })

  it('train answers the same Left', () => {
    const r = train({ ...base, numEpochs: -1 } as never)(net)
    expect(E.isLeft(r) && r.left.message).toBe('numEpochs: expected a positive integer, got number -1')
  })

  it('refuses a network without layers or with non-finite parameters', () => {
    expect(errorOf(base, { inputSize: 2, layers: [] })?.message).toBe('network.layers: expected at least one layer, got none (add one with addLayer)')
    const finite = netOf([{ weights: [[1, 0]], bias: [0] }])
    const broken = { ...finite, layers: [{ ...finite.layers[0]!, weights: { rows: 1, cols: 2, data: new Float64Array([NaN, 0]) } }] }
    expect(errorOf(base, broken)?.message).toBe('network: expected finite weights and biases, got NaN or an infinity')
  })

  it('accepts every field when right, with rows or matrices', () => {
    const options = {
      ...without('learningRate'),
      trainLabels: columns(xorLabels),
      validationData: columns(xorData),
      validationLabels: xorLabels,
      optimizer: sgd({ learningRate: (t: number) => 0.1 / (1 + t) }),
      loss: mse,
      batchSize: 2,
      seed: -7,
      verbose: 3,
      logger: () => undefined,
      metrics: ['accuracy'],
      earlyStopping: { patience: 2, minDelta: 0.01, restoreBest: false },
      onEpoch: () => undefined,
      onBatch: () => undefined
    }
    expect(errorOf(options)).toBeUndefined()
  })
})

describe('fuzzed options never throw (property)', () => {
  const anything = fc.anything({
    withNullPrototype: true,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withBigInt: true,
    withDate: true,
    maxDepth: 3
  })

  it('whatever the options are', () => {
    fc.assert(
      fc.property(anything, (u) => {
        expect(() => epochs(u as never)(net)).not.toThrow()
        expect(E.isLeft(epochs(u as never)(net))).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it('whatever the known fields hold', () => {
    const keys = ['trainData', 'trainLabels', 'validationData', 'validationLabels', 'numEpochs', 'learningRate', 'optimizer', 'loss', 'batchSize', 'seed', 'verbose', 'logger', 'metrics', 'earlyStopping', 'onEpoch', 'onBatch']
    const record = fc.dictionary(fc.constantFrom(...keys), anything, { maxKeys: 8 })
    fc.assert(
      fc.property(record, (u) => {
        expect(() => epochs(u as never)(net)).not.toThrow()
      }),
      { numRuns: 300 }
    )
  })

  it('one bad field among good ones is the field named (or its partner)', () => {
    const partners: Record<string, ReadonlyArray<string>> = {
      trainData: ['trainData', 'trainLabels'],
      trainLabels: ['trainLabels'],
      numEpochs: ['numEpochs'],
      learningRate: ['learningRate'],
      batchSize: ['batchSize'],
      seed: ['seed'],
      verbose: ['verbose'],
      earlyStopping: ['earlyStopping'],
      metrics: ['metrics']
    }
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(partners)), anything, (key, value) => {
        const e = errorOf({ ...base, [key]: value })
        if (e === undefined) return // the value happened to be valid
        const root = e._tag === 'InvalidOptions' ? e.path.split(/[.[]/)[0]! : ''
        expect(partners[key]).toContain(root)
      }),
      { numRuns: 500 }
    )
  })
})

describe('the network is checked too, and never makes decoding throw', () => {
  it('whatever the network is (property)', () => {
    const anything = fc.anything({ maxDepth: 3, withTypedArray: true })
    const layer = fc.record({ weights: anything, bias: anything, activation: anything })
    const network = fc.oneof(anything, fc.record({ inputSize: fc.oneof(fc.integer({ min: -3, max: 3 }), anything), layers: fc.array(fc.oneof(layer, anything), { maxLength: 3 }) }))
    fc.assert(
      fc.property(network, (n) => {
        expect(() => epochs(base as never)(n as never)).not.toThrow()
      }),
      { numRuns: 300 }
    )
  })

  it('layers whose shapes do not chain are refused, naming the layer', () => {
    const net = netOf([
      { weights: [[1, 0], [0, 1], [1, 1]], bias: [0, 0, 0] },
      { weights: [[1, 1, 1]], bias: [0] }
    ])
    const [l0, l1] = net.layers
    const withLayers = (layers: ReadonlyArray<unknown>): unknown => ({ ...net, layers })
    expect(errorOf(base, withLayers([l0, { ...l1!, weights: M.zeros(1, 2) }]))?.message).toBe('network.layers[1].weights: expected a matrix of 3 columns (the size before the layer), got a 1x2 matrix')
    expect(errorOf(base, { ...net, inputSize: 3 })?.message).toBe('network.layers[0].weights: expected a matrix of 3 columns (the size before the layer), got a 3x2 matrix')
    expect(errorOf(base, withLayers([{ ...l0!, bias: M.zeros(2, 1) }, l1]))?.message).toBe('network.layers[0].bias: expected a 3x1 matrix (one value a node), got a 2x1 matrix')
    expect(errorOf(base, withLayers([{ ...l0!, bias: M.zeros(1, 3) }, l1]))?.message).toBe('network.layers[0].bias: expected a 3x1 matrix (one value a node), got a 1x3 matrix')
  })

  it('a matrix whose sizes do not match its data is refused', () => {
    const finite = netOf([{ weights: [[1, 0]], bias: [0] }])
    const bogus = { ...finite, layers: [{ ...finite.layers[0]!, weights: { rows: -1, cols: 2, data: new Float64Array(2) } }] }
    expect(errorOf(base, bogus)?.message).toBe('network.layers[0].weights: expected a matrix of 2 columns (the size before the layer), got object')
  })
})
