/**
 * Builds small synthetic stores for tests, once per test file, in a temporary folder that
 * the caller removes in afterAll.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog, type Catalog } from '../../catalog/load-catalog.ts'
import { buildStore } from '../../runtime/store/index.ts'

export type SampleStore = { readonly dir: string; readonly path: string; readonly catalog: Catalog; dispose(): void }

export async function createSampleStore(scale = 3000, seed = 'test'): Promise<SampleStore> {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-test-'))
  const path = join(dir, 'store.duckdb')
  const catalog = loadCatalog()
  await buildStore({ catalog, path, scale, seed })
  return { dir, path, catalog, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}
