/**
 * Synthetic stores kept between test files and runs, so that a store of one seed and scale is
 * generated once (by the real `buildStore`) and each test gets a copy of its own to use or change.
 *
 * A kept store is used only while everything that went into it is unchanged: the folder it lives in
 * is named by a hash of the catalog (all of `catalog/`), of every source file `buildStore` imports
 * (followed from runtime/store/index.ts), of package-lock.json (DuckDB's version), the Node version
 * and the time zone. Any change there starts a fresh folder; folders unused for a day are removed.
 * INDOMAIN_TEST_STORE_CACHE=off builds every store afresh, as before; INDOMAIN_TEST_STORE_CACHE=DIR
 * keeps them in DIR instead of the system's temporary folder.
 */
import { createHash, randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { buildStore } from '../../runtime/store/index.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SETTING = process.env.INDOMAIN_TEST_STORE_CACHE
const CACHE_ROOT = SETTING !== undefined && SETTING !== '' && SETTING !== 'off' ? resolve(SETTING) : join(tmpdir(), 'indomain-test-stores')
/** A folder of another fingerprint is removed once unused this long (another checkout may still use its own). */
const STALE_MS = 24 * 3600 * 1000

/** Builds the store of `seed` and `scale` at `path`, from the kept copy when there is one. */
export async function buildSampleStore(catalog: Catalog, path: string, scale: number, seed: string): Promise<void> {
  if (SETTING === 'off') {
    await buildStore({ catalog, path, scale, seed })
    return
  }
  const dir = cacheDir()
  const kept = join(dir, `${scale}-${seed.replace(/[^A-Za-z0-9_-]/g, '_')}-${hash([seed]).slice(0, 12)}.duckdb`)
  try {
    if (!existsSync(kept)) {
      // built beside, then renamed into place in one step: a reader never sees half a store, and
      // two processes building the same one at once both succeed
      const building = join(dir, `.building-${process.pid}-${randomBytes(4).toString('hex')}`)
      mkdirSync(building)
      try {
        await buildStore({ catalog, path: join(building, 'store.duckdb'), scale, seed })
        renameSync(join(building, 'store.duckdb'), kept)
      } finally {
        rmSync(building, { recursive: true, force: true })
      }
    }
    copyFileSync(kept, path)
  } catch {
    // the kept copy is only a shortcut (its folder may have been removed meanwhile): build it here
    await buildStore({ catalog, path, scale, seed })
  }
}

let sources: string | undefined
let pruned = false

/** The folder of the stores made from these sources, by this Node, in the current time zone. */
function cacheDir(): string {
  sources ??= hash(storeSources().flatMap((f) => [relative(ROOT, f), readFileSync(f, 'utf8')]))
  // the time zone as it is now: a test may set TZ before it makes its store
  const dir = join(CACHE_ROOT, hash([sources, process.version, Intl.DateTimeFormat().resolvedOptions().timeZone]).slice(0, 24))
  mkdirSync(dir, { recursive: true })
  const now = new Date()
  utimesSync(dir, now, now)
  if (!pruned) {
    pruned = true
    // folders of other sources unused for a day, and builds left behind by a killed process
    const stale = [...readdirSync(CACHE_ROOT).map((name) => join(CACHE_ROOT, name)), ...readdirSync(dir).filter((name) => name.startsWith('.building-')).map((name) => join(dir, name))]
    for (const path of stale) {
      try {
        if (path !== dir && now.getTime() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true })
      } catch {
        // removed by another process meanwhile
      }
    }
  }
  return dir
}

/** What a generated store depends on: every file it is made from, by content. */
function storeSources(): string[] {
  const files = new Set<string>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.add(path)
    }
  }
  walk(join(ROOT, 'catalog'))
  const followed = new Set<string>()
  const follow = (file: string): void => {
    if (followed.has(file)) return
    followed.add(file)
    files.add(file)
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]!)
      if (existsSync(target) && statSync(target).isFile()) follow(target)
    }
  }
  follow(join(ROOT, 'runtime/store/index.ts'))
  // and what the catalog's own modules import from outside catalog/
  for (const file of [...files]) if (file.endsWith('.ts')) follow(file)
  files.add(join(ROOT, 'package-lock.json'))
  return [...files].sort()
}

function hash(parts: readonly string[]): string {
  const h = createHash('sha256')
  for (const p of parts) h.update(p).update('\u0000')
  return h.digest('hex')
}
