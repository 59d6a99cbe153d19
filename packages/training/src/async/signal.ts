/**
 * The part of an `AbortSignal` a run reads, typed structurally so that the package needs
 * neither the DOM's types nor Node's: the `signal` of any `AbortController` (browsers, Node,
 * Deno, Bun) fits.
 *
 * @since 0.1.0
 */

/**
 * What a run needs of an `AbortSignal`: whether it has fired, and its `abort` event. The
 * `signal` of an `AbortController` is one.
 *
 * @example
 * import type { AbortSignalLike } from '@purenn/training'
 * const controller = new AbortController()
 * const signal: AbortSignalLike = controller.signal // a DOM or Node AbortSignal is one
 * controller.abort()
 * signal.aborted // => true
 *
 * @category model
 * @since 0.1.0
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  /** Calls `listener` once the signal fires. */
  addEventListener(type: 'abort', listener: () => void): void
  /** Forgets a listener `addEventListener` was given. */
  removeEventListener(type: 'abort', listener: () => void): void
}

/**
 * Waits that an abort cuts short. Each wait listens for the signal only while it lasts: a
 * promise that outlived it (one settled on abort, raced against every wait of a run) would keep
 * each wait's answer reachable, the workers' gradients of every step included, for the whole run.
 */
export interface Abortion {
  /** `p`'s value, or `'aborted'` as soon as the signal fires (at once if it already has). */
  readonly race: <A>(p: Promise<A>) => Promise<A | 'aborted'>
}

/** The abortion of a run without a signal: a wait is the promise itself. */
const never: Abortion = { race: (p) => p }

/** The waits of a run cut short by `signal`, if any. */
export const abortion = (signal: AbortSignalLike | undefined): Abortion => {
  if (signal === undefined) return never
  return {
    race: <A>(p: Promise<A>) =>
      new Promise<A | 'aborted'>((resolve, reject) => {
        if (signal.aborted) return resolve('aborted')
        const listener = (): void => resolve('aborted')
        signal.addEventListener('abort', listener)
        p.then(
          (value) => {
            signal.removeEventListener('abort', listener)
            resolve(value)
          },
          (error: unknown) => {
            signal.removeEventListener('abort', listener)
            reject(error)
          }
        )
      })
  }
}
