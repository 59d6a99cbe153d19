// The exporters answer with an `Either` (API.md): a value handed to them that is not a network
// (or options that are not an object) is a `Left` of `Invalid` naming where, never a throw
// from deep inside, and nothing is written by the Node entry's savers.
import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as M from '@purenn/matrix'
import { toOnnx, toTfjs, type InteropError } from '@purenn/interop'
import { saveOnnx, saveTfjs } from '@purenn/interop/node'
import { sigmoid, type Network } from '@purenn/network'
import { seededNetwork } from './helpers.js'

const good = seededNetwork(3, [3, 4, 2], [sigmoid])
const layer = good.layers[0]!

/** Values that are not networks, with the path the `Left` names. */
const notNetworks: ReadonlyArray<readonly [unknown, string]> = [
  [null, ''],
  [undefined, ''],
  [7, ''],
  [{}, 'inputSize'],
  [{ inputSize: 0, layers: [] }, 'inputSize'],
  [{ inputSize: 3 }, 'layers'],
  [{ inputSize: 3, layers: [null] }, 'layers[0]'],
  [{ inputSize: 3, layers: [{ ...layer, weights: [[1, 2, 3]] }] }, 'layers[0].weights'],
  [{ inputSize: 2, layers: [layer] }, 'layers[0].weights'],
  [{ inputSize: 3, layers: [{ ...layer, bias: M.zeros(3, 1) }] }, 'layers[0].bias'],
  [{ inputSize: 3, layers: [{ ...layer, activation: undefined }] }, 'layers[0].activation'],
  [{ ...good, layers: [good.layers[0]!, { ...good.layers[1]!, weights: M.zeros(2, 3) }] }, 'layers[1].weights']
]

describe('toOnnx and toTfjs given a value that is not a network', () => {
  const exporters: ReadonlyArray<readonly [string, (u: unknown) => E.Either<InteropError, unknown>]> = [
    ['toOnnx', (u) => toOnnx(u as Network)],
    ['toTfjs', (u) => toTfjs(u as Network)]
  ]
  for (const [name, exporter] of exporters)
    it(`${name} answers a Left of Invalid naming where`, () => {
      for (const [u, path] of notNetworks) {
        const r = exporter(u)
        expect(E.isLeft(r)).toBe(true)
        if (E.isLeft(r)) {
          expect(r.left._tag).toBe('Invalid')
          expect(r.left.path).toBe(path)
          expect(r.left.message.startsWith(path === '' ? 'model: ' : `${path}: `)).toBe(true)
        }
      }
      expect(E.isRight(exporter(good))).toBe(true)
    })

  it('toOnnx refuses options that are not an object', () => {
    for (const options of [null, 3, 'float32']) {
      const r = toOnnx(good, options as never)
      expect(r).toEqual(E.left({ _tag: 'Invalid', path: 'options', message: `options: expected an object, got ${M.describeValue(options)}` }))
    }
  })
})

describe('the savers given a value that is not a network', () => {
  it('answer the Left and write nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'purenn-export-args-'))
    try {
      const onnx = await saveOnnx(join(dir, 'model.onnx'), {} as Network)
      expect(E.isLeft(onnx) && onnx.left._tag).toBe('Invalid')
      const tfjs = await saveTfjs(join(dir, 'tfjs'), null as unknown as Network)
      expect(E.isLeft(tfjs) && tfjs.left._tag).toBe('Invalid')
      expect(existsSync(join(dir, 'model.onnx'))).toBe(false)
      expect(existsSync(join(dir, 'tfjs', 'model.json'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
