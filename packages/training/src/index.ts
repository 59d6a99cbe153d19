/**
 * @purenn/training: optimizers are values, training is a fold.
 *
 * Optimizers follow optax: a `GradientTransformation` proposes updates from gradients and
 * `applyUpdates` takes them; `chain` joins small transforms into `sgd`, `momentum`, `rmsprop`,
 * `adam`, `adamw`. A learning rate is a number or a `Schedule`. `trainStep` is the reducer
 * (one batch, one update); `epochs` unfolds a run lazily, yielding an epoch at a time; `train` folds it.
 * `trainAsync` and `epochsAsync` are the same run without blocking: they give the event loop a
 * turn between batches, stop on an `AbortSignal`, and can share each batch among workers.
 *
 * ```ts
 * import { train } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const trainData = [[0, 0], [0, 1], [1, 0], [1, 1]]
 * const trainLabels = [[0], [1], [1], [0]]
 * const result = train({ trainData, trainLabels, numEpochs: 10000, learningRate: 0.1, verbose: 1000 })(net) // prints `Epoch 1000; Error …`
 * pipe(result, E.map((r) => trainData.map((x) => predict(x)(r.network).prediction[0]))) // ≈ E.right([0, 1, 1, 0]) ± 0.2
 * ```
 *
 * @since 0.1.0
 * @module @purenn/training
 */
export * from './GradientTransformation.js'
export * from './Schedule.js'
export * from './transforms.js'
export * from './optimizers.js'
export * from './UpdateRule.js'
export { type Batch, type SampleSet, type Samples, sampleSet, batches, shuffledBatches } from './batches.js'
export { type TrainState, initTrainState } from './TrainState.js'
export { trainStep } from './trainStep.js'
export { type Steps, type StepsStop, trainSteps } from './trainSteps.js'
export {
  type EpochReport,
  type EpochState,
  type Best,
  type BatchProgress,
  type InvalidOptions,
  type Diverged,
  type Aborted,
  type TrainError,
  type StoppedBy,
  invalidOptions,
  diverged,
  aborted
} from './types.js'
export { type TrainOptions, type EarlyStoppingOptions, type StopAt, type Metric } from './options.js'
export { verboseLine } from './verbose.js'
export { improve, patienceRunOut } from './earlyStopping.js'
export { epochs, epochsFrom } from './epochs.js'
export { type TrainResult, train, trainFrom } from './train.js'
export { trainAsync, epochsAsync } from './async/trainAsync.js'
export { type AbortSignalLike } from './async/signal.js'
export { type Json, type CheckpointJson, type InvalidCheckpoint, encodeCheckpoint, decodeCheckpoint } from './checkpoint.js'
export {
  type Standardizer,
  type StandardizerJson,
  type InvalidStandardizer,
  toColumns,
  toRows,
  oneHot,
  classes,
  fitStandardizer,
  standardize,
  encodeStandardizer,
  decodeStandardizer,
  stratifiedSplit,
  classAccuracy,
  confusionMatrix
} from './data.js'
