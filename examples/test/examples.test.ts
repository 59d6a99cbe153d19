// Every example runs here at a reduced size (a few epochs), through its `main`, so that none
// can rot; the full runs are the demo's. The examples import the packages by their public
// names, which vitest points at the sources.
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { loadNetwork } from '@purenn/network/node'
import { main as xor } from '../xor/main.js'
import { main as iris } from '../iris/main.js'
import { main as mnist } from '../mnist/main.js'
import { main as customLoop } from '../custom-loop/main.js'
import { main as demo } from '../demo/main.js'
import { xmlProblems } from './wellFormed.js'

const dir = mkdtempSync(join(tmpdir(), 'purenn-examples-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A log that keeps its lines. */
const recorder = (): { log: (line: string) => void; lines: string[] } => {
  const lines: string[] = []
  return { log: (line) => lines.push(...line.split('\n')), lines }
}

describe('examples/xor', () => {
  // The full walkthrough takes about a second: run it as the tutorial does and check it solves XOR.
  it('solves XOR at full size, printing the error every 10,000 epochs and the four predictions', async () => {
    const { log, lines } = recorder()
    const modelPath = join(dir, 'xor.json')
    const result = await xor({ modelPath, log })
    expect(result.solved).toBe(true)
    expect(result.accuracy).toBe(1)
    expect(lines.filter((l) => /^Epoch \d+; Error \d/.test(l)).map((l) => l.split(';')[0])).toEqual(
      Array.from({ length: 10 }, (_, k) => `Epoch ${10_000 * (k + 1)}`)
    )
    expect(lines.filter((l) => l.startsWith('predict(['))).toHaveLength(4)
    expect(result.task).toBe('xor')
    expect(result.epochs).toBe(100_000)
    expect(result.samplesPerSecond).toBeGreaterThan(0)
  })

  it('saves the model, loads it back, and the reloaded network predicts the same', async () => {
    const { log, lines } = recorder()
    const modelPath = join(dir, 'xor-short.json')
    const result = await xor({ numEpochs: 500, verbose: false, modelPath, log })
    expect(result.reloaded).toEqual(result.predictions)
    expect(lines.some((l) => l.includes('predicts the same'))).toBe(true)
    expect(existsSync(modelPath)).toBe(true)
    expect(lines.some((l) => l.startsWith('Epoch'))).toBe(false)
  })

  it('gives the same predictions on every run (seeded)', async () => {
    const quiet = { numEpochs: 300, verbose: false as const, modelPath: join(dir, 'xor-again.json'), log: () => undefined }
    expect((await xor(quiet)).predictions).toEqual((await xor(quiet)).predictions)
  })
})

describe('examples/iris', () => {
  it('gets at most 2 of the 30 held-out flowers wrong, at full size', async () => {
    const { log, lines } = recorder()
    const result = await iris({ progress: false, log })
    expect(result.wrong).toBeLessThanOrEqual(2)
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(30)
    expect(result.accuracy).toBeCloseTo(1 - result.wrong / 30, 12)
    expect(lines.some((l) => l.includes('held-out flowers wrong'))).toBe(true)
    expect(lines.some((l) => l.includes('virginica'))).toBe(true)
  })
})

describe('examples/mnist', () => {
  it('learns the digits from part of the training set in one epoch, and saves the model', async () => {
    const { log, lines } = recorder()
    const modelPath = join(dir, 'mnist.json')
    const result = await mnist({ numEpochs: 1, trainSamples: 1500, progress: false, modelPath, log })
    expect(result.accuracy).toBeGreaterThan(0.75)
    expect(result.history).toHaveLength(1)
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1996)
    expect(lines.some((l) => l.startsWith('epoch 1/1: loss'))).toBe(true)
    expect(lines.some((l) => l.includes('test digits right'))).toBe(true)
    const loaded = await loadNetwork(modelPath)
    expect(E.isRight(loaded) && loaded.right.layers.map((l) => [l.weights.rows, l.weights.cols])).toEqual([
      [256, 784],
      [10, 256]
    ])
  })
})

describe('examples/custom-loop', () => {
  it('lowers the loss with a hand-written loop, one step per batch', async () => {
    const { log, lines } = recorder()
    const result = await customLoop({ numEpochs: 40, logEvery: 10, log })
    expect(result.finalLoss).toBeLessThan(result.initialLoss / 2)
    expect(result.steps).toBe(40 * Math.ceil(200 / 16))
    expect(lines.filter((l) => /^epoch \d+: mse/.test(l))).toHaveLength(4)
  })
})

describe('examples/demo', () => {
  it('runs the three tasks (MNIST briefly), prints the table and writes the MNIST chart', async () => {
    const { log, lines } = recorder()
    const outDir = join(dir, 'demo')
    const results = await demo({ quick: true, outDir, progress: false, log })
    expect(results.map((r) => r.task)).toEqual(['xor', 'iris', 'mnist'])
    const header = lines.findIndex((l) => l.startsWith('task'))
    expect(lines[header]).toMatch(/^task\s+epochs\s+accuracy\s+wall time\s+samples\/s$/)
    expect(lines.slice(header + 2, header + 5).map((l) => l.split(/\s+/)[0])).toEqual(['xor', 'iris', 'mnist'])
    const svg = readFileSync(join(outDir, 'mnist-curves.svg'), 'utf8')
    expect(xmlProblems(svg)).toEqual([])
    expect(svg.match(/<path /g)).toHaveLength(3)
    expect(existsSync(join(outDir, 'xor.json')) && existsSync(join(outDir, 'mnist.json'))).toBe(true)
  })
})
