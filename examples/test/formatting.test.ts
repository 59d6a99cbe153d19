import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Writable } from 'node:stream'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resultsTable } from '../shared/resultsTable.js'
import { formatConfusion } from '../shared/confusion.js'
import { lossChart, stretch } from '../shared/terminalChart.js'
import { progressBar, progressText } from '../shared/progress.js'
import { isMain } from '../shared/isMain.js'
import * as paths from '../shared/paths.js'
import { numberArg } from '../shared/args.js'

describe('the results table', () => {
  const table = resultsTable([
    { task: 'xor', epochs: 100000, accuracy: 1, ms: 2345, samplesPerSecond: 170575.4 },
    { task: 'iris', epochs: 200, accuracy: 29 / 30, ms: 640, samplesPerSecond: 37500 },
    { task: 'mnist', epochs: 20, accuracy: 0.96237, ms: 91234, samplesPerSecond: 1754.6 }
  ])
  const lines = table.split('\n')

  it('has a header, a rule and one row per task, in aligned columns', () => {
    expect(lines).toEqual([
      'task    epochs  accuracy  wall time  samples/s',
      '-----  -------  --------  ---------  ---------',
      'xor    100,000   100.00%      2.3 s    170,575',
      'iris       200    96.67%     640 ms     37,500',
      'mnist       20    96.24%     91.2 s      1,755'
    ])
  })

  it('prints just the header for no results', () => {
    expect(resultsTable([]).split('\n')).toEqual(['task  epochs  accuracy  wall time  samples/s', '----  ------  --------  ---------  ---------'])
  })
})

describe('confusion matrices as text', () => {
  it('lays out as a table with the class names', () => {
    expect(formatConfusion([[1, 1], [0, 12]], ['a', 'b']).split('\n')).toEqual([
      'true \\ predicted   a   b',
      '               a   1   1',
      '               b   0  12'
    ])
  })
})

describe('the terminal loss chart', () => {
  it('stretches a series by linear interpolation, keeping its ends', () => {
    expect(stretch([0, 1], 5)).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(stretch([3], 4)).toEqual([3, 3, 3, 3])
    expect(stretch([], 4)).toEqual([])
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 30 }), fc.integer({ min: 2, max: 80 }), (xs, w) => {
        const ys = stretch(xs, w)
        expect(ys).toHaveLength(w)
        expect(ys[0] === xs[0]).toBe(true) // numerically equal: -0 may come back as 0
        expect(ys[w - 1]).toBeCloseTo(xs[xs.length - 1]!, 9)
        expect(Math.max(...ys)).toBeLessThanOrEqual(Math.max(...xs) + 1e-9)
        expect(Math.min(...ys)).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-9)
      })
    )
  })

  it('draws the loss with its values on the axis and a caption', () => {
    const chart = lossChart([2.3, 0.6, 0.4, 0.3], { height: 8, width: 40 })
    const lines = chart.split('\n')
    expect(lines).toHaveLength(9 + 1)
    expect(lines[0]).toContain('2.3000')
    expect(lines[8]).toContain('0.3000')
    expect(lines[9]).toContain('loss per epoch, epochs 1 to 4')
    expect(lossChart([])).toBe('')
  })
})

/** A writable stream that keeps what it is given, posing as a terminal or not. */
const capture = (isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } => {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk))
      done()
    }
  })
  return Object.assign(stream, { isTTY, columns: 160, text: () => chunks.join('') })
}

describe('the progress bar', () => {
  it('formats epoch, batch, loss, accuracy and samples per second', () => {
    expect(progressText(10, { epoch: 2, batch: 50, batches: 250, samples: 1600, loss: 0.21314, accuracy: 0.934 }, 8123.4)).toBe(
      'epoch 2/10 | batch 50/250 | loss 0.2131 | acc 93.40% | 8123 samples/s'
    )
    expect(progressText(3, { epoch: 1, batch: 1, batches: 4, samples: 8, loss: 2 }, 0)).toContain('acc -')
  })

  it('draws on a terminal, measuring samples per second from the clock it is given', () => {
    const stream = capture(true)
    let clock = 0
    const bar = progressBar({ task: 'mnist', epochs: 3, stream, now: () => clock })
    clock = 500
    bar.update({ epoch: 1, batch: 1, batches: 2, samples: 100, loss: 2.5 })
    clock = 1000
    bar.update({ epoch: 1, batch: 2, batches: 2, samples: 200, loss: 1.5, accuracy: 0.8 })
    bar.stop()
    const text = stream.text()
    expect(text).toContain('mnist [')
    expect(text).toContain('epoch 1/3 | batch 2/2 | loss 1.5000 | acc 80.00% | 200 samples/s')
    expect(text).toContain('33%')
  })

  it('prints nothing when the stream is not a terminal', () => {
    const stream = capture(false)
    const bar = progressBar({ task: 'mnist', epochs: 3, stream })
    bar.update({ epoch: 1, batch: 1, batches: 2, samples: 100, loss: 2.5 })
    bar.stop()
    expect(stream.text()).toBe('')
  })
})

describe('isMain', () => {
  it('is false for a module that was imported, not run', () => {
    expect(isMain(import.meta.url)).toBe(false)
  })
})

describe('paths', () => {
  it('finds the examples directory and puts outputs under examples/out', () => {
    const { examplesDir, outPath } = paths
    const manifest = JSON.parse(readFileSync(join(examplesDir, 'package.json'), 'utf8')) as { name: string }
    expect(manifest.name).toBe('@purenn/examples')
    expect(outPath('x.svg')).toBe(join(examplesDir, 'out', 'x.svg'))
  })
})

describe('command-line options', () => {
  it('reads the number after --name, and refuses anything else', () => {
    expect(numberArg(['node', 'main.js', '--seed', '2'], 'seed')).toBe(2)
    expect(numberArg(['--epochs', '5', '--seed', '7'], 'seed')).toBe(7)
    expect(numberArg(['node', 'main.js'], 'seed')).toBeUndefined()
    expect(() => numberArg(['--seed', 'two'], 'seed')).toThrow('--seed: expected a number, got "two"')
    expect(() => numberArg(['--seed'], 'seed')).toThrow('--seed: expected a number, got nothing')
  })
})
