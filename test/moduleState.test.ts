// No module of the packages keeps mutable state at its top level, beyond the product kernel's
// own workspace (as a BLAS keeps its packing buffers): caches, scratch buffers, flags and
// registries belong to values the caller holds (a Workspace, a compiled gradients function, a
// training run). Read from the sources: a top-level `let` or `var`, and a top-level binding to
// a new Map, WeakMap, Set, WeakSet, array or typed array, which code could write after the
// module has loaded.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The product kernel's workspace: the one module-level buffer allowed. */
const allowed = new Set(['packages/matrix/src/internal/gemm.ts: const W = new Float64Array(MC * KC + KC * NC)'])

/** Every TypeScript source of the packages (the AssemblyScript kernel's sources aside: they compile to WebAssembly). */
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'assembly' ? [] : sources(path)
    return name.endsWith('.ts') ? [path] : []
  })

const mutableAtTop = /^(?:export\s+)?(?:let|var)\s|^(?:export\s+)?const\s+\w+(?:\s*:[^=]+)?\s*=\s*(?:new\s+(?:Weak)?(?:Map|Set)\b|new\s+\w+Array\b|\[)/

/** The top-level lines of a source that bind mutable state, as `path: line`. */
const stateIn = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => mutableAtTop.test(line))
    .map((line) => `${relative(root, path)}: ${line.trim()}`)

describe('module-level state', () => {
  const packages = readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src'))

  it('is found by the scan where it is written (the scan is not vacuous)', () => {
    expect(mutableAtTop.test('let scratch = new Float64Array(1024)')).toBe(true)
    expect(mutableAtTop.test('const compiled = new Map<string, Kernels | undefined>()')).toBe(true)
    expect(mutableAtTop.test('const sgdRates = new WeakMap<object, SgdRate>()')).toBe(true)
    expect(mutableAtTop.test('const cache: number[] = []')).toBe(true)
    expect(mutableAtTop.test('const LEAK = 0.01')).toBe(false)
    expect(mutableAtTop.test('  let inner = 0')).toBe(false) // inside a function
    expect(stateIn(join(root, 'packages/matrix/src/internal/gemm.ts'))).toEqual([...allowed])
  })

  it('is none in any package beyond the product kernel’s workspace', () => {
    const found = packages.flatMap(sources).flatMap(stateIn)
    expect(found.filter((line) => !allowed.has(line))).toEqual([])
  })
})
