/**
 * The options of `train` and `epochs`, decoded once, at the boundary, with io-ts. Each field
 * has a codec of its own whose failure names the field (and the sample and value within it)
 * and says what was expected and what was found, e.g. `trainLabels[3]: expected 1 value, got
 * 3`. Then the checks that involve two fields: counts that must agree, validation data and
 * labels both or neither, an optimizer or a learning rate but not both. The result is a
 * `Config`: trusted, typed values the training loop reads without checking again.
 *
 * Decoding never throws, whatever the options hold (a number, `null`, an array, a record of
 * anything); only getters that throw are out of its reach.
 *
 * Reading typed arrays: indices are bounded by the lengths read just before (see
 * `internal/buffer.ts`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import type { Matrix } from '@purenn/matrix'
import { mse, networkProblem, type DataSet, type Loss, type Network } from '@purenn/network'
import type { GradientTransformation } from './GradientTransformation.js'
import { isLearningRate, type ScalarOrSchedule } from './Schedule.js'
import { unsafeSampleSet, type SampleSet } from './batches.js'
import { sgd } from './optimizers.js'
import { firstNonClassLabel } from './measure.js'
import { invalidOptions, type BatchProgress, type EpochReport, type InvalidOptions } from './types.js'
import { count, describeValue } from './internal/describe.js'
import { isFiniteNetwork } from './internal/gradients.js'
import { labelProblem } from './internal/labels.js'
import { at, check, codec, firstFailure, isRecord, optional, root } from './internal/codecs.js'
import type { AbortSignalLike } from './async/signal.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Early stopping on the validation loss (without a validation set, on the training set's
 * loss measured after each epoch): stop when `patience` epochs in a row have not improved the
 * best loss by more than `minDelta` (default 0); with `restoreBest` (default true) the run's
 * result is the network of the best epoch.
 *
 * @example
 * import { train, type EarlyStoppingOptions } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const earlyStopping: EarlyStoppingOptions = { patience: 10, minDelta: 1e-4, restoreBest: true }
 * // a learning rate so small that no epoch improves the loss by more than minDelta:
 * // epoch 1 stays the best, and the run stops once 10 more have not improved on it
 * const result = train({ ...xor, numEpochs: 1000, learningRate: 1e-6, earlyStopping })(net)
 * pipe(result, E.map((r) => [r.stoppedBy, r.history.length])) // => E.right(['earlyStopping', 11])
 *
 * @category model
 * @since 0.1.0
 */
export interface EarlyStoppingOptions {
  readonly patience: number
  readonly minDelta?: number
  readonly restoreBest?: boolean
}

/**
 * Bounds that end a run after the first epoch at which any of them is reached (brain.js's
 * `errorThresh`, synaptic's `error`): `loss`, the epoch's mean training loss, `validationLoss`
 * (which needs validation data) and `error`, the tutorial's Error Σ |prediction − label| on the
 * measured set, at or below their bound; `accuracy` (which needs class labels) at or above. The
 * measures are those of the epoch's report (`EpochReport`); the run's result says
 * `stoppedBy: 'stopAt'` and holds the network of that epoch, even with early stopping's
 * `restoreBest`. Note the scales: our `mse` is ½·mean over samples of Σ (y − t)²; brain.js's
 * error is the mean squared error per output, so its `errorThresh: e` on `k` outputs is our
 * `loss: e · k / 2`.
 *
 * @example
 * import { train, type StopAt } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const stopAt: StopAt = { error: 0.5 } // stop once Σ |y − t| ≤ 0.5
 * const result = train({ ...xor, numEpochs: 100_000, learningRate: 0.1, stopAt })(net)
 * if (E.isLeft(result)) throw new Error(result.left.message)
 * result.right.stoppedBy // => 'stopAt'
 * result.right.history.at(-1)!.error <= 0.5 // => true
 * result.right.history.at(-2)!.error > 0.5 // => true
 *
 * @category model
 * @since 0.2.0
 */
export interface StopAt {
  readonly loss?: number
  readonly validationLoss?: number
  readonly error?: number
  readonly accuracy?: number
}

/**
 * Extra figures on the verbose line: the losses (`'loss'`) and the accuracy (`'accuracy'`,
 * which needs class labels: one-hot rows, or a single 0/1 output).
 *
 * @example
 * import { train, type Metric } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const metrics: Metric[] = ['loss', 'accuracy']
 * const lines: string[] = []
 * train({ ...xor, numEpochs: 200, learningRate: 0.1, verbose: 100, metrics, logger: (l) => lines.push(l) })(net)
 * lines.length // => 2
 * const line = /^Epoch 100; Error [\d.]+; Loss [\d.]+; Accuracy [\d.]+$/
 * line.test(lines[0]!) // => true
 *
 * @category model
 * @since 0.1.0
 */
export type Metric = 'loss' | 'accuracy'

/**
 * The options of `train` and `epochs`: the tutorial's names, then purenn's.
 *
 * | option | default | |
 * |---|---|---|
 * | `trainData`, `trainLabels` | required | rows, one sample a row (or matrices of columns) |
 * | `validationData`, `validationLabels` | none | both or neither |
 * | `numEpochs` | required | a positive integer |
 * | `learningRate` | | a positive number or a schedule; builds `sgd` |
 * | `optimizer` | `sgd({ learningRate })` | a `GradientTransformation`; not with `learningRate` |
 * | `loss` | `mse` | |
 * | `batchSize` | 1 | the tutorial's per-sample SGD |
 * | `seed` | 0 | seeds the shuffles |
 * | `verbose` | false | true: every epoch; n: every n epochs |
 * | `logger` | `console.log` | where verbose lines go |
 * | `metrics` | [] | on the verbose line: `'loss'`, `'accuracy'` |
 * | `earlyStopping` | none | `{ patience, minDelta = 0, restoreBest = true }` |
 * | `stopAt` | none | `{ loss?, validationLoss?, error?, accuracy? }`: stop after the first epoch that reaches a bound (`StopAt`) |
 * | `onEpoch(report)` | none | returning `'stop'` ends the run |
 * | `onBatch(progress)` | none | after every batch |
 * | `signal` | none | an `AbortSignal` that stops the run (`trainAsync`, `epochsAsync` only) |
 * | `workers` | 1 | threads sharing each batch's gradients (`trainAsync`, `epochsAsync` only) |
 *
 * @example
 * import { train, adam, type TrainOptions } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const options: TrainOptions = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]], numEpochs: 10000, learningRate: 0.1 }
 * E.isRight(train(options)(net)) // => true
 * // an optimizer and a learning rate: the learning rate belongs to the optimizer
 * pipe(train({ ...options, optimizer: adam({ learningRate: 0.01 }) })(net), E.mapLeft((e) => e._tag === 'InvalidOptions' && e.path)) // => E.left('optimizer')
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainOptions<S = unknown> {
  readonly trainData: DataSet
  readonly trainLabels: DataSet
  readonly validationData?: DataSet
  readonly validationLabels?: DataSet
  readonly numEpochs: number
  readonly learningRate?: ScalarOrSchedule
  readonly optimizer?: GradientTransformation<S>
  readonly loss?: Loss
  readonly batchSize?: number
  readonly seed?: number
  readonly verbose?: boolean | number
  /** Where the verbose lines go (`console.log` by default). */
  readonly logger?: (line: string) => void
  readonly metrics?: ReadonlyArray<Metric>
  readonly earlyStopping?: EarlyStoppingOptions
  readonly stopAt?: StopAt
  /** Called after each epoch with its report; returning `'stop'` ends the run. */
  readonly onEpoch?: (report: EpochReport) => 'stop' | void
  /** Called after each batch, e.g. for a progress bar. */
  readonly onBatch?: (progress: BatchProgress) => void
  readonly signal?: AbortSignalLike
  readonly workers?: number
}

/**
 * Decoded options: what the training loop reads, trusted.
 *
 * @internal
 */
export interface Config {
  readonly train: SampleSet
  readonly validation: SampleSet | undefined
  readonly numEpochs: number
  readonly optimizer: GradientTransformation<unknown>
  readonly loss: Loss
  readonly batchSize: number
  readonly seed: number
  readonly verbose: number // print every `verbose` epochs; 0: never
  readonly logger: (line: string) => void
  readonly metrics: { readonly loss: boolean; readonly accuracy: boolean } // shown on the verbose line
  readonly classes: boolean // the measured labels are classes: reports carry the accuracy
  readonly earlyStopping: { readonly patience: number; readonly minDelta: number; readonly restoreBest: boolean } | undefined
  readonly stopAt: StopAt | undefined
  readonly onEpoch: ((report: EpochReport) => unknown) | undefined
  readonly onBatch: ((progress: BatchProgress) => unknown) | undefined
  readonly signal: AbortSignalLike | undefined
  readonly workers: number // 1: the steps run on this thread; n > 1: this thread and n − 1 workers share each batch
}

// -------------------------------------------------------------------------------------
// codecs of the fields
// -------------------------------------------------------------------------------------

const PositiveInteger = codec('PositiveInteger', (u) =>
  check(typeof u === 'number' && Number.isInteger(u) && u > 0, u as number, 'a positive integer', u)
)

const SafeInteger = codec('SafeInteger', (u) => check(Number.isSafeInteger(u), u as number, 'a safe integer', u))

const NonNegative = codec('NonNegative', (u) =>
  check(typeof u === 'number' && Number.isFinite(u) && u >= 0, u as number, 'a non-negative number', u)
)

const Bool = codec('Boolean', (u) => check(typeof u === 'boolean', u as boolean, 'true or false', u))

const Func = codec('Function', (u) => check(typeof u === 'function', u as (...args: never[]) => unknown, 'a function', u))

const LearningRate = codec('LearningRate', (u) =>
  check(
    isLearningRate(u),
    u as ScalarOrSchedule,
    'a positive number or a schedule (a function of the step)',
    u
  )
)

const Optimizer = codec('GradientTransformation', (u) =>
  check(
    isRecord(u) && typeof u.init === 'function' && typeof u.update === 'function',
    u as unknown as GradientTransformation<unknown>,
    'a GradientTransformation (an object with init and update functions)',
    u
  )
)

const LossCodec = codec('Loss', (u) =>
  check(
    isRecord(u) && typeof u.name === 'string' && typeof u.value === 'function' && typeof u.gradient === 'function' && typeof u.perSample === 'function',
    u as unknown as Loss,
    'a Loss (an object with a name and perSample, value and gradient functions)',
    u
  )
)

/** `false` or `true` (every epoch) or n (every n epochs), as the number of epochs between lines (0: none). */
const Verbose = codec('Verbose', (u) =>
  typeof u === 'boolean'
    ? E.right(u ? 1 : 0)
    : check(typeof u === 'number' && Number.isInteger(u) && u > 0, u as number, 'true, false or a positive integer (print every n epochs)', u)
)

const Signal = codec('AbortSignal', (u) =>
  check(
    isRecord(u) && typeof u.aborted === 'boolean' && typeof u.addEventListener === 'function' && typeof u.removeEventListener === 'function',
    u as unknown as AbortSignalLike,
    'an AbortSignal (an object with aborted, addEventListener and removeEventListener)',
    u
  )
)

const MetricCodec = codec('Metric', (u) => check(u === 'loss' || u === 'accuracy', u as Metric, "'loss' or 'accuracy'", u))

const Metrics = new t.Type<ReadonlyArray<Metric>, ReadonlyArray<Metric>, unknown>(
  'Metrics',
  (u): u is ReadonlyArray<Metric> => Array.isArray(u) && u.every(MetricCodec.is),
  (u, c) => {
    if (!Array.isArray(u)) return t.failure(u, c, `expected an array of 'loss' and 'accuracy', got ${describeValue(u)}`)
    for (let i = 0; i < u.length; i++) {
      const r = MetricCodec.validate(u[i], at(c, i, u[i]))
      if (E.isLeft(r)) return r
    }
    return t.success(u as ReadonlyArray<Metric>)
  },
  t.identity
)

/** Why `key` is refused among `keys` (each a `noun`: option, bound, field): the key it likely meant, when one differs only in case, else the list. */
const unknownField = (key: string, keys: ReadonlyArray<string>, noun = 'field'): string => {
  const near = keys.find((k) => k.toLowerCase() === key.toLowerCase())
  return near === undefined ? `unknown ${noun} (the ${noun}s are ${keys.join(', ')})` : `unknown ${noun}, did you mean ${near}?`
}

const EarlyStoppingFields = t.type({ patience: PositiveInteger, minDelta: optional(NonNegative), restoreBest: optional(Bool) })
const earlyStoppingKeys: ReadonlyArray<string> = Object.keys(EarlyStoppingFields.props)

/** Early stopping's fields; a key it does not know (`restorebest`, `min_delta`) is refused, not ignored: a typo would change which network a run returns. */
const EarlyStopping = new t.Type<t.TypeOf<typeof EarlyStoppingFields>, t.TypeOf<typeof EarlyStoppingFields>, unknown>(
  'EarlyStopping',
  EarlyStoppingFields.is,
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, `expected { patience, minDelta?, restoreBest? }, got ${describeValue(u)}`)
    const unknownKey = Object.keys(u).find((k) => !earlyStoppingKeys.includes(k))
    if (unknownKey !== undefined) return t.failure(u[unknownKey], at(c, unknownKey, u[unknownKey]), unknownField(unknownKey, earlyStoppingKeys))
    return EarlyStoppingFields.validate(u, c)
  },
  t.identity
)

const Finite = codec('Finite', (u) => check(typeof u === 'number' && Number.isFinite(u), u as number, 'a finite number', u))
const Fraction = codec('Fraction', (u) => check(typeof u === 'number' && u >= 0 && u <= 1, u as number, 'a number in [0, 1]', u))

const StopAtFields = t.type({ loss: optional(Finite), validationLoss: optional(Finite), error: optional(NonNegative), accuracy: optional(Fraction) })
const stopAtKeys: ReadonlyArray<string> = Object.keys(StopAtFields.props)

const StopAtCodec = new t.Type<StopAt, StopAt, unknown>(
  'StopAt',
  (u): u is StopAt => StopAtFields.is(u),
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, `expected { loss?, validationLoss?, error?, accuracy? }, got ${describeValue(u)}`)
    const unknownKey = Object.keys(u).find((k) => !stopAtKeys.includes(k))
    if (unknownKey !== undefined) return t.failure(u[unknownKey], at(c, unknownKey, u[unknownKey]), unknownField(unknownKey, stopAtKeys, 'bound'))
    return StopAtFields.validate(u, c) as t.Validation<StopAt>
  },
  t.identity
)

/** Decoded samples: `count` samples of `width` numbers, sample-major in a fresh buffer. */
interface DecodedSamples {
  readonly width: number
  readonly count: number
  readonly data: Float64Array
}

const isMatrixLike = (u: unknown): u is Matrix =>
  isRecord(u) && typeof u.rows === 'number' && typeof u.cols === 'number' && u.data instanceof Float64Array

/**
 * Samples as rows (`number[][]`, each of `width` finite numbers) or as a `width x n` matrix of
 * columns, copied into a fresh sample-major buffer. `why` ends a width message, e.g.
 * `(the network takes 2 inputs)`.
 */
const samplesCodec = (width: number, why: string): t.Type<DecodedSamples, DecodedSamples, unknown> =>
  new t.Type<DecodedSamples, DecodedSamples, unknown>(
    'Samples',
    (_u): _u is DecodedSamples => false, // decoded samples are never taken as they are
    (u, c) => {
      if (isMatrixLike(u)) {
        const { rows, cols, data } = u
        if (rows !== width) return t.failure(u, c, `expected a Matrix of ${count(width, 'row')} (one sample per column), got ${rows}x${cols} ${why}`)
        if (!Number.isInteger(cols) || cols < 0 || data.length !== rows * cols)
          return t.failure(u, c, `expected a Matrix whose data holds rows x cols numbers, got ${rows}x${cols} with ${data.length}`)
        const out = new Float64Array(rows * cols)
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < cols; j++) {
            const v = data[i * cols + j]!
            if (!Number.isFinite(v)) return t.failure(u, c, `expected finite numbers, got ${v} in row ${i}, column ${j}`)
            out[j * rows + i] = v // column j (a sample) becomes the run at j·rows
          }
        return t.success({ width, count: cols, data: out })
      }
      if (!Array.isArray(u))
        return t.failure(u, c, `expected rows (an array of samples, one a row) or a Matrix of columns, got ${describeValue(u)}`)
      const n = u.length
      const out = new Float64Array(n * width)
      for (let s = 0; s < n; s++) {
        const row: unknown = u[s]
        if (!Array.isArray(row)) return t.failure(row, at(c, s, row), `expected an array of ${count(width, 'number')}, got ${describeValue(row)}`)
        if (row.length !== width) return t.failure(row, at(c, s, row), `expected ${count(width, 'value')}, got ${row.length} ${why}`)
        for (let i = 0; i < width; i++) {
          const v: unknown = row[i]
          if (typeof v !== 'number' || !Number.isFinite(v))
            return t.failure(v, at(at(c, s, row), i, v), `expected a finite number, got ${describeValue(v)}`)
          out[s * width + i] = v
        }
      }
      return t.success({ width, count: n, data: out })
    },
    t.identity
  )

/** The codec of the whole options record, for a network of these sizes. */
const optionsCodec = (inputs: number, outputs: number) => {
  const data = samplesCodec(inputs, `(the network takes ${count(inputs, 'input')})`)
  const labels = samplesCodec(outputs, `(the network has ${count(outputs, 'output')})`)
  return t.type({
    trainData: data,
    trainLabels: labels,
    validationData: optional(data),
    validationLabels: optional(labels),
    numEpochs: PositiveInteger,
    learningRate: optional(LearningRate),
    optimizer: optional(Optimizer),
    loss: optional(LossCodec),
    batchSize: optional(PositiveInteger),
    seed: optional(SafeInteger),
    verbose: optional(Verbose),
    logger: optional(Func),
    metrics: optional(Metrics),
    earlyStopping: optional(EarlyStopping),
    stopAt: optional(StopAtCodec),
    onEpoch: optional(Func),
    onBatch: optional(Func),
    signal: optional(Signal),
    workers: optional(PositiveInteger)
  })
}

const knownKeys: ReadonlyArray<string> = Object.keys(optionsCodec(1, 1).props)

const firstError = (errors: t.Errors): InvalidOptions => {
  const { path, problem } = firstFailure(errors)
  return invalidOptions(path === '' ? 'options' : path, problem)
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/** The first hidden layer of two or more nodes whose weights and biases are all zero, as `addLayer` leaves them; −1 for none. */
const firstUnsetHiddenLayer = (net: Network): number =>
  net.layers.findIndex((l, k) => k < net.layers.length - 1 && l.weights.rows >= 2 && allZero(l.weights.data) && allZero(l.bias.data))

const allZero = (x: ArrayLike<number>): boolean => {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return false
  return true
}

/** Checks the network the options are for: a network (`networkProblem`) with layers, finite parameters, and hidden layers not left at zero. */
const checkNetwork = (net: unknown): E.Either<InvalidOptions, Network> => {
  const wrong = networkProblem(net)
  if (wrong !== undefined) return E.left(invalidOptions(wrong.path === '' ? 'network' : `network.${wrong.path}`, wrong.message))
  const n = net as Network
  if (n.layers.length === 0) return E.left(invalidOptions('network.layers', 'expected at least one layer, got none (add one with addLayer)'))
  if (!isFiniteNetwork(n)) return E.left(invalidOptions('network', 'expected finite weights and biases, got NaN or an infinity'))
  const unset = firstUnsetHiddenLayer(n)
  if (unset >= 0)
    return E.left(
      invalidOptions(
        `network.layers[${unset}]`,
        'expected weights drawn at random, got all zeros: the nodes of a hidden layer that start equal stay equal and learn as one (call randomize or initialize after addLayer)'
      )
    )
  return E.right(n)
}

const suggestion = (key: string): string => unknownField(key, knownKeys, 'option')

/**
 * Decodes the options of `train` or `epochs` (or, with `driver` 'async', of `trainAsync` or
 * `epochsAsync`) for a network: a `Left` of `InvalidOptions` naming the first bad field, or
 * the `Config` the loop runs on.
 *
 * @internal
 */
export const decodeOptions = (u: unknown, net: unknown, driver: 'sync' | 'async' = 'sync'): E.Either<InvalidOptions, Config> =>
  pipe(
    checkNetwork(net),
    E.chain((network) => {
      if (!isRecord(u)) return E.left(invalidOptions('options', `expected an object, got ${describeValue(u)}`))
      const unknownKey = Object.keys(u).find((k) => !knownKeys.includes(k))
      if (unknownKey !== undefined) return E.left(invalidOptions(unknownKey, suggestion(unknownKey)))
      const last = network.layers[network.layers.length - 1]!
      return pipe(
        optionsCodec(network.inputSize, last.weights.rows).validate(u, root(u)),
        E.mapLeft(firstError),
        E.chain((o) => (driver === 'sync' ? syncOnly(o) : E.right(o))),
        E.chain(crossCheck)
      )
    })
  )

type Decoded = t.TypeOf<ReturnType<typeof optionsCodec>>

/** `train` and `epochs` run to the end on this thread: a signal could never fire, workers never start. */
const syncOnly = (o: Decoded): E.Either<InvalidOptions, Decoded> => {
  if (o.signal !== undefined)
    return E.left(invalidOptions('signal', 'expected no signal: train and epochs never give the event loop a turn, so nothing could abort them (use trainAsync or epochsAsync)'))
  if (o.workers !== undefined && o.workers !== 1)
    return E.left(invalidOptions('workers', `expected 1: train and epochs run on this thread (use trainAsync or epochsAsync for workers), got ${o.workers}`))
  return E.right(o)
}

/** The checks across fields, then the config with its defaults. */
const crossCheck = (o: Decoded): E.Either<InvalidOptions, Config> => {
  const samplesOf = (n: number) => `${count(n, 'sample')}`
  if (o.trainData.count === 0) return E.left(invalidOptions('trainData', 'expected at least 1 sample, got 0'))
  if (o.trainLabels.count !== o.trainData.count)
    return E.left(invalidOptions('trainLabels', `expected ${samplesOf(o.trainData.count)} (one per sample of trainData), got ${o.trainLabels.count}`))
  if (o.validationData !== undefined && o.validationLabels === undefined)
    return E.left(invalidOptions('validationLabels', 'expected labels for validationData (give both or neither), got undefined'))
  if (o.validationData === undefined && o.validationLabels !== undefined)
    return E.left(invalidOptions('validationData', 'expected data for validationLabels (give both or neither), got undefined'))
  if (o.validationData !== undefined && o.validationData.count === 0)
    return E.left(invalidOptions('validationData', 'expected at least 1 sample, got 0'))
  if (o.validationData !== undefined && o.validationLabels !== undefined && o.validationLabels.count !== o.validationData.count)
    return E.left(
      invalidOptions('validationLabels', `expected ${samplesOf(o.validationData.count)} (one per sample of validationData), got ${o.validationLabels.count}`)
    )
  if (o.optimizer !== undefined && o.learningRate !== undefined)
    return E.left(invalidOptions('optimizer', 'expected either an optimizer or a learningRate, got both (learningRate builds sgd when no optimizer is given)'))
  if (o.optimizer === undefined && o.learningRate === undefined)
    return E.left(invalidOptions('learningRate', 'expected a positive number or a schedule (or else an optimizer), got undefined'))
  const loss = o.loss ?? mse
  const badLabel =
    labelProblem(loss, 'trainLabels', o.trainLabels.width, o.trainLabels.data) ??
    (o.validationLabels === undefined ? undefined : labelProblem(loss, 'validationLabels', o.validationLabels.width, o.validationLabels.data))
  if (badLabel !== undefined) return E.left(badLabel)
  const es = o.earlyStopping
  const train = unsafeSampleSet(o.trainData.width, o.trainData.data, o.trainLabels.width, o.trainLabels.data)
  const validation =
    o.validationData === undefined || o.validationLabels === undefined
      ? undefined
      : unsafeSampleSet(o.validationData.width, o.validationData.data, o.validationLabels.width, o.validationLabels.data)
  const notClass = firstNonClassLabel(validation ?? train)
  const classes = notClass < 0
  const wantsAccuracy = o.metrics?.indexOf('accuracy') ?? -1
  if (wantsAccuracy >= 0 && !classes)
    return E.left(
      invalidOptions(
        `metrics[${wantsAccuracy}]`,
        `expected class labels for 'accuracy' (one-hot rows, or a single 0 or 1), got ${validation === undefined ? 'trainLabels' : 'validationLabels'}[${notClass}] = [${labelOf(validation ?? train, notClass).join(', ')}]`
      )
    )
  if (o.stopAt?.validationLoss !== undefined && validation === undefined)
    return E.left(invalidOptions('stopAt.validationLoss', 'expected validationData and validationLabels to measure it on, got none'))
  if (o.stopAt?.accuracy !== undefined && !classes)
    return E.left(
      invalidOptions(
        'stopAt.accuracy',
        `expected class labels to measure accuracy on (one-hot rows, or a single 0 or 1), got ${validation === undefined ? 'trainLabels' : 'validationLabels'}[${notClass}] = [${labelOf(validation ?? train, notClass).join(', ')}]`
      )
    )
  return E.right({
    train,
    validation,
    numEpochs: o.numEpochs,
    optimizer: o.optimizer ?? (sgd({ learningRate: o.learningRate! }) as GradientTransformation<unknown>),
    loss,
    batchSize: o.batchSize ?? 1,
    seed: o.seed ?? 0,
    verbose: o.verbose ?? 0,
    logger: (o.logger as ((line: string) => void) | undefined) ?? defaultLogger,
    metrics: { loss: o.metrics?.includes('loss') ?? false, accuracy: o.metrics?.includes('accuracy') ?? false },
    classes,
    earlyStopping: es === undefined ? undefined : { patience: es.patience, minDelta: es.minDelta ?? 0, restoreBest: es.restoreBest ?? true },
    stopAt: o.stopAt,
    onEpoch: o.onEpoch as ((report: EpochReport) => unknown) | undefined,
    onBatch: o.onBatch as ((progress: BatchProgress) => unknown) | undefined,
    signal: o.signal,
    workers: o.workers ?? 1
  })
}

/** The label of sample `s`, as numbers (for a message). */
const labelOf = (data: SampleSet, s: number): number[] =>
  Array.from(data.targets.data.subarray(s * data.targets.width, (s + 1) * data.targets.width))

/** `console.log`, looked up when called (the package is typed without the DOM or Node globals). */
const defaultLogger = (line: string): void => {
  const c = (globalThis as { console?: { log: (line: string) => void } }).console
  if (c !== undefined) c.log(line)
}
