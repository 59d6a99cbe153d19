/**
 * The demo's results table: one row per task with its epochs, test accuracy, wall time and
 * throughput, laid out in aligned columns of plain text.
 *
 * @since 0.1.0
 */

/**
 * What one example reports when it is done.
 *
 * @category model
 * @since 0.1.0
 */
export interface TaskResult {
  /** The task's name, e.g. `mnist`. */
  readonly task: string
  /** Epochs trained. */
  readonly epochs: number
  /** Accuracy on held-out data, in [0, 1]. */
  readonly accuracy: number
  /** Wall time of the training, in milliseconds. */
  readonly ms: number
  /** Training samples processed per second (samples x epochs / seconds). */
  readonly samplesPerSecond: number
}

const HEADER = ['task', 'epochs', 'accuracy', 'wall time', 'samples/s'] as const

/** Thousands separated by commas, so large figures read at a glance. */
const grouped = (x: number): string => Math.round(x).toLocaleString('en-US')

/** A duration: milliseconds below one second, then seconds with one decimal. */
const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

/**
 * Formats results as a table: a header, a rule, then one row per result; text columns are
 * aligned left and figures right.
 *
 * @example
 * import { resultsTable } from './resultsTable.js'
 * resultsTable([{ task: 'xor', epochs: 100000, accuracy: 1, ms: 2345, samplesPerSecond: 170575 }])
 * // task  epochs   accuracy  wall time  samples/s
 * // ----  -------  --------  ---------  ---------
 * // xor   100,000   100.00%      2.3 s    170,575
 *
 * @category formatting
 * @since 0.1.0
 */
export const resultsTable = (results: ReadonlyArray<TaskResult>): string => {
  const rows = results.map((r) => [r.task, grouped(r.epochs), `${(100 * r.accuracy).toFixed(2)}%`, duration(r.ms), grouped(r.samplesPerSecond)])
  const widths = HEADER.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j]!.length)))
  // The first column holds text and is padded on the right; the figures on the left.
  const line = (cells: ReadonlyArray<string>): string =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd()
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
