/**
 * Every setting the runtime reads is in the README: an `INDOMAIN_*` environment variable read by
 * the runtime or its commands (runtime/, bin/) is in the README's "Settings" section, and one that
 * only the tests read is in its "Running the tests" note. A setting that is read but not written
 * down cannot be found by the people who install the runtime; a setting written down that nothing
 * reads any more misleads them.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const THIS_FILE = fileURLToPath(import.meta.url)
const SETTING = /\bINDOMAIN_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g
const SOURCE = /\.(?:ts|tsx|js|mjs|cjs)$/
/** Built or installed files are not sources: the console's bundle repeats what runtime/console/src says. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git'])

/**
 * Settings that only the test suite reads: the TEST_ and REQUIRE_ families, and the Chromium that
 * `npm test` (bin/ensure-chromium.js) looks for the browser tests.
 */
const TEST_ONLY = /^INDOMAIN_(?:TEST_|REQUIRE_|CHROMIUM$|SCREENSHOTS$|FUZZ_)/

/** Every `INDOMAIN_*` name in a text. */
function settingsIn(text: string): Set<string> {
  return new Set(text.match(SETTING) ?? [])
}

/** Every `INDOMAIN_*` name in the source files under these folders (or files), with where it is read. */
function scan(paths: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const visit = (path: string): void => {
    const entries = (() => {
      try {
        return readdirSync(path, { withFileTypes: true })
      } catch {
        return null
      }
    })()
    if (entries === null) {
      if (!SOURCE.test(path) && !path.endsWith('package.json')) return
      for (const name of settingsIn(readFileSync(path, 'utf8'))) found.set(name, [...(found.get(name) ?? []), relative(ROOT, path)])
      return
    }
    for (const entry of entries) {
      if (entry.isDirectory() && SKIPPED_FOLDERS.has(entry.name)) continue
      if (join(path, entry.name) === THIS_FILE) continue
      visit(join(path, entry.name))
    }
  }
  for (const path of paths) visit(join(ROOT, path))
  return found
}

/** The text of a README section: from its `## ` or `### ` heading to the next heading of that level or above. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n')
  const start = lines.findIndex((l) => /^#{2,3} /.test(l) && l.replace(/^#+ /, '').trim() === heading)
  if (start === -1) return ''
  const level = /^#+/.exec(lines[start]!)![0].length
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level)
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n')
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const settingsSection = section(readme, 'Settings')
const testsSection = section(readme, 'Running the tests')
const readByRuntime = scan(['runtime', 'bin'])
const readByTests = scan(['tests', 'vitest.config.ts', 'package.json'])
const userFacing = [...readByRuntime.keys()].filter((name) => !TEST_ONLY.test(name)).sort()
const testOnly = [...new Set([...readByRuntime.keys(), ...readByTests.keys()])].filter((name) => TEST_ONLY.test(name)).sort()

describe('the settings the runtime reads', () => {
  it('are found by the scanner (control: the port, the database URL and a test-only setting)', () => {
    expect(userFacing).toContain('INDOMAIN_PORT')
    expect(userFacing).toContain('INDOMAIN_DATABASE_URL')
    expect(userFacing).toContain('INDOMAIN_KEY_PASSPHRASE')
    expect(testOnly).toContain('INDOMAIN_TEST_DATABASE_URL')
    expect(readByRuntime.get('INDOMAIN_PORT')).toContain('runtime/config.ts')
    expect([...settingsIn('env.INDOMAIN_A_B ?? x; `INDOMAIN_C` INDOMAIN_ (none)')]).toEqual(['INDOMAIN_A_B', 'INDOMAIN_C'])
  })

  it('the README has a Settings section and a Running the tests note (control: the check below has text to look in)', () => {
    expect(settingsSection.length).toBeGreaterThan(200)
    expect(testsSection.length).toBeGreaterThan(100)
  })

  it('each one the runtime or its commands read is in the README\'s Settings section', () => {
    const missing = userFacing.filter((name) => !settingsIn(settingsSection).has(name)).map((name) => `${name} (read in ${readByRuntime.get(name)!.join(', ')})`)
    expect(missing, 'settings read by the runtime but not in the README\'s "Settings" section').toEqual([])
  })

  it('each one only the tests read is in the README\'s Running the tests note', () => {
    const missing = testOnly.filter((name) => !settingsIn(testsSection).has(name))
    expect(missing, 'test-only settings not in the README\'s "Running the tests" note').toEqual([])
  })

  it('the Settings section names no setting that nothing reads', () => {
    const readAnywhere = new Set([...readByRuntime.keys(), ...readByTests.keys(), ...scan(['benchmarks']).keys()])
    const stale = [...settingsIn(settingsSection)].filter((name) => !readAnywhere.has(name))
    expect(stale, 'settings in the README that no code reads').toEqual([])
  })
})
