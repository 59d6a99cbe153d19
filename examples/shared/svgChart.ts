/**
 * Line charts as SVG text: a pure function from series to a string, with nothing drawn by
 * a browser or a library. A chart is one or more panels side by side (loss on the left,
 * accuracy on the right, say), each with its own axes, grid, tick labels, axis titles and a
 * legend, sharing the horizontal axis (epochs). Writing the file is the caller's business.
 *
 * @since 0.1.0
 */

/**
 * One line: a name for the legend and one value per point, at x = 1, 2, ... (epochs).
 * Values that are not finite (or beyond ±1e300, too large to scale) leave a gap.
 *
 * @category model
 * @since 0.1.0
 */
export interface Series {
  readonly name: string
  readonly values: ReadonlyArray<number>
  /** A CSS colour (default: the panel's next colour), to keep one meaning one colour across panels. */
  readonly color?: string
}

/**
 * One panel: a title, the label of its vertical axis, its lines and how to print a value
 * on the vertical axis (default: up to 4 significant digits).
 *
 * @category model
 * @since 0.1.0
 */
export interface Panel {
  readonly title: string
  readonly yLabel: string
  readonly series: ReadonlyArray<Series>
  readonly formatY?: (y: number) => string
}

/**
 * A chart: a title, the label of the shared horizontal axis, the panels, and the size in
 * pixels (default 960 x 400).
 *
 * @category model
 * @since 0.1.0
 */
export interface Chart {
  readonly title: string
  readonly xLabel: string
  readonly panels: ReadonlyArray<Panel>
  readonly width?: number
  readonly height?: number
}

/** Default line colours, one per series in a panel (colour-blind-safe, from Okabe and Ito). */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9']

/**
 * Escapes text for an SVG element or attribute: `&`, `<`, `>`, `"` and `'`.
 *
 * @example
 * import { escapeXml } from './svgChart.js'
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 *
 * @category formatting
 * @since 0.1.0
 */
export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/**
 * Round tick values covering `[lo, hi]`: a step of 1, 2 or 5 times a power of ten chosen so
 * that there are about `count` intervals, from a multiple of the step at or below `lo` to
 * one at or above `hi`. An empty range is widened to `[lo − |lo|, lo + |lo|]` (`[−1, 1]` at 0).
 *
 * @example
 * import { niceTicks } from './svgChart.js'
 * niceTicks(0.13, 2.31, 5) // [0, 0.5, 1, 1.5, 2, 2.5]
 *
 * @category scales
 * @since 0.1.0
 */
export const niceTicks = (lo: number, hi: number, count: number): number[] => {
  // A range too narrow to label (empty, or below a millionth of its magnitude) is widened
  // around `lo` by |lo|, or by 1 when lo is (almost) 0.
  const degenerate = !(hi - lo > 1e-6 * Math.max(Math.abs(lo), Math.abs(hi)) && hi - lo > 1e-100)
  const half = Math.abs(lo) > 1e-100 ? Math.abs(lo) : 1
  const [a, b] = degenerate ? [lo - half, lo + half] : [lo, hi]
  const rough = (b - a) / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power
  const first = Math.floor(a / step + 1e-9)
  const last = Math.ceil(b / step - 1e-9)
  // Multiply an integer by the step (rather than adding steps) so the labels stay round.
  return Array.from({ length: last - first + 1 }, (_, k) => Number(((first + k) * step).toPrecision(12)))
}

/** Whether a value can be drawn: finite and small enough that scaling it cannot overflow. */
const plottable = (v: number): boolean => Number.isFinite(v) && Math.abs(v) <= 1e300

/** A number as SVG prints it: at most 2 decimals. */
const n = (x: number): string => String(Math.round(x * 100) / 100)

const defaultFormat = (y: number): string => String(Number(y.toPrecision(4)))

/** The SVG of one panel, drawn in a box of `w x h` at `(x0, y0)`. */
const panelSvg = (panel: Panel, xLabel: string, x0: number, y0: number, w: number, h: number): string => {
  const format = panel.formatY ?? defaultFormat
  // The plot area inside the panel, leaving room for the tick labels and the axis titles.
  const left = x0 + 64
  const right = x0 + w - 12
  const top = y0 + 30
  const bottom = y0 + h - 48
  const points = Math.max(2, ...panel.series.map((s) => s.values.length))
  const finite = panel.series.flatMap((s) => s.values.filter(plottable))
  const yTicks = niceTicks(finite.length > 0 ? Math.min(...finite) : 0, finite.length > 0 ? Math.max(...finite) : 1, 5)
  const yMin = yTicks[0]!
  const yMax = yTicks[yTicks.length - 1]!
  // Round ticks, and the first point (epoch 1) always labelled too.
  const xTicks = [1, ...niceTicks(1, points, 8).filter((t) => t > 1 && t <= points && Number.isInteger(t))]
  // Linear maps from data to pixels: x = 1 at the left edge, x = points at the right.
  const px = (x: number): number => left + ((x - 1) / (points - 1)) * (right - left)
  const py = (y: number): number => bottom - ((y - yMin) / (yMax - yMin)) * (bottom - top)

  const grid = yTicks.map(
    (t) =>
      `<line x1="${n(left)}" y1="${n(py(t))}" x2="${n(right)}" y2="${n(py(t))}" stroke="#e5e5e5"/>` +
      `<text x="${n(left - 6)}" y="${n(py(t) + 4)}" text-anchor="end">${escapeXml(format(t))}</text>`
  )
  const xAxisTicks = xTicks.map(
    (t) =>
      `<line x1="${n(px(t))}" y1="${n(bottom)}" x2="${n(px(t))}" y2="${n(bottom + 5)}" stroke="#333"/>` +
      `<text x="${n(px(t))}" y="${n(bottom + 18)}" text-anchor="middle">${t}</text>`
  )
  // The legend goes in the right-hand corner the lines end farthest from: top right for a
  // falling loss, bottom right for a rising accuracy.
  const ends = panel.series.map((s) => s.values[s.values.length - 1]!).filter(plottable)
  const endHigh = ends.length > 0 && ends.reduce((a, v) => a + py(v), 0) / ends.length < (top + bottom) / 2
  const legendTop = endHigh ? bottom - 16 * panel.series.length : top + 8
  const lines = panel.series.map((s, k) => {
    const color = escapeXml(s.color ?? COLORS[k % COLORS.length]!)
    // Start a new sub-path after each gap, so a missing value breaks the line.
    const d = s.values
      .map((v, i) => (plottable(v) ? `${i === 0 || !plottable(s.values[i - 1]!) ? 'M' : 'L'}${n(px(i + 1))},${n(py(v))}` : ''))
      .filter((c) => c !== '')
      .join(' ')
    const legendY = legendTop + 16 * k
    return (
      (d === '' ? '' : `<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`) +
      `<line x1="${n(right - 130)}" y1="${n(legendY)}" x2="${n(right - 110)}" y2="${n(legendY)}" stroke="${color}" stroke-width="2"/>` +
      `<text x="${n(right - 104)}" y="${n(legendY + 4)}">${escapeXml(s.name)}</text>`
    )
  })
  return [
    `<g class="panel">`,
    `<text x="${n((left + right) / 2)}" y="${n(y0 + 18)}" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`,
    ...grid,
    `<line x1="${n(left)}" y1="${n(top)}" x2="${n(left)}" y2="${n(bottom)}" stroke="#333"/>`,
    `<line x1="${n(left)}" y1="${n(bottom)}" x2="${n(right)}" y2="${n(bottom)}" stroke="#333"/>`,
    ...xAxisTicks,
    `<text x="${n((left + right) / 2)}" y="${n(bottom + 38)}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(${n(x0 + 16)},${n((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
    ...lines,
    `</g>`
  ].join('\n')
}

/**
 * Draws a chart as a standalone SVG document: the title on top, then the panels side by
 * side, each scaled to its own data (round ticks from {@link niceTicks}), x from 1 to the
 * longest series.
 *
 * @example
 * import { lineChartSvg } from './svgChart.js'
 * const svg = lineChartSvg({
 *   title: 'MNIST',
 *   xLabel: 'epoch',
 *   panels: [
 *     { title: 'Loss', yLabel: 'cross-entropy', series: [{ name: 'train', values: [0.9, 0.4, 0.3] }] },
 *     { title: 'Accuracy', yLabel: 'accuracy', series: [{ name: 'test', values: [0.9, 0.94, 0.95] }] }
 *   ]
 * })
 * svg.startsWith('<svg') // true
 *
 * @category constructors
 * @since 0.1.0
 */
export const lineChartSvg = (chart: Chart): string => {
  const width = chart.width ?? 960
  const height = chart.height ?? 400
  const panelWidth = width / Math.max(1, chart.panels.length)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${n(width / 2)}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
    ...chart.panels.map((panel, k) => panelSvg(panel, chart.xLabel, k * panelWidth, 28, panelWidth, height - 28)),
    `</svg>`,
    ''
  ].join('\n')
}
