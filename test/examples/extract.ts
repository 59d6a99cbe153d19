/**
 * Finds the examples of the documentation: every `@example` block (and every fenced ```ts block)
 * of the doc comments in `packages/<pkg>/src/**.ts`, and every ```ts block of the READMEs. Each
 * is returned with the file and line it starts at, so that a failure can point at it.
 *
 * An example is a whole program, written as a user would write it: it imports what it uses from
 * the package names (`@purenn/matrix`, …) and fp-ts's `fp-ts/lib/<Module>.js` paths. A first line
 * `// no-run: <why>` marks one that cannot run alone (it needs a browser, say): it is still
 * type-checked, but not run. (No `@` in the marker: TypeDoc would read `@no-run` in an
 * `@example` as a block tag of its own, and end the example there.)
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** One example, and where it is. */
export interface Example {
  /** The file it is in, relative to the repository's root, with `/` separators. */
  readonly file: string
  /** The line (from 1) of the file that holds the example's first line of code. */
  readonly line: number
  /** What it documents: the exported name after the doc comment, or the README's heading. */
  readonly name: string
  /** The code, with the doc comment's ` * ` prefixes removed. */
  readonly code: string
  /** Why it is not run (the `// no-run: …` marker), when it is not. */
  readonly noRun: string | undefined
}

/** The marker of an example that is type-checked but not run: `// no-run: why`. */
const noRunMarker = /^\s*\/\/\s*no-run:\s*(.+?)\s*$/

const noRunReason = (code: string): string | undefined => noRunMarker.exec(code.split('\n')[0] ?? '')?.[1]

/** Drops blank lines at the end, keeping the start (the line numbers count from it). */
const trimEnd = (lines: ReadonlyArray<string>): string[] => {
  const out = [...lines]
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop()
  return out
}

/** The name declared by the first `export …` line at or after `from`. */
const declaredName = (lines: ReadonlyArray<string>, from: number): string => {
  for (let i = from; i < lines.length; i++) {
    const m = /^export\s+(?:declare\s+)?(?:async\s+)?(?:const|let|function\*?|interface|type|class|abstract\s+class|enum)\s+([A-Za-z_$][\w$]*)/.exec(lines[i]!)
    if (m !== null) return m[1]!
    if (/^\S/.test(lines[i]!) && !/^\s*(\/\*\*|\*|\*\/)/.test(lines[i]!)) return 'module'
  }
  return 'module'
}

/** A fenced block's language is TypeScript. */
const isTsFence = (line: string): boolean => /^\s*```(ts|typescript)\s*$/.test(line)

/**
 * The examples of one TypeScript source file: each `@example` block of a `/** … *\/` comment runs
 * from the line after the tag to the next tag or the end of the comment; a ```ts fence inside a
 * doc comment (a module's overview, say) is an example too.
 */
export const sourceExamples = (file: string, text: string): Example[] => {
  const lines = text.split('\n')
  const found: Example[] = []
  let inDoc = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (!inDoc) {
      if (/^\s*\/\*\*/.test(line) && !/\*\/\s*$/.test(line)) inDoc = true
      continue
    }
    if (/^\s*\*\/|\*\/\s*$/.test(line)) {
      inDoc = false
      continue
    }
    const body = (l: string): string => l.replace(/^\s*\* ?/, '')
    if (/^\s*\*\s*@example\b/.test(line)) {
      const start = i + 1
      let end = start
      while (end < lines.length && !/^\s*\*\//.test(lines[end]!) && !/^\s*\*\s*@\w/.test(lines[end]!)) end++
      const code = trimEnd(lines.slice(start, end).map(body)).join('\n')
      found.push({ file, line: start + 1, name: declaredName(lines, end), code, noRun: noRunReason(code) })
      i = end - 1
    } else if (isTsFence(body(line))) {
      const start = i + 1
      let end = start
      while (end < lines.length && !/^\s*```\s*$/.test(body(lines[end]!)) && !/^\s*\*\//.test(lines[end]!)) end++
      const code = trimEnd(lines.slice(start, end).map(body)).join('\n')
      found.push({ file, line: start + 1, name: declaredName(lines, end), code, noRun: noRunReason(code) })
      i = end
    }
  }
  return found
}

/** The ```ts blocks of a Markdown file, each named after the heading above it. */
export const markdownExamples = (file: string, text: string): Example[] => {
  const lines = text.split('\n')
  const found: Example[] = []
  let heading = file
  let fence: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (fence !== undefined) {
      if (line.trim() === fence) fence = undefined
      continue
    }
    const open = /^\s*(`{3,}|~{3,})\s*(\S*)/.exec(line)
    if (open === null) {
      const h = /^#{1,6}\s+(.*)$/.exec(line)
      if (h !== null) heading = h[1]!.trim()
      continue
    }
    if (/^(ts|typescript)$/.test(open[2]!)) {
      const start = i + 1
      let end = start
      while (end < lines.length && lines[end]!.trim() !== open[1]) end++
      const code = trimEnd(lines.slice(start, end)).join('\n')
      found.push({ file, line: start + 1, name: heading, code, noRun: noRunReason(code) })
      i = end
    } else {
      fence = open[1]
    }
  }
  return found
}

/** The `.ts` files under a directory, sorted, in a stable order. */
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => (d.isDirectory() ? tsFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []))

/** The packages of the workspace that hold sources: `packages/<name>/src`. */
const packageDirs = (root: string): string[] =>
  readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'src')))
    .map((d) => join(root, 'packages', d.name))
    .sort()

/** The READMEs whose ```ts blocks are examples: the root's, each package's, and the examples'. */
export const readmes = (root: string): string[] =>
  [join(root, 'README.md'), ...packageDirs(root).map((p) => join(p, 'README.md')), join(root, 'examples', 'README.md')].filter((f) => existsSync(f))

const repoPath = (root: string, file: string): string => relative(root, file).split(sep).join('/')

/** Every example of the repository: the sources' first (package by package), then the READMEs'. */
export const findExamples = (root: string): Example[] => [
  ...packageDirs(root).flatMap((p) =>
    tsFiles(join(p, 'src'))
      .filter((f) => !f.endsWith('.d.ts'))
      .flatMap((f) => sourceExamples(repoPath(root, f), readFileSync(f, 'utf8')))
  ),
  ...readmes(root).flatMap((f) => markdownExamples(repoPath(root, f), readFileSync(f, 'utf8')))
]
