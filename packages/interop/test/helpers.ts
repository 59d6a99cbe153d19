// Shared by the interop tests: seeded networks, batches as rows, and the error measures the
// issue states its targets in.
import { fromArrays, rng, toArrays, transpose, uniform, type Matrix } from '@purenn/matrix'
import { addLayer, builtinActivations, network, predictBatch, randomize, type Activation, type Network } from '@purenn/network'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'

export const activationNames = Object.keys(builtinActivations) as Array<keyof typeof builtinActivations>

/** A network of the given sizes (input first), every layer with `activation`, weights uniform in ±`scale`. */
export const seededNetwork = (seed: number, sizes: ReadonlyArray<number>, activations: ReadonlyArray<Activation>, scale = 1): Network => {
  let net = network(sizes[0]!)
  for (let k = 1; k < sizes.length; k++) net = addLayer({ nodes: sizes[k]!, activation: activations[(k - 1) % activations.length]! })(net)
  return randomize(-scale, scale)(net)(rng(seed))[0]
}

/** `count` samples of `width` features, uniform in ±`scale`, one a row. */
export const seededRows = (seed: number, count: number, width: number, scale = 3): number[][] => toArrays(uniform(count, width, -scale, scale)(rng(seed))[0])

export const unwrap = <A>(e: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}

/** purenn's outputs for samples given as rows, as rows. */
export const predictRows = (net: Network, rows: ReadonlyArray<ReadonlyArray<number>>): number[][] =>
  toArrays(transpose(pipe(net, predictBatch(transpose(unwrap(fromArrays(rows)) as Matrix)))))

/** max over entries of |a − b| / max(|b|, floor): the measure, b the reference. */
export const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number => {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`)
  let m = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor)
    if (Number.isNaN(d)) return NaN // a failure, whatever follows
    if (d > m) m = d
  }
  return m
}
