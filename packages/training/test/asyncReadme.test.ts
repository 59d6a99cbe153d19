// The READMEs' asynchronous run, as written: the code between the markers below must be,
// character for character, a whole code block of the training README and of the root README.
// Here the page's progress bar and stop button are plain objects, and a timer presses the button.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { markedBlock } from './helpers.js'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
const rootReadme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
const source = readFileSync(fileURLToPath(import.meta.url), 'utf8')

// README: async run, begin
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { addLayer, initialize, network, predict, sigmoid, type Network } from '@purenn/network'
import { trainAsync } from '@purenn/training'

const trainInPage = async (progress: { value: number }, stopButton: { onclick: (() => void) | null }) => {
  const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), initialize('xavier'))(M.rng(0))
  const controller = new AbortController()
  stopButton.onclick = () => controller.abort() // the click is heard between two batches: the page never froze

  const result = await trainAsync({
    trainData: [[0, 0], [0, 1], [1, 0], [1, 1]],
    trainLabels: [[0], [1], [1], [0]],
    numEpochs: 1_000_000,
    learningRate: 0.5,
    signal: controller.signal,
    onEpoch: (report) => void (progress.value = report.epoch) // e.g. a <progress max="1000000"> element
  })(net)

  // stopped: keep what was learnt, the network after the last finished step
  const trained: Network = E.isRight(result) ? result.right.network : result.left._tag === 'Aborted' ? result.left.network : net
  return { result, predictions: [[0, 0], [0, 1], [1, 0], [1, 1]].map((x) => predict(x)(trained).prediction[0]) }
}
// README: async run, end

describe('the README’s async run', () => {
  it('is the code this file runs', () => {
    const code = markedBlock(source, 'async run')
    expect(code.length).toBeGreaterThan(500)
    expect(readme).toContain('```ts\n' + code + '\n```')
    expect(rootReadme).toContain('```ts\n' + code + '\n```')
  })

  it('reports progress while it runs, and the stop button ends it with the network learnt so far', async () => {
    const progress = { value: 0 }
    const stopButton: { onclick: (() => void) | null } = { onclick: null }
    let seen = 0
    const press = setInterval(() => {
      if (progress.value > 2000 && seen === 0) {
        seen = progress.value
        stopButton.onclick?.()
      }
    }, 5)
    try {
      const { result, predictions } = await trainInPage(progress, stopButton)
      expect(E.isLeft(result) && result.left._tag).toBe('Aborted')
      expect(seen).toBeGreaterThan(2000) // the timer ran during the run and saw the progress
      expect(progress.value).toBeLessThan(1_000_000)
      expect(predictions.every((p) => p! > 0 && p! < 1)).toBe(true)
    } finally {
      clearInterval(press)
    }
  })
})
