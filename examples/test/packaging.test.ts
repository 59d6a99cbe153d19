// Each package packs into a tarball that a project outside the workspace can install and use.
// This test builds the three packages, packs them with `pnpm pack` (which rewrites the
// `workspace:^` specifiers to real version ranges), installs the tarballs with npm into a
// fresh project in a temporary directory, then imports every entry point from Node as ESM
// and calls real functions, and typechecks a TypeScript file against the installed types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const names = ['matrix', 'network', 'training'] as const
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')

/** The environment without the `npm_*` variables a running pnpm sets for its child processes. */
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')))

/** Runs a program and returns its output; on failure, throws with what it printed. */
const run = (command: string, args: ReadonlyArray<string>, cwd: string): string => {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    // The message already holds what the program printed on stderr.
    const e = error as { stdout?: string; message: string }
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}`)
  }
}

const version = (name: string): string => (JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { version: string }).version
/** The range the workspace itself asks for, so the project gets the same major versions. */
const rangeOf = (dependency: string): string =>
  (JSON.parse(readFileSync(join(root, 'packages', 'network', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[dependency]!

// What the project runs in Node: every entry point, each called for real. Prints a JSON report.
const program = `
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { saveNetwork, loadNetwork } from '@purenn/network/node'
import * as T from '@purenn/training'
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'

const product = M.toArrays(pipe(M.identity(2), M.dot(E.getOrElseW(() => M.zeros(2, 2))(M.fromArrays([[1, 2], [3, 4]])))))
const [net0] = pipe(N.network(2), N.addLayer({ nodes: 3, activation: N.tanh }), N.addLayer({ nodes: 1, activation: N.sigmoid }), N.initialize('xavier'))(M.rng(7))
const trained = T.train({
  trainData: [[0, 0], [0, 1], [1, 0], [1, 1]],
  trainLabels: [[0], [1], [1], [0]],
  numEpochs: 3,
  optimizer: T.chain(T.clipByGlobalNorm(1), T.adam({ learningRate: 0.01 })),
  seed: 1
})(net0)
if (E.isLeft(trained)) throw new Error(trained.left.message)
const net = trained.right.network
const file = process.argv[2]
const saved = await saveNetwork(file, net)
if (E.isLeft(saved)) throw new Error(saved.left.message)
const loaded = await loadNetwork(file)
if (E.isLeft(loaded)) throw new Error(loaded.left.message)
console.log(JSON.stringify({
  product,
  epochs: trained.right.history.length,
  prediction: N.predict([1, 0])(net).prediction,
  reloaded: N.predict([1, 0])(loaded.right).prediction,
  json: N.encodeNetwork(net).format
}))
`

// What the project typechecks: typed uses of each package, and a line that must not compile
// (if the types were missing and everything were \`any\`, the @ts-expect-error would be unused).
const typed = `
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { loadNetwork } from '@purenn/network/node'
import * as T from '@purenn/training'
import { pipe } from 'fp-ts/lib/function.js'

const m: M.Matrix = pipe(M.identity(3), M.scale(2))
const rows: number[][] = M.toArrays(m)
const net: N.Network = pipe(N.network(3), N.addLayer({ nodes: 2, activation: N.softmax }))
const prediction: number[] = N.predict([1, 2, 3])(net).prediction
const optimizer = T.chain(T.clipByGlobalNorm(1), T.adam({ learningRate: 1e-3 }))
const state = optimizer.init(net)
const loaded: Promise<unknown> = loadNetwork('model.json')
// @ts-expect-error a matrix is not a number
const wrong: number = M.zeros(1, 1)
export { rows, prediction, state, loaded, wrong }
`

describe('packaging: the packed tarballs install and work outside the workspace', () => {
  let work = ''
  let project = ''

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'purenn-pack-'))
    project = join(work, 'project')
    run(process.execPath, [tsc, '-b', ...names.map((n) => `packages/${n}`)], root)
    for (const name of names) run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', name))
    mkdirSync(project)
    const tarball = (name: string): string => `file:${join(work, `purenn-${name}-${version(name)}.tgz`)}`
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'purenn-consumer',
        private: true,
        type: 'module',
        dependencies: {
          '@purenn/matrix': tarball('matrix'),
          '@purenn/network': tarball('network'),
          '@purenn/training': tarball('training'),
          'fp-ts': rangeOf('fp-ts'),
          'io-ts': rangeOf('io-ts')
        }
      })
    )
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], project)
  }, 600_000)

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true })
  })

  it('rewrites the workspace specifiers into version ranges', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', '@purenn', 'training', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(manifest.dependencies['@purenn/matrix']).toBe(`^${version('matrix')}`)
    expect(manifest.dependencies['@purenn/network']).toBe(`^${version('network')}`)
    expect(JSON.stringify(manifest)).not.toContain('workspace:')
  })

  it('installs each package once, from its tarball', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; version?: string }> }
    for (const name of names) {
      const entry = lock.packages[`node_modules/@purenn/${name}`]
      expect(entry?.resolved).toMatch(new RegExp(`^file:.*purenn-${name}-${version(name).replace(/\./g, '\\.')}\\.tgz$`))
    }
    expect(Object.keys(lock.packages).filter((k) => k.includes('/node_modules/@purenn/'))).toEqual([])
  })

  it('ships the built code with its types, and not the tests', () => {
    for (const name of names) {
      const installed = join(project, 'node_modules', '@purenn', name)
      expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true)
      expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true)
      expect(existsSync(join(installed, 'test'))).toBe(false)
    }
    expect(existsSync(join(project, 'node_modules', '@purenn', 'network', 'dist', 'node.d.ts'))).toBe(true)
  })

  it('imports every entry point in Node as ESM and calls real functions', () => {
    writeFileSync(join(project, 'main.js'), program)
    const report = JSON.parse(run(process.execPath, ['main.js', join(project, 'model.json')], project).trim()) as {
      product: number[][]
      epochs: number
      prediction: number[]
      reloaded: number[]
      json: string
    }
    expect(report.product).toEqual([[1, 2], [3, 4]])
    expect(report.epochs).toBe(3)
    expect(report.prediction).toHaveLength(1)
    expect(report.prediction[0]).toBeGreaterThan(0)
    expect(report.prediction[0]).toBeLessThan(1)
    expect(report.reloaded).toEqual(report.prediction)
    expect(report.json).toBe('purenn/network')
  })

  it('typechecks a TypeScript file against the installed types', () => {
    writeFileSync(join(project, 'typed.ts'), typed)
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          skipLibCheck: false
        },
        files: ['typed.ts']
      })
    )
    expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], project)).toBe('')
  })
})
