/**
 * What a client reads in an error answer, through the server: the code, and only what the
 * catalogue lets a client see of it — the fixed message, problems as paths and rule texts, named
 * limits. Never the value that broke a rule, never an id the caller sent, and for failures that
 * could depend on the data (an entity lookup) nothing but the code and its one fixed message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../runtime/config.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import { issuePlatformToken } from '../../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { makeUscc } from '../../../catalog/identifiers/uscc.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

let sample: SampleStore
let server: ServerRuntime
let operator: string
let partner: string

type Call = { method?: 'GET' | 'POST' | 'PUT'; url: string; token?: string | null; body?: unknown }
const call = async ({ method = 'GET', url, token = null, body }: Call) => {
  const r = await server.app.inject({ method, url, headers: token === null ? {} : { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: r.statusCode, text: r.body, body: r.json() as Record<string, any> }
}

beforeAll(async () => {
  sample = await createSampleStore(300, 'client-errors')
  const config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'client errors passphrase' })
  server = await createServerRuntime(config)
  const key = openKeys(config, 'production').active()
  operator = issuePlatformToken(key, { role: 'operator', id: 'op-zhang', ttlSeconds: 3600 })
  partner = issuePlatformToken(key, { role: 'partner', id: 'acme-data', ttlSeconds: 3600 })
}, 120_000)

afterAll(async () => {
  await server.close()
  sample.dispose()
})

describe('error answers', () => {
  it('a body that breaks the schema says where and what, never the value', async () => {
    const r = await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-a', name: 'x', monthlyQuota: 'MARKER-7781' } })
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ code: 'ERR_PARAMS_INVALID', message: expect.any(String), problems: [{ path: 'body:/monthlyQuota', problem: expect.any(String) }] })
    expect(r.text).not.toContain('MARKER-7781')
  })

  it('a rule the schema cannot express names its field: an invalid check digit of a USCC', async () => {
    const valid = makeUscc('9', '1', '350100', 'M000100Y')
    const broken = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0')
    const bad = await call({ method: 'POST', url: '/v1/partner/register', token: partner, body: { name: '数据公司', uscc: broken, contact: 'a@b.cn', confidentialityAcknowledged: true } })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ code: 'ERR_PARAMS_INVALID', requestId: expect.any(String), message: 'The unified social credit code is not valid (GB 32100)', problems: [{ path: 'body:/uscc', problem: 'The unified social credit code is not valid (GB 32100)' }] })
    expect(bad.text).not.toContain(broken)
    // positive control: the valid code registers
    const good = await call({ method: 'POST', url: '/v1/partner/register', token: partner, body: { name: '数据公司', uscc: valid, contact: 'a@b.cn', confidentialityAcknowledged: true } })
    expect(good.status, good.text).toBe(201)
  })

  it('a conflict says what conflicts, without echoing the id', async () => {
    const first = await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-echo-check', name: '某银行' } })
    expect(first.status).toBe(201)
    const again = await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-echo-check', name: '某银行' } })
    expect(again.status).toBe(409)
    expect(again.body).toEqual({ code: 'ERR_CONFLICT', requestId: expect.any(String), message: 'The consumer exists already' })
    expect(again.text).not.toContain('bank-echo-check')
  })

  it('a query parameter out of range points into the query', async () => {
    const r = await call({ url: '/v1/disclosure/activity?since=2026-01-01&until=2025-01-01' })
    expect(r.status).toBe(400)
    expect(r.body.problems).toEqual([{ path: 'query:/since', problem: 'since is after until' }])
    const ok = await call({ url: '/v1/disclosure/activity?since=2026-01-01&until=2026-01-31' })
    expect(ok.status).toBe(200)
  })

  it('an unknown release is named not found, with a message and no id', async () => {
    const r = await call({ url: '/v1/operator/releases/rel-nosuch-4411', token: operator })
    expect(r.status).toBe(404)
    expect(r.body).toEqual({ code: 'ERR_NOT_FOUND', requestId: expect.any(String), message: expect.any(String) })
    expect(r.text).not.toContain('nosuch-4411')
  })

  it('credentials that fail say nothing but the code and its one message', async () => {
    const r = await call({ url: '/v1/operator/consumers', token: 'idk_not-a-key' })
    expect(r.status).toBe(401)
    expect(r.body).toEqual({ code: 'ERR_AUTH_REQUIRED', requestId: expect.any(String), message: 'Valid credentials are required' })
  })
})
