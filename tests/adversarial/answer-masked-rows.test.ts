/**
 * Attack: a one-entity answer made of the entity's masked rows — its employees' masked names,
 * phones and pseudonyms — which the schema's loose patterns admit. Refused as PERSONAL_VALUE
 * (over HTTP, audited); a field the operator approved for output may appear, others still not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, enterpriseAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

const ROWS = "t.object({ rows: t.array(t.object({ a: t.string({ pattern: '^.{0,64}$' }), b: t.string({ pattern: '^.{0,64}$' }) }), { maxItems: 100 }) })"
let s: AttackServer
let uscc: string
beforeAll(async () => {
  s = await createAttackServer(400, 'masked-rows')
  // an employer whose legal representative's masked name is no employee's (张* is many people's)
  uscc = String(
    (await s.sample.storeRows(`SELECT e.employer_uscc AS u FROM social_insurance_enrollment e JOIN enterprise_basic b ON b.uscc = e.employer_uscc
      GROUP BY e.employer_uscc, b.legal_rep_name HAVING count(*) >= 3 AND bool_and(e.phone IS NOT NULL) AND bool_and(left(e.name, 1) <> left(b.legal_rep_name, 1)) ORDER BY 1 LIMIT 1`))[0]!.u,
  )
  await s.publish(enterpriseAnswerSource('rows-names', 'return { rows: ctx.rows("social_insurance_enrollment").slice(0, 5).map((r: any) => ({ a: r.name, b: r.phone })) }', ROWS))
  await s.publish(enterpriseAnswerSource('rows-pseudonyms', 'return { rows: ctx.rows("social_insurance_enrollment").slice(0, 5).map((r: any) => ({ a: r.resident_id, b: r.status })) }', ROWS))
  await s.publish(enterpriseAnswerSource('rows-count', 'return { value: "n" + Math.min(9, ctx.rows("social_insurance_enrollment").length) }'))
  await s.publish(enterpriseAnswerSource('legal-rep', 'return { rows: [{ a: ctx.rows("enterprise_basic")[0].legal_rep_name, b: "法人" }] }', ROWS), {
    decision: { release: { outputFields: ['enterprise_basic.legal_rep_name'] } },
  })
  await s.publish(enterpriseAnswerSource('legal-rep-phone', 'return { rows: [{ a: ctx.rows("enterprise_basic")[0].legal_rep_name, b: ctx.rows("enterprise_basic")[0].phone }] }', ROWS), {
    decision: { release: { outputFields: ['enterprise_basic.legal_rep_name'] } },
  })
}, 120_000)
afterAll(() => s.close())

describe("attack: an answer made of the entity's masked rows", () => {
  it('masked names and phones, or pseudonyms, are refused as PERSONAL_VALUE and audited', async () => {
    for (const product of ['rows-names', 'rows-pseudonyms']) {
      const response = await s.invoke(product, { uscc })
      const refusal = refusalOf(response)
      expect(refusal, response.body).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
      expect(refusal.reasons).toContain('PERSONAL_VALUE')
      expect(s.audit().find((e) => e.action === 'release.refused' && e.subject === `${product}@1.0.0`)?.detail.reasons).toContain('PERSONAL_VALUE')
    }
  })

  it('a field approved for output may leave, and only that one', async () => {
    const approved = await s.invoke('legal-rep', { uscc })
    expect(approved.statusCode, approved.body).toBe(200)
    const other = refusalOf(await s.invoke('legal-rep-phone', { uscc }))
    expect(other).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
    expect(other.reasons).toEqual(['PERSONAL_VALUE'])
  })

  it('positive control: an answer about the entity without its rows is signed', async () => {
    const response = await s.invoke('rows-count', { uscc })
    expect(response.statusCode, response.body).toBe(200)
  })
})
