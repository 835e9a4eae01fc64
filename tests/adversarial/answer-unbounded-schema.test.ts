/**
 * Attack: a one-entity product declares an answer shape that admits anything — a number with no
 * range, a string with no enum or pattern, free text, a long array — to carry whatever it likes.
 * Every answer of such a product is refused (OUTPUT_SCHEMA_UNBOUNDED); the same answer under a
 * bounded shape is signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, enterpriseAnswerSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

const SHAPES: Record<string, [string, string]> = {
  'unbounded-number': ['t.object({ n: t.number({ minimum: 0 }) })', 'return { n: 7 }'],
  'unbounded-string': ['t.object({ value: t.string({ maxLength: 10 }) })', "return { value: 'ok' }"],
  'free-text': ["t.object({ value: t.string({ pattern: '^.*$', 'x-free-text': true } as any) })", "return { value: 'ok' }"],
  'long-array': ["t.object({ list: t.array(t.enum(['x']), { maxItems: 5000 }) })", "return { list: ['x'] }"],
}
let s: AttackServer
let uscc: string
beforeAll(async () => {
  s = await createAttackServer(300, 'unbounded-schema')
  uscc = String((await s.sample.storeRows(`SELECT uscc FROM enterprise_basic LIMIT 1`))[0]!.uscc)
  for (const [id, [output, body]] of Object.entries(SHAPES)) await s.publish(enterpriseAnswerSource(id, body, output))
  await s.publish(enterpriseAnswerSource('bounded', "return { n: 7, value: 'ok', list: ['x'] }", "t.object({ n: t.integer({ minimum: 0, maximum: 10 }), value: t.string({ pattern: '^[a-z]{1,8}$' }), list: t.array(t.enum(['x']), { maxItems: 5 }) })"))
}, 120_000)
afterAll(() => s.close())

describe('attack: an unbounded answer shape', () => {
  it('every answer of an unbounded shape is refused as OUTPUT_SCHEMA_UNBOUNDED', async () => {
    for (const id of Object.keys(SHAPES)) {
      const refusal = refusalOf(await s.invoke(id, { uscc }))
      expect(refusal, id).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED' })
      expect(refusal.reasons, id).toContain('OUTPUT_SCHEMA_UNBOUNDED')
    }
  })

  it('positive control: the same answers under a bounded shape are signed', async () => {
    const response = await s.invoke('bounded', { uscc })
    expect(response.statusCode, response.body).toBe(200)
  })
})
