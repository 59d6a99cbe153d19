// The playground's pure parts, in Node: MNIST-style preprocessing of a drawing, the seeded 2-D
// data sets, the layers field, and the digits asset the build emits.
import { describe, expect, it } from 'vitest'
import { generate, DATASETS_2D } from '../src/datasets.js'
import { toMnist, SIDE } from '../src/preprocess.js'
import { parseLayers, formatLayers } from '../src/settings.js'
import { decodeDigits } from '../src/mnistDigits.js'
import { mnistAsset } from '../scripts/mnistAsset.js'

/** A `w` x `h` image with ink 1 in the rectangle [x0, x1) x [y0, y1). */
const rectangle = (w: number, h: number, x0: number, x1: number, y0: number, y1: number): Float32Array =>
  Float32Array.from({ length: w * h }, (_, k) => (k % w >= x0 && k % w < x1 && Math.floor(k / w) >= y0 && Math.floor(k / w) < y1 ? 1 : 0))

/** The bounding box size and the centre of mass of a 28 x 28 image. */
const shape = (img: ReadonlyArray<number>): { w: number; h: number; cx: number; cy: number } => {
  let [x0, y0, x1, y1, m, mx, my] = [SIDE, SIDE, -1, -1, 0, 0, 0]
  img.forEach((v, k) => {
    const [x, y] = [k % SIDE, Math.floor(k / SIDE)]
    if (v > 0.05) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)]
    m += v
    mx += v * x
    my += v * y
  })
  return { w: x1 - x0 + 1, h: y1 - y0 + 1, cx: mx / m, cy: my / m }
}

describe('toMnist', () => {
  it('fits a tall stroke into the 20 x 20 box, keeping its aspect ratio, centred by its mass', () => {
    const img = toMnist(rectangle(280, 280, 30, 54, 20, 260), 280, 280)!
    expect(img).toHaveLength(784)
    const s = shape(img)
    expect(s.h).toBe(20)
    expect(s.w).toBe(2)
    expect(Math.abs(s.cx - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(s.cy - 14)).toBeLessThanOrEqual(0.5)
    img.forEach((v) => expect(v >= 0 && v <= 1).toBe(true))
  })

  it('scales a small drawing up, and leaves nothing for an empty one', () => {
    const s = shape(toMnist(rectangle(100, 100, 10, 20, 50, 55), 100, 100)!)
    expect([s.w, s.h]).toEqual([20, 10])
    expect(toMnist(new Float32Array(100 * 100), 100, 100)).toBeUndefined()
  })
})

describe('the 2-D data sets', () => {
  it.each(DATASETS_2D)('%s: the same seed gives the same points, another seed others; the split is as asked', (name) => {
    const options = { points: 200, noise: 0.2, testFraction: 0.3, seed: 5 }
    const a = generate(name, options)
    expect(generate(name, options)).toEqual(a)
    expect(generate(name, { ...options, seed: 6 })).not.toEqual(a)
    expect([a.train.length, a.test.length]).toEqual([140, 60])
    const all = [...a.train, ...a.test]
    expect(all.filter((p) => p.label === 1).length).toBeGreaterThan(60)
    all.forEach((p) => expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBeLessThan(2))
  })
})

describe('the layers field', () => {
  it('reads nodes and activations, and names the layer it cannot read', () => {
    expect(parseLayers(' 8 tanh, 4 relu ,2')).toEqual({ layers: [{ nodes: 8, activation: 'tanh' }, { nodes: 4, activation: 'relu' }, { nodes: 2, activation: 'tanh' }] })
    expect(parseLayers('')).toEqual({ layers: [] })
    expect(parseLayers('8 tanh, x')).toEqual({ error: 'layer 2: expected a node count from 1 to 512, got "x"' })
    expect(parseLayers('8 swish')).toEqual({ error: 'layer 1: unknown activation "swish" (one of tanh, relu, sigmoid, leakyRelu, elu, softplus, linear)' })
    expect(formatLayers([{ nodes: 3, activation: 'elu' }])).toBe('3 elu')
  })
})

describe('the MNIST asset', () => {
  it('holds 3,000 training and 500 test digits, the classes taking turns, grey levels in [0, 1]', () => {
    const bytes = mnistAsset()
    const d = decodeDigits(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    expect([d.inputs.length, d.testInputs.length]).toEqual([3000, 500])
    expect(d.labels.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    expect(d.testLabels.filter((l) => l === 3)).toHaveLength(50)
    d.inputs.slice(0, 20).forEach((x) => {
      expect(x).toHaveLength(784)
      x.forEach((v) => expect(v >= 0 && v <= 1).toBe(true))
    })
  })
})
