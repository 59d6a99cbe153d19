// The playground (examples/playground) in a real browser: the page is built with Vite into a
// temporary directory (the tree stays clean), served from 127.0.0.1, and driven in Debian's
// Chromium with playwright-core, through the controls' `data-testid`s, as a user would.
//
// As for the other browser tests (test/browser/training.test.ts): without /usr/bin/chromium they are skipped
// with a message, except in CI (CI set), where they must run. The figures the closing
// note asks for (frame gaps, seconds to solve XOR and the spirals) are printed; only the issue's
// own bounds are asserted (XOR's loss below 0.05 within 20 s, frame gaps' 95th percentile at
// most 50 ms).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { serveStatic, type StaticServer } from './staticServer.js'
import { browserPresent, executablePath, flags } from '../../../test/browser/chromium.js'

const here = dirname(fileURLToPath(import.meta.url))
const playground = resolve(here, '..')
const committedModel = join(playground, 'models/mnist-small.json')
const present = browserPresent("the playground's browser tests")

const sel = (id: string): string => `[data-testid="${id}"]`

/** The 95th percentile of some numbers. */
const p95 = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? NaN
}

describe.skipIf(!present)('the playground in Chromium', () => {
  let dir: string
  let profile: string
  let context: BrowserContext
  let server: StaticServer
  const errors: string[] = []
  const requests: string[] = []
  const figures: string[] = []

  /** A fresh tab on the playground, once its module has run. */
  const open = async (): Promise<Page> => {
    const tab = await context.newPage()
    tab.on('pageerror', (e) => errors.push(e.message))
    tab.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    await tab.goto(`${server.origin}/`)
    await tab.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
    return tab
  }

  const value = async (tab: Page, id: string): Promise<number> => Number(await tab.getAttribute(sel(id), 'data-value'))
  const waitStatus = (tab: Page, statuses: ReadonlyArray<string>, timeout = 30_000): Promise<unknown> =>
    tab.waitForFunction((s) => s.includes(document.querySelector('[data-testid="status"]')?.getAttribute('data-status') ?? ''), statuses, { timeout })
  const boundary = (tab: Page): Promise<string> => tab.$eval(sel('boundary'), (c) => (c as HTMLCanvasElement).toDataURL())

  /** Sets a field as a user would: types the value, then leaves the field (its change event). */
  const set = async (tab: Page, id: string, v: string): Promise<void> => {
    await tab.fill(sel(id), v)
    await tab.press(sel(id), 'Tab')
  }

  /**
   * Keeps a checksum of the boundary canvas each time the shown epoch changes (the frame that
   * shows an epoch draws its boundary too), in `window.boundaries`.
   */
  const watchBoundary = (tab: Page): Promise<void> =>
    tab.evaluate(() => {
      const w = window as unknown as { boundaries: number[] }
      w.boundaries = []
      const canvas = document.querySelector('[data-testid="boundary"]') as HTMLCanvasElement
      const epoch = document.querySelector('[data-testid="epoch"]')!
      const checksum = (): number => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
        let sum = 0
        for (let k = 0; k < data.length; k += 97) sum = (sum * 31 + data[k]!) % 1_000_000_007
        return sum
      }
      w.boundaries.push(checksum()) // the boundary before the run
      new MutationObserver(() => w.boundaries.push(checksum())).observe(epoch, { childList: true, characterData: true, subtree: true })
    })

  /** Starts measuring the gaps between animation frames; the function returned stops and gives them. */
  const frameGaps = async (tab: Page): Promise<() => Promise<number[]>> => {
    await tab.evaluate(() => {
      const w = window as unknown as { gaps: number[]; measuring: boolean }
      w.gaps = []
      w.measuring = true
      let last = performance.now()
      const frame = (t: number): void => {
        w.gaps.push(t - last)
        last = t
        if (w.measuring) requestAnimationFrame(frame)
      }
      requestAnimationFrame(frame)
    })
    return () =>
      tab.evaluate(() => {
        const w = window as unknown as { gaps: number[]; measuring: boolean }
        w.measuring = false
        return w.gaps.slice(1)
      })
  }

  /** Draws strokes (each a list of points in the canvas's 280 x 280 pixels) with the mouse. */
  const draw = async (tab: Page, strokes: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Promise<void> => {
    await tab.click(sel('clear-digit'))
    const box = (await tab.locator(sel('digit-canvas')).boundingBox())!
    const at = ([x, y]: readonly [number, number]): [number, number] => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280]
    for (const stroke of strokes) {
      await tab.mouse.move(...at(stroke[0]!))
      await tab.mouse.down()
      for (const p of stroke.slice(1)) await tab.mouse.move(...at(p), { steps: 12 })
      await tab.mouse.up()
    }
  }
  const one: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [[[140, 40], [138, 240]]]
  const seven: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [[[70, 50], [210, 50], [120, 240]]]
  const prediction = (tab: Page): Promise<string | null> => tab.getAttribute(sel('digit-prediction'), 'data-probabilities')

  /** Loads a model file through the Load control. */
  const load = async (tab: Page, file: string): Promise<void> => {
    await tab.setInputFiles(sel('load'), file)
    await tab.waitForFunction(() => /loaded/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, { timeout: 10_000 })
  }

  /** Clicks Save and keeps the file it downloads. */
  const save = async (tab: Page, name: string): Promise<string> => {
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.click(sel('save'))])
    const path = join(dir, name)
    await download.saveAs(path)
    return path
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'purenn-playground-'))
    profile = mkdtempSync(join(tmpdir(), 'purenn-chromium-'))
    const vite = join(playground, 'node_modules/vite/bin/vite.js')
    execFileSync(process.execPath, [vite, 'build', '--outDir', join(dir, 'site'), '--emptyOutDir', '--logLevel', 'warn'], { cwd: playground, stdio: 'pipe' })
    server = await serveStatic(join(dir, 'site'))
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...flags], acceptDownloads: true, viewport: { width: 1280, height: 900 } })
    context.on('request', (r) => void requests.push(r.url()))
  })

  afterAll(async () => {
    await context?.close()
    await server?.close()
    for (const d of [dir, profile]) if (d !== undefined) rmSync(d, { recursive: true, force: true })
    if (figures.length > 0) console.log(`playground figures:\n  ${figures.join('\n  ')}`)
  })

  it('loads with no console error, its controls labelled, the MNIST digits fetched from its own server', async () => {
    const tab = await open()
    await tab.waitForFunction(() => /digits loaded/.test(document.querySelector('[data-testid="digits-status"]')?.textContent ?? ''), undefined, { timeout: 20_000 })
    for (const id of ['dataset', 'layers', 'learning-rate', 'optimizer', 'batch-size', 'seed', 'train', 'pause', 'stop', 'reset', 'epoch', 'loss', 'accuracy', 'boundary', 'chart', 'digit-canvas', 'digit-prediction', 'save', 'load'])
      expect(await tab.locator(sel(id)).count(), id).toBe(1)
    const unlabelled = await tab.evaluate(() =>
      [...document.querySelectorAll('input, select, button')]
        .filter((e) => {
          const labels = (e as HTMLInputElement).labels
          return (labels === null || labels.length === 0) && (e.textContent ?? '').trim() === '' && !e.getAttribute('aria-label')
        })
        .map((e) => e.id)
    )
    expect(unlabelled).toEqual([])
    expect(server.requested).toContain('/mnist-digits.bin')
    expect(errors).toEqual([])
    await tab.close()
  })

  it('trains XOR below a loss of 0.05 within 20 s of a click, redrawing the boundary, while frames keep coming', async () => {
    const tab = await open()
    await tab.selectOption(sel('dataset'), 'xor')
    await set(tab, 'epochs', '100000')
    await tab.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))) // the reset drawn
    await watchBoundary(tab)
    const stopGaps = await frameGaps(tab)
    const t0 = Date.now()
    await tab.click(sel('train'))
    await tab.waitForFunction(
      () => {
        const shown = document.querySelector('[data-testid="loss"]')?.getAttribute('data-value') // absent until the first report
        return shown !== null && shown !== undefined && Number(shown) < 0.05
      },
      undefined,
      { timeout: 20_000, polling: 50 }
    )
    const seconds = (Date.now() - t0) / 1000
    const gaps = await stopGaps()
    const seen = await tab.evaluate(() => (window as unknown as { boundaries: number[] }).boundaries)
    await tab.click(sel('stop'))
    await waitStatus(tab, ['stopped'])
    expect(errors).toEqual([])
    expect(new Set(seen).size).toBeGreaterThanOrEqual(2) // redrawn while the run went on (the spirals' test counts the redraws)
    expect(seconds).toBeLessThan(20)
    expect(gaps.length).toBeGreaterThan(5)
    figures.push(`XOR: loss below 0.05 after ${seconds.toFixed(2)} s (epoch ${await value(tab, 'epoch')})`)
    figures.push(`frame gaps while training XOR: p95 ${p95(gaps).toFixed(1)} ms, max ${Math.max(...gaps).toFixed(1)} ms over ${gaps.length} frames`)
    expect(p95(gaps)).toBeLessThanOrEqual(50)
    expect(errors).toEqual([])
    await tab.close()
  })

  it('Stop settles within one batch; Pause holds the run and resumes it; Reset starts again', async () => {
    const tab = await open()
    await tab.selectOption(sel('dataset'), 'spiral')
    await set(tab, 'epochs', '1000000')
    await tab.click(sel('train'))
    await tab.waitForFunction(() => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) >= 5)
    await tab.click(sel('pause'))
    await waitStatus(tab, ['paused'])
    const held = await value(tab, 'epoch')
    await tab.waitForTimeout(300)
    expect(await value(tab, 'epoch')).toBe(held)
    expect(await tab.textContent(sel('pause'))).toBe('Resume')
    await tab.click(sel('pause'))
    await tab.waitForFunction((e) => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) > e, held)

    const t0 = Date.now()
    await tab.click(sel('stop'))
    await waitStatus(tab, ['stopped'])
    const ms = Date.now() - t0
    const message = (await tab.textContent(sel('status'))) ?? ''
    const match = /: after step (\d+) \(Stop came after step (\d+)\)/.exec(message)
    expect(match, message).not.toBeNull()
    expect(Number(match![1]) - Number(match![2])).toBeLessThanOrEqual(1)
    figures.push(`Stop: settled ${Number(match![1]) - Number(match![2])} step(s) after the click arrived, ${ms} ms from the click to the page showing it`)
    const stoppedAt = await value(tab, 'epoch')
    await tab.waitForTimeout(200)
    expect(await value(tab, 'epoch')).toBe(stoppedAt)

    await tab.click(sel('reset'))
    await waitStatus(tab, ['idle'])
    expect(await tab.textContent(sel('epoch'))).toBe('0')
    expect(await tab.textContent(sel('loss'))).toBe('–')
    expect(errors).toEqual([])
    await tab.close()
  })

  it('the same seed gives the same loss at epoch 50, another seed another', async () => {
    const tab = await open()
    const run = async (seed: string): Promise<number> => {
      await set(tab, 'seed', seed)
      await tab.click(sel('reset'))
      await tab.click(sel('train'))
      await waitStatus(tab, ['finished'])
      expect(await value(tab, 'epoch')).toBe(50)
      return value(tab, 'loss')
    }
    await tab.selectOption(sel('dataset'), 'circle')
    await set(tab, 'epochs', '50')
    const a = await run('7')
    const b = await run('7')
    const c = await run('8')
    expect(a).toBe(b)
    expect(c).not.toBe(a)
    expect(errors).toEqual([])
    await tab.close()
  })

  it('solves the two spirals (printed: the time to 100% of the test points right)', async () => {
    const tab = await open()
    await tab.selectOption(sel('dataset'), 'spiral')
    await set(tab, 'layers', '16 tanh, 16 tanh')
    await set(tab, 'epochs', '100000')
    await watchBoundary(tab)
    const stopGaps = await frameGaps(tab)
    const t0 = Date.now()
    await tab.click(sel('train'))
    const solved = await tab
      .waitForFunction(() => Number(document.querySelector('[data-testid="accuracy"]')?.getAttribute('data-value')) >= 1, undefined, { timeout: 90_000, polling: 50 })
      .then(() => true, () => false)
    const seconds = (Date.now() - t0) / 1000
    const gaps = await stopGaps()
    const seen = await tab.evaluate(() => (window as unknown as { boundaries: number[] }).boundaries)
    expect(new Set(seen).size).toBeGreaterThanOrEqual(4) // the boundary before, then redrawn, differently, as it learnt
    figures.push(`frame gaps while training the spirals: p95 ${p95(gaps).toFixed(1)} ms, max ${Math.max(...gaps).toFixed(1)} ms over ${gaps.length} frames`)
    expect(p95(gaps)).toBeLessThanOrEqual(50)
    // the accuracy the run reached, read before Stop: a run that goes on after every point is right may lose a few again before it stops
    const reached = solved ? 1 : await value(tab, 'accuracy')
    figures.push(solved ? `spirals: every test point right after ${seconds.toFixed(2)} s (epoch ${await value(tab, 'epoch')})` : `spirals: not solved in 90 s (test accuracy ${reached})`)
    await tab.click(sel('stop'))
    await waitStatus(tab, ['stopped', 'finished'])
    expect(reached).toBeGreaterThan(0.9)
    expect(errors).toEqual([])
    await tab.close()
  }, 120_000)

  it('the committed MNIST model reads a drawn "1" and "7"; a saved model loads back with the same predictions', async () => {
    const tab = await open()
    await load(tab, committedModel)
    expect(await tab.inputValue(sel('dataset'))).toBe('mnist')
    await draw(tab, one)
    await tab.waitForFunction(() => document.querySelector('[data-testid="digit-prediction"]')?.textContent === '1', undefined, { timeout: 5_000 }).catch(() => undefined)
    expect(await tab.textContent(sel('digit-prediction'))).toBe('1')
    await draw(tab, seven)
    await tab.waitForFunction(() => document.querySelector('[data-testid="digit-prediction"]')?.textContent === '7', undefined, { timeout: 5_000 }).catch(() => undefined)
    expect(await tab.textContent(sel('digit-prediction'))).toBe('7')
    const probabilities = await prediction(tab)

    const saved = await save(tab, 'mnist-saved.json')
    expect(JSON.parse(readFileSync(saved, 'utf8')).format).toBe('purenn/network')
    await tab.click(sel('pretrained')) // another model first, so that the reload shows
    await tab.selectOption(sel('dataset'), 'xor')
    await load(tab, saved)
    await draw(tab, seven)
    await tab.waitForFunction((p) => document.querySelector('[data-testid="digit-prediction"]')?.getAttribute('data-probabilities') === p, probabilities, { timeout: 5_000 })
    expect(await prediction(tab)).toBe(probabilities)
    expect(errors).toEqual([])
    await tab.close()
  })

  it('a saved 2-D model loads back with the same boundary; a file dropped on the page loads too', async () => {
    const tab = await open()
    await tab.selectOption(sel('dataset'), 'xor')
    await set(tab, 'epochs', '30')
    await tab.click(sel('train'))
    await waitStatus(tab, ['finished'])
    const trained = await boundary(tab)
    const saved = await save(tab, 'xor-saved.json')
    await tab.click(sel('reset'))
    await waitStatus(tab, ['idle'])
    expect(await boundary(tab)).not.toBe(trained)
    await load(tab, saved)
    expect(await boundary(tab)).toBe(trained)

    const text = readFileSync(committedModel, 'utf8')
    await tab.evaluate((content) => {
      const data = new DataTransfer()
      data.items.add(new File([content], 'dropped.json', { type: 'application/json' }))
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
    }, text)
    await tab.waitForFunction(() => /loaded dropped\.json/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''))
    expect(await tab.inputValue(sel('dataset'))).toBe('mnist')
    expect(errors).toEqual([])
    await tab.close()
  })

  it("loads the demo's mnist.json (784-256-10, as the demo writes it) and predicts with it", async () => {
    const { main } = await import('../../mnist/main.js')
    const modelPath = join(dir, 'mnist.json')
    await main({ numEpochs: 1, trainSamples: 300, modelPath, progress: false, log: () => undefined })
    const tab = await open()
    await load(tab, modelPath)
    expect(await tab.inputValue(sel('layers'))).toBe('256 relu')
    await draw(tab, seven)
    await tab.waitForFunction(() => /^\d$/.test(document.querySelector('[data-testid="digit-prediction"]')?.textContent ?? ''))
    expect(errors).toEqual([])
    await tab.close()
  })

  it('trains on the MNIST digits in the page, and with the batches shared by two workers', async () => {
    const tab = await open()
    await tab.selectOption(sel('dataset'), 'mnist')
    await tab.waitForFunction(() => /digits loaded/.test(document.querySelector('[data-testid="digits-status"]')?.textContent ?? ''), undefined, { timeout: 20_000 })
    await set(tab, 'epochs', '2')
    await set(tab, 'workers', '2')
    const stopGaps = await frameGaps(tab)
    const t0 = Date.now()
    await tab.click(sel('train'))
    await waitStatus(tab, ['finished'], 60_000)
    const gaps = await stopGaps()
    figures.push(`frame gaps while training MNIST (784-32-10): p95 ${p95(gaps).toFixed(1)} ms, max ${Math.max(...gaps).toFixed(1)} ms over ${gaps.length} frames`)
    const accuracy = await value(tab, 'accuracy')
    figures.push(`MNIST in the page: 2 epochs on 3,000 digits with 2 workers, ${((Date.now() - t0) / 1000).toFixed(1)} s, ${(100 * accuracy).toFixed(1)}% of 500 held-out digits right`)
    expect(accuracy).toBeGreaterThan(0.7)
    expect(requests.some((u) => /webWorker/.test(u))).toBe(true) // the pool's worker script was loaded
    expect(errors).toEqual([])
    await tab.close()
  }, 90_000)

  it('is operable from the keyboard: Tab to Train and press Enter', async () => {
    const tab = await open()
    await set(tab, 'epochs', '20')
    await tab.focus(sel('seed'))
    await tab.keyboard.press('Tab')
    expect(await tab.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('train')
    await tab.keyboard.press('Enter')
    await waitStatus(tab, ['finished'])
    expect(await value(tab, 'epoch')).toBe(20)
    expect(errors).toEqual([])
    await tab.close()
  })

  it('asked for nothing but its own server', () => {
    const foreign = requests.filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'))
    expect(requests.length).toBeGreaterThan(0)
    expect(foreign).toEqual([])
  })
})
