// The embedded WebAssembly binary is what its AssemblyScript source compiles to: rebuilding
// gives the committed module byte for byte, so the two cannot drift apart.
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const script = join(root, 'scripts/build-wasm.mjs')
const committed = join(root, 'src/internal/wasm/binary.ts')
const dir = mkdtempSync(join(tmpdir(), 'purenn-wasm-'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const build = (...args: string[]): { readonly status: number | null; readonly output: string } => {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' })
  return { status: r.status, output: `${r.stdout}${r.stderr}` }
}

describe('scripts/build-wasm.mjs', () => {
  it('compiles the source into exactly the committed module', () => {
    const out = join(dir, 'binary.ts')
    const r = build('--out', out)
    expect(r.output).toContain('wrote')
    expect(r.status).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(committed, 'utf8'))
  })

  it('with --check, refuses a module that differs from the source', () => {
    const stale = join(dir, 'stale.ts')
    writeFileSync(stale, readFileSync(committed, 'utf8').replace(/'A/, "'B"))
    const r = build('--check', '--out', stale)
    expect(r.status).toBe(1)
    expect(r.output).toContain('is stale')
  })
})
