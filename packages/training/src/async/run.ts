/**
 * A training run as an asynchronous sequence of epochs: the unfold of `epochs`, built from the
 * same pieces (`internal/epoch.ts`: the shuffle, the batches, the checks after each step, the
 * measures and report of each epoch, the verbose line and `onEpoch`), with two differences.
 *
 * - Between two batches the run may give the event loop a turn (`pause.ts`: once `SLICE_MS`
 *   have passed since the last), and it reads its `signal` before every step, before
 *   measuring an epoch and after each turn while measuring: once aborted, it ends with a
 *   `Left` of `Aborted` carrying the network after the last finished step (an epoch stopped
 *   while it was measured is not reported).
 * - With `workers` n > 1, each batch is cut into n shards (`shards.ts`): this thread computes
 *   the first while a pool of n − 1 workers computes the others (`pool.ts`; this thread would
 *   otherwise wait idle, and one message fewer goes each way); the run combines them in shard
 *   order and takes the optimizer's step here. An abort ends a wait for the workers at once
 *   (the answers of the step in flight are dropped). Such a wait is not counted as a turn:
 *   Node hands a worker's messages over in one go, the run going on from each, so that while
 *   the workers answer before this thread waits, nothing else runs (timers waited 50–136 ms).
 * - The epoch's measures are taken chunk by chunk, with turns between the chunks as between
 *   batches.
 *
 * With one worker (the default) the steps are `trainStep`'s, on this thread: the networks,
 * optimizer states and reports are those of `epochs`, bit for bit.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { gradients, scores, type Network, type Scores } from '@purenn/network'
import type { GradientTransformation } from '../GradientTransformation.js'
import { gatherSamples, gatherer, type Batch, type SampleSet } from '../batches.js'
import { chunkRanges, chunksOf, foldScores, range, type Measures } from '../measure.js'
import type { Config } from '../options.js'
import { trainStep } from '../trainStep.js'
import type { TrainState } from '../TrainState.js'
import { aborted, type EpochState, type TrainError } from '../types.js'
import { announce, batchCount, batchesOf, checkStep, closeEpoch, finished, groupSize, now, permuter, shuffle, type Position } from '../internal/epoch.js'
import { turns, type Turns } from './pause.js'
import { pool, type Pool, type WorkerPort } from './pool.js'
import { shardBounds, type ShardResult } from './shards.js'
import { shardStep, type ShardStep } from './shardStep.js'
import { abortion, type Abortion } from './signal.js'

/** The shards of batch `b` of an epoch: the samples of each (their indices in the training set, in the epoch's `order`), one shard per worker at most. */
const shardsAt = (cfg: Config, order: ReadonlyArray<number>, b: number): number[][] => {
  const from = b * cfg.batchSize
  const size = Math.min(cfg.batchSize, order.length - from)
  return shardBounds(size, cfg.workers).map(([lo, hi]) => order.slice(from + lo, from + hi))
}

/**
 * The scores of chunks of a data set (`scores` of `@purenn/network` on each), on this
 * thread, giving the event loop a turn between two chunks when one is due, as between two
 * batches; `'aborted'` when the signal has fired at a turn.
 */
const scoresInTurns = async (
  net: Network,
  cfg: Config,
  chunks: Iterable<Batch>,
  clock: Turns
): Promise<Scores[] | 'aborted'> => {
  const out: Scores[] = []
  for (const chunk of chunks) {
    if (clock.due()) {
      await clock.turn()
      if (cfg.signal?.aborted === true) return 'aborted'
    }
    out.push(scores(net, cfg.loss, chunk.inputs, chunk.targets))
  }
  return out
}

/** A step taken over shards: the new state, whether its parameters were checked finite on the way, and the batch's size. */
interface Taken<S> {
  readonly state: TrainState<S>
  readonly finite: true | undefined
  readonly size: number
}

/**
 * The steps of an epoch over shards, batch `b` after batch `b − 1`. In a step, the workers
 * are asked first, so that they compute while this thread does its own shard; then this
 * thread gathers its shard of the next batch while they finish (each worker gathers its own
 * once it has answered; each thread gathers into two buffers of its own by turns); then the
 * optimizer's step from the shards (`shardStep`: `(g, L) = Σₖ (Bₖ/B)·(gₖ, Lₖ)`,
 * `(u, s') = update(g, s, θ)`, `θ' = θ + u`, as `trainStep` takes it). As soon as the new
 * network is known, the workers are asked for the next batch, before this thread checks the
 * step and calls back: they never wait for that. A request the run does not go on to read (it
 * stopped) is dropped with the pool. `'aborted'` when the signal fires before the workers
 * answer.
 *
 * The step is on the critical path (the workers wait for it), so the fused SGD step writes
 * the new parameters where the workers read them in the same pass (sparing the pool a copy),
 * and into the buffers of a network these steps made two steps before rather than into fresh
 * ones (sparing an allocation the size of the network, which costs as much as the pass). That
 * network is let go by then: the caller lets go of a step's starting network once it asks
 * for the next step (it hands out only the epoch's last network, or the network a run that
 * stops ends with, and none of those is written after); a network these steps did not make
 * (the epoch's first) is never written.
 */
const shardedSteps = <S>(
  cfg: Config,
  apply: ShardStep<S>,
  gatherOwn: (samples: ReadonlyArray<number>) => Batch,
  workers: Pool,
  stop: Abortion,
  order: ReadonlyArray<number>,
  batches: number,
  epoch: number
): ((st: TrainState<S>, b: number) => Promise<Taken<S> | 'aborted'>) => {
  const memo = new Map<number, number[][]>() // the shards of the batches in hand (this one and the next), cut once each
  const shardsOf = (b: number): number[][] => {
    let shards = memo.get(b)
    if (shards === undefined) {
      shards = b < batches ? shardsAt(cfg, order, b) : []
      memo.set(b, shards)
      memo.delete(b - 2)
    }
    return shards
  }
  let ahead: Batch | undefined // this thread's shard of the next batch, gathered
  let pending: Promise<ReadonlyArray<ShardResult>> | undefined // the workers' answers for the next batch, asked for
  let last: Network | undefined // the network the last step made
  let spare: Network | undefined // a network these steps made that nothing holds any more
  /** Asks the workers for batch `b`'s shards, the step that takes it being `step` (counted from 1 over the run). */
  const ask = (net: Network, b: number, step: number, written: boolean): Promise<ReadonlyArray<ShardResult>> => {
    const [, ...rest] = shardsOf(b)
    const [, ...next] = shardsOf(b + 1)
    if (rest.length === 0) return Promise.resolve([])
    const answers = workers.gradients(net, rest, next, written, `step ${step} (epoch ${epoch}, batch ${b + 1} of ${batches})`)
    answers.catch(() => undefined) // read by the next step; kept from going unhandled when the run stops first
    return answers
  }
  return async (st, b) => {
    const [first, ...rest] = shardsOf(b)
    const others = pending ?? ask(st.network, b, st.step + 1, false)
    const own = ahead ?? gatherOwn(first!)
    const mine = gradients(st.network, cfg.loss, own.inputs, own.targets)
    const [following] = shardsOf(b + 1)
    ahead = following === undefined ? undefined : gatherOwn(following)
    const answer = rest.length === 0 ? [] : await stop.race(others)
    if (answer === 'aborted') return 'aborted'
    // every answer is in: the workers read no parameter until they are asked again, so the step may write the next ones where they read them
    const flat = b + 1 < batches ? workers.sharedParameters() : undefined
    const taken = apply(st, [{ loss: mine.loss, gradients: mine.gradients, size: own.inputs.cols }, ...answer], { spare, flat })
    pending = b + 1 < batches ? ask(taken.state.network, b + 1, taken.state.step + 1, taken.written) : undefined
    // the caller lets go of this step's network `st.network` when it asks for the next step: then, if these steps made it, the step after may write over it
    spare = st.network === last && st.network !== taken.state.network ? st.network : undefined
    last = taken.state.network
    return { state: taken.state, finite: taken.finite, size: Math.min(cfg.batchSize, order.length - b * cfg.batchSize) }
  }
}

/**
 * The measures of the network on a data set (`measure`'s), its chunks shared among this
 * thread and the workers: contiguous groups of chunks, the first group here. The scores of
 * every chunk are folded in chunk order, as `measure` folds them: the same bits as measuring
 * on one thread. `'aborted'` when the signal fires before the workers answer.
 */
const parallelMeasure = async (
  cfg: Config,
  set: SampleSet,
  held: Iterable<Batch>,
  workers: Pool,
  stop: Abortion,
  clock: Turns,
  net: Network,
  epoch: number
): Promise<Measures | 'aborted'> => {
  const chunks = chunkRanges(set.size)
  const [mine, ...others] = shardBounds(chunks.length, cfg.workers).map(([lo, hi]) => chunks.slice(lo, hi))
  const theirs = others.length === 0 ? Promise.resolve([]) : workers.scores(net, others, `the measures of epoch ${epoch}`)
  theirs.catch(() => undefined) // read below; kept from going unhandled if this thread's chunks throw first
  // this thread's chunks come first: those of a set held for the run (cut once), else each gathered as it is scored (one chunk's copy at a time)
  const ownChunks = function* (): Generator<Batch> {
    for (const [c, [from, to]] of mine!.entries()) yield Array.isArray(held) ? (held as Batch[])[c]! : gatherSamples(set, range(from, to))
  }
  const own = await scoresInTurns(net, cfg, ownChunks(), clock)
  if (own === 'aborted') return 'aborted'
  const answer = others.length === 0 ? [] : await stop.race(theirs)
  if (answer === 'aborted') return 'aborted'
  return foldScores([...own, ...answer.flat()], cfg.classes)
}

/**
 * The epochs after `start`, asynchronously; each iteration replays the run from `start`, with
 * a pool of its own (started at the first batch, ended with the iteration, however it ends)
 * when `cfg.workers` > 1. `spawn` starts a worker; the caller has checked that there is one
 * when workers are asked for.
 *
 * @internal
 */
export const unfoldAsync = <S>(
  cfg: Config,
  start: Position<S>,
  spawn: (() => WorkerPort) | undefined
): AsyncIterable<E.Either<TrainError, EpochState<S>>> => ({
  async *[Symbol.asyncIterator]() {
    const step = trainStep(cfg.loss, cfg.optimizer as GradientTransformation<S>)
    const apply = shardStep(cfg.optimizer as GradientTransformation<S>) // the second half of trainStep, for a batch in shards
    const permute = permuter(cfg)
    const measuredSet = cfg.validation ?? cfg.train // Error and losses are measured there
    const measured = chunksOf(measuredSet)
    const signal = cfg.signal
    const stop = abortion(signal)
    const clock = turns(now)
    const gatherOwn = gatherer(cfg.train) // this thread's shards, gathered by turns into two buffers of the run's
    const workers =
      cfg.workers > 1 && spawn !== undefined ? pool(spawn, cfg.workers - 1, { loss: cfg.loss, data: cfg.train, measured: measuredSet, network: start.network }) : undefined
    try {
      let at = start
      while (!finished(cfg, at)) {
        const epoch = shuffle(permute, at)
        const batches = batchCount(cfg)
        const group = groupSize(cfg)
        let gathered: Batch[] = [] // batches `from … from + group − 1` of the epoch, gathered a group at a time as the synchronous loop does
        let st: TrainState<S> = { network: at.network, opt: at.optimizerState, rng: epoch.rng, step: at.step }
        let sum = 0 // Σ over batches of (batch loss · batch size)
        const sharded = workers === undefined ? undefined : shardedSteps(cfg, apply, gatherOwn, workers, stop, epoch.order, batches, epoch.epoch)
        for (let b = 0; b < batches; b++) {
          if (clock.due()) await clock.turn()
          if (signal?.aborted === true) {
            yield E.left(aborted(epoch.epoch, st.step, st.network))
            return
          }
          let next: TrainState<S> | 'aborted'
          let size: number
          let finite: true | undefined // every parameter of next's network already checked finite (a fused step)
          if (sharded === undefined) {
            if (b % group === 0) gathered = batchesOf(cfg, epoch, b, Math.min(batches, b + group)) // (with workers, each thread gathers its own shard)
            const batch = gathered[b % group]!
            size = batch.inputs.cols
            next = step(st, batch)
          } else {
            const taken = await sharded(st, b)
            next = taken === 'aborted' ? taken : taken.state
            finite = taken === 'aborted' ? undefined : taken.finite
            size = taken === 'aborted' ? 0 : taken.size
          }
          if (next === 'aborted') {
            yield E.left(aborted(epoch.epoch, st.step, st.network))
            return
          }
          const failed = checkStep(cfg, epoch.epoch, b, batches, st, next, finite)
          if (failed !== undefined) {
            yield E.left(failed)
            return
          }
          sum += next.loss! * size
          st = next
        }
        if (clock.due()) await clock.turn() // measuring can take a while: let the page breathe first
        let m: Measures | 'aborted'
        if (signal?.aborted === true) m = 'aborted' // nor measure for a run that was stopped
        else if (workers === undefined) {
          const all = await scoresInTurns(st.network, cfg, measured(), clock) // `measure`'s scores, folded as it folds them
          m = all === 'aborted' ? all : foldScores(all, cfg.classes)
        } else m = await parallelMeasure(cfg, measuredSet, measured(), workers, stop, clock, st.network, epoch.epoch)
        if (m === 'aborted') {
          yield E.left(aborted(epoch.epoch, st.step, st.network))
          return
        }
        const state = closeEpoch(cfg, m, at, epoch, { network: st.network, opt: st.opt, step: st.step, sum })
        const stopNow = announce(cfg, state.report)
        yield E.right(state)
        if (stopNow) return
        at = state
      }
    } finally {
      workers?.close()
    }
  }
})
