/**
 * A pool of workers that compute the gradients of a batch's shards: worker k takes the k-th
 * shard it is given. The platform gives the workers (`Platform`: Web Workers in browsers,
 * worker threads in Node); the pool starts them when first asked for gradients, not before,
 * sends each the run's setup once (`protocol.ts`), and `close` ends them, so that a run leaves
 * no thread behind. Between two requests the workers are let go (`hold(false)`: unref'd in
 * Node), so that even a run abandoned half-way keeps no process alive.
 *
 * @since 0.1.0
 */
import type { Loss, Network, Scores } from '@purenn/network'
import type { SampleSet } from '../batches.js'
import {
  canShare,
  layoutOf,
  parameterCount,
  sharedZeros,
  gradientsOf,
  writeFlat,
  type LayerLayout,
  type Reply,
  type SetMessage,
  type ToWorker
} from './protocol.js'
import type { ShardResult } from './shards.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A worker as the pool sees it, whatever the platform. */
export interface WorkerPort {
  /** Sends a message, transferring the buffers listed. */
  readonly post: (message: ToWorker, transfer: ArrayBuffer[]) => void
  /** Listens for the worker's replies and for its failure (a script that did not load, a crash). */
  readonly listen: (onReply: (reply: Reply) => void, onError: (error: Error) => void) => void
  /** `true` while the run waits for this worker (it keeps a Node process alive), `false` when idle. */
  readonly hold: (busy: boolean) => void
  /** Ends the worker. */
  readonly terminate: () => void
}

/**
 * Where the workers come from: `spawn` starts one, or is undefined where the platform has
 * none, and `missing` then says why and what to do instead.
 */
export interface Platform {
  readonly spawn: (() => WorkerPort) | undefined
  readonly missing: string
}

/**
 * What every worker of a run is set up with: the loss, the training set, the set measured
 * after each epoch (the validation set, or the training set again), and the network (for its
 * layout).
 */
export interface PoolSetup {
  readonly loss: Loss
  readonly data: SampleSet
  readonly measured: SampleSet
  readonly network: Network
}

/** The workers of one run. */
export interface Pool {
  /**
   * The loss and gradients of each shard (lists of samples of the training set, one per
   * worker at most) for the network, in shard order, whatever order the workers answer in;
   * `next`, the shards the next request will likely ask for, which the workers gather ahead.
   * The gradients are in fresh buffers, the caller's to keep. `written`: the caller has
   * already written the network's parameters into `sharedParameters()`. `at` says which
   * step of the run asks (e.g. `step 17 (epoch 1, batch 17 of 32)`), for the error of a worker
   * that fails while it computes.
   */
  readonly gradients: (
    net: Network,
    shards: ReadonlyArray<ReadonlyArray<number>>,
    next?: ReadonlyArray<ReadonlyArray<number>>,
    written?: boolean,
    at?: string
  ) => Promise<ReadonlyArray<ShardResult>>
  /**
   * The buffer the workers read the parameters from, once the pool has started where memory
   * is shared (else undefined), laid out as `writeFlat` lays them out. A caller may write the
   * parameters of its next request there itself, between requests (once every answer to the
   * last one has come), and say so (`written`), which saves the pool a copy.
   */
  readonly sharedParameters: () => Float64Array | undefined
  /**
   * The scores of chunks of the measured set (ranges `[from, to)` of its samples) for the
   * network: one group of chunks per worker at most, answered group by group, in order. `at`
   * says which part of the run asks, as for `gradients`.
   */
  readonly scores: (
    net: Network,
    groups: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
    at?: string
  ) => Promise<ReadonlyArray<ReadonlyArray<Scores>>>
  /** Ends every worker; the pool cannot be used again. */
  readonly close: () => void
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

interface Waiting {
  readonly resolve: (reply: Reply) => void
  readonly reject: (error: Error) => void
}

/**
 * A started worker: its port, its number (from 1, for messages), what it was last asked
 * (`doing`, e.g. `the gradients of shard 1 of 1 for step 17 (epoch 1, batch 17 of 32)`; `asked`,
 * that request's id) and whether it has answered that, so that an error says where it was.
 */
interface Member {
  readonly port: WorkerPort
  readonly k: number
  doing: string
  asked: number
  answered: boolean
}

/** Where a member was when it failed: its request in flight, or the last one it answered. */
const whereOf = (m: Member): string => (m.answered ? `after answering ${m.doing}` : `while computing ${m.doing}`)

/** The started pool: its members and, when memory is shared, the buffer of parameters they all read. */
interface Started {
  readonly members: ReadonlyArray<Member>
  readonly params: Float64Array | undefined
  readonly layout: ReadonlyArray<LayerLayout>
}

/** A copy of `x` in shared memory. */
const sharedCopy = (x: Float64Array): Float64Array => {
  const out = sharedZeros(x.length)
  out.set(x)
  return out
}

/** A data set as workers receive it: copied once into shared memory, or as it is (each worker then gets a copy). */
const setMessage = (data: SampleSet, share: boolean): SetMessage => ({
  inputWidth: data.inputs.width,
  inputs: share ? sharedCopy(data.inputs.data) : data.inputs.data,
  targetWidth: data.targets.width,
  targets: share ? sharedCopy(data.targets.data) : data.targets.data
})

/** A pool of `size` workers from `spawn`, started lazily, for a run set up as `setup` says. */
export const pool = (spawn: () => WorkerPort, size: number, setup: PoolSetup): Pool => {
  let started: Started | undefined
  let failure: Error | undefined
  let closed = false
  let nextId = 0
  const waiting = new Map<number, Waiting>()

  const fail = (error: Error): void => {
    failure ??= error
    for (const w of waiting.values()) w.reject(failure)
    waiting.clear()
  }

  const onReply =
    (member: Member) =>
    (reply: Reply): void => {
      const w = waiting.get(reply.id)
      if (reply.id === member.asked) member.answered = true
      if (w === undefined) return // an answer to a request given up on (the run was aborted)
      waiting.delete(reply.id)
      if (reply.kind === 'failed') w.reject(new Error(`worker ${member.k} of ${size} could not answer ${member.doing}: ${reply.message}`))
      else w.resolve(reply)
    }

  const start = (): Started => {
    const share = canShare()
    const layout = layoutOf(setup.network)
    const count = parameterCount(layout)
    const params = share ? sharedZeros(count) : undefined
    const data = setMessage(setup.data, share)
    const measured = setup.measured === setup.data ? undefined : setMessage(setup.measured, share)
    const members: Member[] = []
    for (let k = 0; k < size; k++) {
      const port = spawn()
      const member: Member = { port, k: k + 1, doing: 'its setup', asked: -1, answered: false }
      port.listen(onReply(member), (error) => fail(new Error(`worker ${k + 1} of ${size} failed ${whereOf(member)}: ${error.message}`, { cause: error })))
      port.post({ kind: 'start', loss: setup.loss.name, inputSize: setup.network.inputSize, layout, data, measured, params }, [])
      members.push(member)
    }
    return { members, params, layout }
  }

  /**
   * Sends a request (given its id) to a member, transferring its own buffer of parameters when
   * memory is not shared; `doing` says what it asks, for errors.
   */
  const request = (
    member: Member,
    own: Float64Array | undefined,
    doing: string,
    message: (id: number, params: Float64Array | undefined) => ToWorker
  ): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      const id = nextId++
      waiting.set(id, { resolve, reject })
      member.doing = doing
      member.asked = id
      member.answered = false
      member.port.post(message(id, own), own === undefined ? [] : [own.buffer as ArrayBuffer])
    })

  /**
   * Starts the pool if need be, writes the network's parameters where the workers read them
   * (shared: written between requests, while no worker reads; else a buffer to copy to each),
   * and runs `ask` on the first `count` members, holding them while they work.
   */
  const round = async <A>(
    net: Network,
    count: number,
    ask: (member: Member, k: number, params: Float64Array | undefined, layout: ReadonlyArray<LayerLayout>) => Promise<A>,
    written = false
  ): Promise<A[]> => {
    if (closed) throw new Error('the worker pool is closed')
    if (failure !== undefined) throw failure
    started ??= start()
    const used = started.members.slice(0, count)
    // not shared: a fresh buffer of the parameters for each worker, transferred (the last one gets the buffer written, the others copies)
    const flat = started.params === undefined ? writeFlat(net.layers) : undefined
    if (started.params !== undefined && !written) writeFlat(net.layers, started.params)
    const own = (k: number): Float64Array | undefined => (flat === undefined || k === used.length - 1 ? flat : flat.slice())
    used.forEach((m) => m.port.hold(true))
    try {
      const layout = started.layout
      return await Promise.all(used.map((m, k) => ask(m, k, own(k), layout)))
    } finally {
      used.forEach((m) => m.port.hold(false))
    }
  }

  return {
    gradients: (net, shards, next, written, at) =>
      round(
        net,
        shards.length,
        async (member, k, params, layout) => {
          const samples = shards[k]!
          const doing = `the gradients of shard ${k + 1} of ${shards.length}${at === undefined ? '' : ` for ${at}`}`
          const reply = await request(member, params, doing, (id, own) => ({ kind: 'shard', id, samples, next: next?.[k], params: own }))
          if (reply.kind !== 'gradients') throw new Error(`a worker answered a shard with ${reply.kind}`)
          return { loss: reply.loss, gradients: gradientsOf(layout, reply.gradients), size: samples.length }
        },
        written
      ),
    sharedParameters: () => started?.params,
    scores: (net, groups, at) =>
      round(net, groups.length, async (member, k, params) => {
        const doing = `the scores of chunk group ${k + 1} of ${groups.length}${at === undefined ? '' : ` for ${at}`}`
        const reply = await request(member, params, doing, (id, own) => ({ kind: 'scores', id, chunks: groups[k]!, params: own }))
        if (reply.kind !== 'scores') throw new Error(`a worker answered a scores request with ${reply.kind}`)
        return reply.scores
      }),
    close: () => {
      closed = true
      fail(new Error('the worker pool was closed'))
      started?.members.forEach((m) => m.port.terminate())
      started = undefined
    }
  }
}
