/**
 * Products about a person need that person's consent: missing, forged, expired, for another
 * person, product or consumer, or used beyond its terms — each is refused with ERR_CONSENT_REQUIRED,
 * and the refusal is audited.
 */
import { auditText, verifyTrail } from '../../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
import { loadConfig } from '../../../runtime/config.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { issueConsent } from '../../../runtime/consent/consent.ts'
import { openDevConsentIssuer } from '../../../runtime/consent/consent-issuer.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { approveAndPublish, nextVersion } from '../../helpers/published-product.ts'
import { openState } from '../../../runtime/state/state.ts'

const DIR = 'tests/fixtures/products/person-insured-check'
let sample: SampleStore
let server: ServerRuntime
let apiKey: string
let person: string
let other: string
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'consent test passphrase' })
const grant = (over: Partial<Parameters<typeof issueConsent>[1]> = {}) =>
  issueConsent(openDevConsentIssuer(config()).active(), { residentId: person, product: 'person-insured-check', consumer: 'bank-hf', purpose: '贷前核验', days: 30, uses: 1, ...over })

beforeAll(async () => {
  sample = await createSampleStore(2000, 'consent')
  const c = config()
  apiKey = (await approveAndPublish(sample, c, DIR, { partner: 'hr-lab', operator: 'op', priceFen: 10 })).apiKey
  const ids = await sample.storeRows(`SELECT resident_id FROM social_insurance_enrollment LIMIT 2`)
  person = String(ids[0]!.resident_id)
  other = String(ids[1]!.resident_id)
  server = await createServerRuntime(c)
}, 120_000)
afterAll(async () => {
  await server.close()
  sample.dispose()
})

const call = (consent?: string, residentId = person) =>
  server.app.inject({
    method: 'POST',
    url: '/v1/products/person-insured-check/invoke',
    headers: { authorization: `Bearer ${apiKey}` },
    payload: { input: { residentId }, ...(consent === undefined ? {} : { consent }) },
  })

describe('consent', () => {
  it('a valid consent lets the call through, once', async () => {
    const token = grant()
    const ok = await call(token)
    expect(ok.statusCode, ok.body).toBe(200)
    expect((ok.json() as { result: { insured: boolean } }).result).toHaveProperty('insured')
    const replay = await call(token)
    expect(replay.statusCode).toBe(403)
    expect(replay.json()).toEqual({ code: 'ERR_CONSENT_REQUIRED', requestId: expect.any(String), message: 'A valid consent of the data subject is required' })
  })

  it('refuses a missing, expired, mismatched or forged consent, and audits each refusal', async () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const forged = issueConsent({ kid: openDevConsentIssuer(config()).active().kid, privateKey, use: 'dev' }, { residentId: person, product: 'person-insured-check', consumer: 'bank-hf', purpose: 'x', days: 1, uses: 9 })
    const cases: [string | undefined, string][] = [
      [undefined, person],
      ['not.a.token', person],
      [grant({ days: -1 }), person],
      [grant(), other],
      [grant({ product: 'enterprise-credit-score' }), person],
      [grant({ consumer: 'bank-other' }), person],
      [forged, person],
    ]
    for (const [token, subject] of cases) {
      const r = await call(token, subject)
      expect(r.statusCode, String(token).slice(0, 20)).toBe(403)
      expect(r.json().code).toBe('ERR_CONSENT_REQUIRED')
    }
    const trail = auditText(config().stateDatabase)
    for (const reason of ['MISSING', 'MALFORMED', 'EXPIRED', 'SUBJECT_MISMATCH', 'PRODUCT_MISMATCH', 'CONSUMER_MISMATCH', 'BAD_SIGNATURE']) {
      expect(trail).toContain(`"reason":"${reason}"`)
    }
    expect(trail).not.toContain(person)
  })

  it('uses a one-use consent once even when the call runs again because a new version was published meanwhile', async () => {
    const elsewhere = await openState(config().stateDatabase)
    try {
      const { publish } = await nextVersion(sample, elsewhere, DIR, 'person-insured-check', '1.0.1')
      // the server reads version 1.0.0 a moment before 1.0.1 is published; the next call commits against 1.0.1
      expect((await call(grant())).statusCode).toBe(200)
      await publish()
      const token = grant()
      const answer = await call(token)
      expect(answer.statusCode, answer.body).toBe(200)
      const claims = JSON.parse(Buffer.from(String((answer.json() as { release: string }).release).split('.')[1]!, 'base64url').toString()) as { product: { version: string } }
      expect(claims.product.version).toBe('1.0.1')
      // the token was used once, by this call: a replay is refused
      expect((await call(token)).statusCode).toBe(403)
    } finally {
      await elsewhere.close()
    }
  })
})
