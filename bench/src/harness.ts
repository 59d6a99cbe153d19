/**
 * Timing helpers for the benchmark suite. The machine is shared and noisy, so every figure
 * is a median of several repetitions after a warm-up, and every claim is a ratio against a
 * baseline measured in the same run.
 */
import { cpus } from 'node:os'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

/** The median of a non-empty list of numbers. */
export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * Warms up a timed call (at least twice, and for at least `warmup` seconds), then returns the
 * number of calls a repetition needs to take about `target` seconds. `once` runs the call once
 * and returns the seconds it took.
 */
export const calibrate = (once: () => number, warmup: number, target: number): number => {
  let n = 0
  let spent = 0
  while (n < 2 || spent < warmup) {
    spent += once()
    n++
  }
  return Math.max(1, Math.round(target / (spent / n)))
}

/** Runs `f` `warmup` times untimed, then `reps` times timed; returns each timed run's milliseconds. */
export const timeRuns = (f: () => void, reps: number, warmup = 1): number[] => {
  for (let i = 0; i < warmup; i++) f()
  const out: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    f()
    out.push(performance.now() - t0)
  }
  return out
}

/** The async twin of `timeRuns`, for peers whose training returns promises (tfjs's `fit`). */
export const timeRunsAsync = async (f: () => Promise<void>, reps: number, warmup = 1): Promise<number[]> => {
  for (let i = 0; i < warmup; i++) await f()
  const out: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    await f()
    out.push(performance.now() - t0)
  }
  return out
}

/** A markdown table from a header and rows of cells. */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`)
  ].join('\n')

/** Formats a number with `digits` significant digits, for tables. */
export const fmt = (x: number, digits = 3): string =>
  !Number.isFinite(x) ? '–' : Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(digits)).toString()

/** `a / b` as a ratio cell, e.g. `4.2x`. */
export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, 3)}x` : '–')

const require = createRequire(import.meta.url)

/** The installed version of a package (as resolved from the bench package), or `?`. */
export const versionOf = (name: string): string => {
  try {
    const path = require.resolve(`${name}/package.json`)
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
  } catch {
    return '?'
  }
}

/** A one-paragraph description of the machine, for BENCHMARKS.md. */
export const machine = (): string => {
  const cpu = cpus()
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`
}

/**
 * What went wrong, for a log: the error's stack (its message first), then each of its causes
 * in turn (`Error.cause`), the way `trainAsync`'s worker failures chain theirs; a thrown value
 * that is not an `Error` as it prints.
 */
export const describeError = (error: unknown): string => {
  const lines: string[] = []
  let e: unknown = error
  for (let depth = 0; e !== undefined && depth < 8; depth++) {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e)
    lines.push(depth === 0 ? text : `caused by: ${text}`)
    e = e instanceof Error ? e.cause : undefined
  }
  return lines.join('\n')
}

/**
 * Runs a benchmark module's `run` when that module is the script Node was started with
 * (`node bench/dist/products.js [--quick]`), printing its table, or its error with exit code 1.
 */
export const runAsScript = (moduleUrl: string, run: (options: { quick: boolean }) => Promise<string>): void => {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return
  run({ quick: process.argv.includes('--quick') }).then(
    (table) => console.log(table),
    (error: unknown) => {
      console.error(describeError(error))
      process.exitCode = 1
    }
  )
}
