// What every browser test needs of Chromium: Debian's binary, the rule for when the tests run
// (skipped with a message where it is missing, except in CI, where it must be there: `.ci/run`
// installs it), and the flags of a headless Chromium on a machine without a network (no
// background networking, component updates, sync or QUIC).
import { existsSync } from 'node:fs'

/** Debian's Chromium, which playwright-core drives (`executablePath`): no browser download. */
export const executablePath = '/usr/bin/chromium'

/**
 * Whether the browser tests of `what` run here: true when Chromium is installed; false, with a
 * warning, when it is not and this is not CI; in CI (CI set, not `false`) a missing Chromium
 * is an error.
 */
export const browserPresent = (what: string): boolean => {
  const inCI = (process.env['CI'] ?? '') !== '' && process.env['CI'] !== 'false'
  const present = existsSync(executablePath)
  if (!present && inCI) throw new Error(`${executablePath} is missing in CI: .ci/run installs it (apt-get install -y chromium)`)
  if (!present) console.warn(`skipping ${what}: ${executablePath} is not installed (apt-get install chromium); in CI they run`)
  return present
}

/** The flags of a headless Chromium on a machine without a network. */
export const flags: ReadonlyArray<string> = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions'
]
