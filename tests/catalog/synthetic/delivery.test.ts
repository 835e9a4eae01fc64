/**
 * Records as departments deliver them (catalog/synthetic/delivery.ts), in a store built the real
 * way: optional values left empty at about the department's rate, clerks' variants of addresses,
 * records filed twice under a supplementary number (never a person, a unit or an address), and
 * one district's last month of a metered table missing from the delivery — while the keys stay
 * unique and the required fields filled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../../runtime/store/index.ts'
import { habitsOf } from '../../../catalog/synthetic/delivery.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { aggregateRow } from '../../helpers/query-rows.ts'

let sample: SampleStore
let store: Store

const one = <K extends string>(sql: string) => aggregateRow<K>(store.connection, sql)

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'delivery')
  store = await openStore(sample.path, { access: 'read-only' })
})
afterAll(() => {
  store.close()
  sample.dispose()
})

describe('records as departments deliver them', () => {
  it("leaves optional values empty at about the department's rate, and required ones never", async () => {
    // enterprise_basic.phone is optional at 市市场监管局 (8%); the name is required
    const r = await one<'n' | 'blank' | 'unnamed'>(`SELECT count(*) AS n, count(*) FILTER (WHERE phone IS NULL) AS blank, count(*) FILTER (WHERE name IS NULL) AS unnamed FROM enterprise_basic`)
    const rate = habitsOf('市市场监管局').blank
    expect(r.unnamed).toBe(0)
    expect(r.blank / r.n).toBeGreaterThan(rate / 2)
    expect(r.blank / r.n).toBeLessThan(rate * 3)
  })

  it('files a few court cases twice under a supplementary number, and never a person, a unit or an address', async () => {
    const cases = await one(`SELECT count(*) FILTER (WHERE case_no LIKE '%号之一') AS twice, count(*) FILTER (WHERE case_no LIKE '%号之一' AND replace(case_no, '之一', '') NOT IN (SELECT case_no FROM dishonest_debtor)) AS orphans FROM dishonest_debtor`)
    expect(cases.twice).toBeGreaterThan(0)
    expect(cases.orphans).toBe(0)
    for (const [table, key] of [['household_registration', 'resident_id'], ['real_estate', 'unit_no'], ['standard_address', 'address_code'], ['enterprise_basic', 'uscc']]) {
      const r = await one(`SELECT count(*) - count(DISTINCT ${key}) AS repeated, count(*) FILTER (WHERE ${key} LIKE '%-1' OR ${key} LIKE '%之一') AS supplementary FROM ${table}`)
      expect(r, table).toEqual({ repeated: 0, supplementary: 0 })
    }
  })

  it("writes some addresses as a clerk would (# for 号, 幢 for 栋, full-width digits), most as the standard address", async () => {
    const r = await one<'n' | 'variant'>(`SELECT count(*) AS n, count(*) FILTER (WHERE e.address <> a.full_address) AS variant
      FROM enterprise_basic e JOIN standard_address a USING (address_code) WHERE e.address IS NOT NULL`)
    expect(r.variant).toBeGreaterThan(0)
    expect(r.variant / r.n).toBeLessThan(0.05)
  })

  it("misses one district's December in each utility's delivery, and no other month", async () => {
    for (const table of ['water_usage', 'gas_usage', 'power_usage']) {
      const [row] = (
        await store.connection.runAndReadAll(`
          WITH districts AS (SELECT left(address_code, 6) AS district,
                                    count(*) FILTER (WHERE period = '202511') AS november,
                                    count(*) FILTER (WHERE period = '202512') AS december
                             FROM ${table} GROUP BY 1)
          SELECT list(district) FILTER (WHERE december = 0 AND november > 0) AS late,
                 count(*) FILTER (WHERE december > 0) AS delivered FROM districts`)
      ).getRowObjectsJS()
      expect((row!.late as unknown[]).length, table).toBe(1)
      expect(Number(row!.delivered), table).toBeGreaterThan(3)
    }
  })
})
