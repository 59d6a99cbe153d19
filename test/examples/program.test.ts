// The runner's grammar of results (test/examples/program.ts) and its checks (check.ts), on small
// made-up examples: what each result comment turns into, and what is refused with which message.
import { describe, expect, it } from 'vitest'
import { __approx, __eq } from './check.js'
import { markdownExamples, sourceExamples, type Example } from './extract.js'
import { header, toProgram } from './program.js'

const example = (code: string): Example => ({ file: 'x.ts', line: 10, name: 'x', code, noRun: undefined })
const program = (code: string): string => {
  const p = toProgram(example(code))
  if (!p.ok) throw new Error(p.errors.join('\n'))
  return p.code.slice(header.length + 1).replace(/\nexport \{\}\n$/, '')
}
const errors = (code: string): string => {
  const p = toProgram(example(code))
  return p.ok ? '' : p.errors.join('\n')
}

describe('extract', () => {
  it('reads @example blocks and ```ts fences of doc comments, with the line each starts at', () => {
    const text = ['/**', ' * Doubles.', ' *', ' * @example', " * import { twice } from 'p'", ' * twice(2) // => 4', ' *', ' * @since 1', ' */', 'export const twice = (x: number) => 2 * x'].join('\n')
    expect(sourceExamples('p/src/a.ts', text)).toEqual([{ file: 'p/src/a.ts', line: 5, name: 'twice', code: "import { twice } from 'p'\ntwice(2) // => 4", noRun: undefined }])
  })

  it('reads ```ts blocks of Markdown under their heading, and the no-run marker', () => {
    const text = ['# T', '## Use', '```ts', '// no-run: needs a browser', 'f()', '```', '```sh', 'ls', '```'].join('\n')
    expect(markdownExamples('README.md', text)).toEqual([{ file: 'README.md', line: 4, name: 'Use', code: '// no-run: needs a browser\nf()', noRun: 'needs a browser' }])
  })
})

describe('toProgram', () => {
  it('checks an expression, a declaration, a return and console.log(x) in place, adding no line', () => {
    expect(program('f(1) // => 2')).toBe('__eq((f(1)), (2), "x.ts:10: f(1)") // => 2')
    expect(program('const y = g() // ≈ 0.5 ± 0.01')).toBe('const y = __approx((g()), (0.5), (0.01), "x.ts:10: g()") // ≈ 0.5 ± 0.01')
    expect(program('console.log(h) // ≈ [1]')).toBe('console.log(__approx((h), ([1]), undefined, "x.ts:10: h")) // ≈ [1]')
    expect(program('const k = () => {\n  return 3 // => 3\n}')).toBe('const k = () => {\n  return __eq((3), (3), "x.ts:11: 3") // => 3\n}')
  })

  it('reads a result alone on the line after its statement, over several lines while brackets are open', () => {
    expect(program('f(\n  1\n)\n// => { a: [1,\n//   2] }\nnext()')).toBe('__eq((f(\n  1\n)), ({ a: [1, 2] }), "x.ts:13: f( 1 )")\n// => { a: [1,\n//   2] }\nnext()')
  })

  it('refuses a free-text result, a result after nothing, a comment-only example and a line that continues the one above', () => {
    expect(errors('f(1) // 2')).toContain('x.ts:10: "// 2" reads like a result: write `// => value`')
    expect(errors('const o = {\n  a: 1, // => 1\n}')).toContain('x.ts:11: "// => 1" follows no statement')
    expect(errors("import { f } from 'p'\n// => 1\nf()")).toContain('x.ts:11: a result comment must end an expression')
    expect(errors('// f(1) is 2')).toContain('has no code, only comments')
    expect(errors('const a = f()\n[1, 2].map(f)')).toContain('x.ts:11: this line starts with "["')
  })
})

describe('checks', () => {
  it('deep equality: arrays and typed arrays entry by entry, 0 and -0 equal, NaN equal to NaN', () => {
    expect(__eq({ d: Float64Array.of(1, -0, NaN) }, { d: [1, 0, NaN] }, 'w')).toEqual({ d: Float64Array.of(1, -0, NaN) })
  })

  it('names the example, the expected and the actual value, and the first difference', () => {
    expect(() => __eq({ a: [1, 2] }, { a: [1, 3] }, 'p/src/a.ts:7: f(x)')).toThrow(/^p\/src\/a\.ts:7: f\(x\)\n {2}expected \(=>\): \{ a: \[ 1, 3 \] \}\n {2}actual: {3}\{ a: \[ 1, 2 \] \}\n {2}first difference at \.a\[1\]: expected 3, got 2$/)
  })

  it('≈ compares numbers within 1e-6 relative by default, or the stated absolute tolerance', () => {
    expect(__approx([1000.0001], [1000], undefined, 'w')).toEqual([1000.0001])
    expect(() => __approx(0.1, 0, undefined, 'w')).toThrow('expected (≈, within 1e-6 relative): 0')
    expect(__approx(0.1, 0, 0.2, 'w')).toBe(0.1)
  })
})
