// The README's hand-written training loop, run as written: the code between the markers
// below must appear, character for character, in the README's code block.
import { describe, expect, it, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { markedBlock } from './helpers.js'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
const source = readFileSync(fileURLToPath(import.meta.url), 'utf8')

// README: hand-written loop, begin
import * as M from '@purenn/matrix'
import { addLayer, initialize, mse, network, predict, sigmoid } from '@purenn/network'
import {
  adam,
  chain,
  clipByGlobalNorm,
  cosineDecay,
  sampleSet,
  initTrainState,
  join,
  linearWarmup,
  shuffledBatches,
  toColumns,
  trainStep
} from '@purenn/training'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'

const handWrittenLoop = () => {
  const rows = [[0, 0], [0, 1], [1, 0], [1, 1]]
  const labels = [[0], [1], [1], [0]]
  const columns = (r: number[][]) => pipe(toColumns(r), E.getOrElseW((e) => { throw new Error(e.message) }))
  const data = sampleSet(columns(rows), columns(labels))

  // 2,000 epochs of 2 batches: warm up for 200 steps, then a cosine decay over the other 3,800
  const learningRate = join([linearWarmup({ to: 0.05, steps: 200 }), cosineDecay({ init: 0.05, steps: 3800 })], [200])
  const optimizer = chain(clipByGlobalNorm(1), adam({ learningRate }))
  const step = trainStep(mse, optimizer)

  const [net, rng] = pipe(
    network(2),
    addLayer({ nodes: 4, activation: sigmoid }),
    addLayer({ nodes: 1, activation: sigmoid }),
    initialize('xavier')
  )(M.rng(0))

  let state = initTrainState(optimizer, net, rng)
  for (let epoch = 1; epoch <= 2000; epoch++) {
    const [batches, next] = shuffledBatches(data, 2)(state.rng)
    state = pipe(batches, RA.reduce({ ...state, rng: next }, step))
    if (epoch % 500 === 0) console.log(`Epoch ${epoch}; Loss ${state.loss}`)
  }
  return rows.map((x) => predict(x)(state.network).prediction[0]) // ≈ [0, 1, 1, 0]
}
// README: hand-written loop, end

describe('the README', () => {
  it('shows the hand-written loop this file runs', () => {
    const code = markedBlock(source, 'hand-written loop')
    expect(code.length).toBeGreaterThan(500)
    expect(readme).toContain(code)
  })

  it('whose loop learns XOR', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    try {
      const [a, b, c, d] = handWrittenLoop()
      expect(log).toHaveBeenCalledTimes(4)
      expect([a! < 0.1, b! > 0.9, c! > 0.9, d! < 0.1]).toEqual([true, true, true, true])
    } finally {
      log.mockRestore()
    }
  })
})
