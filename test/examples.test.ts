// Every example of the documentation is a test: each `@example` block of the packages' sources
// (and each ```ts block of their doc comments), and each ```ts block of the READMEs, is written
// as a plain Node ESM TypeScript file in a scratch directory, type-checked with the README's
// tsconfig (strict, NodeNext) against the BUILT packages, which it imports by their package names
// (test/globalSetup.ts builds them), and run with Node. Its result comments are checked as it
// runs (`// => value`, `// ≈ value`: test/examples/program.ts). An example marked
// `// no-run: why` on its first line is type-checked and not run.
//
// This replaces the tests that ran single README blocks (the quick start's, the training
// README's loop): their promises are the blocks' own `// =>` and `// ≈` lines now.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { findExamples, type Example } from './examples/extract.js'
import { toProgram } from './examples/program.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const examples = findExamples(root)
const programs = examples.map(toProgram)

/** A file name for an example's program: its file and line, e.g. `packages_matrix_src_Matrix_ts_L36`. */
const slug = (e: Example): string => `${e.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${e.line}`

/** The example's file and line for a line (from 1) of its program, which has one header line. */
const sourceLine = (e: Example, programLine: number): string => `${e.file}:${e.line + programLine - 2}`

/**
 * The scratch project: `node_modules` links the workspace's packages (their `dist/`, through
 * their `exports`) and the libraries the examples import, as an installed project would have them.
 */
const links = (): Array<[string, string]> => [
  ...['matrix', 'network', 'training', 'interop'].map((p): [string, string] => [`@purenn/${p}`, join(root, 'packages', p)]),
  ['fp-ts', installed(root, 'fp-ts')],
  ['io-ts', installed(join(root, 'packages', 'network'), 'io-ts')],
  ['@types/node', installed(root, '@types/node')],
  // the interop README runs a model in ONNX Runtime (a development dependency of @purenn/interop)
  ['onnxruntime-web', installed(join(root, 'packages', 'interop'), 'onnxruntime-web')]
]

/** Where Node finds a package from a directory: the first `node_modules/<name>` up the tree, symlinks resolved. */
const installed = (from: string, name: string): string => {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name)
    if (existsSync(candidate)) return realpathSync(candidate)
    if (dirname(d) === d) throw new Error(`${name} is not installed where ${from} can see it: run pnpm install`)
  }
}

/** The README's tsconfig.json (Install section), with Node's types. */
const readmeOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  types: ['node'],
  skipLibCheck: true
}

/** What the runner adds: the scratch project's directories, and source maps for the stack traces. */
const compilerOptions = (scratch: string): ts.CompilerOptions => ({
  ...readmeOptions,
  rootDir: join(scratch, 'src'),
  outDir: join(scratch, 'dist'),
  sourceMap: true
})

let scratch = ''
const diagnostics = new Map<string, string[]>()
const counts = { run: 0, passed: 0 }

const runNode = (file: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    execFile(process.execPath, ['--enable-source-maps', file], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr: error?.killed === true ? `${stderr}\n(killed after 120 s)` : stderr })
    )
  })

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'purenn-examples-'))
  for (const [name, target] of links()) {
    mkdirSync(dirname(join(scratch, 'node_modules', name)), { recursive: true })
    symlinkSync(target, join(scratch, 'node_modules', name), 'dir')
  }
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'purenn-examples', private: true, type: 'module' }))
  mkdirSync(join(scratch, 'src'))
  writeFileSync(join(scratch, 'src', '__check.ts'), readFileSync(join(root, 'test', 'examples', 'check.ts'), 'utf8'))
  const files = [join(scratch, 'src', '__check.ts')]
  examples.forEach((e, i) => {
    const p = programs[i]!
    if (!p.ok) return
    const file = join(scratch, 'src', `${slug(e)}.ts`)
    writeFileSync(file, p.code)
    files.push(file)
  })
  const program = ts.createProgram(files, compilerOptions(scratch))
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? ''
    const e = examples.find((x) => file.endsWith(`/src/${slug(x)}.ts`))
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    const at = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined
    const key = e === undefined ? '(other)' : slug(e)
    diagnostics.set(key, [...(diagnostics.get(key) ?? []), `${e !== undefined && at !== undefined ? sourceLine(e, at) : file}: TS${d.code}: ${text}`])
  }
  program.emit()
}, 300_000)

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
  const fromSources = examples.filter((e) => e.file.startsWith('packages/') && e.file.includes('/src/')).length
  const notRun = examples.filter((e) => e.noRun !== undefined)
  const checks = programs.reduce((n, p) => n + (p.ok ? p.checks : 0), 0)
  const typeErrors = examples.filter((e, i) => !programs[i]!.ok || diagnostics.has(slug(e))).length
  console.log(
    [
      `examples: ${examples.length} found (${fromSources} in the packages' sources, ${examples.length - fromSources} in the READMEs), ` +
        `${examples.length} type-checked (${examples.length - typeErrors} without an error), ${counts.run} run (${counts.passed} passed), ` +
        `${checks} result comments checked; ${notRun.length} not run:`,
      ...notRun.map((e) => `  ${e.file}:${e.line} ${e.name}: ${e.noRun}`)
    ].join('\n')
  )
})

/** The entry points of the packages: what their `exports` maps name. */
const entryPoints = (): string[] =>
  ['matrix', 'network', 'training', 'interop'].flatMap((p) =>
    ['index', 'node'].map((f) => join(root, 'packages', p, 'src', `${f}.ts`)).filter((f) => existsSync(f))
  )

// The reference shows what the entry points export (typedoc.json: excludeInternal); each has an example.
it('has an example for every export of every entry point', () => {
  const program = ts.createProgram(entryPoints(), { ...readmeOptions, noEmit: true })
  const checker = program.getTypeChecker()
  const without = entryPoints().flatMap((file) => {
    const source = program.getSourceFile(file)!
    const module = checker.getSymbolAtLocation(source)
    if (module === undefined) return [`${file}: not a module`]
    return checker.getExportsOfModule(module).flatMap((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const tags = (symbol.declarations ?? []).flatMap((d) => ts.getJSDocTags(ts.isVariableDeclaration(d) ? d.parent.parent : d).map((t) => t.tagName.text))
      // `@internal` exports are for the package's own modules, and not in the reference
      return tags.includes('example') || tags.includes('internal') ? [] : [`${file.slice(root.length + 1)}: ${exported.name}`]
    })
  })
  expect(without).toEqual([])
}, 120_000)

it('finds the examples of every package and README', () => {
  const files = new Set(examples.map((e) => e.file.split('/').slice(0, 2).join('/')))
  for (const p of ['packages/matrix', 'packages/network', 'packages/training', 'packages/interop', 'README.md']) expect(files).toContain(p)
  expect(diagnostics.get('(other)') ?? []).toEqual([])
})

examples.forEach((example, i) => {
  const program = programs[i]!
  const title = `${example.file}:${example.line} ${example.name}: ${example.noRun === undefined ? 'type-checks and runs as it says' : `type-checks (not run: ${example.noRun})`}`
  it.concurrent(title, async () => {
    if (!program.ok) throw new Error(`the example is not in the form the runner reads:\n${program.errors.join('\n')}`)
    const errors = diagnostics.get(slug(example)) ?? []
    if (errors.length > 0) throw new Error(`the example does not type-check:\n${errors.join('\n')}`)
    if (example.noRun !== undefined) return
    const cwd = join(scratch, 'run', slug(example))
    mkdirSync(cwd, { recursive: true })
    counts.run++
    const result = await runNode(join(scratch, 'dist', `${slug(example)}.js`), cwd)
    if (result.code !== 0) {
      // Point at the example's own lines rather than the scratch program's.
      const programFile = join(scratch, 'src', `${slug(example)}.ts`)
      const stderr = result.stderr
        .split(programFile)
        .map((part, j) => (j === 0 ? part : part.replace(/^:(\d+)(:\d+)?/, (_m, l: string) => sourceLine(example, Number(l)))))
        .join('')
        .replaceAll(`${scratch}/`, '<scratch>/')
      throw new Error(`${example.file}:${example.line} (${example.name}) failed, exit code ${result.code}:\n${stderr.trim()}`)
    }
    counts.passed++
  })
})
