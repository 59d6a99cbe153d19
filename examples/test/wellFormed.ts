// A small checker of XML well-formedness for the SVG tests (Node has no XML parser built in):
// elements balanced and properly nested under one root, attributes quoted and unique, and
// no bare `<` or `&` in text or attribute values. Returns the problems found, none if well formed.

const NAME = /^[A-Za-z_][\w.:-]*$/
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g

const badText = (text: string): boolean => /[<>]/.test(text) || text.replace(ENTITY, '').includes('&')

export const xmlProblems = (xml: string): string[] => {
  const problems: string[] = []
  const stack: string[] = []
  let roots = 0
  let pos = 0
  const tag = /<[^<>]*>/g
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const text = xml.slice(pos, m.index)
    if (badText(text)) problems.push(`bad text at ${pos}: ${JSON.stringify(text.slice(0, 40))}`)
    if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root at ${pos}`)
    pos = m.index + m[0].length
    const body = m[0].slice(1, -1)
    if (body.startsWith('?') || body.startsWith('!--')) continue
    if (body.startsWith('/')) {
      const name = body.slice(1).trim()
      const open = stack.pop()
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${m.index}`)
      continue
    }
    const selfClosing = body.endsWith('/')
    const inner = selfClosing ? body.slice(0, -1) : body
    const name = inner.split(/\s/, 1)[0] ?? ''
    if (!NAME.test(name)) problems.push(`bad element name ${JSON.stringify(name)} at ${m.index}`)
    const attributes = inner.slice(name.length)
    const seen = new Set<string>()
    const attribute = /\s+([^\s=]+)="([^"]*)"/y
    let at = 0
    for (let a = attribute.exec(attributes); a !== null; a = attribute.exec(attributes)) {
      const [, key = '', value = ''] = a
      if (!NAME.test(key)) problems.push(`bad attribute name ${key} in <${name}>`)
      if (seen.has(key)) problems.push(`attribute ${key} twice in <${name}>`)
      seen.add(key)
      if (badText(value)) problems.push(`bad attribute value ${key}=${JSON.stringify(value)} in <${name}>`)
      at = attribute.lastIndex
    }
    if (attributes.slice(at).trim() !== '') problems.push(`unparsed attributes ${JSON.stringify(attributes.slice(at))} in <${name}>`)
    if (stack.length === 0) roots += 1
    if (!selfClosing) stack.push(name)
  }
  const rest = xml.slice(pos)
  if (badText(rest) || rest.trim() !== '') problems.push(`text after the root: ${JSON.stringify(rest.slice(0, 40))}`)
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`)
  if (roots !== 1) problems.push(`expected one root element, got ${roots}`)
  return problems
}
