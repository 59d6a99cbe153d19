/**
 * The data every workload shares: XOR's four rows and the MNIST digits with the examples'
 * fixed split (within each digit, indices 4 mod 5 are test), as plain arrays that every peer
 * can take.
 */

/** A labelled data set: one sample a row, and each label as a class index. */
export interface Digits {
  readonly trainImages: ReadonlyArray<ReadonlyArray<number>>
  readonly trainLabels: ReadonlyArray<number>
  readonly testImages: ReadonlyArray<ReadonlyArray<number>>
  readonly testLabels: ReadonlyArray<number>
}

/** The tutorial's XOR data set. */
export const xorInputs: ReadonlyArray<ReadonlyArray<number>> = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1]
]
export const xorTargets: ReadonlyArray<ReadonlyArray<number>> = [[0], [1], [1], [0]]

/** The label `k` of `n` classes as a one-hot row. */
export const oneHot = (k: number, n: number): number[] => Array.from({ length: n }, (_, i) => (i === k ? 1 : 0))

/** The index of the largest value (a predicted class). */
export const argmax = (xs: ArrayLike<number>): number => {
  let best = 0
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i
  return best
}

/**
 * A seeded permutation for the peers' shuffles (a 32-bit LCG feeding Fisher–Yates), so that
 * peers shuffle every epoch as purenn does, without Math.random.
 */
export const shuffler = (seed: number): ((n: number) => number[]) => {
  let s = seed >>> 0
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
  return (n) => {
    const p = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      const t = p[i]!
      p[i] = p[j]!
      p[j] = t
    }
    return p
  }
}
