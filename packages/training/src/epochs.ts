/**
 * A training run as a lazy sequence of epochs: an unfold. From where the run stands (the
 * network, the optimizer's state, the generator, the step count), one epoch shuffles the
 * training set with the generator, reduces `trainStep` over its batches, measures the
 * result, and gives the next state. The steps are `trainSteps`'s (on the engine for an
 * optimizer of built-in links: the same bits, without a network per step); on a tiny training
 * set, several epochs go through one run of steps (see `groupEpochs`). The sequence
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
import type { Network, Scores } from '@purenn/network'
import { singles, type Batch } from './batches.js'
import { chunksOf, foldScores, measure, type Measures } from './measure.js'
import { decodeOptions, type Config, type TrainOptions } from './options.js'
import type { TrainState } from './TrainState.js'
import { stepsWith, type StepsStop } from './trainSteps.js'
import type { GradientTransformation } from './GradientTransformation.js'
import { diverged, type Diverged, type EpochReport, type EpochState, type TrainError } from './types.js'
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
import { builtinsOnly } from './internal/builtins.js'

/** The loop an epoch runs its batches through (`stepsWith`, kept for the run). */
type Steps<S> = ReturnType<typeof stepsWith<S>>

/** `sum` plus, one after the other, each of batches `from … to − 1`'s (loss · size): an epoch's training loss, added up in batch order. */
const lossSum = (losses: ReadonlyArray<number>, batches: ReadonlyArray<Batch>, from: number, to: number, sum = 0): number => {
  for (let b = from; b < to; b++) sum += losses[b]! * batches[b]!.inputs.cols
  return sum
}

/** The `Diverged` of steps that stopped in epoch `epoch`, after `step` steps of the run: with the last finite network. */
const divergedAt = (epoch: number, step: number, stop: StepsStop, network: Network): Diverged =>
  diverged(epoch, step, network, stop.reason === 'loss' ? `the loss is ${stop.loss}` : NOT_FINITE)

/**
 * Takes the epoch's steps, a group of batches at a time (`groupSize`): the fold of `trainStep`
 * over them (on the engine for an optimizer of built-in links, see `trainSteps`), stopping with
 * a `Diverged` (the network before the step) should a loss or a parameter leave the finite
 * numbers, and telling `onBatch` after each step. On the engine, the last group also scores
 * the network on `scoreOn` (the measured set, when it is held whole).
 */
const stepThrough = <S>(
  cfg: Config,
  steps: Steps<S>,
  epoch: Shuffled,
  at: Position<S>,
  scoreOn: ReadonlyArray<Batch> | undefined
): E.Either<Diverged, Trained<S> & { readonly scores: ReadonlyArray<Scores> | undefined }> => {
  const batches = batchCount(cfg)
  const group = groupSize(cfg)
  const onBatch = cfg.onBatch
  let st: TrainState<S> = { network: at.network, opt: at.optimizerState, rng: epoch.rng, step: at.step }
  let sum = 0 // Σ over batches of (batch loss · batch size), in order
  let scores: ReadonlyArray<Scores> | undefined
  for (let from = 0; from < batches; from += group) {
    const to = Math.min(batches, from + group)
    const bs = batchesOf(cfg, epoch, from, to)
    const before = st.step
    const r = steps.run(st, bs, {
      trusted: true, // cut from the decoded training set
      onStep: onBatch === undefined ? undefined : (k, loss) => onBatch({ epoch: epoch.epoch, batch: from + k + 1, batches, step: before + k + 1, loss }),
      scoreOn: to === batches ? scoreOn : undefined
    })
    sum = lossSum(r.losses, bs, 0, r.losses.length, sum) // added on in order, not as a group's subtotal
    if (r.stopped !== undefined) return E.left(divergedAt(epoch.epoch, r.state.step, r.stopped, r.state.network))
    st = r.state
    scores = r.engine?.scores
  }
  return E.right({ network: st.network, opt: st.opt, step: st.step, sum, scores })
}

/**
 * The most parameters a group's checkpoints may hold together (every epoch's network of a
 * group lives until the group's last state has been taken): 2¹⁶ numbers, 512 KiB. A large
 * network on a tiny data set runs its epochs one by one.
 */
const GROUP_PARAMETERS = 65536

/**
 * The most epochs of a run that may go through one run of steps (`groupEpochs`), worked out
 * once a run: more than one only on a training set of at most half a group of samples
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
 * How many epochs from `at` go through one run of steps: up to `limit` (`groupLimit`) for an
 * optimizer of built-in links whose state the engine reads (`fits`), never past `numEpochs`; 1
 * for another optimizer, whose `update` is code of the caller's.
 *
 * @internal
 */
export const epochsAtOnce = (cfg: Config, at: Position<unknown>, limit: number, fits: boolean): number =>
  limit > 1 && fits ? Math.min(limit, cfg.numEpochs - at.epoch) : 1

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
 * `n` epochs from `at` in one run of steps on the engine: each epoch shuffled from the
 * generator the one before left (as `runEpoch` shuffles), their batches in one sequence, the
 * network measured on the measured set after each epoch's last step. An epoch of four steps
 * costs about as much as setting up a run, a network and a measure, so this is what keeps a
 * run on a tiny data set from paying that every epoch.
 *
 * With `networks`, every epoch's state is kept (a checkpoint, `checkpointEvery`). Without,
 * only its scores are taken (`scoreEvery`), no network built: the group's last state is the
 * run's, and the state of an epoch inside the group, needed only when the run ends there
 * (`onEpoch` said `'stop'`), is computed again by stepping from `at` to that epoch's last step
 * (the same steps, so the same bits).
 *
 * The states are those `runEpoch` gives epoch after epoch, bit for bit: the same permutations,
 * the same steps, the same checks, the network measured by the same passes (`scoreOn`, as
 * `stepThrough` scores its last group). Only the reports' `ms` differ in kind: the epochs share
 * the group's time equally. A divergence ends the group (its `diverged`, after the epochs
 * before it), as `runEpoch` would give it in its epoch.
 */
const groupEpochs = <S>(cfg: Config, steps: Steps<S>, permute: Permute, scoreOn: ReadonlyArray<Batch>, at: Position<S>, n: number, networks: boolean): Group<S> => {
  const started = now()
  const per = batchCount(cfg)
  const shuffled = new Array<Shuffled>(n) // at their sizes: grown by push, they would be copied as they grow, every group
  const batches = new Array<Batch>(n * per)
  let before: { readonly epoch: number; readonly rng: M.Rng } = at
  const single = cfg.batchSize === 1 ? singles(cfg.train) : undefined // per-sample steps: each batch a sample's, looked up (as batchesOf does)
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
  const start: TrainState<S> = { network: at.network, opt: at.optimizerState, rng: at.rng, step: at.step }
  const r = steps.run(start, batches, { trusted: true, scoreOn, ...(networks ? { checkpointEvery: per } : { scoreEvery: per }) })
  const run = r.engine! // a group is run only on the engine (epochsAtOnce)
  const points: ReadonlyArray<{ readonly steps: number; readonly scores?: ReadonlyArray<Scores> | undefined }> = networks ? run.checkpoints : run.curve
  const ms = (now() - started) / (r.stopped === undefined ? n : points.length + 1) // each epoch run, an equal share
  const measuresAt = (e: number): Measures => foldScores(points[e]!.scores!, cfg.classes)
  /** Epoch `e`'s training loss sum, Σ (batch loss · batch size) over its batches, in order. */
  const sumAt = (e: number): number => lossSum(r.losses, batches, points[e]!.steps - per, points[e]!.steps)
  /** Where epoch `e` of the group leaves the run, given its state. */
  const trained = (e: number, st: { readonly network: Network; readonly opt: unknown; readonly step: number }): Trained<S> => ({
    network: st.network,
    opt: st.opt as S,
    step: st.step,
    sum: sumAt(e)
  })
  const stop = r.stopped
  const diverged = stop === undefined ? undefined : divergedAt(shuffled[points.length]!.epoch, at.step + stop.step, stop, r.state.network)
  if (networks) {
    const states: Array<EpochState<S>> = []
    for (let e = 0; e < points.length; e++) {
      const prev = e === 0 ? at : states[e - 1]! // its best epoch, with early stopping
      states.push(closeEpoch(cfg, measuresAt(e), prev, shuffled[e]!, trained(e, run.checkpoints[e]!.state), ms))
    }
    return { reports: states.map((st) => st.report), stateAt: (e) => states[e]!, diverged }
  }
  // no early stopping here (see unfoldWith): of the state before an epoch, only its place is read
  const reports: EpochReport[] = []
  for (let e = 0; e < points.length; e++) reports.push(epochReport(cfg, measuresAt(e), shuffled[e]!, sumAt(e), ms))
  /** The state after epoch `e` of the group: the run's after its last, else stepping again that far. */
  const stateAfter = (e: number): TrainState<S> => {
    const taken = points[e]!.steps
    return taken === r.losses.length ? r.state : steps.run(start, batches.slice(0, taken), { trusted: true }).state
  }
  return { reports, stateAt: (e) => closeEpoch(cfg, measuresAt(e), at, shuffled[e]!, trained(e, stateAfter(e)), ms), diverged }
}

/**
 * Runs one epoch from `at` (the pieces of `internal/epoch.ts`, which `epochsAsync` runs its
 * epochs with too): a `Left` if it diverges, else the epoch's state.
 */
const runEpoch = <S>(cfg: Config, steps: Steps<S>, permute: Permute, measured: () => Iterable<Batch>, at: Position<S>): E.Either<Diverged, EpochState<S>> => {
  const epoch = shuffle(permute, at) // Fisher–Yates from the run's generator
  const chunks = measured()
  // a measured set held whole (cut into chunks once a run, see chunksOf) is scored by the engine itself, on buffers it already holds
  const trained = stepThrough(cfg, steps, epoch, at, Array.isArray(chunks) ? (chunks as Batch[]) : undefined)
  if (E.isLeft(trained)) return trained
  const st = trained.right
  const m = st.scores === undefined ? measure(st.network, chunks, cfg.loss, cfg.classes) : foldScores(st.scores, cfg.classes)
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
  const steps: Steps<S> = stepsWith(cfg.loss, cfg.optimizer as GradientTransformation<S>)
  const permute = permuter(cfg)
  const measured = chunksOf(cfg.validation ?? cfg.train) // Error and losses are measured there
  const reportsOnly = reads === 'reports' && cfg.earlyStopping === undefined
  return {
    *[Symbol.iterator]() {
      let at = start
      const limit = groupLimit(cfg, start.network, measured())
      while (!finished(cfg, at)) {
        const n = epochsAtOnce(cfg, at, limit, limit > 1 && steps.fits({ network: at.network, opt: at.optimizerState }))
        const group = n > 1 ? groupEpochs(cfg, steps, permute, measured() as Batch[], at, n, !reportsOnly) : alone(runEpoch(cfg, steps, permute, measured, at))
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
 * import { epochs } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const run = epochs({ ...xor, numEpochs: 10_000, learningRate: 0.1 })(net)
 * let last = 0
 * if (E.isRight(run)) for (const item of run.right) {
 *   if (E.isLeft(item)) break // diverged: item.left.network is the last finite one
 *   last = item.right.epoch
 *   if (item.right.report.error < 0.5) break // a stopping rule of one's own
 * }
 * last > 1000 && last < 10_000 // => true
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
 * import { epochs, epochsFrom, encodeCheckpoint, decodeCheckpoint, sgd, type EpochState } from '@purenn/training'
 * import { network, addLayer, randomize, predict, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 4, activation: sigmoid }), addLayer({ nodes: 1, activation: sigmoid }), randomize(-1, 1))(rng(0))
 * const xor = { trainData: [[0, 0], [0, 1], [1, 0], [1, 1]], trainLabels: [[0], [1], [1], [0]] }
 * const options = { ...xor, numEpochs: 6, optimizer: sgd({ learningRate: 0.1 }) }
 * const states = (r: E.Either<unknown, Iterable<E.Either<unknown, EpochState>>>) =>
 *   pipe(r, E.map((items) => [...items].flatMap((i) => (E.isRight(i) ? [i.right] : [])))) // the epochs' states
 * const all = pipe(states(epochs(options)(net)), E.getOrElseW(() => []))
 * const json = JSON.parse(JSON.stringify(encodeCheckpoint(all[2]!))) // a checkpoint after epoch 3
 * const rest = pipe(decodeCheckpoint(json, options.optimizer), E.chain((state) => states(epochsFrom(options)(state))))
 * pipe(rest, E.map((s) => s.map((x) => x.network))) // => E.right(all.slice(3).map((x) => x.network))
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
