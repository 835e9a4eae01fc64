import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEntityIndex, type EntityIndex } from '../../../runtime/entity/entity-index.ts'
import { encodeEntityRows, type EntityWire } from '../../../runtime/entity/entity-wire.ts'
import type { EntityRows } from '../../../runtime/products/run-product.ts'
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

/** The wire form back to rows, as the sandbox's prelude reads it (runtime/sandbox/isolate-prelude.ts). */
function decode(wire: EntityWire): EntityRows {
  const out: Record<string, { columns: readonly string[]; rows: unknown[][] }> = {}
  for (const [table, { columns, length, values }] of Object.entries(wire)) {
    const rows = Array.from({ length }, (_, r) =>
      columns.map((name) => {
        const column = values[name]!
        if ('n' in column) return column.n[r] ?? null
        const code = column.c[r]!
        return code < 0 ? null : column.d[code]!
      }),
    )
    out[table] = { columns, rows }
  }
  return out
}

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

  it('sends the same rows in the wire form: columns, each entity with a dictionary of its own, far smaller', async () => {
    const employers = (await store.connection.runAndReadAll(`(SELECT employer_uscc FROM social_insurance_payment GROUP BY 1 ORDER BY count(*) DESC LIMIT 40) UNION ALL (SELECT uscc FROM enterprise_basic USING SAMPLE 40 ROWS)`)).getRowsJS()
    for (const [uscc] of employers as [string][]) expect(decode(index.lookupWire(uscc))).toEqual(index.lookup(uscc))
    expect(decode(index.lookupWire('91350100M000100Y43'))).toEqual(index.lookup('91350100M000100Y43'))
    const [biggest] = employers[0] as [string]
    const wire = index.lookupWire(biggest).social_insurance_payment!
    // codes start at 0 for every entity, and the dictionary holds only what this entity has
    const period = wire.values.period as { d: string[]; c: number[] }
    expect(period.c[0]).toBe(0)
    expect(new Set(period.c).size).toBe(period.d.length)
    // at most 60% of the rows' size even with a city's gaps and variants in the columns
    expect(JSON.stringify(index.lookupWire(biggest)).length).toBeLessThan(0.6 * JSON.stringify(index.lookup(biggest)).length)
  })

  it('encodes rows given as rows the same way (numbers, text, nulls, mixed columns)', () => {
    const rows: EntityRows = {
      t: { columns: ['a', 'b', 'c', 'd'], rows: [[1.5, 'x', null, 'y'], [null, 'x', null, 3], [2, null, null, 'y']] },
      empty: { columns: ['a'], rows: [] },
    }
    const wire = encodeEntityRows(rows)
    // a column of nulls is coded too (empty dictionary); a mixed one travels as it is
    expect(wire.t!.values).toEqual({ a: { n: [1.5, null, 2] }, b: { d: ['x'], c: [0, 0, -1] }, c: { d: [], c: [-1, -1, -1] }, d: { n: ['y', 3, 'y'] } })
    expect(decode(wire).empty).toEqual({ columns: ['a'], rows: [] })
    expect(decode(wire).t!.rows).toEqual(rows.t!.rows)
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
