// A local web server for the browser tests: it serves the built packages (dist/) and the ES
// module builds of their dependencies (fp-ts and io-ts ship es6/, pure-rand lib/esm/; their
// `lib/` builds are CommonJS, which a browser cannot import) on 127.0.0.1, nothing else.
//
// Bare specifiers (`@purenn/network`, `fp-ts/lib/Either.js`) resolve through one table: the
// page gets it as an import map, and the server also applies it to every script it serves,
// because Chromium does not apply a page's import map inside a module Web Worker (checked
// with Chromium 156), and the training pool's workers import the packages too. The ES builds
// of fp-ts and io-ts import `./Either` without `.js`: the server adds the extension, as a
// bundler would.
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The directory of a package, as the workspace package that depends on it resolves it. */
const packageDir = (name: string, from: string): string =>
  dirname(createRequire(join(root, from, 'package.json')).resolve(`${name}/package.json`))

/** URL prefix → directory served under it. */
const mounts: ReadonlyArray<readonly [string, string]> = [
  ['/pkg/matrix/', join(root, 'packages/matrix/dist')],
  ['/pkg/network/', join(root, 'packages/network/dist')],
  ['/pkg/training/', join(root, 'packages/training/dist')],
  ['/fp-ts/', join(packageDir('fp-ts', 'packages/training'), 'es6')],
  ['/io-ts/', join(packageDir('io-ts', 'packages/training'), 'es6')],
  ['/pure-rand/', join(packageDir('pure-rand', 'packages/matrix'), 'lib/esm')]
]

/** The import map: exact names, and prefixes (ending in `/`). */
export const importMap: Readonly<Record<string, string>> = {
  '@purenn/matrix': '/pkg/matrix/index.js',
  '@purenn/network': '/pkg/network/index.js',
  '@purenn/training': '/pkg/training/index.js',
  'fp-ts': '/fp-ts/index.js',
  'fp-ts/lib/': '/fp-ts/',
  'fp-ts/es6/': '/fp-ts/',
  'fp-ts/': '/fp-ts/',
  'io-ts': '/io-ts/index.js',
  'pure-rand/': '/pure-rand/'
}

/** What a bare specifier maps to, by the import map's rules (an exact entry, else the longest prefix), or undefined. */
const mapped = (specifier: string): string | undefined => {
  const exact = importMap[specifier]
  if (exact !== undefined) return exact
  const prefix = Object.keys(importMap)
    .filter((k) => k.endsWith('/') && specifier.startsWith(k))
    .sort((a, b) => b.length - a.length)[0]
  return prefix === undefined ? undefined : importMap[prefix] + specifier.slice(prefix.length)
}

/** A script with its bare import specifiers resolved (static, re-exports, dynamic); relative ones are left alone. */
const resolveImports = (source: string): string =>
  source.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\s]+)\2/g, (whole, lead: string, quote: string, spec: string) => {
    if (spec.startsWith('.') || spec.startsWith('/')) return whole
    const to = mapped(spec)
    return to === undefined ? whole : `${lead}${quote}${to}${quote}`
  })

/** The file behind a URL path, `.js` added to an extensionless import; undefined outside the mounts or when missing. */
const fileOf = (path: string): string | undefined => {
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue
    const file = normalize(join(dir, decodeURIComponent(path.slice(prefix.length))))
    if (file !== dir && !file.startsWith(dir + sep)) return undefined
    for (const candidate of [file, `${file}.js`]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

const types: Readonly<Record<string, string>> = { '.js': 'text/javascript', '.map': 'application/json', '.html': 'text/html' }

/** A server started on 127.0.0.1 and a free port: its origin, the paths it was asked for, and how to stop it. */
export interface TestServer {
  readonly origin: string
  readonly requested: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

/**
 * Serves `page` at `/` and the mounts. When `isolated`, every response carries the headers
 * that make the page and its workers cross-origin isolated (COOP and COEP), so that they may
 * share memory (`SharedArrayBuffer`); else memory cannot be shared and buffers are copied.
 */
export const serve = (page: string, isolated: boolean): Promise<TestServer> => {
  const requested: string[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requested.push(url.pathname)
    const headers: Record<string, string> = { 'cache-control': 'no-store' }
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin'
      headers['cross-origin-embedder-policy'] = 'require-corp'
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, headers).end() // the page has no icon; say so rather than 404
      return
    }
    if (url.pathname === '/') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(page)
      return
    }
    const file = fileOf(url.pathname)
    if (file === undefined) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`)
      return
    }
    const type = types[extname(file)] ?? 'application/octet-stream'
    const body = type === 'text/javascript' ? resolveImports(readFileSync(file, 'utf8')) : readFileSync(file)
    res.writeHead(200, { ...headers, 'content-type': type }).end(body)
  })
  return new Promise((ready, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address === null || typeof address === 'string') return fail(new Error('the test server has no port'))
      ready({
        origin: `http://127.0.0.1:${address.port}`,
        requested,
        close: () => new Promise((done) => server.close(() => done()))
      })
    })
  })
}
