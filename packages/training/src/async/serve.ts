/**
 * The worker's side of the conversation of `protocol.ts`: a handler that is set up once for a
 * run (`start`), then answers each request, a shard's gradients or chunks' scores, with the
 * same functions a run on one thread calls (`gradients` and `scores` of `@purenn/network`, on
 * samples gathered as `batches` gathers them), so that an answer has the bits it would have on
 * the run's own thread. Both worker scripts (`webWorker.ts`, `nodeWorker.ts`) are this handler
 * and a few lines of plumbing.
 *
 * @since 0.1.0
 */
import { builtinActivations, gradients, isBuiltinName, scores, type Activation, type Layer, type Loss, type Network } from '@purenn/network'
import { gatherer, unsafeSampleSet, type Batch, type SampleSet } from '../batches.js'
import { lossNamed } from '../internal/builtins.js'
import { range } from '../measure.js'
import { parameterCount, sendable, viewsOf, type Answer, type SetMessage, type StartMessage, type ToWorker } from './protocol.js'

/**
 * What a worker keeps between steps: the run's setup, its loss and activations looked up by
 * name once, a gatherer for each of its data sets and, when the parameters are shared, the
 * network over them (its buffers are rewritten between requests, never during one).
 */
interface Setup {
  readonly start: StartMessage
  readonly loss: Loss
  readonly activations: ReadonlyArray<Activation>
  readonly shared: Network | undefined
  /** Gathers the worker's shards, by turns into two buffers kept for the run. */
  readonly gatherShard: (samples: ReadonlyArray<number>) => Batch
  /** Gathers the chunks of the measured set the worker scores, likewise. */
  readonly gatherChunk: (samples: ReadonlyArray<number>) => Batch
}

/** A data set from its message (the buffers are not copied). */
const setOf = (m: SetMessage): SampleSet => unsafeSampleSet(m.inputWidth, m.inputs, m.targetWidth, m.targets)

/** A shard gathered ahead of its request. */
interface Ahead {
  readonly samples: ReadonlyArray<number>
  readonly batch: Batch
}

/** The same samples in the same order. */
const sameSamples = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  if (a.length !== b.length) return false
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false
  return true
}

/** The built-in activation of each layer of a layout, looked up by name. */
const activationsOf = (start: StartMessage): Activation[] =>
  start.layout.map((l) => {
    if (!isBuiltinName(l.activation)) throw new Error(`unknown activation ${JSON.stringify(l.activation)}`)
    return builtinActivations[l.activation]
  })

/** The network a layout describes over a flat buffer of parameters (views), with the given activations; refuses a buffer of another length. */
const networkOver = (start: StartMessage, activations: ReadonlyArray<Activation>, params: Float64Array): Network => {
  const count = parameterCount(start.layout)
  if (params.length !== count) throw new Error(`parameters: expected ${count} numbers for the layout, got ${params.length}`)
  const views = viewsOf(start.layout, params)
  return { inputSize: start.inputSize, layers: views.map((v, k): Layer => ({ weights: v.weights, bias: v.bias, activation: activations[k]! })) }
}

/**
 * A worker's message handler: `start` sets it up (no answer); each `shard` is answered with
 * the loss of the samples and their gradients (by `gradients` of `@purenn/network`, on the
 * samples gathered as `batches` gathers them), their buffers handed over with the reply,
 * and once the answer is posted, `then` gathers the next shard ahead; each `scores` with the
 * scores of the chunks (by `scores` of `@purenn/network`, on each chunk gathered as the
 * measuring code gathers it).
 */
export const worker = (): ((message: ToWorker) => Answer | undefined) => {
  let setup: Setup | undefined
  let ahead: Ahead | undefined
  const nothing = (): void => undefined
  return (message) => {
    if (message.kind === 'start') {
      const loss = lossNamed(message.loss)
      if (loss === undefined) throw new Error(`unknown loss ${JSON.stringify(message.loss)}`)
      const data = setOf(message.data)
      const activations = activationsOf(message)
      const shared = message.params === undefined ? undefined : networkOver(message, activations, message.params)
      const measured = message.measured === undefined ? data : setOf(message.measured)
      setup = { start: message, loss, activations, shared, gatherShard: gatherer(data), gatherChunk: gatherer(measured) }
      return undefined
    }
    try {
      if (setup === undefined) throw new Error(`asked for ${message.kind === 'shard' ? 'gradients' : 'scores'} before being started`)
      const sent = message.params
      const net = sent !== undefined ? networkOver(setup.start, setup.activations, sent) : setup.shared
      if (net === undefined) throw new Error('no parameters: neither shared nor sent')
      if (message.kind === 'scores') {
        const { gatherChunk, loss } = setup
        const all = message.chunks.map(([from, to]) => {
          const chunk = gatherChunk(range(from, to))
          return scores(net, loss, chunk.inputs, chunk.targets)
        })
        return { reply: { kind: 'scores', id: message.id, scores: all }, transfer: [], then: nothing }
      }
      const gatherShard = setup.gatherShard
      const shard = ahead !== undefined && sameSamples(ahead.samples, message.samples) ? ahead.batch : gatherShard(message.samples)
      ahead = undefined
      const result = gradients(net, setup.loss, shard.inputs, shard.targets)
      const { parts, transfer } = sendable(result.gradients) // made for this reply alone: handed over, not copied
      const next = message.next
      const then = next === undefined ? nothing : () => void (ahead = { samples: next, batch: gatherShard(next) })
      return { reply: { kind: 'gradients', id: message.id, loss: result.loss, gradients: parts }, transfer, then }
    } catch (e) {
      return { reply: { kind: 'failed', id: message.id, message: e instanceof Error ? e.message : String(e) }, transfer: [], then: nothing }
    }
  }
}
