/**
 * Attack: an API product returns the key it was called with (it may see it, never return it),
 * verbatim or inside a label. Through the server: the client gets a refusal whose reasons are
 * codes (never null), the refusal is in the ledger and the audit trail, and nothing is signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, enterpriseAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let uscc: string
beforeAll(async () => {
  s = await createAttackServer(400, 'key-in-output')
  uscc = String((await s.sample.storeRows(`SELECT uscc FROM enterprise_basic LIMIT 1`))[0]!.uscc)
  await s.publish(enterpriseAnswerSource('key-verbatim', 'return { value: input.uscc }'))
  await s.publish(enterpriseAnswerSource('key-embedded', "return { value: 'k=' + input.uscc.toLowerCase().split('').join('') + ';' }"))
  await s.publish(enterpriseAnswerSource('key-safe', 'return { value: ctx.rows("enterprise_basic")[0].status }'))
}, 120_000)
afterAll(() => s.close())

describe('attack: returning the key', () => {
  it('is refused over HTTP with reason codes, recorded and audited, verbatim or embedded', async () => {
    for (const product of ['key-verbatim', 'key-embedded']) {
      const response = await s.invoke(product, { uscc })
      const refusal = refusalOf(response)
      expect(refusal.status, response.body).toBe(422)
      expect(refusal.code).toBe('ERR_RELEASE_REFUSED')
      expect(refusal.reasons).toContain('KEY_IN_OUTPUT')
      expect(refusal.reasons.every((r) => typeof r === 'string' && /^[A-Z_]+$/.test(r))).toBe(true)
      expect(response.body).not.toContain(uscc)
      const entry = s.audit().find((e) => e.action === 'release.refused' && e.subject === `${product}@1.0.0`)
      expect(entry?.detail.reasons).toContain('KEY_IN_OUTPUT')
      expect(JSON.stringify(entry)).not.toContain(uscc)
    }
  })

  it('positive control: the same product without the key is signed', async () => {
    const response = await s.invoke('key-safe', { uscc })
    expect(response.statusCode, response.body).toBe(200)
    expect(s.audit().some((e) => e.action === 'release.signed' && e.subject === 'key-safe@1.0.0')).toBe(true)
  })
})
