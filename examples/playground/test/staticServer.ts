// A static file server for a built page (the playground's dist/) on 127.0.0.1 and a free port,
// recording every path asked for. Nothing else is served: no directory listings, no paths
// outside the directory.
import { createServer } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml'
}

export interface StaticServer {
  readonly origin: string
  readonly requested: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

/** Serves the files under `dir` (`/` is `index.html`). */
export const serveStatic = (dir: string): Promise<StaticServer> => {
  const requested: string[] = []
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    requested.push(path)
    const file = normalize(join(dir, decodeURIComponent(path === '/' ? '/index.html' : path)))
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`)
      return
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file))
  })
  return new Promise((ready, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address === null || typeof address === 'string') return fail(new Error('the static server has no port'))
      ready({ origin: `http://127.0.0.1:${address.port}`, requested, close: () => new Promise((done) => server.close(() => done())) })
    })
  })
}
