/**
 * Types for the function of the `asciichart` package (1.5, plain JavaScript, no types of
 * its own) that the examples call: `plot`, which draws one or more series as a line chart
 * of box-drawing characters.
 */
declare module 'asciichart' {
  /** Options of `plot`; every one is optional. */
  interface PlotConfig {
    /** Rows of the chart (its height in lines, not counting the last). */
    readonly height?: number
    /** Lower and upper ends of the vertical axis (default: the series' own range). */
    readonly min?: number
    readonly max?: number
    /** Columns between the axis labels and the chart. */
    readonly offset?: number
    /** Padding string for the labels. */
    readonly padding?: string
    /** ANSI colour codes, one per series. */
    readonly colors?: ReadonlyArray<string>
    /** Formats an axis label. */
    readonly format?: (x: number, i: number) => string
  }
  /** Draws one series (or several) and returns the chart as lines joined by newlines. */
  export function plot(series: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>, config?: PlotConfig): string
  export const blue: string
  export const green: string
  export const red: string
  export const yellow: string
  export const magenta: string
  export const cyan: string
  export const reset: string
}
