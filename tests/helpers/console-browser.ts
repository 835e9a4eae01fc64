/**
 * Headless Chromium for the console's end-to-end tests: Debian's `chromium` (installed by
 * `bin/ensure-chromium.js`, which `npm test` runs first), driven by playwright-core. Nothing is
 * downloaded. Where no browser can be installed the tests skip, and say why.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.INDOMAIN_CHROMIUM ?? '/usr/bin/chromium'
export const browserAvailable = existsSync(CHROMIUM)
export const SKIP_MESSAGE = `the console's browser tests are skipped: no Chromium at ${CHROMIUM}. npm test installs Debian's chromium when run as root (bin/ensure-chromium.js); elsewhere run "sudo apt-get install chromium" or set INDOMAIN_CHROMIUM`

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // the machine's network is closed: Chromium's own background connections are switched off
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
}
