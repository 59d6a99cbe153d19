/**
 * Giving the event loop a turn during a run, so that a page keeps answering (clicks, timers,
 * painting) and an abort can arrive. A turn is a fresh task: a `MessageChannel` message where
 * there is one (browsers, Node, Deno, Bun; it is not clamped to 4 ms as nested timers are),
 * else a 0 ms timer. A turn costs tens of microseconds, more than a step of a small network,
 * so a run takes one between two batches (or two measured chunks) once `SLICE_MS` have passed
 * since the last: the thread is never held longer than that plus one batch or chunk.
 *
 * @since 0.1.0
 */

/** How long a run computes before it gives the event loop a turn, in milliseconds (well under a 60 Hz frame). */
export const SLICE_MS = 8

interface Port {
  onmessage: ((event: unknown) => void) | null
  postMessage(message: unknown): void
  close(): void
}

declare const MessageChannel: (new () => { readonly port1: Port; readonly port2: Port }) | undefined
declare const setTimeout: (callback: () => void, ms: number) => unknown

/**
 * Resolves in a fresh task, after whatever the event loop had waiting. The channel is closed
 * once used, so that no handle outlives the turn (a Node process can exit).
 */
export const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(resolve, 0)
      return
    }
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(undefined)
  })

/**
 * A run's clock of turns: `due()` says whether `SLICE_MS` have passed since the last turn;
 * `turn()` takes one. Waiting for something else (a worker's answer) does not count: in Node,
 * the messages of a port are handed over in one go, so a wait whose answer has come already
 * lets nothing else run.
 */
export interface Turns {
  readonly due: () => boolean
  readonly turn: () => Promise<void>
}

/** A clock of turns on the given clock (milliseconds), starting now. */
export const turns = (now: () => number, slice: number = SLICE_MS): Turns => {
  let last = now()
  return {
    due: () => now() - last >= slice,
    turn: async () => {
      await nextTask()
      last = now()
    }
  }
}
