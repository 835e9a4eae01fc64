import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHmac, generateKeyPairSync, sign as edSign } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jwtVerify, createLocalJWKSet } from 'jose'
import { openKeyStore, type KeyStore } from '../../../runtime/release/key-store.ts'
import { hashJson, signRelease, verifyRelease, RELEASE_TYPE, type ReleaseClaims } from '../../../runtime/release/signing.ts'

let dir: string
let keys: KeyStore
let devKeys: KeyStore
const PASS = 'correct horse battery staple'
const NOW = 1_800_000_000
const request = { product: 'enterprise-credit-score', input: { uscc: '91350100M000100Y43' } }
const result = { score: 712, grade: 'A', reasons: ['社保补缴'] }

function claims(over: Partial<ReleaseClaims> = {}): ReleaseClaims {
  return {
    jti: 'rel-1',
    iss: 'indomain',
    aud: 'bank-a',
    iat: NOW,
    exp: NOW + 3600,
    env: 'production',
    product: { id: 'enterprise-credit-score', version: '1.0.0', codeHash: 'a'.repeat(64) },
    scenario: 'scn-1',
    consumer: 'bank-a',
    requestHash: hashJson(request),
    resultHash: hashJson(result),
    checks: { passed: ['SCHEMA', 'IDENTIFIERS'] },
    result,
    ...over,
  }
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const verify = (token: string, extra: object = {}) => verifyRelease(token, { jwks: keys.jwks(), now: NOW + 10, request, ...extra })
const reason = async (token: string, extra: object = {}) => verify(token, extra).then(() => 'VERIFIED', (e: { reason?: string }) => e.reason ?? 'UNTYPED')

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-keys-'))
  keys = openKeyStore(join(dir, 'production.json'), PASS, 'production')
  devKeys = openKeyStore(join(dir, 'dev.json'), PASS, 'dev')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('signed releases', () => {
  it('verify, and standard JWS tools (jose) verify them too', async () => {
    const token = signRelease(claims(), keys.active())
    const verified = await verify(token)
    expect(verified.result).toEqual(result)
    expect(verified.product.codeHash).toBe('a'.repeat(64))
    const jose = await jwtVerify(token, createLocalJWKSet(keys.jwks()), {
      algorithms: ['EdDSA'],
      issuer: 'indomain',
      audience: 'bank-a',
      typ: RELEASE_TYPE,
      currentDate: new Date((NOW + 10) * 1000),
    })
    expect(jose.payload.jti).toBe('rel-1')
  })

  it('fail when the payload is tampered with (result, consumer, hash)', async () => {
    const [h, , s] = signRelease(claims(), keys.active()).split('.')
    expect(await reason(`${h}.${b64(claims({ result: { ...result, score: 900 } }))}.${s}`)).toBe('BAD_SIGNATURE')
    expect(await reason(`${h}.${b64(claims({ aud: 'bank-b', consumer: 'bank-b' }))}.${s}`)).toBe('BAD_SIGNATURE')
  })

  it('fail when the header is tampered with', async () => {
    const [, p, s] = signRelease(claims(), keys.active()).split('.')
    expect(await reason(`${b64({ alg: 'EdDSA', kid: keys.active().kid, typ: RELEASE_TYPE, extra: 1 })}.${p}.${s}`)).toBe('BAD_SIGNATURE')
  })

  it('fail when re-signed with any other key, even under the real kid', async () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const forgedResult = { score: 900, grade: 'AAA', reasons: [] }
    const forged = signRelease(claims({ result: forgedResult, resultHash: hashJson(forgedResult) }), { kid: keys.active().kid, privateKey, use: 'production' })
    expect(await reason(forged)).toBe('BAD_SIGNATURE')
    const unknown = signRelease(claims(), { kid: 'attacker-key', privateKey, use: 'production' })
    expect(await reason(unknown)).toBe('UNKNOWN_KEY')
  })

  it('refuse alg none and HS256 keyed with the public key', async () => {
    const payload = b64(claims())
    expect(await reason(`${b64({ alg: 'none', kid: keys.active().kid, typ: RELEASE_TYPE })}.${payload}.`)).toBe('ALG_NOT_ALLOWED')
    const header = b64({ alg: 'HS256', kid: keys.active().kid, typ: RELEASE_TYPE })
    const publicX = String(keys.jwks().keys[0]!.x)
    const mac = createHmac('sha256', publicX).update(`${header}.${payload}`).digest('base64url')
    expect(await reason(`${header}.${payload}.${mac}`)).toBe('ALG_NOT_ALLOWED')
  })

  it('refuse key-bearing and duplicated header members, a wrong typ and oversized tokens', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const payload = b64(claims())
    const signWith = (header: string) => `${header}.${payload}.${edSign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`
    const embedded = b64({ alg: 'EdDSA', kid: keys.active().kid, typ: RELEASE_TYPE, jwk: publicKey.export({ format: 'jwk' }) })
    expect(await reason(signWith(embedded))).toBe('KEY_IN_HEADER')
    const duplicate = Buffer.from(`{"alg":"EdDSA","kid":"${keys.active().kid}","typ":"${RELEASE_TYPE}","kid":"other"}`).toString('base64url')
    expect(await reason(signWith(duplicate))).toBe('DUPLICATE_HEADER_MEMBER')
    const wrongTyp = signWith(b64({ alg: 'EdDSA', kid: keys.active().kid, typ: 'JWT' }))
    expect(await reason(wrongTyp)).toBe('WRONG_TYPE')
    expect(await reason('a'.repeat(2 * 1024 * 1024))).toBe('TOO_LARGE')
    expect(await reason('not.a token')).toBe('MALFORMED')
  })

  it('fail when expired, for another consumer, or not bound to the request', async () => {
    expect(await reason(signRelease(claims({ exp: NOW - 1 }), keys.active()))).toBe('EXPIRED')
    expect(await reason(signRelease(claims(), keys.active()), { audience: 'bank-b' })).toBe('WRONG_AUDIENCE')
    expect(await reason(signRelease(claims(), keys.active()), { request: { ...request, input: { uscc: 'other' } } })).toBe('REQUEST_MISMATCH')
    expect(await reason(signRelease(claims({ resultHash: hashJson({ score: 1 }) }), keys.active()))).toBe('RESULT_MISMATCH')
  })

  it('never verify dev releases as production', async () => {
    const dev = signRelease(claims({ env: 'dev' }), devKeys.active())
    expect(await reason(dev)).toBe('DEV_RELEASE')
    expect(await reason(dev, { jwks: { keys: [...keys.jwks().keys, ...devKeys.jwks().keys] } })).toBe('DEV_RELEASE')
    expect(await reason(dev, { jwks: devKeys.jwks(), allowDev: true })).toBe('VERIFIED')
    expect(() => signRelease(claims({ env: 'production' }), devKeys.active())).toThrow()
  })

  it('keep retired keys verifiable after rotation until archived; an archived key stays in the verification set only', async () => {
    const old = signRelease(claims(), keys.active())
    const oldKid = keys.active().kid
    const newKid = keys.rotate()
    expect(newKid).not.toBe(oldKid)
    expect(await reason(old)).toBe('VERIFIED')
    expect(await reason(signRelease(claims(), keys.active()))).toBe('VERIFIED')
    keys.archive(oldKid)
    expect(await reason(old)).toBe('UNKNOWN_KEY')
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([newKid])
    expect(keys.verificationJwks().keys.map((k) => k.kid)).toEqual([oldKid, newKid])
    const stored = (JSON.parse(readFileSync(join(dir, 'production.json'), 'utf8')) as { keys: { kid: string; status: string; sealedPrivate?: string }[] }).keys
    expect(stored.find((k) => k.kid === oldKid)!.status).toBe('archived')
    expect(stored.find((k) => k.kid === oldKid)).not.toHaveProperty('sealedPrivate')
    expect(stored.find((k) => k.kid === newKid)!.sealedPrivate).toEqual(expect.any(String))
    expect(() => keys.archive(newKid)).toThrow()
    expect(() => keys.archive(oldKid)).toThrow()
  })

  it('store private keys sealed: the key file holds no private key material in the clear, and needs the passphrase', () => {
    const text = readFileSync(join(dir, 'production.json'), 'utf8')
    expect(text).not.toMatch(/"d"\s*:/)
    expect(text).not.toContain('PRIVATE KEY')
    const wrong = openKeyStore(join(dir, 'production.json'), 'a wrong passphrase!', 'production')
    expect(() => wrong.active()).toThrow(expect.objectContaining({ code: 'ERR_SIGNING_FAILED' }))
  })
})
