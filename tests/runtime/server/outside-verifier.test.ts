/**
 * A release stays verifiable by an ordinary client: the Python verifier in docs/verifiers (Debian's
 * python3-jwcrypto and the standard library, no indomain code) accepts a release the server
 * returned — signature, claims, the result's hash in canonical JSON, the request binding — and
 * refuses every altered one, as `indomain verify` does. Needs /usr/bin/python3 with jwcrypto
 * (`npm test` installs it where it can; CI requires it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../../runtime/config.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { RELEASE_TYPE, signCompact, verifyRelease } from '../../../runtime/release/signing.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { approveAndPublish } from '../../helpers/published-product.ts'

const PYTHON = '/usr/bin/python3'
const VERIFIER = 'docs/verifiers/verify_release.py'
const hasJwcrypto = spawnSync(PYTHON, ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0
if (!hasJwcrypto && process.env.INDOMAIN_REQUIRE_PYTHON === '1') throw new Error(`${PYTHON} with jwcrypto is required (apt-get install python3-jwcrypto)`)

let sample: SampleStore
let server: ServerRuntime
let apiKey: string
let uscc: string
let jwks: { keys: Record<string, unknown>[] }
let release: { releaseId: string; release: string; result: unknown }
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'outside verifier test passphrase' })

/** Runs the Python verifier on `token`; returns its exit status, claims (stdout) and reason (stderr). */
function python(token: string, args: readonly string[] = [], keys: unknown = jwks): { status: number | null; claims?: Record<string, any>; reason: string } {
  const dir = sample.dir
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(keys))
  writeFileSync(join(dir, 'release.jws'), token)
  const run = spawnSync(PYTHON, [VERIFIER, '--jwks', join(dir, 'jwks.json'), '--token', join(dir, 'release.jws'), ...args], { encoding: 'utf8', timeout: 60_000 })
  return { status: run.status, reason: run.stderr.trim(), ...(run.status === 0 ? { claims: JSON.parse(run.stdout) as Record<string, any> } : {}) }
}

const parts = (token: string) => token.split('.')
const decoded = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, any>
const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe.skipIf(!hasJwcrypto)('a verifier in another language (Python, jwcrypto)', () => {
  beforeAll(async () => {
    sample = await createSampleStore(2000, 'outside-verifier')
    apiKey = (await approveAndPublish(sample, config(), 'products/enterprise-credit-score', { partner: 'credit-lab', operator: 'op-zhang', priceFen: 50 })).apiKey
    uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
    server = await createServerRuntime(config())
    await server.warm()
    jwks = (await server.app.inject({ url: '/.well-known/jwks.json' })).json()
    const r = await server.app.inject({ method: 'POST', url: '/v1/products/enterprise-credit-score/invoke', headers: { authorization: `Bearer ${apiKey}` }, payload: { input: { uscc } } })
    expect(r.statusCode).toBe(200)
    release = r.json()
  }, 180_000)

  afterAll(async () => {
    await server?.close()
    sample?.dispose()
  })

  it('accepts a release the server returned, bound to its request, with the same claims indomain reads', async () => {
    const claims = await verifyRelease(release.release, { jwks: jwks as never, audience: 'bank-hf' })
    const request = { product: 'enterprise-credit-score', version: claims.product.version, scenario: claims.scenario, consumer: 'bank-hf', input: { uscc } }
    writeFileSync(join(sample.dir, 'request.json'), JSON.stringify(request))
    const verified = python(release.release, ['--audience', 'bank-hf', '--request', join(sample.dir, 'request.json')])
    expect(verified.reason).toBe('')
    expect(verified.status).toBe(0)
    expect(verified.claims).toEqual(claims)
    expect(verified.claims!.result).toEqual(release.result)
  })

  it('refuses a release for another consumer, another request, or past its expiry', () => {
    expect(python(release.release, ['--audience', 'another-bank'])).toMatchObject({ status: 1, reason: 'WRONG_AUDIENCE' })
    writeFileSync(join(sample.dir, 'other-request.json'), JSON.stringify({ product: 'enterprise-credit-score', input: { uscc: 'someone else' } }))
    expect(python(release.release, ['--request', join(sample.dir, 'other-request.json')])).toMatchObject({ status: 1, reason: 'REQUEST_MISMATCH' })
    const exp = decoded(parts(release.release)[1]!).exp as number
    expect(python(release.release, ['--now', String(exp + 1)])).toMatchObject({ status: 1, reason: 'EXPIRED' })
    expect(python(release.release, ['--now', String(exp - 1)]).status).toBe(0)
  })

  it('refuses an altered result, a swapped signature, a foreign key and a header that brings its own key', () => {
    const [header, payload, signature] = parts(release.release) as [string, string, string]
    const claims = decoded(payload)
    const altered = encoded({ ...claims, result: { ...(claims.result as object), score: 900 } })
    expect(python(`${header}.${altered}.${signature}`)).toMatchObject({ status: 1, reason: 'BAD_SIGNATURE' })
    // signed by a key the JWKS does not hold, under the server's kid and with a JWKS of its own
    const foreign = generateKeyPairSync('ed25519')
    const forged = signCompact(RELEASE_TYPE, { ...claims, result: { ...(claims.result as object), score: 900 } }, { kid: decoded(header).kid as string, privateKey: foreign.privateKey })
    expect(python(forged)).toMatchObject({ status: 1, reason: 'BAD_SIGNATURE' })
    const embedded = encoded({ ...decoded(header), jwk: foreign.publicKey.export({ format: 'jwk' }) })
    expect(python(`${embedded}.${payload}.${signature}`)).toMatchObject({ status: 1, reason: 'KEY_IN_HEADER' })
    expect(python(`${encoded({ ...decoded(header), alg: 'none' })}.${payload}.`)).toMatchObject({ status: 1 })
    expect(python(release.release, [], { keys: [] })).toMatchObject({ status: 1, reason: 'UNKNOWN_KEY' })
    // a result whose hash was not updated with it, signed properly (by the foreign key, trusted here): the binding catches it
    const trusted = { keys: [{ ...foreign.publicKey.export({ format: 'jwk' }), kid: 'foreign', alg: 'EdDSA', use: 'sig' }] }
    const unbound = signCompact(RELEASE_TYPE, { ...claims, result: { ...(claims.result as object), score: 901 } }, { kid: 'foreign', privateKey: foreign.privateKey })
    expect(python(unbound, [], trusted)).toMatchObject({ status: 1, reason: 'RESULT_MISMATCH' })
    const bound = signCompact(RELEASE_TYPE, claims, { kid: 'foreign', privateKey: foreign.privateKey })
    expect(python(bound, [], trusted).status).toBe(0)
  })
})
