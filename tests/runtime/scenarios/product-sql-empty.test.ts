/** A declared query that returns no rows gives empty typed columns, not an untyped crash. */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../../runtime/store/open-store.ts'
import { runProductSql } from '../../../runtime/scenarios/product-sql.ts'

const dir = mkdtempSync(join(tmpdir(), 'indomain-sql-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('product SQL with no rows', () => {
  it('returns the columns, typed and empty', async () => {
    const store = await openStore(join(dir, 'x.duckdb'), { access: 'read-write', create: true })
    try {
      const table = await runProductSql(store.connection, `SELECT 1 AS n, 'a' AS label WHERE false`)
      expect(table.length).toBe(0)
      expect(table.columns.n).toMatchObject({ kind: 'number' })
      expect(table.columns.label).toMatchObject({ kind: 'text', dictionary: [] })
    } finally {
      store.close()
    }
  })
})
