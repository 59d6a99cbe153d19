/**
 * Makes docs/playground.png, the README's picture of the playground: builds the page into a
 * temporary directory, serves it with Vite's preview server on 127.0.0.1, and in Debian's
 * Chromium (playwright-core) trains the two spirals until every test point is right, then
 * photographs the page.
 *
 *   pnpm build && pnpm --filter @purenn/playground screenshot
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'
import { chromium } from 'playwright-core'

const here = fileURLToPath(new URL('..', import.meta.url))
const out = resolve(here, '../../docs/playground.png')
const sel = (id: string): string => `[data-testid="${id}"]`

export const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'purenn-playground-shot-'))
  const profile = mkdtempSync(join(tmpdir(), 'purenn-chromium-'))
  try {
    await build({ root: here, logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } })
    const server = await preview({ root: here, logLevel: 'warn', build: { outDir: dir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } })
    const url = server.resolvedUrls?.local[0]
    if (url === undefined) throw new Error('the preview server gave no URL')
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      viewport: { width: 1200, height: 820 }
    })
    try {
      const tab = await context.newPage()
      await tab.goto(url)
      await tab.waitForSelector('body[data-ready="true"]')
      await tab.selectOption(sel('dataset'), 'spiral')
      for (const [id, v] of [['layers', '16 tanh, 16 tanh'], ['noise', '10'], ['epochs', '100000']] as const) {
        await tab.fill(sel(id), v)
        await tab.press(sel(id), 'Tab')
      }
      await tab.click(sel('train'))
      await tab.waitForFunction(() => Number(document.querySelector('[data-testid="accuracy"]')?.getAttribute('data-value')) >= 0.98, undefined, { timeout: 120_000, polling: 100 })
      await tab.click(sel('stop'))
      await tab.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-status') === 'stopped')
      await tab.waitForTimeout(200)
      await tab.screenshot({ path: out, fullPage: true })
      console.log(`${out}: the spirals after ${await tab.textContent(sel('epoch'))} epochs, test accuracy ${await tab.textContent(sel('accuracy'))}`)
    } finally {
      await context.close()
      await server.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    rmSync(profile, { recursive: true, force: true })
  }
}
