import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { escapeXml, lineChartSvg, niceTicks, type Chart } from '../shared/svgChart.js'
import { xmlProblems } from './wellFormed.js'

const curves = (loss: ReadonlyArray<number>, accuracy: ReadonlyArray<number>): Chart => ({
  title: 'MNIST 784-128-10 <relu> & adam',
  xLabel: 'epoch',
  panels: [
    { title: 'Loss', yLabel: 'cross-entropy', series: [{ name: 'train', values: loss }, { name: 'test "held out"', values: loss.map((l) => l * 1.1) }] },
    { title: 'Accuracy', yLabel: 'accuracy', formatY: (y) => `${(100 * y).toFixed(0)}%`, series: [{ name: 'test', values: accuracy }] }
  ]
})

/** The `d` attributes of the chart's paths, parsed into points. */
const paths = (svg: string): Array<Array<[number, number]>> =>
  [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => [...m[1]!.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]))

describe('the well-formedness checker', () => {
  it('accepts well-formed XML and finds what is wrong with the rest', () => {
    expect(xmlProblems('<svg a="1"><g><text>a &amp; b</text></g><path d="M0,0"/></svg>')).toEqual([])
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([])
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([])
    expect(xmlProblems('<svg a=1></svg>')).not.toEqual([])
    expect(xmlProblems('<svg a="1" a="2"></svg>')).not.toEqual([])
    expect(xmlProblems('<svg></svg><svg></svg>')).not.toEqual([])
  })
})

describe('SVG line charts', () => {
  const svg = lineChartSvg(curves([2.3, 0.6, 0.4, 0.31, 0.25], [0.88, 0.93, 0.95, 0.955, 0.962]))

  it('is a well-formed standalone SVG document', () => {
    expect(xmlProblems(svg)).toEqual([])
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="960" height="400" viewBox="0 0 960 400"/)
  })

  it('escapes the text it is given', () => {
    expect(svg).toContain('MNIST 784-128-10 &lt;relu&gt; &amp; adam')
    expect(svg).toContain('test &quot;held out&quot;')
    expect(escapeXml(`<a href='x'>&</a>`)).toBe('&lt;a href=&apos;x&apos;&gt;&amp;&lt;/a&gt;')
  })

  it('draws one line per series with one point per value, left to right', () => {
    const lines = paths(svg)
    expect(lines.map((l) => l.length)).toEqual([5, 5, 5])
    for (const line of lines) for (let i = 1; i < line.length; i++) expect(line[i]![0]).toBeGreaterThan(line[i - 1]![0])
  })

  it('puts larger values higher up (smaller y) and labels the axes', () => {
    const [loss] = paths(svg)
    expect(loss![0]![1]).toBeLessThan(loss![4]![1])
    expect(svg).toContain('>cross-entropy</text>')
    expect(svg).toContain('>epoch</text>')
    expect(svg).toContain('>96%</text>')
    expect(svg).toContain('<title>')
  })

  it('stays well formed for any series: empty, one point, gaps, huge or tiny values', () => {
    const value = fc.oneof(fc.double({ noNaN: false }), fc.constant(Number.NaN), fc.double({ min: 0, max: 1, noNaN: true }))
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), fc.array(value, { maxLength: 40 }), (loss, accuracy) => {
        const out = lineChartSvg(curves(loss, accuracy))
        expect(xmlProblems(out)).toEqual([])
        expect(out).not.toMatch(/NaN|Infinity/)
      })
    )
  })

  it('breaks a line where a value is missing', () => {
    const [loss] = [...lineChartSvg(curves([1, 0.5, Number.NaN, 0.3, 0.2], [])).matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!)
    expect(loss!.match(/M/g)).toHaveLength(2)
    expect(loss!.match(/L/g)).toHaveLength(2)
  })
})

describe('nice ticks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0.13, 2.31, 5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5])
    expect(niceTicks(0.88, 0.962, 5)).toEqual([0.88, 0.9, 0.92, 0.94, 0.96, 0.98])
    expect(niceTicks(3, 3, 5)).toEqual([0, 2, 4, 6])
    expect(niceTicks(0, 0, 5)).toEqual([-1, -0.5, 0, 0.5, 1])
  })

  it('always covers [lo, hi] with evenly spaced steps of 1, 2 or 5 times a power of ten', () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true })
    fc.assert(
      fc.property(finite, finite, fc.integer({ min: 1, max: 10 }), (a, b, count) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const ticks = niceTicks(lo, hi, count)
        const step = ticks[1]! - ticks[0]!
        // Covered up to rounding: the ticks are rounded to 12 significant digits for display.
        expect(ticks[0]!).toBeLessThanOrEqual(lo + 1e-6 * step)
        expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(hi - 1e-6 * step)
        expect(ticks.length).toBeLessThanOrEqual(3 * count + 3)
        const mantissa = step / 10 ** Math.floor(Math.log10(step))
        expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true)
        for (let k = 1; k < ticks.length; k++) expect(ticks[k]! - ticks[k - 1]!).toBeCloseTo(step, 6)
      })
    )
  })
})

describe('colours and ticks', () => {
  it('uses the colour a series asks for, and labels the first epoch', () => {
    const svg = lineChartSvg({
      title: 't',
      xLabel: 'epoch',
      panels: [{ title: 'p', yLabel: 'y', series: [{ name: 'a', color: '#123456', values: [3, 2, 1, 0.5, 0.4, 0.3, 0.2] }] }]
    })
    expect(svg).toContain('stroke="#123456"')
    expect(svg).toMatch(/>1<\/text>/)
    expect(svg).toMatch(/>5<\/text>/)
  })
})
