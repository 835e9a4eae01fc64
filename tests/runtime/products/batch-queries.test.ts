/**
 * A batch product's declared queries run through the gate with its tables, in one pass over the
 * scenario's views: each result is scanned under its name beside the approved tables, and the
 * two agree with each other and with the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioFixture, type ScenarioFixture } from '../../helpers/scenario-fixture.ts'
import { createGatedHarness, type GatedHarness } from '../../helpers/gated-products.ts'

let f: ScenarioFixture
let h: GatedHarness

const PRODUCT = `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'alone-by-district', version: '1.0.0', kind: 'dataset', title: '独居老人', category: '公益事业', description: 'count',
  scenario: { purpose: 'count elderly living alone per district', tables: { elderly_info: { fields: { living_arrangement: '居住状况', district_code: '区县' } } } },
  queries: { alone_by_district: "SELECT district_code, count(*) AS n FROM elderly_info WHERE living_arrangement = '独居' GROUP BY 1" },
  input: t.object({}),
  output: t.object({ scanned: t.integer(), queried: t.integer(), districts: t.integer() }),
  run(ctx) {
    let scanned = 0
    ctx.scan('elderly_info', (c) => { const a = c.text('living_arrangement'); for (let i = 0; i < c.length; i++) if (a.value(i) === '独居') scanned++ })
    let queried = 0
    let districts = 0
    ctx.scan('alone_by_district', (c) => { const n = c.number('n'); for (let i = 0; i < c.length; i++) { queried += n[i]; districts++ } })
    return { scanned, queried, districts }
  },
})`

beforeAll(async () => {
  f = await createScenarioFixture(800, 'batch-queries')
  h = createGatedHarness(f)
})
afterAll(async () => {
  await h.close()
  f.close()
})

describe('declared queries of a batch product', () => {
  it('are run on the views and handed over under their names, agreeing with the scanned table and the store', async () => {
    const p = await h.load(PRODUCT)
    const s = await h.approve(p)
    const outcome = await h.run(p, s, {})
    const truth = await f.storeRows(`SELECT count(*) AS n, count(DISTINCT district_code) AS d FROM elderly_info WHERE living_arrangement = '独居'`)
    const alone = Number(truth[0]!.n)
    expect(alone).toBeGreaterThan(0)
    expect(outcome).toEqual({ ok: true, output: { scanned: alone, queried: alone, districts: Number(truth[0]!.d) } })
  })

  it('a query the gate rejects fails the run before the product sees any data', async () => {
    const p = await h.load(PRODUCT.replace("FROM elderly_info WHERE", "FROM household_registration, elderly_info WHERE"))
    const s = await h.approve(p)
    expect(await h.run(p, s, {})).toMatchObject({ ok: false, code: 'ERR_SQL_REJECTED' })
  })
})
