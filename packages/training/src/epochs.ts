/**
 * A training run as a lazy sequence of epochs: an unfold. From where the run stands (the
 * network, the optimizer's state, the generator, the step count), one epoch shuffles the
 * training set with the generator, reduces `trainStep` over its batches, measures the
 * result, and gives the next state. With plain SGD (the optimizer a `learningRate` builds),
 * the batches go through `descend` of `@purenn/network` instead, which takes the same steps
 * with the same bits without building a network per step (see `descendThrough`); on a tiny
 * training set, several epochs go through one descent (see `descendEpochs`). The sequence
 * ends after `numEpochs`, when early stopping runs out of patience, when `onEpoch` returns
 * `'stop'`, or with a `Left` when the run diverges.
 *
 * Nothing happens until the sequence is iterated, and iterating it again replays the same
 * run, bit for bit (callbacks and verbose lines included).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as M from '@purenn/matrix'
import { descend, workspace, type DescentStop, type Network, type Scores, type Workspace } from '@purenn/network'
import { singles, type Batch } from './batches.js'
import { chunksOf, foldScores, measure, type Measures } from './measure.js'
import { decodeOptions, type Config, type TrainOptions } from './options.js'
import type { TrainState } from './trainStep.js'
import { trainSteps } from './trainSteps.js'
import type { GradientTransformation } from './GradientTransformation.js'
import { diverged, type Diverged, type EpochReport, type EpochState, type TrainError } from './types.js'
import type { ScheduleState } from './Schedule.js'
import {
  announce,
  batchCount,
  batchesOf,
  closeEpoch,
  epochReport,
  epochsPerGroup,
  finished,
  groupSize,
  now,
  NOT_FINITE,
  permuter,
  shuffle,
  type Permute,
  type Position,
  type Shuffled,
  type Trained
} from './internal/epoch.js'
import { isSgdState, sgdRate, type SgdRate } from './internal/sgdStep.js'
import { builtinsOnly } from './internal/builtins.js'

/** The loop an epoch runs its batches through (`trainSteps`, kept for the run). */
type Step<S> = ReturnType<typeof trainSteps<S>>

/**
 * Takes the epoch's steps with `trainSteps`, a group of batches at a time (`groupSize`): the fold
 * of `trainStep` over them, stopping with a `Diverged` (the network before the step) should a
 * loss or a parameter leave the finite numbers, and telling `onBatch` after each step.
 */
const stepThrough = <S>(cfg: Config, steps: Step<S>, epoch: Shuffled, at: Position<S>): E.Either<Diverged, Trained<S>> => {
  const batches = batchCount(cfg)
  const group = groupSize(cfg)
  const onBatch = cfg.onBatch
  let st: TrainState<S> = { network: at.network, opt: at.optimizerState, rng: epoch.rng, step: at.step }
  let sum = 0 // Σ over batches of (batch loss · batch size), in order
  for (let from = 0; from < batches; from += group) {
    const bs = batchesOf(cfg, epoch, from, Math.min(batches, from + group))
    const before = st.step
    const r = steps(st, bs, (k, loss) => {
      sum += loss * bs[k]!.inputs.cols
      if (onBatch !== undefined) onBatch({ epoch: epoch.epoch, batch: from + k + 1, batches, step: before + k + 1, loss })
    })
    const stop = r.stopped
    if (stop !== undefined) return E.left(diverged(epoch.epoch, r.state.step, r.state.network, stop.reason === 'loss' ? `the loss is ${stop.loss}` : NOT_FINITE))
    st = r.state
  }
  return E.right({ network: st.network, opt: st.opt, step: st.step, sum })
}

/**
 * The learning rate of a descent whose step 0 is the optimizer's step `count`:
 * `scaleByLearningRate` reads η at its count, one more each step.
 */
const rateFrom = (rate: SgdRate, count: number): number | ((b: number) => number) => rate.constant ?? ((b) => rate.schedule(count + b))

/** `sum` plus, one after the other, each of batches `from … to − 1`'s (loss · size): an epoch's training loss, added up in batch order. */
const lossSum = (losses: ReadonlyArray<number>, batches: ReadonlyArray<Batch>, from: number, to: number, sum = 0): number => {
  for (let b = from; b < to; b++) sum += losses[b]! * batches[b]!.inputs.cols
  return sum
}

/** The `Diverged` of a descent that stopped in epoch `epoch`, after `step` steps of the run: with the last finite network. */
const divergedAt = (epoch: number, step: number, stop: DescentStop, network: Network): Diverged =>
  diverged(epoch, step, network, stop.reason === 'loss' ? `the loss is ${stop.loss}` : NOT_FINITE)

/**
 * The fast path of an epoch for an optimizer built by `sgd` (the one `learningRate` builds):
 * the batches go through `descend`, a group at a time (`groupSize`), whose steps update
 * private buffers instead of building a network each. It must agree with `stepThrough` over
 * `trainStep`, bit for bit, and does: `descend` takes the same steps θ + (−η)·g with η read
 * from the same schedule at the same count (the state's count plus the steps taken), checks the
 * same losses and parameters in the same order, calls `onBatch` with the same progress, and the
 * state it leaves counts the same steps. The last group also scores the network on `scoreOn`.
 */
const descendThrough = (
  cfg: Config,
  rate: SgdRate,
  count: number,
  epoch: Shuffled,
  at: Position<unknown>,
  scoreOn: ReadonlyArray<Batch> | undefined,
  ws: Workspace
): E.Either<Diverged, Trained<readonly [ScheduleState]> & { readonly scores: ReadonlyArray<Scores> | undefined }> => {
  const onBatch = cfg.onBatch
  const batches = batchCount(cfg)
  const group = groupSize(cfg)
  let network = at.network
  let taken = 0 // steps of the epoch taken so far
  let sum = 0 // Σ over batches of (batch loss · batch size), in order
  let scores: ReadonlyArray<Scores> | undefined
  for (let from = 0; from < batches; from += group) {
    const to = Math.min(batches, from + group)
    const bs = batchesOf(cfg, epoch, from, to)
    const before = taken
    const r = descend(network, {
      workspace: ws,
      loss: cfg.loss,
      batches: bs,
      learningRate: rateFrom(rate, count + before),
      onStep:
        onBatch === undefined ? undefined : (b, loss) => onBatch({ epoch: epoch.epoch, batch: before + b + 1, batches, step: at.step + before + b + 1, loss }),
      scoreOn: to === batches ? scoreOn : undefined // the measured set, scored with the last group when it is held whole (see runEpoch)
    })
    const stop = r.stopped
    if (stop !== undefined) return E.left(divergedAt(epoch.epoch, at.step + before + stop.step, stop, r.network))
    sum = lossSum(r.losses, bs, 0, r.losses.length, sum) // added on in order, not as a group's subtotal
    taken += r.losses.length
    network = r.network
    scores = r.scores
  }
  return E.right({ network, opt: [{ count: count + taken }], step: at.step + taken, sum, scores })
}

/** The count of an `sgd` state whose steps `descendThrough` can take, else undefined (the general path). */
const sgdCount = (cfg: Config, opt: unknown): number | undefined => {
  if (sgdRate(cfg.optimizer) === undefined || !isSgdState(opt)) return undefined
  const count: unknown = opt[0]?.count
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined
}

/**
 * The most parameters a group's checkpoints may hold together (every epoch's network of a
 * group lives until the group's last state has been taken): 2¹⁶ numbers, 512 KiB. A large
 * network on a tiny data set runs its epochs one by one.
 */
const GROUP_PARAMETERS = 65536

/**
 * The most epochs of a run that may go through one descent (`descendEpochs`), worked out once
 * a run: more than one only on a training set of at most half a group of samples
 * (`epochsPerGroup`, such as the tutorial's four XOR samples), measured on a set held whole (cut
 * once a run), with no `onBatch` (whose calls would then come before the reports of earlier
 * epochs), a built-in loss and built-in activations (no code of the caller's runs ahead of the
 * reports of earlier epochs but a learning-rate function), and no more than `GROUP_PARAMETERS`
 * parameters in the group's networks. Otherwise 1: each epoch runs alone.
 *
 * @internal
 */
export const groupLimit = (cfg: Config, net: Network, chunks: Iterable<Batch>): number => {
  if (cfg.onBatch !== undefined || !Array.isArray(chunks) || !builtinsOnly(net, cfg.loss)) return 1
  const parameters = net.layers.reduce((n, l) => n + l.weights.rows * (l.weights.cols + 1), 0)
  return Math.max(1, Math.min(epochsPerGroup(cfg), Math.floor(GROUP_PARAMETERS / parameters)))
}

/**
 * How many epochs from `at` go through one descent: up to `limit` (`groupLimit`) for plain SGD,
 * never past `numEpochs`; 1 for another optimizer.
 *
 * @internal
 */
export const epochsAtOnce = (cfg: Config, at: Position<unknown>, limit: number): number =>
  limit > 1 && sgdCount(cfg, at.optimizerState) !== undefined ? Math.min(limit, cfg.numEpochs - at.epoch) : 1

/**
 * Epochs run together, as the unfold hands them on: their reports in order, the state of
 * epoch `i` of them, built when asked (a run that reads only the reports, `train`, asks for the
 * state of the epoch it ends on and of a group's last, whose network the next group starts
 * from), and the divergence that ended them, if one did (after the epochs reported).
 */
interface Group<S> {
  readonly reports: ReadonlyArray<EpochReport>
  readonly stateAt: (i: number) => EpochState<S>
  readonly diverged: Diverged | undefined
}

/** The group of one epoch run alone (`runEpoch`). */
const alone = <S>(result: E.Either<Diverged, EpochState<S>>): Group<S> =>
  E.isLeft(result)
    ? { reports: [], stateAt: () => undefined as never, diverged: result.left } // no state to ask for
    : { reports: [result.right.report], stateAt: () => result.right, diverged: undefined }

/**
 * `n` epochs of plain SGD from `at` in one call of `descend`: each epoch shuffled from the
 * generator the one before left (as `runEpoch` shuffles), their batches in one sequence, the
 * network measured on the measured set after each epoch's last step. An epoch of four steps
 * costs about as much as setting up a descent, a network and a measure, so this is what keeps
 * a run on a tiny data set from paying that every epoch.
 *
 * With `networks`, every epoch's network is kept (a checkpoint, `checkpointEvery`). Without,
 * only its scores are taken (`scoreEvery`), no network built: the group's last network is the
 * descent's, and the network of an epoch inside the group, needed only when the run ends
 * there (`onEpoch` said `'stop'`), is computed again by descending from `at` to that epoch's
 * last step (the same steps, so the same bits).
 *
 * The states are those `runEpoch` gives epoch after epoch, bit for bit: the same permutations,
 * the same steps with η read from the schedule at the same counts, the same checks, the
 * network measured by the same passes (`scoreOn`, as `descendThrough` scores its last group).
 * Only the reports' `ms` differ in kind: the epochs share the group's time equally. A
 * divergence ends the group (its `diverged`, after the epochs before it), as `runEpoch` would
 * give it in its epoch.
 */
const descendEpochs = (
  cfg: Config,
  rate: SgdRate,
  count: number,
  permute: Permute,
  scoreOn: ReadonlyArray<Batch>,
  at: Position<unknown>,
  n: number,
  networks: boolean,
  ws: Workspace
): Group<readonly [ScheduleState]> => {
  const started = now()
  const per = batchCount(cfg)
  const shuffled = new Array<Shuffled>(n) // at their sizes: grown by push, they would be copied as they grow, every group
  const batches = new Array<Batch>(n * per)
  let before: { readonly epoch: number; readonly rng: M.Rng } = at
  const single = cfg.batchSize === 1 ? singles(cfg.train) : undefined // per-sample SGD: each batch a sample's, looked up (as batchesOf does)
  for (let e = 0; e < n; e++) {
    const epoch = shuffle(permute, before, started) // Fisher–Yates from the generator the epoch before left
    if (single !== undefined) for (let b = 0; b < per; b++) batches[e * per + b] = single(epoch.order[b]!)
    else {
      const bs = batchesOf(cfg, epoch, 0, per)
      for (let b = 0; b < per; b++) batches[e * per + b] = bs[b]!
    }
    shuffled[e] = epoch
    before = epoch
  }
  const learningRate = rateFrom(rate, count)
  const r = descend(at.network, { workspace: ws, loss: cfg.loss, batches, learningRate, scoreOn, ...(networks ? { checkpointEvery: per } : { scoreEvery: per }) })
  const points: ReadonlyArray<{ readonly steps: number; readonly scores?: ReadonlyArray<Scores> | undefined }> = networks ? r.checkpoints! : r.curve!
  const ms = (now() - started) / (r.stopped === undefined ? n : points.length + 1) // each epoch run, an equal share
  const measuresAt = (e: number): Measures => foldScores(points[e]!.scores!, cfg.classes)
  /** Epoch `e`'s training loss sum, Σ (batch loss · batch size) over its batches, in order. */
  const sumAt = (e: number): number => lossSum(r.losses, batches, points[e]!.steps - per, points[e]!.steps)
  /** Where epoch `e` of the group leaves the run, given its network. */
  const trained = (e: number, network: Network): Trained<readonly [ScheduleState]> => {
    const steps = points[e]!.steps
    return { network, opt: [{ count: count + steps }], step: at.step + steps, sum: sumAt(e) }
  }
  const stop = r.stopped
  const diverged = stop === undefined ? undefined : divergedAt(shuffled[points.length]!.epoch, at.step + stop.step, stop, r.network)
  if (networks) {
    const states: Array<EpochState<readonly [ScheduleState]>> = []
    for (let e = 0; e < points.length; e++) {
      const prev = e === 0 ? (at as Position<readonly [ScheduleState]>) : states[e - 1]! // its best epoch, with early stopping
      states.push(closeEpoch(cfg, measuresAt(e), prev, shuffled[e]!, trained(e, r.checkpoints![e]!.network), ms))
    }
    return { reports: states.map((st) => st.report), stateAt: (e) => states[e]!, diverged }
  }
  // no early stopping here (see unfoldWith): of the state before an epoch, only its place is read
  const reports: EpochReport[] = []
  for (let e = 0; e < points.length; e++) reports.push(epochReport(cfg, measuresAt(e), shuffled[e]!, sumAt(e), ms))
  /** The network after epoch `e` of the group: the descent's after its last, else descending again that far. */
  const networkAfter = (e: number): Network => {
    const steps = points[e]!.steps
    return steps === r.losses.length ? r.network : descend(at.network, { workspace: ws, loss: cfg.loss, batches: batches.slice(0, steps), learningRate }).network
  }
  return { reports, stateAt: (e) => closeEpoch(cfg, measuresAt(e), at as Position<readonly [ScheduleState]>, shuffled[e]!, trained(e, networkAfter(e)), ms), diverged }
}

/**
 * Runs one epoch from `at` (the pieces of `internal/epoch.ts`, which `epochsAsync` runs its
 * epochs with too): a `Left` if it diverges, else the epoch's state.
 */
const runEpoch = <S>(cfg: Config, step: Step<S>, permute: Permute, measured: () => Iterable<Batch>, at: Position<S>, ws: Workspace): E.Either<Diverged, EpochState<S>> => {
  const epoch = shuffle(permute, at) // Fisher–Yates from the run's generator
  const count = sgdCount(cfg, at.optimizerState)
  const chunks = measured()
  let scored: ReadonlyArray<Scores> | undefined // the measured set's scores, when the descent took them
  let trained: E.Either<Diverged, Trained<S>>
  if (count === undefined) trained = stepThrough(cfg, step, epoch, at)
  else {
    // a measured set held whole (cut into chunks once a run, see chunksOf) is scored by the descent itself, on buffers it already holds
    const sgd = descendThrough(cfg, sgdRate(cfg.optimizer)!, count, epoch, at as Position<unknown>, Array.isArray(chunks) ? (chunks as Batch[]) : undefined, ws)
    if (E.isRight(sgd)) scored = sgd.right.scores
    trained = sgd as unknown as E.Either<Diverged, Trained<S>>
  }
  if (E.isLeft(trained)) return trained
  const st = trained.right
  const m = scored === undefined ? measure(st.network, chunks, cfg.loss, cfg.classes) : foldScores(scored, cfg.classes)
  return E.right(closeEpoch(cfg, m, at, epoch, st))
}

/**
 * What the consumer of a run reads: `'states'`, every epoch's state (`epochs`); `'reports'`,
 * every epoch's report, and the state only of the epoch the run ends on and of those a group
 * of epochs ends on (`train`, which returns the last network and the reports). Without early
 * stopping (whose best epoch keeps its network), a `'reports'` run builds no network for the
 * other epochs of a group, and hands on their reports together, once the group's last epoch or
 * the run's is known (the verbose lines and `onEpoch` still come one epoch at a time, in order).
 */
type Reads = 'states' | 'reports'

/** The epochs after `start`, lazily; each iteration replays them from `start`. Each item is an epoch's state, or with `'reports'`, possibly the reports of several epochs before a state (see `Reads`). */
const unfoldWith = <S>(cfg: Config, start: Position<S>, reads: Reads): Iterable<E.Either<TrainError, EpochState<S> | ReadonlyArray<EpochReport>>> => {
  const step: Step<S> = trainSteps(cfg.loss, cfg.optimizer as GradientTransformation<S>)
  const permute = permuter(cfg)
  const measured = chunksOf(cfg.validation ?? cfg.train) // Error and losses are measured there
  const rate = sgdRate(cfg.optimizer)
  const reportsOnly = reads === 'reports' && cfg.earlyStopping === undefined
  return {
    *[Symbol.iterator]() {
      let at = start
      const ws = workspace() // the run's scratch and written-out kernels, for every descent it takes
      const limit = groupLimit(cfg, start.network, measured())
      while (!finished(cfg, at)) {
        const n = epochsAtOnce(cfg, at, limit)
        const group =
          n > 1
            ? (descendEpochs(cfg, rate!, sgdCount(cfg, at.optimizerState)!, permute, measured() as Batch[], at, n, !reportsOnly, ws) as unknown as Group<S>)
            : alone(runEpoch(cfg, step, permute, measured, at, ws))
        const { reports, diverged } = group
        let from = 0 // with 'reports', the first epoch of the group not handed on yet
        for (let i = 0; i < reports.length; i++) {
          const stop = announce(cfg, reports[i]!) // the verbose line, then onEpoch
          if (reportsOnly && !stop && (i < reports.length - 1 || diverged !== undefined)) continue // an epoch inside a group, the run going on: its network is not read
          if (from < i) yield E.right(reports.slice(from, i)) // the reports of the epochs before this one
          from = i + 1
          const state = group.stateAt(i)
          yield E.right(state)
          if (stop) return
          at = state
          if (finished(cfg, at)) return // early stopping ran out of patience before the group's last epoch
        }
        if (diverged !== undefined) {
          if (from < reports.length) yield E.right(reports.slice(from))
          yield E.left(diverged)
          return
        }
      }
    }
  }
}

/**
 * The epochs after `start`, lazily, as states; each iteration replays them from `start`.
 *
 * @internal
 */
export const unfold = <S>(cfg: Config, start: Position<S>): Iterable<E.Either<TrainError, EpochState<S>>> =>
  unfoldWith(cfg, start, 'states') as Iterable<E.Either<TrainError, EpochState<S>>> // with 'states', every item is a state

/**
 * The epochs after `start` as `train` reads them: every epoch's report, and the states of the
 * epoch the run ends on and of the last epoch of each group (see `Reads`); each iteration
 * replays them from `start`.
 *
 * @internal
 */
export const unfoldReports = <S>(cfg: Config, start: Position<S>): Iterable<E.Either<TrainError, EpochState<S> | ReadonlyArray<EpochReport>>> =>
  unfoldWith(cfg, start, 'reports')

/**
 * The state a run starts from: epoch 0, the optimizer initialised, the generator seeded.
 *
 * @internal
 */
export const startOf = (cfg: Config, network: Network): Position<unknown> => ({
  epoch: 0,
  step: 0,
  network,
  optimizerState: cfg.optimizer.init(network),
  rng: M.rng(cfg.seed)
})

/**
 * A training run as a lazy sequence of epochs (an unfold): `Left` of `InvalidOptions` if the
 * options cannot be used, else an iterable whose items are the epochs' states, in order. A
 * diverging run ends with a `Left` of `Diverged` carrying the last finite network. See
 * `TrainOptions` for the options; `train` is a fold over this sequence.
 *
 * @example
 * import * as E from 'fp-ts/Either'
 * import { epochs } from '@purenn/training'
 * const run = epochs({ trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]], numEpochs: 1000, learningRate: 0.1 })(net)
 * if (E.isRight(run)) for (const item of run.right) {
 *   if (E.isLeft(item)) break // diverged: item.left.network is the last finite one
 *   if (item.right.report.error < 0.1) break // a stopping rule of one's own
 * }
 *
 * @category training
 * @since 0.1.0
 */
export const epochs =
  <S = unknown>(options: TrainOptions<S>) =>
  (net: Network): E.Either<TrainError, Iterable<E.Either<TrainError, EpochState<S>>>> =>
    pipe(
      decodeOptions(options, net),
      E.map((cfg) => unfold(cfg, startOf(cfg, net) as Position<S>))
    )

/**
 * The epochs that follow an epoch state, lazily: how a run goes on from a checkpoint. With
 * the options of the original run, the states are those the uninterrupted run gives, bit for
 * bit (`numEpochs` counts from the start of the run, not from the checkpoint).
 *
 * @example
 * import { epochsFrom, decodeCheckpoint } from '@purenn/training'
 * // pipe(decodeCheckpoint(json, options.optimizer), E.chain((state) => epochsFrom(options)(state)))
 *
 * @category training
 * @since 0.1.0
 */
export const epochsFrom =
  <S>(options: TrainOptions<S>) =>
  (state: EpochState<S>): E.Either<TrainError, Iterable<E.Either<TrainError, EpochState<S>>>> =>
    pipe(
      decodeOptions(options, state.network),
      E.map((cfg) => unfold(cfg, state))
    )
