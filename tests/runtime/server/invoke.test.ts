/**
 * The serving path over HTTP (fastify inject): a consumer calls a published product and gets a
 * signed release that verifies with the server's JWKS; the call is in the audit trail before the
 * answer; errors answer only a code, a request id and a fixed message.
 */
import { cityMonth } from '../../../runtime/city-calendar.ts'
import { auditText, verifyTrail } from '../../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { loadConfig } from '../../../runtime/config.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { verifyRelease } from '../../../runtime/release/signing.ts'
import { verifyAuditFile } from '../../../runtime/audit/index.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { approveAndPublish } from '../../helpers/published-product.ts'

let sample: SampleStore
let server: ServerRuntime
let apiKey: string
let uscc: string
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'server test passphrase' })

beforeAll(async () => {
  sample = await createSampleStore(2000, 'server')
  const c = config()
  // an operator approves the credit product's scenario and publishes it; a bank gets an API key
  apiKey = (await approveAndPublish(sample, c, 'products/enterprise-credit-score', { partner: 'credit-lab', operator: 'op-zhang', priceFen: 50 })).apiKey
  uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
  server = await createServerRuntime(c)
}, 120_000)

afterAll(async () => {
  await server.close()
  sample.dispose()
})

const invoke = (body: unknown, key: string | null = apiKey, id = 'enterprise-credit-score') =>
  server.app.inject({ method: 'POST', url: `/v1/products/${id}/invoke`, headers: key === null ? {} : { authorization: `Bearer ${key}` }, payload: body as object })

describe('serving over HTTP', () => {
  it('is ready only once its products are loaded and their indexes built', async () => {
    const before = await server.app.inject({ url: '/v1/ready' })
    expect(before.statusCode).toBe(503)
    expect(before.json().code).toBe('ERR_NOT_READY')
    expect(await server.warm()).toEqual({ failed: [] })
    expect((await server.app.inject({ url: '/v1/ready' })).json()).toEqual({ ready: true })
  })

  it('answers health, the JWKS and the public product list', async () => {
    expect((await server.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' })
    const jwks = (await server.app.inject({ url: '/.well-known/jwks.json' })).json() as { keys: { kid: string; alg: string }[] }
    expect(jwks.keys.length).toBeGreaterThan(0)
    expect(jwks.keys.every((k) => k.alg === 'EdDSA' && !('d' in k))).toBe(true)
    const list = (await server.app.inject({ url: '/v1/products' })).json() as { products: { id: string; pricePerCall: number; sources: string[] }[] }
    expect(list.products).toEqual([expect.objectContaining({ id: 'enterprise-credit-score', pricePerCall: 0.5, sources: ['市市场监管局', '市人社局', '市税务局', '市中级人民法院', '市自然资源局', '供电企业（国网供电公司）'] })])
  })

  it('a consumer\'s call returns a signed release that verifies with the JWKS, after its audit entry is durable', async () => {
    const response = await invoke({ input: { uscc } })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json() as { releaseId: string; release: string; result: { score: number } }
    const jwks = (await server.app.inject({ url: '/.well-known/jwks.json' })).json()
    const claims = await verifyRelease(body.release, { jwks, audience: 'bank-hf' })
    expect(claims.result).toEqual(body.result)
    expect(claims.product.id).toBe('enterprise-credit-score')
    const verdict = verifyTrail(config().stateDatabase, jwks)
    expect(verdict.ok).toBe(true)
    const { readFileSync } = await import('node:fs')
    expect(auditText(config().stateDatabase)).toContain(body.releaseId)
  })

  it('serves concurrent calls (the ledger\'s transactions do not interleave)', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => invoke({ input: { uscc } })))
    expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 40 }, () => 200))
    expect(new Set(responses.map((r) => (r.json() as { releaseId: string }).releaseId)).size).toBe(40)
  })

  it('meters calls: the consumer sees its calls and fees, the public disclosure counts calls per product without naming consumers', async () => {
    const month = cityMonth()
    const usage = (await server.app.inject({ url: `/v1/usage?month=${month}`, headers: { authorization: `Bearer ${apiKey}` } })).json() as { lines: object[]; total: number }
    expect(usage.lines).toEqual([{ month, product: 'enterprise-credit-score', calls: 41, refused: 0, amount: 20.5 }])
    expect(usage.total).toBe(20.5)
    const disclosure = (await server.app.inject({ url: `/v1/disclosure?month=${month}` })).json() as { usage: object[] }
    // one consumer: its month's volume is withheld from the public
    expect(disclosure.usage).toEqual([{ product: 'enterprise-credit-score', month, calls: null, refused: null, consumers: 1, suppressed: true }])
    expect(JSON.stringify(disclosure)).not.toContain('bank-hf')
    expect((await server.app.inject({ url: '/v1/usage' })).statusCode).toBe(401)
    expect((await server.app.inject({ url: '/v1/disclosure?month=2025-13' })).statusCode).toBe(400)
  })

  it('charges each call at the price it was made at: a lower cap changes later calls, never past ones', async () => {
    const month = cityMonth()
    await server.state.registry.setPriceCap('enterprise-credit-score', 30, 'op-li')
    expect((await invoke({ input: { uscc } })).statusCode).toBe(200)
    const usage = (await server.app.inject({ url: `/v1/usage?month=${month}`, headers: { authorization: `Bearer ${apiKey}` } })).json() as { lines: { calls: number; amount: number }[]; total: number }
    expect(usage.lines[0]).toMatchObject({ calls: 42, amount: 20.8 })
    expect(usage.total).toBe(20.8)
  })

  it('publishes its OpenAPI document and a local UI', async () => {
    const doc = (await server.app.inject({ url: '/docs/json' })).json() as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/products', '/v1/products/{id}/invoke', '/.well-known/jwks.json', '/v1/disclosure', '/v1/usage']))
    const ui = await server.app.inject({ url: '/docs/' })
    expect(ui.statusCode).toBe(200)
    expect(ui.body).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)/)
  })

  it('refuses calls without a valid API key', async () => {
    for (const key of [null, 'idk_not-a-real-key', 'Bearer', `${apiKey}x`]) {
      const r = await invoke({ input: { uscc } }, key)
      expect(r.statusCode).toBe(401)
      expect(Object.keys(r.json()).sort()).toEqual(['code', 'message', 'requestId'])
      expect(r.json().code).toBe('ERR_AUTH_REQUIRED')
    }
  })

  it('answers malformed bodies, wrong types, unknown products and routes, and oversized payloads with codes only', async () => {
    const cases: [unknown, number, string, string?][] = [
      [{ wrong: 1 }, 400, 'ERR_PARAMS_INVALID'],
      [{ input: { uscc: 12345 } }, 400, 'ERR_PARAMS_INVALID'],
      [{ input: { uscc: 'not-a-code' } }, 400, 'ERR_PARAMS_INVALID'],
      [{ input: { uscc: '91350100M000100Y43' } }, 404, 'ERR_ENTITY_NOT_FOUND'],
      [{ input: { uscc } }, 404, 'ERR_PRODUCT_NOT_FOUND', 'no-such-product'],
      [{ input: { uscc: 'x'.repeat(100_000) } }, 413, 'ERR_PAYLOAD_TOO_LARGE'],
    ]
    for (const [body, status, code, id] of cases) {
      const r = await invoke(body, apiKey, id)
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status)
      expect(r.json()).toMatchObject({ code, requestId: expect.stringMatching(/^req-/) })
      // what is wrong, where: JSON pointers and fixed rule texts, never the values sent
      if (status === 400) {
        const problems = r.json().problems as { path: string; problem: string }[]
        expect(problems.length).toBeGreaterThan(0)
        for (const p of problems) expect(p.path).toMatch(/^(body|input):\//)
        expect(JSON.stringify(problems)).not.toContain('not-a-code')
      }
    }
    const broken = await server.app.inject({ method: 'POST', url: '/v1/products/enterprise-credit-score/invoke', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, payload: '{"input": {' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().code).toBe('ERR_PARAMS_INVALID')
    const unknownRoute = await server.app.inject({ url: '/v1/secrets' })
    expect(unknownRoute.statusCode).toBe(404)
    expect(unknownRoute.json().code).toBe('ERR_NOT_FOUND')
  })
})
