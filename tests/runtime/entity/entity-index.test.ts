import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEntityIndex, type EntityIndex } from '../../../runtime/entity/entity-index.ts'
import { buildStore, openStore, type Store } from '../../../runtime/store/index.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

let sample: SampleStore
let store: Store
let index: EntityIndex

beforeAll(async () => {
  sample = await createSampleStore(3000, 'index')
  store = await openStore(sample.path, { access: 'read-only' })
  index = await loadEntityIndex(store, sample.catalog, [
    { table: 'social_insurance_payment', key: 'employer_uscc', fields: ['period', 'payment_status', 'contribution_base', 'paid_on'] },
    { table: 'tax_arrears', key: 'taxpayer_uscc', fields: ['arrears_amount', 'status'] },
  ])
})
afterAll(() => {
  store.close()
  sample.dispose()
})

describe('the one-entity index', () => {
  it('finds exactly the rows SQL finds, with values as JSON (dates as YYYY-MM-DD, decimals as numbers)', async () => {
    const employers = await store.connection.runAndReadAll(`SELECT employer_uscc FROM social_insurance_payment GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5`)
    for (const [uscc] of employers.getRowsJS() as [string][]) {
      const expected = await store.connection.runAndReadAll(
        `SELECT period, payment_status, contribution_base::DOUBLE, CAST(paid_on AS VARCHAR) FROM social_insurance_payment WHERE employer_uscc = $1`,
        [uscc],
      )
      const found = index.lookup(uscc).social_insurance_payment!
      expect(found.columns).toEqual(['period', 'payment_status', 'contribution_base', 'paid_on'])
      const sort = (rows: readonly (readonly unknown[])[]) => rows.map((r) => JSON.stringify(r)).sort()
      expect(sort(found.rows)).toEqual(sort(expected.getRowsJS()))
      expect(index.has(uscc)).toBe(true)
    }
  })

  it('answers an unknown key with empty tables, not an error', () => {
    expect(index.has('91350100M000100Y43')).toBe(false)
    expect(index.lookup('91350100M000100Y43')).toEqual({
      social_insurance_payment: { columns: ['period', 'payment_status', 'contribution_base', 'paid_on'], rows: [] },
      tax_arrears: { columns: ['arrears_amount', 'status'], rows: [] },
    })
  })

  it('refuses a table or field the catalog does not have', async () => {
    await expect(loadEntityIndex(store, sample.catalog, [{ table: 'secrets', key: 'k', fields: [] }])).rejects.toMatchObject({ code: 'ERR_SCENARIO_FIELD_UNKNOWN' })
    await expect(
      loadEntityIndex(store, sample.catalog, [{ table: 'tax_arrears', key: 'taxpayer_uscc', fields: ['password'] }]),
    ).rejects.toMatchObject({ code: 'ERR_SCENARIO_FIELD_UNKNOWN' })
  })

  it('knows when the store it was built from has been replaced', async () => {
    expect(index.isStale()).toBe(false)
    await new Promise((r) => setTimeout(r, 20))
    store.close()
    await buildStore({ catalog: sample.catalog, path: sample.path, scale: 500, seed: 'other' })
    store = await openStore(sample.path, { access: 'read-only' })
    expect(index.isStale()).toBe(true)
  })
})
