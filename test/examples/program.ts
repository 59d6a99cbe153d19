/**
 * Turns an example into the program that runs it: each result comment becomes a check of the
 * statement it ends, in place, so that the program's lines are the example's lines (after one
 * header line) and a failure names the example's own file and line.
 *
 * The grammar of results, the only one:
 *
 * - `expr // => value`  the value of `expr` deeply equals `value`;
 * - `expr // ≈ value`   its numbers are within 1e-6 (relative) of `value`'s;
 * - `expr // ≈ value ± tolerance`  within the stated (absolute) tolerance.
 *
 * `value` is a JavaScript expression (a JSON-like literal, or code in the example's scope). The
 * comment ends the statement's last line, or stands alone on the line after it (continued on
 * the next `//` lines while its brackets are open). The statement is an expression
 * (`console.log(x)` checks `x`), `const name = expr` or `return expr`. A trailing comment that
 * reads like a result in another form (`// [1, 2]`, `// true`, `// Right …`) is refused: results
 * are checked, or said in words.
 */
import ts from 'typescript'
import type { Example } from './extract.js'

/** The line the program starts with: the checks it calls. */
export const header = "import { __eq, __approx } from './__check.js'"

/** A program, or why the example cannot be one. */
export type Program =
  | { readonly ok: true; readonly code: string; readonly checks: number }
  | { readonly ok: false; readonly errors: ReadonlyArray<string> }

interface ResultComment {
  readonly kind: '=>' | '≈'
  readonly value: string
  readonly tolerance: string | undefined
  /** The line (from 0) of the example it is on, and of the statement it checks. */
  readonly line: number
  readonly statementLine: number
  readonly trailing: boolean
}

const resultPattern = /^\/\/\s*(=>|≈)(.*)$/
/**
 * A trailing comment that looks like a result written some other way: a literal (`// [1, 2]`,
 * `// { a: 1 }`, `// 'text'`, `// true`, a bare number) or an Either in words (`// Right …`).
 */
const looseResult = /^\/\/\s*(\[|\{|'|"|(true|false|null|undefined|NaN)\b|-?[\d.]+(e-?\d+)?\s*$|(Right|Left)\b)/

/** Brackets opened and not closed in a piece of code, ignoring strings. */
const openBrackets = (s: string): number => {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if ('([{'.includes(c)) depth++
    else if (')]}'.includes(c)) depth--
  }
  return depth
}

/** Every `//` comment of the code, with its position: the trivia before and after each token. */
const lineComments = (sf: ts.SourceFile): Array<{ pos: number; text: string }> => {
  const found = new Map<number, string>()
  const add = (ranges: ts.CommentRange[] | undefined): void => {
    for (const r of ranges ?? []) if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia) found.set(r.pos, sf.text.slice(r.pos, r.end))
  }
  const visit = (node: ts.Node): void => {
    add(ts.getLeadingCommentRanges(sf.text, node.pos))
    add(ts.getTrailingCommentRanges(sf.text, node.end))
    for (const child of node.getChildren(sf)) visit(child)
  }
  visit(sf)
  return [...found].map(([pos, text]) => ({ pos, text })).sort((a, b) => a.pos - b.pos)
}

/** The statements of the code, outer before inner. */
const statements = (sf: ts.SourceFile): ts.Statement[] => {
  const out: ts.Statement[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isStatement(node) && !ts.isBlock(node)) out.push(node)
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return out
}

/** The expression a statement's result comment checks, or why there is none. */
const checkedExpression = (s: ts.Statement): ts.Expression | string => {
  if (ts.isExpressionStatement(s)) {
    const e = s.expression
    if (ts.isCallExpression(e) && e.expression.getText() === 'console.log' && e.arguments.length === 1) return e.arguments[0]!
    return e
  }
  if (ts.isVariableStatement(s)) {
    const ds = s.declarationList.declarations
    if (ds.length === 1 && ds[0]!.initializer !== undefined) return ds[0]!.initializer
    return 'a result comment after a declaration needs exactly one `name = expr`'
  }
  if (ts.isReturnStatement(s) && s.expression !== undefined) return s.expression
  return 'a result comment must end an expression, a `const name = expr` or a `return expr`'
}

/** Rewrites an example into a program, or says what is wrong with its form. */
export const toProgram = (example: Example): Program => {
  const where = (line: number): string => `${example.file}:${example.line + line}`
  const sf = ts.createSourceFile('example.ts', example.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const errors: string[] = []
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line
  const lines = example.code.split('\n')

  if (sf.statements.every((s) => ts.isImportDeclaration(s)))
    errors.push(`${where(0)}: the example "${example.name}" has no code, only ${sf.statements.length === 0 ? 'comments' : 'imports and comments'}: write one a reader can run`)

  // A line that starts with `(` or `[` continues the statement above it (there is no semicolon
  // to end it): `x // => 1` then `[a, b] // => …` reads as `x[a, b]`.
  const hazards = (node: ts.Node): void => {
    const call = ts.isCallExpression(node)
    if (call || ts.isElementAccessExpression(node)) {
      const bracket = call ? '(' : '['
      const open = sf.text.indexOf(bracket, (call ? node.arguments.pos : node.argumentExpression.pos) - 1)
      if (lineOf(node.expression.end) < lineOf(open))
        errors.push(`${where(lineOf(open))}: this line starts with "${bracket}", so it continues the statement above: start it otherwise (e.g. \`const v = …\`)`)
    }
    ts.forEachChild(node, hazards)
  }
  hazards(sf)

  const all = statements(sf)
  const comments = lineComments(sf)
  const results: ResultComment[] = []
  const used = new Set<number>()
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i]!
    if (used.has(c.pos)) continue
    const line = lineOf(c.pos)
    const before = lines[line]!.slice(0, sf.getLineAndCharacterOfPosition(c.pos).character)
    const trailing = before.trim() !== ''
    const m = resultPattern.exec(c.text)
    if (m === null) {
      if (trailing && looseResult.test(c.text) && all.some((s) => lineOf(s.end) === line))
        errors.push(`${where(line)}: "${c.text}" reads like a result: write \`// => value\` (or \`// ≈ value\`) so that it is checked, or say it in words`)
      continue
    }
    let value = m[2]!.trim()
    // A standalone result comment goes on over the next `//` lines while its brackets are open.
    for (let j = i + 1; openBrackets(value) > 0 && j < comments.length && lineOf(comments[j]!.pos) === line + (j - i); j++) {
      value += ' ' + comments[j]!.text.replace(/^\/\/\s?/, '').trim()
      used.add(comments[j]!.pos)
    }
    let tolerance: string | undefined
    if (m[1] === '≈') {
      const pm = value.lastIndexOf('±')
      if (pm >= 0) {
        tolerance = value.slice(pm + 1).trim()
        value = value.slice(0, pm).trim()
      }
    }
    if (value === '') errors.push(`${where(line)}: "${c.text}" has no value after ${m[1]}`)
    results.push({ kind: m[1] as '=>' | '≈', value, tolerance, line, statementLine: trailing ? line : line - 1, trailing })
  }

  // Edits, applied from the end so that positions stay valid; none adds a line.
  const edits: Array<{ pos: number; text: string }> = []
  for (const r of results) {
    const candidates = all.filter((s) => lineOf(s.end) === r.statementLine && (!r.trailing || s.end <= sf.getPositionOfLineAndCharacter(r.line, 0) + lines[r.line]!.length))
    // The statement that ends last on the line; of several ending there (`if (c) f()`), the innermost.
    const last = Math.max(...candidates.map((s) => s.end))
    const target = candidates.filter((s) => s.end === last).at(-1)
    if (target === undefined) {
      errors.push(`${where(r.line)}: "// ${r.kind} ${r.value}" follows no statement: put it at the end of the statement's last line, or alone on the line after it`)
      continue
    }
    const e = checkedExpression(target)
    if (typeof e === 'string') {
      errors.push(`${where(r.line)}: ${e}`)
      continue
    }
    const label = JSON.stringify(`${where(r.line)}: ${e.getText().replace(/\s+/g, ' ').slice(0, 120)}`)
    const close = r.kind === '=>' ? `), (${r.value}), ${label})` : `), (${r.value}), ${r.tolerance === undefined ? 'undefined' : `(${r.tolerance})`}, ${label})`
    edits.push({ pos: e.getStart(sf), text: r.kind === '=>' ? '__eq((' : '__approx((' }, { pos: e.end, text: close })
  }
  if (errors.length > 0) return { ok: false, errors }
  let code = example.code
  for (const ed of edits.sort((a, b) => b.pos - a.pos)) code = code.slice(0, ed.pos) + ed.text + code.slice(ed.pos)
  return { ok: true, code: `${header}\n${code}\nexport {}\n`, checks: results.length }
}
