/**
 * A decryption approval: the release gate's signed word that one packed ciphertext may be
 * decrypted, and which of its groups may be read. It binds the ciphertext's SHA-256, the groups
 * that passed the release checks, the release, product and consumer, and lives five minutes.
 * Signed with the platform key (typ `indomain-he-decrypt+jwt`, audience the decryption service);
 * the service verifies it with the platform's public keys (jose), strictly.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { RuntimeError } from '../errors.ts'
import type { SigningKey } from '../release/key-store.ts'
import { RELEASE_ISSUER, signCompact } from '../release/signing.ts'

export const DECRYPTION_APPROVAL_TYPE = 'indomain-he-decrypt+jwt'
export const DECRYPTION_AUDIENCE = 'indomain-he-decryption'
const LIFETIME_SECONDS = 300

export type DecryptionApproval = {
  readonly jti: string
  readonly release: string
  readonly product: string
  readonly consumer: string
  /** `table.field` of the encrypted column. */
  readonly column: string
  readonly cipherHash: string
  readonly window: number
  /** The groups that passed the release checks: the only ones that may be read. */
  readonly groups: readonly number[]
  /** The dominance check the service applies to each total: one value (at most `maxValue`) may be at most `share` of it. */
  readonly dominance: { readonly share: number; readonly maxValue: string }
}

export const cipherHash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

export function approveDecryption(key: SigningKey, approval: Omit<DecryptionApproval, 'jti'>): string {
  const iat = Math.floor(Date.now() / 1000)
  return signCompact(DECRYPTION_APPROVAL_TYPE, { ...approval, jti: randomBytes(12).toString('base64url'), iss: RELEASE_ISSUER, aud: DECRYPTION_AUDIENCE, iat, exp: iat + LIFETIME_SECONDS }, key)
}

/** The approval's claims, or ERR_DECRYPTION_REFUSED with the reason as a code. */
export async function verifyDecryptionApproval(token: unknown, jwks: JSONWebKeySet): Promise<DecryptionApproval> {
  const refuse = (reason: string): never => {
    throw new RuntimeError('ERR_DECRYPTION_REFUSED', 'The decryption is not approved', { details: { reason } })
  }
  if (typeof token !== 'string' || token.trim() === '' || token.length > 16_384) return refuse('MISSING')
  let payload: Record<string, unknown>
  try {
    payload = (
      await jwtVerify(token, createLocalJWKSet(jwks), {
        algorithms: ['EdDSA'],
        typ: DECRYPTION_APPROVAL_TYPE,
        issuer: RELEASE_ISSUER,
        audience: DECRYPTION_AUDIENCE,
        requiredClaims: ['jti', 'iat', 'exp'],
        maxTokenAge: LIFETIME_SECONDS + 5,
      })
    ).payload as Record<string, unknown>
  } catch (error) {
    return refuse((error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'EXPIRED' : 'BAD_SIGNATURE')
  }
  const groups = payload.groups
  const dominance = payload.dominance as { share?: unknown; maxValue?: unknown } | undefined
  if (
    typeof dominance !== 'object' ||
    dominance === null ||
    typeof dominance.share !== 'number' ||
    !(dominance.share > 0 && dominance.share <= 1) ||
    typeof dominance.maxValue !== 'string' ||
    !/^\d{1,20}$/.test(dominance.maxValue)
  ) {
    return refuse('MALFORMED')
  }
  if (
    typeof payload.cipherHash !== 'string' ||
    typeof payload.window !== 'number' ||
    !Array.isArray(groups) ||
    !groups.every((g) => Number.isInteger(g) && g >= 0 && g < (payload.window as number))
  ) {
    return refuse('MALFORMED')
  }
  return {
    jti: String(payload.jti),
    release: String(payload.release),
    product: String(payload.product),
    consumer: String(payload.consumer),
    column: String(payload.column),
    cipherHash: payload.cipherHash,
    window: payload.window,
    groups: groups as number[],
    dominance: { share: dominance.share, maxValue: dominance.maxValue },
  }
}
