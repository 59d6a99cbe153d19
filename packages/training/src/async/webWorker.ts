/**
 * The script of a Web Worker of the pool (see `webWorkers.ts`): it is set up once for a run, then
 * answers each request for a shard's gradients (`worker` in `serve.ts`).
 *
 * @since 0.1.0
 */
import type { ToWorker } from './protocol.js'
import { worker } from './serve.js'

/** The worker's global scope, as far as used here (the package is typed without the DOM's types). */
declare const self: {
  onmessage: ((event: { readonly data: ToWorker }) => void) | null
  postMessage(message: unknown, transfer: ArrayBuffer[]): void
}

const handle = worker()

self.onmessage = (event) => {
  const answer = handle(event.data)
  if (answer === undefined) return
  self.postMessage(answer.reply, answer.transfer)
  answer.then()
}
