// The README's quick start is code a newcomer copies first: this test runs exactly that block
// (with the model file redirected to a temporary directory) and checks what it promises.
import { afterAll, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const readme = readFileSync(resolve(here, '../README.md'), 'utf8')
const dir = mkdtempSync(join(tmpdir(), 'purenn-readme-'))
const script = resolve(here, `.tmp-readme-quickstart-${process.pid}.ts`)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(script, { force: true })
})

/** The first ```ts block after a heading. */
const blockAfter = (heading: string): string => {
  const start = readme.indexOf(heading)
  expect(start).toBeGreaterThanOrEqual(0)
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(start))
  expect(match).not.toBeNull()
  return match![1]!
}

it('the quick start trains XOR, predicts, saves and loads as it says', async () => {
  const model = join(dir, 'xor.json')
  const code = blockAfter('## Quick start').replaceAll("'xor.json'", JSON.stringify(model))
  writeFileSync(script, `${code}\nexport {}\n`)
  const lines: unknown[][] = []
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args)
  })
  try {
    await import(script)
  } finally {
    spy.mockRestore()
  }
  // verbose: 2_000 prints the tutorial's line every 2,000 epochs
  const epochs = lines.filter((l) => typeof l[0] === 'string' && /^Epoch \d+; Error \d/.test(l[0]))
  expect(epochs.map((l) => (l[0] as string).split(';')[0])).toEqual(['Epoch 2000', 'Epoch 4000', 'Epoch 6000', 'Epoch 8000', 'Epoch 10000'])
  const predictions = lines.find((l) => Array.isArray(l[0]) && l[0].length === 4)?.[0] as string[]
  expect(predictions.map(Number).map((p, i) => Math.abs(p - [0, 1, 1, 0][i]!) < 0.2)).toEqual([true, true, true, true])
  expect(existsSync(model)).toBe(true)
  const reloaded = lines.at(-1)?.[0] as number[]
  expect(reloaded[0]!.toFixed(3)).toBe(predictions[1])
})
