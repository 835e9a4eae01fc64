/** Attack: a product reads a field, or a table, that its scenario did not approve. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioFixture, type ScenarioFixture } from '../helpers/scenario-fixture.ts'
import { createGatedHarness, personProduct, type GatedHarness } from '../helpers/gated-products.ts'

let f: ScenarioFixture
let h: GatedHarness
let person: string

beforeAll(async () => {
  f = await createScenarioFixture(500, 'unapproved')
  h = createGatedHarness(f)
  person = String((await f.storeRows('SELECT resident_id FROM household_registration WHERE phone IS NOT NULL LIMIT 1'))[0]!.resident_id)
})
afterAll(async () => {
  await h.close()
  f.close()
})

describe('attack: reading what was not approved', () => {
  it('a denied field does not exist in the rows (not even as null)', async () => {
    const p = await h.load(personProduct('const r = ctx.rows("household_registration")[0]; return { value: JSON.stringify(Object.keys(r)) + "|" + String(r.phone) + "|" + String("phone" in r) }'))
    const s = await h.approve(p, { deny: { 'household_registration.phone': '联系方式非必要' } })
    const outcome = await h.run(p, s, { id: person })
    expect(outcome).toMatchObject({ ok: true, output: { value: '["name","sex"]|undefined|false' } })
  })

  it('a field never requested is absent, whatever the product tries (own-property probes, prototype, JSON)', async () => {
    const p = await h.load(personProduct('const r = ctx.rows("household_registration")[0]; const probes = [r.ethnicity, r.birth_date, Object.hasOwn(r, "ethnicity"), "birth_date" in r, JSON.stringify(r).includes("19")]; return { value: JSON.stringify(probes) }'))
    const s = await h.approve(p)
    expect(await h.run(p, s, { id: person })).toMatchObject({ ok: true, output: { value: '[null,null,false,false,false]' } })
  })

  it('a table outside the scenario fails with ERR_VIEW_COLUMN_DENIED', async () => {
    const p = await h.load(personProduct('return { value: String(ctx.rows("social_insurance_enrollment").length) }'))
    const s = await h.approve(p)
    expect(await h.run(p, s, { id: person })).toMatchObject({ ok: false, code: 'ERR_VIEW_COLUMN_DENIED' })
  })

  it('an approved field masked as partial is never seen whole', async () => {
    const p = await h.load(personProduct('return { value: String(ctx.rows("household_registration")[0].phone) }'))
    const s = await h.approve(p)
    const raw = String((await f.storeRows('SELECT phone FROM household_registration WHERE resident_id = $1', [person]))[0]!.phone)
    const outcome = await h.run(p, s, { id: person })
    expect(outcome).toMatchObject({ ok: true, output: { value: `${raw.slice(0, 3)}****${raw.slice(-4)}` } })
  })
})
