/**
 * A training progress bar for the terminal, drawn by cli-progress: overall progress, then the
 * epoch, the batch, the running loss and accuracy and the throughput in samples per second.
 * When the stream is not a terminal (a pipe, a file, CI) it prints nothing at all, so logs
 * stay clean; the examples print their own one-line epoch summaries there.
 *
 * @since 0.1.0
 */
import { SingleBar } from 'cli-progress'

/**
 * Where training stands, as reported after each batch.
 *
 * @category model
 * @since 0.1.0
 */
export interface Progress {
  /** The current epoch, from 1. */
  readonly epoch: number
  /** The current batch within the epoch, from 1. */
  readonly batch: number
  /** Batches in one epoch. */
  readonly batches: number
  /** Samples seen so far in this epoch. */
  readonly samples: number
  /** The loss to show (e.g. the mean over this epoch's batches so far). */
  readonly loss: number
  /** An accuracy in [0, 1] to show, if one is known (e.g. the last epoch's). */
  readonly accuracy?: number
}

/**
 * A progress bar: `update` after each batch, `stop` once at the end.
 *
 * @category model
 * @since 0.1.0
 */
export interface ProgressBar {
  /** Whether the bar draws anything (false when the stream is not a terminal). */
  readonly active: boolean
  readonly update: (progress: Progress) => void
  readonly stop: () => void
}

/**
 * Options of {@link progressBar}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ProgressBarOptions {
  /** A short name shown first, e.g. `mnist`. */
  readonly task: string
  /** Epochs in the whole run. */
  readonly epochs: number
  /** Whether to draw at all (default true): false makes a bar that does nothing. */
  readonly enabled?: boolean
  /** Where to draw (default `process.stdout`); nothing is drawn unless `isTTY` is true. */
  readonly stream?: NodeJS.WritableStream & { readonly isTTY?: boolean }
  /** A clock in milliseconds (default `performance.now`), for the samples per second. */
  readonly now?: () => number
}

/**
 * The text shown after the bar itself: `epoch 2/10 | batch 50/250 | loss 0.2131 | acc 93.40% | 8123 samples/s`.
 * A missing accuracy shows as `-`.
 *
 * @example
 * import { progressText } from './progress.js'
 * progressText(10, { epoch: 2, batch: 50, batches: 250, samples: 1600, loss: 0.21314, accuracy: 0.934 }, 8123.4)
 * // 'epoch 2/10 | batch 50/250 | loss 0.2131 | acc 93.40% | 8123 samples/s'
 *
 * @category formatting
 * @since 0.1.0
 */
export const progressText = (epochs: number, p: Progress, samplesPerSecond: number): string =>
  [
    `epoch ${p.epoch}/${epochs}`,
    `batch ${p.batch}/${p.batches}`,
    `loss ${p.loss.toFixed(4)}`,
    `acc ${p.accuracy === undefined ? '-' : `${(100 * p.accuracy).toFixed(2)}%`}`,
    `${Math.round(samplesPerSecond)} samples/s`
  ].join(' | ')

const quiet: ProgressBar = { active: false, update: () => undefined, stop: () => undefined }

/**
 * A progress bar over a whole run of `epochs` epochs. The bar advances one step per batch;
 * samples per second are counted from the first batch of the current epoch. On a stream that is
 * not a terminal it does nothing.
 *
 * @example
 * import { progressBar } from './progress.js'
 * const bar = progressBar({ task: 'mnist', epochs: 10 })
 * bar.update({ epoch: 1, batch: 1, batches: 250, samples: 32, loss: 2.3 })
 * bar.stop()
 *
 * @category constructors
 * @since 0.1.0
 */
export const progressBar = (options: ProgressBarOptions): ProgressBar => {
  const stream = options.stream ?? process.stdout
  if (options.enabled === false || stream.isTTY !== true) return quiet
  const now = options.now ?? (() => performance.now())
  const bar = new SingleBar({
    stream,
    format: `${options.task} [{bar}] {percentage}% | {status}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false
  })
  let started = false
  // The rate of an epoch is counted from its first batch (so that the evaluation between two
  // epochs does not count); the first batch shows the previous epoch's rate.
  let epochStart = { epoch: 0, at: 0, samples: 0 }
  let rate = 0
  return {
    active: true,
    update: (p) => {
      const t = now()
      if (p.epoch !== epochStart.epoch) epochStart = { epoch: p.epoch, at: t, samples: p.samples }
      else if (t > epochStart.at) rate = ((p.samples - epochStart.samples) * 1000) / (t - epochStart.at)
      const status = progressText(options.epochs, p, rate)
      const value = (p.epoch - 1) * p.batches + p.batch
      if (!started) {
        bar.start(options.epochs * p.batches, value, { status })
        started = true
      } else {
        bar.update(value, { status })
      }
    },
    stop: () => {
      if (started) bar.stop()
    }
  }
}

/**
 * Callbacks for `train` that drive a progress bar: `onBatch` shows the epoch, the batch, the
 * mean loss of the epoch's batches so far and the samples seen; `onEpoch` keeps the epoch's
 * accuracy (on the validation data) to show during the next one, then calls `andThen`, if given.
 *
 * @example
 * import { progressBar, progressCallbacks } from './progress.js'
 * const bar = progressBar({ task: 'mnist', epochs: 20 })
 * const { onBatch, onEpoch } = progressCallbacks(bar, { batchSize: 64, samples: 8004 })
 * // train({ ..., onBatch, onEpoch })
 *
 * @category constructors
 * @since 0.1.0
 */
export const progressCallbacks = <R extends { readonly accuracy?: number }>(
  bar: ProgressBar,
  options: { readonly batchSize: number; readonly samples: number; readonly andThen?: (report: R) => void }
): {
  readonly onBatch: (p: { readonly epoch: number; readonly batch: number; readonly batches: number; readonly loss: number }) => void
  readonly onEpoch: (report: R) => void
} => {
  let accuracy: number | undefined
  let sum = { epoch: 0, loss: 0 }
  return {
    onBatch: (p) => {
      sum = p.epoch === sum.epoch ? { epoch: p.epoch, loss: sum.loss + p.loss } : { epoch: p.epoch, loss: p.loss }
      bar.update({
        epoch: p.epoch,
        batch: p.batch,
        batches: p.batches,
        samples: Math.min(p.batch * options.batchSize, options.samples),
        loss: sum.loss / p.batch,
        ...(accuracy === undefined ? {} : { accuracy })
      })
    },
    onEpoch: (report) => {
      accuracy = report.accuracy
      options.andThen?.(report)
    }
  }
}
