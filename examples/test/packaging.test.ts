// Each package packs into a tarball that a project outside the workspace can install and use.
// This test builds the three packages and packs them with `pnpm pack` (which rewrites the
// `workspace:^` specifiers to real version ranges), then, once with npm and once with pnpm,
// runs the README's install command in a fresh project in a temporary directory (outside the
// workspace, so pnpm cannot pick it up), imports every entry point from Node as ESM and calls
// real functions, typechecks a TypeScript file against the installed types, and typechecks,
// compiles and runs the README's quick start with the README's tsconfig.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const names = ['matrix', 'network', 'training', 'interop'] as const
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')

/**
 * The environment without the `npm_*` and `pnpm_*` variables (`npm_config_*`,
 * `pnpm_config_verify_deps_before_run`, `PNPM_PACKAGE_NAME`, …) that a running pnpm sets for its
 * child processes, so the scratch project's installs see none of the workspace's settings.
 */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^p?npm_/i.test(k) || k === 'PNPM_HOME'))

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

const readme = readFileSync(join(root, 'README.md'), 'utf8')
const readmeSection = (heading: string): string => {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README.md has no "${heading}" section`)
  const end = readme.indexOf('\n## ', start + heading.length + 2)
  return readme.slice(start, end < 0 ? undefined : end)
}
/** The first fenced block of a language in a README section. */
const blockIn = (section: string, language: string): string => {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section)
  if (match === null) throw new Error(`no \`\`\`${language} block in "${section.split('\n')[1]}"`)
  return match[1]!
}
/** Every ```ts block of the README, named after its section (`quick-start.ts`, `coming-from-brain-js.ts`, …). */
const readmeTsBlocks = (): Array<{ file: string; code: string }> =>
  readme
    .split('\n## ')
    .slice(1)
    .flatMap((section) => {
      const slug = section.split('\n')[0]!.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
      const codes = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
      return codes.map((code, i) => ({ file: `${slug}${codes.length > 1 ? `-${i + 1}` : ''}.ts`, code: `${code}\nexport {}\n` }))
    })
/** Where the README's install commands find the tarballs; the test packs them elsewhere. */
const readmeTarballs = '~/purenn-tarballs'

const version = (name: string): string => (JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { version: string }).version
/** The version of a package installed in the workspace, so the scratch project can take it from the cache. */
const installedVersion = (name: string): string => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version

type Manager = 'npm' | 'pnpm'
/** Flags that keep an install quiet and off the network where the cache has what it needs. */
const quiet: Record<Manager, ReadonlyArray<string>> = {
  npm: ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
  pnpm: ['--prefer-offline', '--ignore-scripts']
}

/**
 * The README's install command for a package manager (`npm install …` or `pnpm add …`), as
 * printed, with the tarballs' directory pointed at `work`: the words after the command.
 */
const readmeInstall = (manager: Manager, work: string): string[] => {
  const prefix = manager === 'npm' ? 'npm install ' : 'pnpm add '
  const line = readmeSection('## Install')
    .split('\n')
    .find((l) => l.startsWith(`${prefix}${readmeTarballs}/`))
  if (line === undefined) throw new Error(`README.md's Install section has no "${prefix}${readmeTarballs}/…" line`)
  return line.slice(prefix.length).split(/\s+/).filter((w) => w !== '').map((w) => w.replace(readmeTarballs, work))
}

// What the project runs in Node: every entry point, each called for real. Prints a JSON report.
const program = `
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import { saveNetwork, loadNetwork } from '@purenn/network/node'
import * as T from '@purenn/training'
import { toOnnx, fromOnnx } from '@purenn/interop'
import { saveTfjs, loadTfjs } from '@purenn/interop/node'
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
const onnx = pipe(toOnnx(net), E.chain(fromOnnx))
if (E.isLeft(onnx)) throw new Error(onnx.left.message)
const tfjsSaved = await saveTfjs(file + '.tfjs', net)
if (E.isLeft(tfjsSaved)) throw new Error(tfjsSaved.left.message)
const tfjs = await loadTfjs(file + '.tfjs')
if (E.isLeft(tfjs)) throw new Error(tfjs.left.message)
console.log(JSON.stringify({
  viaOnnx: N.predict([1, 0])(onnx.right).prediction,
  viaTfjs: N.predict([1, 0])(tfjs.right).prediction,
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
import { toOnnx, type InteropError } from '@purenn/interop'
import { pipe } from 'fp-ts/lib/function.js'
import type { Either } from 'fp-ts/lib/Either.js'

const m: M.Matrix = pipe(M.identity(3), M.scale(2))
const rows: number[][] = M.toArrays(m)
const net: N.Network = pipe(N.network(3), N.addLayer({ nodes: 2, activation: N.softmax }))
const prediction: number[] = N.predict([1, 2, 3])(net).prediction
const optimizer = T.chain(T.clipByGlobalNorm(1), T.adam({ learningRate: 1e-3 }))
const state = optimizer.init(net)
const loaded: Promise<unknown> = loadNetwork('model.json')
const onnx: Either<InteropError, Uint8Array> = toOnnx(net)
// @ts-expect-error a matrix is not a number
const wrong: number = M.zeros(1, 1)
export { rows, prediction, state, loaded, onnx, wrong }
`


/** Where Node finds a bare specifier from a directory: the first `node_modules/<name>` up the tree, symlinks resolved. */
const resolvedFrom = (dir: string, name: string): string | undefined => {
  for (let d = realpathSync(dir); ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name)
    if (existsSync(candidate)) return realpathSync(candidate)
    if (dirname(d) === d) return undefined
  }
}

describe('packaging: the packed tarballs install and work outside the workspace', () => {
  let work = ''
  const tarball = (name: string): string => join(work, `purenn-${name}-${version(name)}.tgz`)

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'purenn-pack-'))
    run(process.execPath, [tsc, '-b', ...names.map((n) => `packages/${n}`)], root)
    for (const name of names) run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', name))
  }, 600_000)

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true })
  })

  it('names the sibling packages as peers with version ranges, and says where the source is', () => {
    type Manifest = { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; repository?: unknown }
    const manifest = (name: string): Manifest => JSON.parse(run('tar', ['-xOzf', tarball(name), 'package/package.json'], work)) as Manifest
    const peers = {
      matrix: {},
      network: { '@purenn/matrix': `^${version('matrix')}` },
      training: { '@purenn/matrix': `^${version('matrix')}`, '@purenn/network': `^${version('network')}` },
      interop: { '@purenn/matrix': `^${version('matrix')}`, '@purenn/network': `^${version('network')}` }
    }
    for (const name of names) {
      const m = manifest(name)
      expect(m.peerDependencies ?? {}).toEqual(peers[name])
      expect(Object.keys(m.dependencies ?? {}).filter((d) => d.startsWith('@purenn/'))).toEqual([])
      expect(JSON.stringify(m)).not.toContain('workspace:')
      expect(m.repository).toEqual({ type: 'git', url: 'git+https://github.com/purenn/purenn.git', directory: `packages/${name}` })
    }
  })

  describe.each(['npm', 'pnpm'] as const)('installed with %s, as the README says', (manager) => {
    let project = ''

    beforeAll(() => {
      project = join(work, manager)
      mkdirSync(project)
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `purenn-${manager}-consumer`, private: true, type: 'module' }))
      const install = manager === 'npm' ? 'install' : 'add'
      // The README's command: the four tarballs and fp-ts, in one command.
      run(manager, [install, ...readmeInstall(manager, work), ...quiet[manager]], project)
      // The README's TypeScript setup (typescript itself comes from the workspace).
      run(manager, [install, '-D', `@types/node@${installedVersion('@types/node')}`, ...quiet[manager]], project)
    }, 600_000)

    it('installs the four packages and fp-ts as the project\'s own dependencies', () => {
      const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
      expect(Object.keys(manifest.dependencies).sort()).toEqual(['@purenn/interop', '@purenn/matrix', '@purenn/network', '@purenn/training', 'fp-ts'])
      for (const name of names) expect(manifest.dependencies[`@purenn/${name}`]).toMatch(new RegExp(`^file:.*purenn-${name}-${version(name).replace(/\./g, '\\.')}\\.tgz$`))
      expect(resolvedFrom(project, 'fp-ts')).toBeDefined()
    })

    it('links network, training and interop to the copies of their siblings the project installed', () => {
      const own = (name: string): string => resolvedFrom(project, `@purenn/${name}`)!
      for (const [name, peers] of [['network', ['matrix']], ['training', ['matrix', 'network']], ['interop', ['matrix', 'network']]] as const)
        for (const peer of peers) expect(resolvedFrom(own(name), `@purenn/${peer}`)).toBe(own(peer))
      if (manager === 'npm') {
        const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> }
        expect(Object.keys(lock.packages).filter((k) => k.includes('/node_modules/@purenn/'))).toEqual([])
      }
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
        viaOnnx: number[]
        viaTfjs: number[]
      }
      expect(report.product).toEqual([[1, 2], [3, 4]])
      expect(report.epochs).toBe(3)
      expect(report.prediction).toHaveLength(1)
      expect(report.prediction[0]).toBeGreaterThan(0)
      expect(report.prediction[0]).toBeLessThan(1)
      expect(report.reloaded).toEqual(report.prediction)
      expect(report.json).toBe('purenn/network')
      expect(report.viaOnnx).toEqual(report.prediction) // float64 ONNX: every bit
      expect(Math.abs(report.viaTfjs[0]! - report.prediction[0]!)).toBeLessThan(1e-5) // tfjs: float32 weights
    })

    it('typechecks a TypeScript file against the installed types', () => {
      writeFileSync(join(project, 'typed.ts'), typed)
      writeFileSync(
        join(project, 'tsconfig.typed.json'),
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
      expect(run(process.execPath, [tsc, '-p', 'tsconfig.typed.json'], project)).toBe('')
    }, 120_000)

    it("typechecks every TypeScript block of the README with the README's tsconfig.json, and runs them", () => {
      const dir = join(project, 'readme')
      mkdirSync(dir)
      const blocks = readmeTsBlocks()
      for (const { file, code } of blocks) writeFileSync(join(dir, file), code)
      writeFileSync(join(dir, 'tsconfig.json'), blockIn(readmeSection('## Install'), 'json'))
      expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir)).toBe('')
      const outputs = new Map(blocks.map(({ file }) => [file, run(process.execPath, [join('dist', file.replace(/\.ts$/, '.js'))], dir).trim().split('\n')]))

      // The quick start: verbose: 2_000, then the four predictions (strings with 3 decimals), then the reloaded one.
      const lines = outputs.get('quick-start.ts')!
      expect(lines.filter((l) => /^Epoch \d+; Error \d/.test(l)).map((l) => l.split(';')[0])).toEqual(['Epoch 2000', 'Epoch 4000', 'Epoch 6000', 'Epoch 8000', 'Epoch 10000'])
      const predictions = [...lines.find((l) => l.startsWith("[ '"))!.matchAll(/'(\d\.\d{3})'/g)].map((m) => m[1]!)
      expect(predictions.map((p, i) => Math.abs(Number(p) - [0, 1, 1, 0][i]!) < 0.2)).toEqual([true, true, true, true])
      expect(existsSync(join(dir, 'xor.json'))).toBe(true)
      const reloaded = Number(/^\[ ([\d.e-]+) \]$/.exec(lines.at(-1)!)?.[1])
      expect(reloaded.toFixed(3)).toBe(predictions[1])

      // The brain.js port stops at brain.js's errorThresh, at the epoch the README gives.
      const brain = /^\{ iterations: (\d+), error: ([\d.e-]+) \}$/.exec(outputs.get('coming-from-brain-js.ts')!.find((l) => l.startsWith('{ iterations'))!)
      expect(Number(brain![2])).toBeLessThanOrEqual(0.005)
      expect(readmeSection('## Coming from brain.js')).toContain(`It stops at epoch ${Number(brain![1]).toLocaleString('en-US')} with brain.js's error at ${Number(brain![2]).toFixed(6)}`)
      // The synaptic port learns XOR's [1, 0] and round-trips its JSON.
      const synaptic = outputs.get('coming-from-synaptic.ts')!
      expect(Number(/^\[ ([\d.e-]+) \]$/.exec(synaptic[synaptic.length - 3]!)?.[1])).toBeGreaterThan(0.9)
      expect(synaptic.at(-1)).toBe('true')
    }, 300_000) // tsc with @types/node, then four programs: slow on a loaded machine
  })
})
