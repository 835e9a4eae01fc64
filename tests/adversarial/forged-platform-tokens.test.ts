/**
 * Platform tokens under attack: every forgery, confusion and stale token is refused with
 * ERR_AUTH_REQUIRED and recorded as a login failure; only a token the platform signed, of the
 * right type, audience and role, unexpired and issued after its holder's last suspension, passes.
 */
import { auditText, verifyTrail } from '../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { signCompact, RELEASE_TYPE } from '../../runtime/release/signing.ts'
import { PLATFORM_AUDIENCE, PLATFORM_ISSUER, PLATFORM_TOKEN_TYPE } from '../../runtime/server/platform-tokens.ts'
import { CONSENT_TYPE } from '../../runtime/consent/consent.ts'
import { createBareServer, type BareServer } from '../helpers/bare-server.ts'

let server: BareServer
beforeAll(async () => {
  server = await createBareServer()
})
afterAll(() => server.close())

const now = () => Math.floor(Date.now() / 1000)
const claims = (over: Record<string, unknown> = {}) => ({ iss: PLATFORM_ISSUER, aud: PLATFORM_AUDIENCE, sub: 'op-mallory', role: 'operator', iat: now(), exp: now() + 600, jti: 'j1', ...over })
const platformKey = () => server.keys.active()
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const asOperator = (token: string) => server.app.inject({ url: '/v1/operator/partners', headers: { authorization: `Bearer ${token}` } })

describe('forged and confused platform tokens', () => {
  it('accepts the genuine article (the control)', async () => {
    expect((await asOperator(signCompact(PLATFORM_TOKEN_TYPE, claims(), platformKey()))).statusCode).toBe(200)
  })

  const attacks: [string, () => string][] = [
    ['signed by a key that is not the platform\'s', () => signCompact(PLATFORM_TOKEN_TYPE, claims(), { kid: platformKey().kid, privateKey: generateKeyPairSync('ed25519').privateKey })],
    ['a release (typ indomain-release+jwt) replayed as a token', () => signCompact(RELEASE_TYPE, claims(), platformKey())],
    ['a consent type', () => signCompact(CONSENT_TYPE, claims(), platformKey())],
    ['alg none', () => `${b64({ alg: 'none', typ: PLATFORM_TOKEN_TYPE })}.${b64(claims())}.`],
    ['a payload swapped under a valid signature', () => {
      const [h, , s] = signCompact(PLATFORM_TOKEN_TYPE, claims({ role: 'auditor' }), platformKey()).split('.')
      return `${h}.${b64(claims())}.${s}`
    }],
    ['expired', () => signCompact(PLATFORM_TOKEN_TYPE, claims({ iat: now() - 7200, exp: now() - 3600 }), platformKey())],
    ['for another audience', () => signCompact(PLATFORM_TOKEN_TYPE, claims({ aud: 'bank-hf' }), platformKey())],
    ['from another issuer', () => signCompact(PLATFORM_TOKEN_TYPE, claims({ iss: 'evil' }), platformKey())],
    ['an unknown role', () => signCompact(PLATFORM_TOKEN_TYPE, claims({ role: 'admin' }), platformKey())],
    ['a subject that is no id', () => signCompact(PLATFORM_TOKEN_TYPE, claims({ sub: '../op' }), platformKey())],
    ['without jti', () => signCompact(PLATFORM_TOKEN_TYPE, { ...claims(), jti: undefined }, platformKey())],
    ['oversized', () => signCompact(PLATFORM_TOKEN_TYPE, claims({ pad: 'x'.repeat(8000) }), platformKey())],
    ['garbage', () => 'not.a.token'],
  ]
  for (const [name, forge] of attacks) {
    it(`refuses ${name}`, async () => {
      const r = await asOperator(forge())
      expect(r.statusCode).toBe(401)
      expect(r.json()).toEqual({ code: 'ERR_AUTH_REQUIRED', requestId: expect.any(String), message: 'Valid credentials are required' })
    })
  }

  it('refuses a token issued before its holder was suspended, even after reinstatement', async () => {
    const token = server.token('operator', 'op-wang')
    expect((await asOperator(token)).statusCode).toBe(200)
    await server.state.principals.setStatus('operator', 'op-wang', 'suspended')
    expect((await asOperator(token)).statusCode).toBe(401)
    await server.state.principals.setStatus('operator', 'op-wang', 'active')
    expect((await asOperator(token)).statusCode).toBe(401)
  })

  it('lets no operator mint another operator (one person would be both reviewers of a release)', async () => {
    const token = server.token('operator', 'op-zhao')
    const r = await server.app.inject({ method: 'POST', url: '/v1/operator/tokens', headers: { authorization: `Bearer ${token}` }, payload: { role: 'operator', subject: 'op-shadow' } })
    expect(r.statusCode).toBe(400)
    const auditor = await server.app.inject({ method: 'POST', url: '/v1/operator/tokens', headers: { authorization: `Bearer ${token}` }, payload: { role: 'auditor', subject: 'audit-1' } })
    expect(auditor.statusCode).toBe(201)
  })

  it('kills an auditor\'s, an operator\'s and a consumer\'s credentials at once when suspended', async () => {
    const operator = server.token('operator', 'op-qian')
    const post = (url: string) => server.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${operator}` }, payload: { reason: '离岗' } })
    const auditor = server.token('auditor', 'audit-2')
    const other = server.token('operator', 'op-sun')
    const { apiKey } = await server.state.registry.addConsumer('bank-suspend', '某银行')
    const ok = (token: string, url: string) => server.app.inject({ url, headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode)
    expect(await ok(auditor, '/v1/audit/verify')).toBe(200)
    expect(await ok(apiKey, '/v1/usage')).toBe(200)
    expect((await post('/v1/operator/principals/auditor/audit-2/suspend')).statusCode).toBe(200)
    expect((await post('/v1/operator/principals/operator/op-sun/revoke')).statusCode).toBe(200)
    expect((await post('/v1/operator/consumers/bank-suspend/suspend')).statusCode).toBe(200)
    expect(await ok(auditor, '/v1/audit/verify')).toBe(401)
    expect(await ok(other, '/v1/operator/partners')).toBe(401)
    expect(await ok(apiKey, '/v1/usage')).toBe(401)
    expect((await post('/v1/operator/consumers/bank-suspend/reinstate')).statusCode).toBe(200)
    expect(await ok(apiKey, '/v1/usage')).toBe(200)
  })

  it('records every failed login with its reason, never the token', async () => {
    const text = auditText(server.state.database.location)
    const failures = text.split('\n').filter((l) => l.includes('"action":"auth.failed"'))
    expect(failures.length).toBeGreaterThanOrEqual(attacks.length + 2)
    expect(text).toContain('"reason":"INVALID_TOKEN"')
    expect(text).toContain('"reason":"TOKEN_REVOKED"')
    expect(text).not.toContain('eyJ')
  })

  it('answers malformed bodies, wrong types, unknown ids and oversized payloads with a code and fixed texts only', async () => {
    const token = server.token('operator', 'op-li')
    const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
      server.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload })
    const cases = [
      await post('/v1/operator/consumers', '{"id": "bank-x", '),
      await post('/v1/operator/consumers', { id: 'bank-x', name: 42 }),
      await post('/v1/operator/consumers', { id: 'Bank X!', name: 'x' }),
      await post('/v1/operator/consumers', { id: 'bank-x', name: 'x', admin: true }),
      await post('/v1/operator/tokens', { role: 'operator', subject: 'op-x', ttlSeconds: 10 ** 9 }),
      await post('/v1/operator/consumers', { id: 'bank-x', name: 'x'.repeat(70_000) }),
    ]
    expect(cases.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400, 413])
    // a code, the request id, the fixed message, and for a schema's refusal what is wrong where: pointers and rule texts, nothing sent echoed
    for (const r of cases) expect(Object.keys(r.json()).filter((k) => k !== 'problems').sort()).toEqual(['code', 'message', 'requestId'])
    expect(cases[1]!.json().problems).toEqual([{ path: 'body:/name', problem: 'must be string' }])
    expect(cases[3]!.json().problems).toEqual([{ path: 'body:/', problem: 'must NOT have additional properties' }])
    for (const r of cases) expect(r.body).not.toMatch(/Bank X!|admin|xxxxxxxx/)
    expect((await post('/v1/operator/partners/nobody-here/suspend', { reason: 'x' })).json()).toMatchObject({ code: 'ERR_NOT_FOUND' })
    expect((await post('/v1/operator/scenarios/scn-0000000000/deny', { reason: 'x' })).statusCode).toBe(404)
    // nothing of the refused requests was stored
    expect((await server.state.registry.consumers()).map((c) => c.id)).not.toContain('bank-x')
  })
})
