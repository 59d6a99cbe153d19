// Every example runs here at a reduced size (a few epochs), through its `main`, so that none
// can rot; the full runs are the demo's. The examples import the packages by their public
// names, which vitest points at the sources.
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { loadNetwork } from '@purenn/network/node'
import { epochs } from '@purenn/training'
import { main as xor, dataset as xorData, defaults as xorDefaults, initialNetwork, PLATEAU } from '../xor/main.js'
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

  it('rounds what it shows, and says what the plateau near Error 2 is and when it ends', async () => {
    const { log, lines } = recorder()
    const result = await xor({ modelPath: join(dir, 'xor-explained.json'), log })
    // the predictions: 3 decimals, beside their targets; no 16-digit floats outside the tutorial's Epoch lines
    const shown = lines.filter((l) => l.startsWith('predict(['))
    expect(shown).toEqual(xorData.inputs.map((x, i) => `predict([${x.join(', ')}]) = [${result.predictions[i]!.toFixed(3)}]   target ${xorData.targets[i]![0]}`))
    expect(lines.filter((l) => !l.startsWith('Epoch ') && /\d\.\d{4,}/.test(l))).toEqual([])
    expect(lines).toContain(`the reloaded network predicts exactly the same: [${result.reloaded.map((p) => p.toFixed(3)).join(', ')}]`)
    expect(lines).toContain(`model saved to ${join(dir, 'xor-explained.json')} (the trained network as JSON; loadNetwork reads it back)`)
    // what Error means comes before the first Error line
    const first = lines.findIndex((l) => l.startsWith('Epoch '))
    expect(lines.slice(0, first).some((l) => l.includes("Error is the tutorial's Σ |prediction − target|"))).toBe(true)
    // the plateau note follows the first Error line (Error 1.9999…), once
    expect(lines[first]).toMatch(/^Epoch 10000; Error 1\.99/)
    expect(lines[first + 1]).toMatch(/^ {2}A plateau, not a failure: the network has learnt XOR's average, 0\.5 for every input/)
    expect(lines.filter((l) => l.includes('A plateau, not a failure'))).toHaveLength(1)
    // its end follows the first Error line below the plateau, with the epoch it ended at
    const after = lines.findIndex((l) => /^Epoch \d+; Error (0|1\.[0-8])/.test(l))
    expect(lines[after]).toMatch(/^Epoch 50000; /)
    const end = /^ {2}The hidden units have separated the inputs: the Error left the plateau \(fell below 1\.9\) at epoch (\d+),(\d{3})\.$/.exec(lines[after + 1]!)
    expect(end).not.toBeNull()
    const endEpoch = Number(end![1]! + end![2]!)
    expect(endEpoch).toBeGreaterThan(40_000)
    expect(endEpoch).toBeLessThanOrEqual(50_000)
    expect(result.solved).toBe(true)
  })

  it('the plateau is what the note says: predictions at 0.5, the last hidden layer alike for all inputs, gradients cancelling', () => {
    const inputs = M.transpose(E.getOrElseW(() => M.zeros(2, 4))(M.fromArrays(xorData.inputs)))
    const targets = M.transpose(E.getOrElseW(() => M.zeros(1, 4))(M.fromArrays(xorData.targets)))
    const flat = (g: ReadonlyArray<{ weights: M.Matrix; bias: M.Matrix }>): number[] => g.flatMap((l) => [...l.weights.data, ...l.bias.data])
    const norm = (xs: ReadonlyArray<number>): number => Math.hypot(...xs)
    const look = (net: N.Network) => {
      const outputs = xorData.inputs.map((x) => N.predict(x)(net))
      const lastHidden = outputs.map((o) => Array.from(o.activations[2]!.data))
      const spread = Math.max(...[0, 1].map((k) => Math.max(...lastHidden.map((a) => a[k]!)) - Math.min(...lastHidden.map((a) => a[k]!))))
      // the hidden layers' gradient over the four samples, against the mean size of each sample's own
      const hidden = (i: M.Matrix, t: M.Matrix): number[] => flat(N.gradients(N.mse, i, t)(net).gradients.slice(0, 2))
      const perSample = xorData.inputs.map((x, s) => norm(hidden(M.fromArray(x), M.fromArray(xorData.targets[s]!))))
      const cancelling = norm(hidden(inputs, targets)) / (perSample.reduce((a, b) => a + b, 0) / 4)
      return { predictions: outputs.map((o) => o.prediction[0]!), spread, cancelling }
    }
    const run = epochs({ trainData: xorData.inputs, trainLabels: xorData.targets, numEpochs: 100_000, learningRate: 0.1, seed: xorDefaults.seed })(initialNetwork(xorDefaults.seed))
    if (E.isLeft(run)) throw new Error(run.left.message)
    const at = new Map<number, ReturnType<typeof look>>()
    let leftAt = 0
    for (const item of run.right) {
      if (E.isLeft(item)) throw new Error(item.left.message)
      const { epoch, network, report } = item.right
      if (leftAt === 0 && report.error < PLATEAU) leftAt = epoch
      if (epoch === 20_000 || epoch === 100_000) at.set(epoch, look(network))
    }
    const plateau = at.get(20_000)!
    for (const p of plateau.predictions) expect(Math.abs(p - 0.5)).toBeLessThan(0.01)
    expect(plateau.spread).toBeLessThan(0.05)
    expect(plateau.cancelling).toBeLessThan(0.02)
    const solved = at.get(100_000)!
    expect(solved.spread).toBeGreaterThan(0.5)
    expect(leftAt).toBeGreaterThan(40_000)
    expect(leftAt).toBeLessThan(50_000)
  })

  it('prints no notes and no Error lines when verbose is false', async () => {
    const { log, lines } = recorder()
    await xor({ numEpochs: 50_000, verbose: false, modelPath: join(dir, 'xor-quiet.json'), log })
    expect(lines.filter((l) => l.startsWith('Epoch') || l.includes('Error') || l.includes('plateau'))).toEqual([])
  })

  it('saves the model, loads it back, and the reloaded network predicts the same', async () => {
    const { log, lines } = recorder()
    const modelPath = join(dir, 'xor-short.json')
    const result = await xor({ numEpochs: 500, verbose: false, modelPath, log })
    expect(result.reloaded).toEqual(result.predictions)
    expect(lines.some((l) => l.includes('predicts exactly the same'))).toBe(true)
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
  it('runs the three tasks (MNIST briefly), prints the table, writes the MNIST chart and lists its files', async () => {
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
    // it says first what it will do and where its files go, and lists the files it wrote at the end
    expect(lines[0]).toMatch(/^purenn demo: trains XOR .*, the iris flowers .*, then the MNIST digits$/)
    expect(lines[1]).toBe(`(briefly, --quick); writes two trained models and a chart to ${outDir}`)
    const listed = lines.slice(lines.indexOf('== files written') + 1)
    expect(listed.map((l) => l.split(/\s+/)[0])).toEqual([join(outDir, 'xor.json'), join(outDir, 'mnist.json'), join(outDir, 'mnist-curves.svg'), 'Read'])
    for (const file of listed.slice(0, 3)) expect(existsSync(file.split(/\s+/)[0]!)).toBe(true)
    expect(listed[3]).toContain('loadNetwork(path) from @purenn/network/node')
  })
})
