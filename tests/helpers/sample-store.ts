/**
 * Builds small synthetic stores for tests, once per test file, in a temporary folder that
 * the caller removes in afterAll. The store is a copy of one `buildStore` made for that seed and
 * scale, kept between files and runs while its sources are unchanged (store-cache.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog, type Catalog } from '../../catalog/load-catalog.ts'
import { openStore } from '../../runtime/store/index.ts'
import { buildSampleStore } from './store-cache.ts'

export type SampleStore = {
  readonly dir: string
  readonly path: string
  readonly catalog: Catalog
  /** Rows of the raw store, read through a read-only connection opened for this query. */
  storeRows(sql: string, values?: string[]): Promise<Record<string, unknown>[]>
  dispose(): void
}

export async function createSampleStore(scale = 3000, seed = 'test'): Promise<SampleStore> {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-test-'))
  const path = join(dir, 'store.duckdb')
  const catalog = loadCatalog()
  await buildSampleStore(catalog, path, scale, seed)
  return {
    dir,
    path,
    catalog,
    async storeRows(sql, values) {
      const store = await openStore(path, { access: 'read-only' })
      try {
        return (await store.connection.runAndReadAll(sql, values)).getRowObjectsJS() as Record<string, unknown>[]
      } finally {
        store.close()
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}
