// examples/interop: trains, exports both ways, runs the ONNX model in ONNX Runtime.
import { afterAll, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../interop/main.js'

const dir = mkdtempSync(join(tmpdir(), 'purenn-example-interop-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('learns XOR, and ONNX Runtime and the TensorFlow.js files agree with purenn', async () => {
  const lines: string[] = []
  const result = await main(dir, (line) => lines.push(line))
  expect(result.predictions.map((y, i) => Math.abs(y - [0, 1, 1, 0][i]!) < 0.2)).toEqual([true, true, true, true])
  expect(result.onnxMaxDifference).toBeLessThanOrEqual(1e-12)
  expect(result.tfjsMaxDifference).toBeLessThanOrEqual(1e-5)
  expect(existsSync(join(dir, 'xor.onnx'))).toBe(true)
  expect(existsSync(join(dir, 'xor-tfjs', 'model.json'))).toBe(true)
  expect(lines[1]).toMatch(/^ONNX Runtime: /)
})
