// trainAsync in a real browser: Debian's Chromium, driven by playwright-core, loads the built
// packages from a local server (server.ts) and trains XOR on a pool of Web Workers while the
// page keeps answering clicks and timers; its stop button aborts the run.
//
// Chromium runs headless with the flags a machine without a network needs (no background
// networking, component updates, sync or QUIC) and a fresh profile. Without /usr/bin/chromium
// these tests are skipped with a message, except in CI (CI set), where they must run: `.ci/run`
// installs Chromium first (`apt-get install chromium`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { importMap, serve, type TestServer } from './server.js'
import { browserPresent, executablePath, flags } from './chromium.js'

const here = dirname(fileURLToPath(import.meta.url))
const present = browserPresent('the browser tests')

for (const pkg of ['matrix', 'network', 'training'])
  if (present && !existsSync(resolve(here, `../../packages/${pkg}/dist/index.js`)))
    throw new Error(`packages/${pkg}/dist is missing: the browser loads the built packages (npx tsc -b tsconfig.build.json)`)

const page = readFileSync(join(here, 'xor.html'), 'utf8').replace(
  '<!-- IMPORT_MAP: the test server puts its import map here -->',
  `<script type="importmap">${JSON.stringify({ imports: importMap })}</script>`
)

interface Summary {
  readonly tag: string
  readonly message?: string
  readonly epochs?: number
  readonly predictions: number[]
  readonly params: number[]
}

interface PageState {
  readonly running: boolean
  readonly clicksDuring: number
  readonly ticksDuring: number
  readonly steps: number
  readonly stepsAtStop: number
}

/** What the page puts on its global object (see xor.html), and the browser's isolation flag. */
interface PageGlobals {
  readonly ready?: boolean
  readonly train: (options: { readonly epochs: number; readonly workers: number }) => void
  readonly done: Promise<Summary>
  readonly state: PageState
  readonly crossOriginIsolated: boolean
}

describe.skipIf(!present)('trainAsync in Chromium', () => {
  let profile: string
  let context: BrowserContext
  let plain: TestServer
  let isolated: TestServer
  const errors: string[] = []

  /** A fresh tab on a server, once the page's module has run. */
  const open = async (server: TestServer): Promise<Page> => {
    const tab = await context.newPage()
    tab.on('pageerror', (e) => errors.push(e.message))
    tab.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    await tab.goto(`${server.origin}/`)
    await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).ready === true, undefined, { timeout: 30_000 })
    return tab
  }

  const train = (tab: Page, epochs: number, workers: number): Promise<void> =>
    tab.evaluate(({ epochs, workers }) => (globalThis as unknown as PageGlobals).train({ epochs, workers }), { epochs, workers })
  const done = (tab: Page): Promise<Summary> => tab.evaluate(() => (globalThis as unknown as PageGlobals).done)
  const state = (tab: Page): Promise<PageState> => tab.evaluate(() => ({ ...(globalThis as unknown as PageGlobals).state }))

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'purenn-chromium-'))
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...flags] })
    plain = await serve(page, false)
    isolated = await serve(page, true)
  })

  afterAll(async () => {
    await context?.close()
    await plain?.close()
    await isolated?.close()
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
  })

  it('trains XOR on two Web Workers while timers keep firing, and matches one worker up to rounding', async () => {
    const tab = await open(plain)
    await train(tab, 400, 2)
    const two = await done(tab)
    expect(errors).toEqual([])
    expect(two.tag).toBe('Right')
    expect(two.epochs).toBe(400)
    two.predictions.forEach((p, i) => expect(Math.abs(p - [0, 1, 1, 0][i]!)).toBeLessThan(0.1))
    expect((await state(tab)).ticksDuring).toBeGreaterThan(0)
    expect(plain.requested).toContain('/pkg/training/async/webWorker.js') // the pool's script was loaded
    expect(await tab.evaluate(() => (globalThis as unknown as PageGlobals).crossOriginIsolated)).toBe(false) // so the pool copied its buffers

    await train(tab, 400, 1)
    const one = await done(tab)
    const tol = 400 * 1024 * Number.EPSILON * Math.max(1, ...one.params.map(Math.abs))
    two.params.forEach((v, i) => expect(Math.abs(v - one.params[i]!)).toBeLessThanOrEqual(tol))
    await tab.close()
  })

  it('the page answers clicks during a run, and its stop button aborts it between two steps', async () => {
    const tab = await open(plain)
    await train(tab, 1_000_000, 2)
    for (let i = 0; i < 5; i++) await tab.click('#count')
    const during = await state(tab)
    expect(during.running).toBe(true)
    expect(during.clicksDuring).toBe(5) // each click was handled while the run went on
    expect(during.steps).toBeGreaterThan(0)
    await tab.click('#stop')
    const stopped = await done(tab)
    const after = await state(tab)
    expect(stopped.tag).toBe('Aborted')
    expect(stopped.message).toMatch(/^Aborted in epoch \d+, after step \d+: /)
    expect(after.steps).toBe(after.stepsAtStop) // no step after the abort
    expect(stopped.message).toContain(`after step ${after.stepsAtStop}:`)
    expect(after.ticksDuring).toBeGreaterThan(0)
    expect(errors).toEqual([])
    await tab.close()
  })

  it('on a cross-origin-isolated page the workers share memory, with the same bits', async () => {
    const tab = await open(isolated)
    expect(await tab.evaluate(() => (globalThis as unknown as PageGlobals).crossOriginIsolated)).toBe(true)
    await train(tab, 400, 2)
    const shared = await done(tab)
    const other = await open(plain)
    await train(other, 400, 2)
    const copied = await done(other)
    expect(shared.tag).toBe('Right')
    expect(shared.params).toEqual(copied.params)
    expect(errors).toEqual([])
    await tab.close()
    await other.close()
  })
})
