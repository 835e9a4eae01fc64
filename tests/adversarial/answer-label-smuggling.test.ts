/**
 * Attack: labels that concatenate masked personal values (a masked name and a masked phone, or a
 * pseudonym inside a "code"), which a permissive pattern admits. Each is refused as
 * PERSONAL_VALUE; labels built from the product's own constants are signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, enterpriseAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let uscc: string
beforeAll(async () => {
  s = await createAttackServer(400, 'label-smuggling')
  uscc = String((await s.sample.storeRows(`SELECT employer_uscc AS u FROM social_insurance_enrollment GROUP BY 1 HAVING count(*) >= 2 LIMIT 1`))[0]!.u)
  const first = 'ctx.rows("social_insurance_enrollment")[0]'
  await s.publish(enterpriseAnswerSource('label-name-phone', `return { value: 'L' + ${first}.name + '|' + ${first}.phone }`))
  await s.publish(enterpriseAnswerSource('label-pseudonym', `return { value: 'CODE-' + ${first}.resident_id + '-X' }`))
  await s.publish(enterpriseAnswerSource('label-rep', `return { value: ctx.rows("enterprise_basic")[0].legal_rep_name + '负责' }`))
  await s.publish(enterpriseAnswerSource('label-constant', `return { value: 'GRADE-' + (ctx.rows("social_insurance_enrollment").length > 1 ? 'B' : 'C') }`))
}, 120_000)
afterAll(() => s.close())

describe('attack: label smuggling', () => {
  it('labels carrying masked names, phones or pseudonyms are refused as PERSONAL_VALUE', async () => {
    for (const product of ['label-name-phone', 'label-pseudonym', 'label-rep']) {
      const refusal = refusalOf(await s.invoke(product, { uscc }))
      expect(refusal, product).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
      expect(refusal.reasons, product).toContain('PERSONAL_VALUE')
    }
  })

  it('positive control: a label built from constants is signed', async () => {
    const response = await s.invoke('label-constant', { uscc })
    expect(response.statusCode, response.body).toBe(200)
  })
})
