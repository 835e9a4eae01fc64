/**
 * Attack: a product about a person returns the person's resident ID with its check digit changed
 * or dropped (so that no check-digit validator recognises it, while anyone can recompute it).
 * Refused as DIRECT_IDENTIFIER through the server; an answer without it is signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, personAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let person: string
beforeAll(async () => {
  s = await createAttackServer(300, 'wrong-check-digit')
  person = String((await s.sample.storeRows(`SELECT resident_id FROM household_registration LIMIT 1`))[0]!.resident_id)
  await s.publish(personAnswerSource('id-wrong-check', "return { value: input.id.slice(0, 17) + (input.id.endsWith('0') ? '1' : '0') }"))
  await s.publish(personAnswerSource('id-dropped-check', "return { value: 'p' + input.id.slice(0, 17).split('').join(' ') }"))
  await s.publish(personAnswerSource('id-none', "return { value: ctx.rows('household_registration')[0].education ?? 'none' }"))
}, 120_000)
afterAll(() => s.close())

describe('attack: an ID with a wrong or dropped check digit', () => {
  it('is refused as DIRECT_IDENTIFIER', async () => {
    for (const product of ['id-wrong-check', 'id-dropped-check']) {
      const response = await s.invoke(product, { id: person }, 'bank-a', s.consent(person, product))
      const refusal = refusalOf(response)
      expect(refusal, product).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
      expect(refusal.reasons, product).toContain('DIRECT_IDENTIFIER')
      expect(response.body).not.toContain(person.slice(0, 17))
    }
  })

  it('positive control: an answer without the ID is signed', async () => {
    const response = await s.invoke('id-none', { id: person }, 'bank-a', s.consent(person, 'id-none'))
    expect(response.statusCode, response.body).toBe(200)
  })
})
