/**
 * Attack: a product writes the person's resident ID (or a mobile number) as a JSON number — which
 * drops the check digit's precision — or in scientific notation, under a numeric range wide
 * enough to hold it. Refused as DIRECT_IDENTIFIER through the server; small numbers are signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, personAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

const NUMBER = 't.object({ n: t.number({ minimum: 0, maximum: 1e19 }) })'
let s: AttackServer
let person: string
beforeAll(async () => {
  s = await createAttackServer(300, 'id-as-number')
  person = String((await s.sample.storeRows(`SELECT resident_id FROM household_registration LIMIT 1`))[0]!.resident_id)
  await s.publish(personAnswerSource('id-number', 'return { n: Number(input.id.slice(0, 17) + "0") }', NUMBER))
  await s.publish(personAnswerSource('id-number-17', 'return { n: Number(input.id.slice(0, 17)) }', NUMBER))
  await s.publish(personAnswerSource('id-exponent', "return { value: Number(input.id.slice(0, 17)).toExponential() }", "t.object({ value: t.string({ pattern: '^[0-9.e+]{1,40}$' }) })"))
  await s.publish(personAnswerSource('mobile-number', 'return { n: 13800138000 }', NUMBER))
  await s.publish(personAnswerSource('small-number', 'return { n: 42 }', NUMBER))
}, 120_000)
afterAll(() => s.close())

describe('attack: an identifier written as a number', () => {
  it('is refused as DIRECT_IDENTIFIER', async () => {
    for (const product of ['id-number', 'id-number-17', 'id-exponent', 'mobile-number']) {
      const refusal = refusalOf(await s.invoke(product, { id: person }, 'bank-a', s.consent(person, product)))
      expect(refusal, product).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
      expect(refusal.reasons, product).toContain('DIRECT_IDENTIFIER')
    }
  })

  it('positive control: an ordinary number is signed', async () => {
    const response = await s.invoke('small-number', { id: person }, 'bank-a', s.consent(person, 'small-number'))
    expect(response.statusCode, response.body).toBe(200)
  })
})
