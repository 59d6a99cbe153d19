/// <reference types="node" />
/**
 * The script of a Node worker thread of the pool (see `node.ts`): it is set up once for a run,
 * then answers each request for a shard's gradients (`worker` in `serve.ts`).
 *
 * @since 0.1.0
 */
import { parentPort } from 'node:worker_threads'
import type { ToWorker } from './protocol.js'
import { worker } from './serve.js'

if (parentPort === null) throw new Error('@purenn/training: nodeWorker.js runs as a worker thread of a training run, not on its own')
const port = parentPort

const handle = worker()

port.on('message', (message: ToWorker) => {
  const answer = handle(message)
  if (answer === undefined) return
  port.postMessage(answer.reply, answer.transfer)
  answer.then()
})
