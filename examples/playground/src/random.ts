/**
 * Seeded draws for the data sets, threaded through `@purenn/matrix`'s immutable generator:
 * each function takes a generator and returns its value beside the next generator.
 */
import { nextDouble, type Rng } from '@purenn/matrix'

export type Draw<A> = (r: Rng) => readonly [A, Rng]

/** A number uniform in [lower, upper). */
export const uniformIn =
  (lower: number, upper: number): Draw<number> =>
  (r) => {
    const [u, next] = nextDouble(r)
    return [lower + (upper - lower) * u, next]
  }

/** A number from the normal distribution (Box–Muller). */
export const gaussian =
  (mean: number, std: number): Draw<number> =>
  (r) => {
    const [u1, r1] = nextDouble(r)
    const [u2, r2] = nextDouble(r1)
    return [mean + std * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2), r2]
  }

/** `n` values of a draw, in order. */
export const many =
  <A>(n: number, draw: (i: number) => Draw<A>): Draw<A[]> =>
  (r) => {
    const out: A[] = []
    let g = r
    for (let i = 0; i < n; i++) {
      const [a, next] = draw(i)(g)
      out.push(a)
      g = next
    }
    return [out, g]
  }
