/**
 * Attack: a one-entity answer about an enterprise that reports "groups" of its employees with one
 * person in them — the group's average contribution base is that person's exact amount. Refused
 * as PERSONAL_VALUE (the operator let the product compute with exact amounts, not release them);
 * the enterprise's average over several employees is signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, enterpriseAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

const GROUPS = "t.object({ groups: t.array(t.object({ band: t.enum(['a', 'b', 'c', 'd', 'e']), n: t.integer({ minimum: 0, maximum: 100000 }), mean: t.number({ minimum: 0, maximum: 1000000 }) }), { maxItems: 5 }) })"
const keepBase = { decision: { approve: { 'social_insurance_enrollment.contribution_base': { rule: 'keep' as const } } } }
let s: AttackServer
let uscc: string
beforeAll(async () => {
  s = await createAttackServer(400, 'one-person-groups')
  uscc = String(
    (await s.sample.storeRows(`SELECT employer_uscc AS u FROM social_insurance_enrollment GROUP BY 1 HAVING count(DISTINCT contribution_base) >= 3 LIMIT 1`))[0]!.u,
  )
  // one group per employee (bands by rank): every group holds one person
  await s.publish(
    enterpriseAnswerSource(
      'groups-of-one',
      `const rows = ctx.rows("social_insurance_enrollment").slice(0, 5)
       return { groups: rows.map((r: any, i: number) => ({ band: 'abcde'[i], n: 1, mean: r.contribution_base })) }`,
      GROUPS,
    ),
    keepBase,
  )
  await s.publish(
    enterpriseAnswerSource(
      'group-of-all',
      `const bases = ctx.rows("social_insurance_enrollment").map((r: any) => r.contribution_base)
       const mean = Math.round((bases.reduce((a: number, b: number) => a + b, 0) / bases.length) * 1000) / 1000 + 0.0001
       return { groups: [{ band: 'a', n: bases.length, mean }] }`,
      GROUPS,
    ),
    keepBase,
  )
}, 120_000)
afterAll(() => s.close())

describe('attack: one-person groups in an answer', () => {
  it('a group whose figure is one employee\'s exact amount is refused as PERSONAL_VALUE', async () => {
    const refusal = refusalOf(await s.invoke('groups-of-one', { uscc }))
    expect(refusal).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
    expect(refusal.reasons).toContain('PERSONAL_VALUE')
  })

  it('positive control: the average over all employees is signed', async () => {
    const response = await s.invoke('group-of-all', { uscc })
    expect(response.statusCode, response.body).toBe(200)
  })
})
