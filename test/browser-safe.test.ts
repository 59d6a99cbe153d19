// The core entry points must run unchanged in browsers: no module they load, directly or
// through other files of the same package, may import a Node built-in. File IO lives in
// separate entry points (e.g. `@purenn/network/node`), which this test leaves out.
import { describe, expect, it } from 'vitest'
import { builtinModules } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))

/** Every import specifier of a TypeScript source (static imports, re-exports, dynamic imports). */
const specifiers = (source: string): string[] =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map(
    (m) => (m[1] ?? m[2] ?? m[3])!
  )

/** Follows relative imports from an entry file; returns each file and the bare modules it imports. */
const walk = (entry: string): Map<string, string[]> => {
  const seen = new Map<string, string[]>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    const bare: string[] = []
    seen.set(file, bare)
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
      else bare.push(spec)
    }
  }
  visit(entry)
  return seen
}

const entries = ['packages/matrix/src/index.ts', 'packages/network/src/index.ts', 'packages/training/src/index.ts', 'packages/interop/src/index.ts']

describe('core entry points are browser-safe', () => {
  it.each(entries)('%s imports no Node built-in, directly or indirectly', (entry) => {
    const file = resolve(root, entry)
    expect(existsSync(file)).toBe(true)
    const offenders = [...walk(file)].flatMap(([f, mods]) => mods.filter((m) => builtins.has(m)).map((m) => `${f}: ${m}`))
    expect(offenders).toEqual([])
  })

  it('the walker does find a Node built-in where there is one', () => {
    const found = [...walk(resolve(root, 'test/browser-safe.test.ts'))].flatMap(([, mods]) => mods.filter((m) => builtins.has(m)))
    expect(found).toContain('node:fs')
  })

  it.each(entries)('%s never mentions process or Math.random', (entry) => {
    const files = [...walk(resolve(root, entry)).keys()]
    const offenders = files.filter((f) => /\bprocess\.|Math\.random\s*\(/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')))
    expect(offenders).toEqual([])
  })
})
