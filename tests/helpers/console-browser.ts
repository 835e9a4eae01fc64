/**
 * Headless Chromium for the console's end-to-end tests: Debian's `chromium` (installed by
 * `bin/ensure-chromium.js`, which `npm test` runs first), driven by playwright-core. Nothing is
 * downloaded. Where no browser can be installed the tests skip, and say why.
 */
import { existsSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'

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

/**
 * What axe-core (Deque's accessibility engine) finds against WCAG 2.1 A and AA on the page as it
 * is now: one line per rule broken, with the elements that break it.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return result.violations.map((v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}
