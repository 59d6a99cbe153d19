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
import { builtinActivations, gradients, isBuiltinName, scores, type Layer, type Loss, type Network } from '@purenn/network'
import { unsafeSampleSet, type Batch, type SampleSet } from '../batches.js'
import { gatherSamples, lossNamed, viewsOf, writeFlat, type Answer, type SetMessage, type StartMessage, type ToWorker } from './protocol.js'

/** What a worker keeps between steps. */
interface Setup {
  readonly start: StartMessage
  readonly loss: Loss
  readonly data: SampleSet
  readonly measured: SampleSet
}

/** A data set from its message (the buffers are not copied). */
const setOf = (m: SetMessage): SampleSet => unsafeSampleSet(m.inputWidth, m.inputs, m.targetWidth, m.targets)

/** The samples `from … to − 1`. */
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k)

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


/** The network a layout describes over a flat buffer of parameters (views), its activations looked up by name. */
const networkOver = (start: StartMessage, params: Float64Array): Network => {
  const views = viewsOf(start.layout, params)
  return {
    inputSize: start.inputSize,
    layers: start.layout.map((l, k): Layer => {
      if (!isBuiltinName(l.activation)) throw new Error(`unknown activation ${JSON.stringify(l.activation)}`)
      return { weights: views[k]!.weights, bias: views[k]!.bias, activation: builtinActivations[l.activation] }
    })
  }
}

/**
 * A worker's message handler: `start` sets it up (no answer); each `shard` is answered with
 * the loss of the samples and their gradients (by `gradients` of `@purenn/network`, on the
 * samples gathered as `batches` gathers them), written into the shared buffer or sent back,
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
      setup = { start: message, loss, data, measured: message.measured === undefined ? data : setOf(message.measured) }
      return undefined
    }
    try {
      if (setup === undefined) throw new Error(`asked for ${message.kind === 'shard' ? 'gradients' : 'scores'} before being started`)
      const params = message.params ?? setup.start.params
      if (params === undefined) throw new Error('no parameters: neither shared nor sent')
      const net = networkOver(setup.start, params)
      if (message.kind === 'scores') {
        const measured = setup.measured
        const loss = setup.loss
        const all = message.chunks.map(([from, to]) => {
          const chunk = gatherSamples(measured, range(from, to))
          return scores(net, loss, chunk.inputs, chunk.targets)
        })
        return { reply: { kind: 'scores', id: message.id, scores: all }, transfer: [], then: nothing }
      }
      const data = setup.data
      const shard = ahead !== undefined && sameSamples(ahead.samples, message.samples) ? ahead.batch : gatherSamples(data, message.samples)
      ahead = undefined
      const result = gradients(net, setup.loss, shard.inputs, shard.targets)
      const shared = setup.start.grads
      const out = writeFlat(result.gradients, shared ?? new Float64Array(params.length))
      const next = message.next
      const then = next === undefined ? nothing : () => void (ahead = { samples: next, batch: gatherSamples(data, next) })
      return shared === undefined
        ? { reply: { kind: 'gradients', id: message.id, loss: result.loss, grads: out }, transfer: [out.buffer as ArrayBuffer], then }
        : { reply: { kind: 'gradients', id: message.id, loss: result.loss, grads: undefined }, transfer: [], then }
    } catch (e) {
      return { reply: { kind: 'failed', id: message.id, message: e instanceof Error ? e.message : String(e) }, transfer: [], then: nothing }
    }
  }
}
