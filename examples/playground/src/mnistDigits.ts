/**
 * The MNIST digits the page trains on, fetched from the asset the build made from the `mnist`
 * package (see scripts/mnistAsset.ts for its layout): a few thousand training digits and a few
 * hundred held-out ones, grey levels in [0, 1].
 */
import type { TaskData } from './protocol.js'

export const MNIST_URL = './mnist-digits.bin'
const PIXELS = 28 * 28

/** Decodes the asset's bytes into training and test digits with their labels. */
export const decodeDigits = (buffer: ArrayBuffer): TaskData => {
  const view = new DataView(buffer)
  const [train, test] = [view.getUint32(0, true), view.getUint32(4, true)]
  const bytes = new Uint8Array(buffer, 8)
  if (bytes.length !== (train + test) * (1 + PIXELS)) throw new Error(`${MNIST_URL}: expected ${(train + test) * (1 + PIXELS)} bytes of digits, got ${bytes.length}`)
  const record = (k: number): { readonly label: number; readonly pixels: number[] } => {
    const at = k * (1 + PIXELS)
    return { label: bytes[at]!, pixels: Array.from(bytes.subarray(at + 1, at + 1 + PIXELS), (b) => b / 255) }
  }
  const part = (from: number, count: number) => Array.from({ length: count }, (_, k) => record(from + k))
  const [trainPart, testPart] = [part(0, train), part(train, test)]
  return {
    inputs: trainPart.map((r) => r.pixels),
    labels: trainPart.map((r) => r.label),
    testInputs: testPart.map((r) => r.pixels),
    testLabels: testPart.map((r) => r.label),
    classes: 10
  }
}

/** Fetches and decodes the digits (from the page's own server: nothing leaves the page). */
export const loadDigits = async (): Promise<TaskData> => {
  const response = await fetch(MNIST_URL)
  if (!response.ok) throw new Error(`${MNIST_URL}: ${response.status} ${response.statusText}`)
  return decodeDigits(await response.arrayBuffer())
}
