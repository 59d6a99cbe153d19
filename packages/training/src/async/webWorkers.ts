/**
 * Workers in browsers (and Deno, Bun): module Web Workers running `webWorker.js`, the file
 * beside this one. The worker is created as `new Worker(new URL('./webWorker.js',
 * import.meta.url), { type: 'module' })`, the form bundlers (Vite, webpack, Parcel) recognise
 * and bundle, and which a page serving the package's files as they are loads directly (the
 * worker resolves `@purenn/network` and fp-ts itself: Chromium does not apply a page's import
 * map inside a worker, so such a page's server must resolve bare imports, or a bundler must).
 *
 * @since 0.1.0
 */
import type { Reply, ToWorker } from './protocol.js'
import type { Platform, WorkerPort } from './pool.js'

/** The part of the Web Worker API the pool uses (the package is typed without the DOM's types). */
interface WebWorker {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void
  addEventListener(type: 'message', listener: (event: { readonly data: Reply }) => void): void
  addEventListener(type: 'error', listener: (event: { readonly message?: string }) => void): void
  addEventListener(type: 'messageerror', listener: (event: unknown) => void): void
  terminate(): void
}

interface ScriptUrl {
  readonly href: string
}

declare const URL: new (url: string, base: string) => ScriptUrl
declare const Worker: (new (url: ScriptUrl, options: { readonly type: 'module' }) => WebWorker) | undefined

declare global {
  interface ImportMeta {
    url: string
  }
}

/** One module Web Worker, as a pool's port. */
const spawnWebWorker = (): WorkerPort => {
  const worker = new Worker!(new URL('./webWorker.js', import.meta.url), { type: 'module' })
  return {
    post: (message: ToWorker, transfer) => worker.postMessage(message, transfer),
    listen: (onReply, onError) => {
      worker.addEventListener('message', (event) => onReply(event.data))
      worker.addEventListener('error', (event) => onError(new Error(event.message ?? 'the worker script could not be loaded or threw')))
      worker.addEventListener('messageerror', () => onError(new Error('a reply could not be read')))
    },
    hold: () => undefined, // a Web Worker keeps nothing alive
    terminate: () => worker.terminate()
  }
}

/**
 * Web Workers where the platform has them (`globalThis.Worker`); elsewhere (Node) none, with
 * the way to get worker threads instead.
 */
export const webWorkers: Platform = {
  spawn: typeof Worker === 'undefined' ? undefined : spawnWebWorker,
  missing: "this platform has no Web Workers (in Node, import trainAsync and epochsAsync from '@purenn/training/node' for worker threads)"
}
