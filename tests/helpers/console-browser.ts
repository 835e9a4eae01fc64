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
    // the browser's own widgets (date and time pickers) speak Chinese, as in a Chinese office: its
    // language and the process's locale (with Debian's chromium-l10n; without it, they stay English)
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN:zh' },
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
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

/**
 * Words a reader of the Chinese console may meet in Latin letters: proper names of the platform,
 * of standards and tools (a verifier is written with them), units, and the grades of credit
 * ratings. Everything else in Latin letters outside code is a raw code or untranslated English.
 */
export const PROPER_NAMES: ReadonlySet<string> = new Set(['indomain', 'API', 'JWKS', 'JWS', 'JOSE', 'EdDSA', 'JSON', 'SHA', 'MiB', 'base64url', 'Python', 'npx'])

/**
 * What in the page's visible text a person should not have to read in the Chinese console:
 * catalogue codes (`review.rejected`, `ERR_…`, `DIRECT_IDENTIFIER`, `dev_run_ok`), JSON (`{"`), and
 * English words outside `PROPER_NAMES`. Text in `code`, `pre`, `samp` and `kbd` (ids, hashes,
 * commands to copy, a product's own values) may hold ids and names, but never an error code,
 * JSON or one of `codes` (the audit actions, statuses and report keys the API answers with);
 * an element marked `lang="en"` (the switch to English) is not Chinese text. Closed `details` are
 * opened first, so that what they fold away is read too. Each problem is `token · the text it is in`.
 */
export async function visibleTextProblems(page: Page, codes: readonly string[], allowed: ReadonlySet<string> = PROPER_NAMES): Promise<string[]> {
  return page.evaluate(
    ({ codes, allowed }) => {
      // the browser's document, typed loosely: this file is type-checked without the DOM's types
      const document = (globalThis as unknown as { document: any }).document
      const SHOW_TEXT = 4
      for (const d of document.querySelectorAll('details:not([open])')) d.setAttribute('open', '')
      const known = new Set(codes)
      const CODE = 'code, pre, samp, kbd'
      const problems = new Set<string>()
      const check = (text: string, inCode: boolean) => {
        const snippet = text.trim().slice(0, 80)
        const flag = (token: string) => problems.add(`${token} · ${snippet}`)
        for (const m of text.matchAll(/\bERR_[A-Z_]+|\{"/g)) flag(m[0])
        for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_.-]*/g)) {
          const token = m[0].replace(/[.-]+$/, '')
          if (known.has(token)) flag(token)
          if (inCode) continue
          if (/^[a-z0-9]+(?:[._][a-z0-9]+)+$/.test(token) && /[._]/.test(token)) flag(token)
          else if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(token)) flag(token)
        }
        if (!inCode) for (const m of text.matchAll(/(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])/g)) if (!allowed.includes(m[0])) flag(m[0])
      }
      const visible = (e: any): boolean => e.checkVisibility?.({ checkOpacity: false, checkVisibilityCSS: true }) ?? true
      const walker = document.createTreeWalker(document.body, SHOW_TEXT)
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const parent = node.parentElement
        const text = node.textContent ?? ''
        if (parent === null || text.trim() === '' || parent.closest('script, style, option, [lang^="en"]') !== null || !visible(parent)) continue
        check(text, parent.closest(CODE) !== null)
      }
      // a select's choices are read when it opens; a field's placeholder is read before it is filled
      for (const select of document.querySelectorAll('select')) if (visible(select)) for (const o of select.querySelectorAll('option, optgroup')) check(o.getAttribute('label') ?? o.textContent ?? '', false)
      for (const input of document.querySelectorAll('[placeholder]')) if (visible(input)) check(input.getAttribute('placeholder') ?? '', false)
      return [...problems]
    },
    { codes: [...codes], allowed: [...allowed] },
  )
}
