// The waits of an asynchronous run that an abort cuts short (src/async/signal.ts): each wait
// listens only while it lasts, so that nothing a run waited for stays reachable from the signal.
import { describe, expect, it } from 'vitest'
import { abortion, type AbortSignalLike } from '../src/async/signal.js'

/** An AbortController's signal that also counts its listeners. */
const counted = (): { controller: AbortController; signal: AbortSignalLike; listeners: () => number } => {
  const controller = new AbortController()
  let n = 0
  const signal: AbortSignalLike = {
    get aborted() {
      return controller.signal.aborted
    },
    addEventListener: (type, listener) => {
      n++
      controller.signal.addEventListener(type, listener)
    },
    removeEventListener: (type, listener) => {
      n--
      controller.signal.removeEventListener(type, listener)
    }
  }
  return { controller, signal, listeners: () => n }
}

describe('abortion', () => {
  it('gives the answer and stops listening once a wait ends, answered or failed', async () => {
    const { signal, listeners } = counted()
    const stop = abortion(signal)
    for (let k = 0; k < 5; k++) expect(await stop.race(Promise.resolve(k))).toBe(k)
    await expect(stop.race(Promise.reject(new Error('a worker failed')))).rejects.toThrow('a worker failed')
    expect(listeners()).toBe(0)
  })

  it('ends a wait when the signal fires, and at once when it has already fired', async () => {
    const { controller, signal, listeners } = counted()
    const stop = abortion(signal)
    let answer!: (v: number) => void
    const waiting = stop.race(new Promise<number>((resolve) => (answer = resolve)))
    expect(listeners()).toBe(1)
    controller.abort()
    expect(await waiting).toBe('aborted')
    answer(1) // the answer that comes after the abort is dropped, and the listener with it
    await Promise.resolve()
    expect(listeners()).toBe(0)
    expect(await stop.race(new Promise<number>(() => undefined))).toBe('aborted')
    expect(listeners()).toBe(0)
  })

  it('without a signal, a wait is the promise itself', async () => {
    const p = Promise.resolve(3)
    expect(abortion(undefined).race(p)).toBe(p)
  })
})
