/**
 * The decryption service under attack: it decrypts only a packed aggregate carrying the release
 * gate's signed approval for exactly that ciphertext, and reads only the approved groups. Every
 * other request is refused with ERR_DECRYPTION_REFUSED and a reason, and recorded in its own trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openAuditLog, type AuditLog } from '../../runtime/audit/index.ts'
import { openKeyStore, type KeyStore } from '../../runtime/release/key-store.ts'
import { RELEASE_ISSUER, RELEASE_TYPE, signCompact } from '../../runtime/release/signing.ts'
import { generateHeKeys, loadPublicKeys, loadSecretKey, type PublicKeys } from '../../runtime/he/he-keys.ts'
import { encryptValues } from '../../runtime/he/encrypted-column.ts'
import { encryptedGroupSums, type GroupedSum } from '../../runtime/he/grouped-sum.ts'
import { approveDecryption, cipherHash, DECRYPTION_APPROVAL_TYPE, DECRYPTION_AUDIENCE } from '../../runtime/he/decryption-approval.ts'
import { buildDecryptionService } from '../../runtime/he/decryption-service.ts'
import type { FastifyInstance } from 'fastify'

let dir: string
let platform: KeyStore
let audit: AuditLog
let service: FastifyInstance
let keys: PublicKeys
let packed: GroupedSum
let other: GroupedSum

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const claims = (over: Record<string, unknown> = {}) => ({ release: 'rel-1', product: 'p', consumer: 'bank', column: 't.f', cipherHash: cipherHash(packed.packed), window: packed.window, groups: [0, 2], dominance: { share: 0.5, maxValue: '50' }, ...over })
const approve = (over: Record<string, unknown> = {}) => approveDecryption(platform.active(), claims(over) as never)
const decrypt = (approval: unknown, groups: number[] = [0, 2], ciphertext: Uint8Array = packed.packed) =>
  service.inject({ method: 'POST', url: '/v1/decrypt', payload: { approval, ciphertext: Buffer.from(ciphertext).toString('base64'), groups } })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-decrypt-'))
  const { publicPath, secretPath } = await generateHeKeys(join(dir, 'custodian'), 'custodian passphrase')
  keys = await loadPublicKeys(publicPath)
  platform = openKeyStore(join(dir, 'platform.json'), 'platform passphrase', 'production')
  audit = openAuditLog({ path: join(dir, 'decryption-audit.jsonl'), key: openKeyStore(join(dir, 'service.json'), 'service passphrase', 'production').active() })
  service = buildDecryptionService({ secret: await loadSecretKey(secretPath, 'custodian passphrase'), jwks: () => platform.jwks(), audit })
  const column = (values: bigint[]) => ({ table: 't', field: 'f', scale: 1, maxValue: 50n, fingerprint: keys.he.fingerprint, slots: values.map((_, i) => ({ key: String(i), present: true })), chunks: encryptValues(keys, values) })
  // group 1 was suppressed by the release checks: it is not in the ciphertext nor in the approval
  const labels = Int32Array.from([0, 1, 2, 0, 2, 0, 1, 2, 0, 2])
  packed = encryptedGroupSums(keys, { column: column([10n, 20n, 30n, 40n, 50n, 10n, 20n, 30n, 40n, 50n]), labels, groups: 3, released: [true, false, true] })
  other = encryptedGroupSums(keys, { column: column([1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n]), labels, groups: 3, released: [true, false, true] })
}, 60_000)
afterAll(async () => {
  await service.close()
  await audit.close()
  rmSync(dir, { recursive: true, force: true })
})

const refusal = async (response: Awaited<ReturnType<typeof decrypt>>, reason: string) => {
  expect(response.statusCode, response.body).toBe(403)
  expect(response.json()).toEqual({ code: 'ERR_DECRYPTION_REFUSED', reason })
}

describe('the decryption service', () => {
  it('decrypts an approved aggregate, the approved groups only (the control)', async () => {
    const r = await decrypt(approve())
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toEqual({ totals: [{ group: 0, total: '100' }, { group: 2, total: '160' }], withheld: [] })
  }, 30_000)

  it('refuses a request without an approval', async () => {
    await refusal(await decrypt(''), 'MISSING')
  })

  it('refuses a tampered approval (payload swapped under the signature)', async () => {
    const [h, , s] = approve().split('.')
    await refusal(await decrypt(`${h}.${b64({ ...claims({ groups: [0, 1, 2] }), iss: RELEASE_ISSUER, aud: DECRYPTION_AUDIENCE, iat: 1, exp: 9e9, jti: 'x' })}.${s}`, [0, 1, 2]), 'BAD_SIGNATURE')
  })

  it('refuses an approval signed by a key that is not the platform\'s', async () => {
    const forged = signCompact(DECRYPTION_APPROVAL_TYPE, { ...claims(), iss: RELEASE_ISSUER, aud: DECRYPTION_AUDIENCE, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60, jti: 'f' }, { kid: platform.active().kid, privateKey: generateKeyPairSync('ed25519').privateKey })
    await refusal(await decrypt(forged), 'BAD_SIGNATURE')
  })

  it('refuses a release token presented as an approval', async () => {
    const release = signCompact(RELEASE_TYPE, { ...claims(), iss: RELEASE_ISSUER, aud: DECRYPTION_AUDIENCE, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60, jti: 'r' }, platform.active())
    await refusal(await decrypt(release), 'BAD_SIGNATURE')
  })

  it('refuses an expired approval', async () => {
    const now = Math.floor(Date.now() / 1000)
    const expired = signCompact(DECRYPTION_APPROVAL_TYPE, { ...claims(), iss: RELEASE_ISSUER, aud: DECRYPTION_AUDIENCE, iat: now - 600, exp: now - 300, jti: 'e' }, platform.active())
    await refusal(await decrypt(expired), 'EXPIRED')
  })

  it('refuses another ciphertext under a genuine approval', async () => {
    await refusal(await decrypt(approve(), [0, 2], other.packed), 'OTHER_CIPHERTEXT')
  })

  it('refuses to read a suppressed group, even with a genuine approval for the others', async () => {
    await refusal(await decrypt(approve(), [0, 1]), 'GROUP_NOT_APPROVED')
  })

  it('refuses to decrypt twice with one approval', async () => {
    const approval = approve()
    expect((await decrypt(approval)).statusCode).toBe(200)
    await refusal(await decrypt(approval), 'REPLAYED')
  })

  it('withholds a total that fails the dominance check (one value could be more than the share of it)', async () => {
    // values may be up to 60: group 0 (total 100) could be 60 % one value, above the 50 % share, and is withheld; group 2 (160) passes
    const r = await decrypt(approve({ dominance: { share: 0.5, maxValue: '60' } }))
    expect(r.json()).toEqual({ totals: [{ group: 2, total: '160' }], withheld: [0] })
  })

  it('keeps its own dominance floor: an approval that turns the check off (share 1) cannot read single values', async () => {
    // with share 1 a total of one value at the bound would pass; the service's floor (0.5) withholds both groups
    const r = await decrypt(approve({ dominance: { share: 1, maxValue: '100' } }))
    expect(r.json()).toEqual({ totals: [], withheld: [0, 2] })
    await refusal(await decrypt(approve({ dominance: { share: 0.5, maxValue: '0' } })), 'NO_BOUND')
  })

  it('records every decision in its own trail, naming no value', async () => {
    const text = readFileSync(join(dir, 'decryption-audit.jsonl'), 'utf8')
    for (const reason of ['MISSING', 'BAD_SIGNATURE', 'EXPIRED', 'OTHER_CIPHERTEXT', 'GROUP_NOT_APPROVED', 'REPLAYED']) expect(text).toContain(`"reason":"${reason}"`)
    expect(text).toContain('"action":"decryption.granted"')
    expect(text).not.toMatch(/"total"/)
  })
})
