#!/usr/bin/env node
// Makes sure the browser the console's end-to-end tests drive is here: Debian's `chromium`
// (playwright-core drives it; nothing is downloaded from a browser CDN), a Chinese font for
// its labels (fonts-noto-cjk) and its Chinese locale (chromium-l10n: date pickers in Chinese); and Debian's python3-jwcrypto, for the release verifier written in
// Python (docs/verifiers) that the tests run as an outside client. Run by `npm test`. As root with apt-get it installs what is
// missing; elsewhere it says how, and the browser tests skip with that message. It never fails
// the test command by itself.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const executable = process.env.INDOMAIN_CHROMIUM ?? '/usr/bin/chromium'
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
const CHINESE_LOCALE = '/usr/lib/chromium/locales/zh-CN.pak'

function version() {
  if (!existsSync(executable)) return undefined
  const run = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000 })
  return run.status === 0 ? run.stdout.trim() : undefined
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 900_000 })
  if (install().status === 0) return true
  // a fresh machine may have no package lists yet
  spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 600_000 })
  return install().status === 0
}

const before = version()
const missing = []
if (process.env.INDOMAIN_CHROMIUM === undefined && before === undefined) missing.push('chromium')
if (!existsSync(CJK_FONT)) missing.push('fonts-noto-cjk')
if (process.env.INDOMAIN_CHROMIUM === undefined && !existsSync(CHINESE_LOCALE)) missing.push('chromium-l10n')
const hasJwcrypto = () => spawnSync('/usr/bin/python3', ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0
if (!hasJwcrypto()) missing.push('python3-jwcrypto')
const root = typeof process.getuid === 'function' && process.getuid() === 0
const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0

if (missing.length > 0 && root && apt) {
  process.stdout.write(`installing Debian's ${missing.join(' and ')} for the browser and outside-client tests (apt-get, once)…\n`)
  if (!aptInstall(missing)) process.stdout.write(`apt-get could not install ${missing.join(' and ')}\n`)
} else if (missing.length > 0) {
  process.stdout.write(`missing for the browser and outside-client tests: ${missing.join(', ')} (sudo apt-get install ${missing.join(' ')}; or set INDOMAIN_CHROMIUM to a Chromium)\n`)
}
// Chromium is asked its version again only when it was just installed
const found = missing.includes('chromium') ? version() : before
process.stdout.write(found === undefined ? `no Chromium at ${executable}: the console's browser tests will be skipped\n` : `browser for the console tests: ${found}${existsSync(CJK_FONT) ? '' : ' (no Chinese font: labels render as boxes in screenshots)'}\n`)
if (missing.includes('python3-jwcrypto')) process.stdout.write(hasJwcrypto() ? 'python3-jwcrypto installed for the outside verifier\n' : 'no python3-jwcrypto: the outside verifier\'s tests will be skipped\n')
