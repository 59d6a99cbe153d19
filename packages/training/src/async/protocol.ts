/**
 * What a run and its workers say to each other, and how each side turns it back into
 * values. The network is plain data, so it travels as one buffer of parameters (each layer's
 * weights, row by row, then its bias) beside its layout (each layer's shape and activation,
 * by name: a function cannot cross to another thread; the worker looks the name up among the
 * built-ins). The loss travels by name too.
 *
 * - `start`, once per worker: the layout, the loss, the training set (sample-major, as the
 *   run holds it), the set measured after each epoch when it is another (the validation set)
 *   and, where memory can be shared, the buffer the parameters will be read from.
 * - `shard`, once per step: the samples of the worker's shard (their indices in the training
 *   set), the samples of its shard of the next batch (gathered once the reply is sent, while
 *   the run takes its step, so that gathering is off the step's critical path), and the
 *   parameters themselves when memory is not shared.
 * - `scores`, once per epoch: chunks of the measured set (ranges of its samples), whose scores
 *   (`scores` of `@purenn/network`: Error, mean loss, count right) the run folds with its own.
 * - the reply: the shard's mean loss and its gradients, each layer's weights and bias in
 *   their own buffers, handed over (transferred, not copied: `gradients` made them for the
 *   worker alone); or the chunks' scores; or the message of what went wrong.
 *
 * Sharing the parameters (`SharedArrayBuffer`: Node, and browsers on a cross-origin-isolated
 * page) avoids a copy and an allocation of the network a step and worker; without it, they
 * are copied into a fresh buffer and transferred. The run writes the shared parameters only
 * once every worker has answered the last request and before it sends the next (the fused SGD
 * step writes them as it combines the shards), so no worker reads them while they are
 * written. The gradients are handed over rather than copied into shared memory: no copy, and
 * the worker, whose heap is small, no longer holds a gradient's worth of memory a step until
 * its collector frees it (measured: its full collections fell from 7 to 2 in five MNIST
 * epochs, and a 2-worker epoch from 176 to 167 ms, medians of four runs each).
 *
 * The worker's side of the conversation is in `serve.ts`.
 *
 * @since 0.1.0
 */
import type { Matrix } from '@purenn/matrix'
import type { Gradients, Loss, Network, Scores } from '@purenn/network'
import { firstCustomActivation, isBuiltinLossValue } from '../internal/builtins.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A layer's shape (`rows x cols` weights, `rows x 1` bias) and its activation's name. */
export interface LayerLayout {
  readonly activation: string
  readonly rows: number
  readonly cols: number
}

/** A data set on the wire: `inputs` and `targets` sample-major, `inputWidth` and `targetWidth` numbers a sample. */
export interface SetMessage {
  readonly inputWidth: number
  readonly inputs: Float64Array
  readonly targetWidth: number
  readonly targets: Float64Array
}

/**
 * Sets a worker up for a run: `measured` is the set measured after each epoch, when it is not
 * the training set; `params` is the shared buffer of the parameters, or absent when memory is
 * not shared.
 */
export interface StartMessage {
  readonly kind: 'start'
  readonly loss: string
  readonly inputSize: number
  readonly layout: ReadonlyArray<LayerLayout>
  readonly data: SetMessage
  readonly measured: SetMessage | undefined
  readonly params: Float64Array | undefined
}

/**
 * Asks for the loss and gradients of the samples listed; `next` lists the samples the next
 * request will most likely ask for (to gather ahead); `params` travels here when memory is not
 * shared.
 */
export interface ShardMessage {
  readonly kind: 'shard'
  readonly id: number
  readonly samples: ReadonlyArray<number>
  readonly next: ReadonlyArray<number> | undefined
  readonly params: Float64Array | undefined
}

/** Asks for the scores of chunks of the measured set, each a range `[from, to)` of its samples. */
export interface ScoresMessage {
  readonly kind: 'scores'
  readonly id: number
  readonly chunks: ReadonlyArray<readonly [from: number, to: number]>
  readonly params: Float64Array | undefined
}

/** What a worker is sent. */
export type ToWorker = StartMessage | ShardMessage | ScoresMessage

/** The answer to a shard: its mean loss, and its gradients as each layer's weights then bias (`gradientsOf` turns them back into matrices). */
export interface GradientsReply {
  readonly kind: 'gradients'
  readonly id: number
  readonly loss: number
  readonly gradients: ReadonlyArray<Float64Array>
}

/** The answer to a `scores` request: one `Scores` a chunk, in order. */
export interface ScoresReply {
  readonly kind: 'scores'
  readonly id: number
  readonly scores: ReadonlyArray<Scores>
}

/** A worker's answer to request `id`, or the message of what went wrong. */
export type Reply = GradientsReply | ScoresReply | { readonly kind: 'failed'; readonly id: number; readonly message: string }

/** A worker's answer: the reply to post, the buffers to transfer, and what to do once it is posted. */
export interface Answer {
  readonly reply: Reply
  readonly transfer: ArrayBuffer[]
  readonly then: () => void
}

// -------------------------------------------------------------------------------------
// built-ins by name
// -------------------------------------------------------------------------------------

/**
 * Why the network or the loss cannot go to a worker (a custom activation or loss: a function
 * the worker cannot have), or undefined when both can. A value counts as built-in when it is
 * the very one the package exports under its name.
 */
export const unsendable = (net: Network, loss: Loss): string | undefined => {
  if (!isBuiltinLossValue(loss))
    return `expected 1 with a custom loss (${JSON.stringify(loss.name)}): a worker knows only the built-in losses (mse, meanAbsoluteError, binaryCrossEntropy, crossEntropy)`
  const k = firstCustomActivation(net)
  if (k >= 0)
    return `expected 1 with a custom activation (${JSON.stringify(net.layers[k]!.activation.name)} in layer ${k}): a worker knows only the built-in activations`
  return undefined
}

// -------------------------------------------------------------------------------------
// buffers
// -------------------------------------------------------------------------------------

declare const SharedArrayBuffer: (new (bytes: number) => ArrayBuffer) | undefined

/** Whether buffers can be shared with workers here (Node; browsers only on cross-origin-isolated pages). */
export const canShare = (): boolean => typeof SharedArrayBuffer !== 'undefined'

/** `n` zeros in a buffer shared with the workers. */
export const sharedZeros = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer!(n * Float64Array.BYTES_PER_ELEMENT))

/** How many parameters a layout holds: Σ over layers of rows·cols + rows. */
export const parameterCount = (layout: ReadonlyArray<LayerLayout>): number => layout.reduce((n, l) => n + l.rows * l.cols + l.rows, 0)

/** The layout of a network. */
export const layoutOf = (net: Network): LayerLayout[] =>
  net.layers.map((l) => ({ activation: l.activation.name, rows: l.weights.rows, cols: l.weights.cols }))

/**
 * Writes parameters (a network's layers) or gradients into `out`, or a fresh buffer: each
 * layer's weights row by row, then its bias.
 */
export const writeFlat = (
  layers: ReadonlyArray<{ readonly weights: Matrix; readonly bias: Matrix }>,
  out: Float64Array = new Float64Array(layers.reduce((n, l) => n + l.weights.data.length + l.bias.data.length, 0))
): Float64Array => {
  let at = 0
  for (const l of layers) {
    out.set(l.weights.data as Float64Array, at)
    at += l.weights.data.length
    out.set(l.bias.data as Float64Array, at)
    at += l.bias.data.length
  }
  return out
}

/** Matrices viewing a flat buffer laid out as `writeFlat` writes: one `{ weights, bias }` per layer (views, not copies). */
export const viewsOf = (layout: ReadonlyArray<LayerLayout>, flat: Float64Array): Array<{ readonly weights: Matrix; readonly bias: Matrix }> => {
  let at = 0
  return layout.map((l) => {
    const weights: Matrix = { rows: l.rows, cols: l.cols, data: flat.subarray(at, at + l.rows * l.cols) }
    at += l.rows * l.cols
    const bias: Matrix = { rows: l.rows, cols: 1, data: flat.subarray(at, at + l.rows) }
    at += l.rows
    return { weights, bias }
  })
}

/**
 * A shard's gradients as a reply carries them (each layer's weights, then its bias) and the
 * buffers to transfer with it, so that they go over without a copy: a part that is a whole
 * `ArrayBuffer` of its own goes as it is (`gradients` makes each in a fresh one), once however
 * often it appears; any other part (a view of a larger buffer, which may hold what the worker
 * still needs, or of shared memory, which cannot be transferred) is copied first.
 */
export const sendable = (gradients: Gradients): { readonly parts: Float64Array[]; readonly transfer: ArrayBuffer[] } => {
  const transfer = new Set<ArrayBuffer>()
  const parts = gradients.flatMap((g) => [g.weights.data as Float64Array, g.bias.data as Float64Array]).map((part) => {
    const whole = part.buffer instanceof ArrayBuffer && part.byteOffset === 0 && part.byteLength === part.buffer.byteLength
    const owned = whole ? part : part.slice()
    transfer.add(owned.buffer as ArrayBuffer)
    return owned
  })
  return { parts, transfer: [...transfer] }
}

/** The gradients a reply carries, as matrices of the layout's shapes; refuses parts of other lengths. */
export const gradientsOf = (layout: ReadonlyArray<LayerLayout>, parts: ReadonlyArray<Float64Array>): Gradients => {
  if (!Array.isArray(parts) || !parts.every((p) => p instanceof Float64Array))
    throw new Error('a worker answered without its gradients as Float64Arrays (a worker script of another version?)')
  if (parts.length !== 2 * layout.length) throw new Error(`a worker answered with ${parts.length} gradient buffers, expected ${2 * layout.length}`)
  return layout.map((l, k) => {
    const weights = parts[2 * k]!
    const bias = parts[2 * k + 1]!
    if (weights.length !== l.rows * l.cols || bias.length !== l.rows)
      throw new Error(`a worker answered layer ${k}'s gradients with ${weights.length} and ${bias.length} numbers, expected ${l.rows * l.cols} and ${l.rows}`)
    return { weights: { rows: l.rows, cols: l.cols, data: weights }, bias: { rows: l.rows, cols: 1, data: bias } }
  })
}
