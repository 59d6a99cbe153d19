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
 * const signal: AbortSignalLike = controller.signal
 *
 * @category model
 * @since 0.1.0
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** A promise that settles when the signal fires, and a way to stop listening. */
export interface Abortion {
  readonly fired: Promise<'aborted'>
  readonly dispose: () => void
}

/** Never settles: the abortion of a run without a signal. */
const never: Abortion = { fired: new Promise<'aborted'>(() => undefined), dispose: () => undefined }

/**
 * Listens for the signal (if any): `fired` resolves to `'aborted'` when it fires (at once if it
 * already has), so that a run waiting on its workers can stop without waiting for them.
 */
export const abortion = (signal: AbortSignalLike | undefined): Abortion => {
  if (signal === undefined) return never
  let listener: (() => void) | undefined
  const fired = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) return resolve('aborted')
    listener = () => resolve('aborted')
    signal.addEventListener('abort', listener)
  })
  return {
    fired,
    dispose: () => {
      if (listener !== undefined) signal.removeEventListener('abort', listener)
    }
  }
}
