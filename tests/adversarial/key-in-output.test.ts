/** Attack: an API product returns the identifier it was called with (it may see it, never return it). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioFixture, type ScenarioFixture } from '../helpers/scenario-fixture.ts'
import { createGatedHarness, personProduct, type GatedHarness } from '../helpers/gated-products.ts'

let f: ScenarioFixture
let h: GatedHarness
let person: string
beforeAll(async () => {
  f = await createScenarioFixture(300, 'key')
  h = createGatedHarness(f)
  person = String((await f.storeRows('SELECT resident_id FROM household_registration LIMIT 1'))[0]!.resident_id)
})
afterAll(async () => {
  await h.close()
  f.close()
})

describe('attack: returning the key', () => {
  it('is refused with ERR_RELEASE_REFUSED (KEY_IN_OUTPUT), verbatim or embedded', async () => {
    for (const body of ['return { value: input.id }', 'return { value: "id=" + input.id + ";" }']) {
      const p = await h.load(personProduct(body))
      const s = await h.approve(p)
      const outcome = await h.run(p, s, { id: person })
      expect(outcome).toMatchObject({ ok: false, code: 'ERR_RELEASE_REFUSED' })
      expect(JSON.stringify((outcome as { error: unknown }).error)).not.toContain(person)
    }
  })

  it('the same product without the key passes', async () => {
    const p = await h.load(personProduct('return { value: ctx.rows("household_registration")[0].sex }'))
    const s = await h.approve(p)
    expect(await h.run(p, s, { id: person })).toMatchObject({ ok: true })
  })
})
