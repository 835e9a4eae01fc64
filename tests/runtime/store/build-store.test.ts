import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { buildStore, openStore, readStoreInfo } from '../../../runtime/store/index.ts'

const catalog = loadCatalog()
let dir: string

/** Content of every catalog table, order included, as one digest per table. */
async function fingerprint(path: string): Promise<Record<string, string>> {
  const store = await openStore(path, { access: 'read-only' })
  try {
    const out: Record<string, string> = {}
    for (const t of catalog.tables) {
      const r = await store.connection.runAndReadAll(
        `SELECT count(*) || ':' || coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY rowid)), '') FROM (SELECT rowid, t AS x FROM "${t.id}" t)`,
      )
      out[t.id] = String(r.getRowsJS()[0]![0])
    }
    return out
  } finally {
    store.close()
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-build-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('buildStore', () => {
  it('builds the same store content from the same seed and scale, and records how it was built', async () => {
    const a = join(dir, 'a.duckdb')
    const b = join(dir, 'b.duckdb')
    const result = await buildStore({ catalog, path: a, scale: 1500, seed: 7 })
    await buildStore({ catalog, path: b, scale: 1500, seed: 7 })
    expect(result.rows.get('household_registration')).toBe(1500)
    expect(await fingerprint(a)).toEqual(await fingerprint(b))
    const store = await openStore(a, { access: 'read-only' })
    try {
      const info = await readStoreInfo(store, catalog)
      expect(info.properties.get('seed')).toBe('7')
      expect(info.properties.get('scale')).toBe('1500')
      expect(info.properties.get('catalog_hash')).toBe(catalog.hash)
      expect(info.rowCounts.get('household_registration')).toBe(1500)
      expect(info.rowCounts.size).toBe(catalog.tables.length)
    } finally {
      store.close()
    }
  })

  it('is atomic: a build that fails half-way leaves the previous store intact and no temporary files', async () => {
    const path = join(dir, 'atomic.duckdb')
    await buildStore({ catalog, path, scale: 800, seed: 'old' })
    const before = await fingerprint(path)
    await expect(
      buildStore({
        catalog,
        path,
        scale: 900,
        seed: 'new',
        onProgress: (p) => {
          if (p.step === 'social_insurance_payment') throw new Error('disk full (simulated)')
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_STORE_BUILD_FAILED' })
    expect(await fingerprint(path)).toEqual(before)
    expect(readdirSync(dir).filter((f) => f.includes('building'))).toEqual([])
  })

  it('replaces the previous store when it succeeds, ignoring a stale write-ahead log', async () => {
    const path = join(dir, 'replace.duckdb')
    await buildStore({ catalog, path, scale: 600, seed: 1 })
    const first = await fingerprint(path)
    writeFileSync(`${path}.wal`, 'stale wal from a crashed writer')
    await buildStore({ catalog, path, scale: 700, seed: 2 })
    const second = await fingerprint(path)
    expect(second.household_registration).toMatch(/^700:/)
    expect(second).not.toEqual(first)
  })
})
