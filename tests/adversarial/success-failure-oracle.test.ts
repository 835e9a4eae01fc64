/**
 * Attack: a product whose success or failure depends on a private fact (here: an enterprise's
 * registered capital above a threshold makes it loop until its CPU limit), so that a consumer
 * reads the fact off ERR_SANDBOX_TIMEOUT against 200 — and a product that probes a field outside
 * its approval. Through the server: every failure is audited with its code; after the configured
 * number of failures (3 here) the product is held, so the oracle answers a few bits at most; an
 * operator's reinstatement, with a reason, brings it back. Positive control: a product that does
 * not fail keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, enterpriseAnswerSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let rich: string[]
let poor: string[]
beforeAll(async () => {
  s = await createAttackServer(600, 'oracle', { INDOMAIN_FAILURE_HOLD_AFTER: '3' })
  const rows = await s.sample.storeRows(`SELECT uscc, registered_capital AS c FROM enterprise_basic ORDER BY registered_capital DESC`)
  rich = rows.slice(0, 5).map((r) => String(r.uscc))
  poor = rows.slice(-5).map((r) => String(r.uscc))
  const threshold = Number(rows[Math.floor(rows.length / 2)]!.c)
  await s.publish(
    enterpriseAnswerSource('capital-oracle', `if (ctx.rows('enterprise_basic')[0].registered_capital > ${threshold}) { for (;;) {} } return { value: 'ok' }`).replace("status: '状态',", "status: '状态', registered_capital: '注册资本',"),
  )
  await s.publish(enterpriseAnswerSource('probe-field', `return { value: String(ctx.columns('enterprise_basic').text('industry_name').value(0)) }`))
  await s.publish(enterpriseAnswerSource('steady', `return { value: 'ok' }`))
}, 120_000)
afterAll(() => s.close())

describe('attack: a success/failure oracle', () => {
  it('answers at most a few bits: each failure is audited, the product is held after the third', async () => {
    // the data's answers, as long as the product serves
    expect((await s.invoke('capital-oracle', { uscc: poor[0] })).statusCode).toBe(200)
    const codes: (string | number)[] = []
    for (const uscc of rich) {
      const r = await s.invoke('capital-oracle', { uscc })
      codes.push(r.statusCode === 200 ? 200 : (r.json() as { code: string }).code)
    }
    // three failures, then the product is no longer served to anyone
    expect(codes.slice(0, 3)).toEqual(['ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_TIMEOUT'])
    expect(codes.slice(3)).toEqual(['ERR_PRODUCT_NOT_FOUND', 'ERR_PRODUCT_NOT_FOUND'])
    expect((await s.invoke('capital-oracle', { uscc: poor[1] }, 'bank-b')).json()).toMatchObject({ code: 'ERR_PRODUCT_NOT_FOUND' })
    const trail = s.audit().filter((e) => e.subject === 'capital-oracle@1.0.0')
    expect(trail.filter((e) => e.action === 'product.failed').map((e) => e.detail.code)).toEqual(['ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_TIMEOUT'])
    expect(trail.filter((e) => e.action === 'product.held')).toEqual([expect.objectContaining({ actor: 'system', detail: { reason: 'FAILURES', failures: 3, windowHours: 24 } })])
    // the public list no longer shows it
    const listed = ((await s.server.app.inject({ url: '/v1/products' })).json() as { products: { id: string }[] }).products.map((p) => p.id)
    expect(listed).not.toContain('capital-oracle')
  })

  it('a read outside the approval is a failure too, audited with its code', async () => {
    const r = await s.invoke('probe-field', { uscc: poor[0] })
    expect(r.json()).toMatchObject({ code: 'ERR_VIEW_COLUMN_DENIED' })
    expect(s.audit().filter((e) => e.subject === 'probe-field@1.0.0' && e.action === 'product.failed').map((e) => e.detail.code)).toEqual(['ERR_VIEW_COLUMN_DENIED'])
  })

  it('an operator reinstates a held product with a reason; positive control: a product that does not fail keeps serving', async () => {
    for (let i = 0; i < 6; i++) expect((await s.invoke('steady', { uscc: rich[i % rich.length] })).statusCode).toBe(200)
    const op = s.operatorToken('op-li')
    const reinstated = await s.server.app.inject({ method: 'POST', url: '/v1/operator/products/capital-oracle/reinstate', headers: { authorization: `Bearer ${op}` }, payload: { reason: '复核后恢复' } })
    expect(reinstated.statusCode, reinstated.body).toBe(200)
    expect((await s.invoke('capital-oracle', { uscc: poor[2] })).statusCode).toBe(200)
    expect(s.audit().some((e) => e.action === 'product.reinstated' && e.subject === 'capital-oracle' && e.detail.reason === '复核后恢复')).toBe(true)
    const again = await s.server.app.inject({ method: 'POST', url: '/v1/operator/products/steady/reinstate', headers: { authorization: `Bearer ${op}` }, payload: { reason: 'x' } })
    expect(again.json()).toMatchObject({ code: 'ERR_CONFLICT' })
  })
})

