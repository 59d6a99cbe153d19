// Some tests run the built packages, not the sources: a worker thread and a browser run
// JavaScript, so `@purenn/training/node`'s workers and the browser tests load `dist/`. Before any
// test runs, bring every package's build up to date, so that `pnpm test` (or `vitest run`) works
// on a fresh clone with nothing built first. `tsc -b` is incremental: on a built tree it only
// checks timestamps.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export default function setup(): void {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
  try {
    execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`the build before the tests failed (tsc -b tsconfig.build.json):\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
}
