/**
 * The 2-D data sets of the TensorFlow Playground: XOR, circles, two spirals and two Gaussian
 * clusters, in the square [-1, 1]², labelled 0 or 1, from a seeded generator (the same seed
 * and settings always give the same points), and their split into training and test points.
 */
import { permutation, rng, type Rng } from '@purenn/matrix'
import { gaussian, many, uniformIn, type Draw } from './random.js'

export type Dataset2D = 'xor' | 'circle' | 'spiral' | 'gauss'
export const DATASETS_2D: ReadonlyArray<Dataset2D> = ['xor', 'circle', 'spiral', 'gauss']

/** One point: its coordinates and its class (0 or 1). */
export interface Point {
  readonly x: number
  readonly y: number
  readonly label: 0 | 1
}

export interface Split2D {
  readonly train: ReadonlyArray<Point>
  readonly test: ReadonlyArray<Point>
}

const point = (x: number, y: number, label: 0 | 1): Point => ({ x, y, label })

/** Points moved by a uniform offset of up to `noise` in each coordinate. */
const jitter =
  (noise: number) =>
  (x: number, y: number, label: 0 | 1): Draw<Point> =>
  (r) => {
    const [dx, r1] = uniformIn(-noise, noise)(r)
    const [dy, r2] = uniformIn(-noise, noise)(r1)
    return [point(x + dx, y + dy, label), r2]
  }

/** XOR: the class is whether x and y have the same sign; points keep off the axes by a margin. */
const xor = (n: number, noise: number): Draw<Point[]> =>
  many(n, () => (r) => {
    const [x0, r1] = uniformIn(-1, 1)(r)
    const [y0, r2] = uniformIn(-1, 1)(r1)
    const pad = (v: number): number => v + Math.sign(v) * 0.05
    const [x, y] = [pad(x0 * 0.9), pad(y0 * 0.9)]
    return jitter(noise)(x, y, x * y >= 0 ? 1 : 0)(r2)
  })

/** Circles: class 1 inside radius 0.4, class 0 in the ring from 0.6 to 0.9. */
const circle = (n: number, noise: number): Draw<Point[]> =>
  many(n, (i) => (r) => {
    const inside = i % 2 === 0
    const [radius, r1] = inside ? uniformIn(0, 0.4)(r) : uniformIn(0.6, 0.9)(r)
    const [angle, r2] = uniformIn(0, 2 * Math.PI)(r1)
    return jitter(noise)(radius * Math.cos(angle), radius * Math.sin(angle), inside ? 1 : 0)(r2)
  })

/** Two spirals, one per class, each turning 1.75 times around the centre. */
const spiral = (n: number, noise: number): Draw<Point[]> =>
  many(n, (i) => {
    const label: 0 | 1 = i % 2 === 0 ? 1 : 0
    const k = Math.floor(i / 2) / Math.ceil(n / 2)
    const radius = 0.9 * k
    const angle = 1.75 * 2 * Math.PI * k + (label === 1 ? 0 : Math.PI)
    return jitter(noise)(radius * Math.sin(angle), radius * Math.cos(angle), label)
  })

/** Two Gaussian clusters, at (0.35, 0.35) (class 1) and (-0.35, -0.35) (class 0). */
const gauss = (n: number, noise: number): Draw<Point[]> =>
  many(n, (i) => (r) => {
    const label: 0 | 1 = i % 2 === 0 ? 1 : 0
    const c = label === 1 ? 0.35 : -0.35
    const std = 0.1 + noise
    const [x, r1] = gaussian(c, std)(r)
    const [y, r2] = gaussian(c, std)(r1)
    return [point(x, y, label), r2]
  })

const generators: Readonly<Record<Dataset2D, (n: number, noise: number) => Draw<Point[]>>> = { xor, circle, spiral, gauss }

/**
 * A data set's points, shuffled and split: `testFraction` of them (rounded) for testing.
 * `noise` is in [0, 1] (0.5 is a lot).
 */
export const generate = (name: Dataset2D, options: { readonly points: number; readonly noise: number; readonly testFraction: number; readonly seed: number }): Split2D => {
  const [points, r] = generators[name](options.points, options.noise * 0.3)(rng(options.seed))
  const [order] = permutation(points.length)(r as Rng)
  const shuffled = order.map((i) => points[i]!)
  const testCount = Math.round(points.length * options.testFraction)
  return { train: shuffled.slice(testCount), test: shuffled.slice(0, testCount) }
}
