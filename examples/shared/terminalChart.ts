/**
 * A loss curve drawn in the terminal with asciichart: box-drawing characters, the values on
 * the left axis. A short series is stretched (by linear interpolation) to the chart's width,
 * so that twenty epochs still read as a curve.
 *
 * @since 0.1.0
 */
/// <reference path="./types/asciichart.d.ts" />
import { plot } from 'asciichart'

/**
 * `values` resampled at `width` evenly spaced points by linear interpolation, first and last
 * kept. A single value is repeated; no values give none.
 *
 * @example
 * import { stretch } from './terminalChart.js'
 * stretch([0, 1], 5) // [0, 0.25, 0.5, 0.75, 1]
 *
 * @category formatting
 * @since 0.1.0
 */
export const stretch = (values: ReadonlyArray<number>, width: number): number[] => {
  if (values.length <= 1 || width < 2) return values.length === 0 ? [] : Array.from({ length: Math.max(1, width) }, () => values[0]!)
  return Array.from({ length: width }, (_, k) => {
    // Position of column k on the original index scale 0 .. n - 1.
    const t = (k * (values.length - 1)) / (width - 1)
    const i = Math.min(Math.floor(t), values.length - 2)
    return values[i]! + (t - i) * (values[i + 1]! - values[i]!)
  })
}

/**
 * A chart of the loss per epoch, `height` rows tall and `width` columns wide, with a caption
 * under it. Empty when there are no values.
 *
 * @example
 * import { lossChart } from './terminalChart.js'
 * console.log(lossChart([2.3, 0.6, 0.4, 0.3], { height: 8, width: 40 }))
 *
 * @category formatting
 * @since 0.1.0
 */
export const lossChart = (values: ReadonlyArray<number>, options: { readonly height?: number; readonly width?: number } = {}): string => {
  const finite = values.filter(Number.isFinite)
  if (finite.length === 0) return ''
  const series = stretch(finite, options.width ?? 60)
  const chart = plot(series, { height: options.height ?? 10, format: (x) => x.toFixed(4).padStart(9) })
  return `${chart}\n${' '.repeat(12)}loss per epoch, epochs 1 to ${finite.length}`
}
