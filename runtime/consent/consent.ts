/**
 * Consent tokens (个人授权): a product about a person may be called only with that person's consent
 * for this product, purpose and consumer, within its validity and its number of uses. The token
 * is a compact JWS (EdDSA) from a configured consent issuer; the subject is the SHA-256 of the
 * resident ID, never the ID itself.
 */
import { createHash, randomBytes } from 'node:crypto'
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose'
import { RuntimeError } from '../errors.ts'
import type { SigningKey } from '../release/key-store.ts'
import { signCompact } from '../release/signing.ts'

export const CONSENT_TYPE = 'indomain-consent+jwt'
const MAX_TOKEN = 8192

export type ConsentFailure =
  | 'MISSING'
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'SUBJECT_MISMATCH'
  | 'PRODUCT_MISMATCH'
  | 'CONSUMER_MISMATCH'
  | 'USED_UP'

export class ConsentError extends RuntimeError {
  readonly reason: ConsentFailure
  constructor(reason: ConsentFailure) {
    super('ERR_CONSENT_REQUIRED', 'A valid consent of the data subject is required', { details: { reason } })
    this.name = 'ConsentError'
    this.reason = reason
  }
}

export type ConsentClaims = {
  readonly jti: string
  readonly sub: string
  readonly product: string
  readonly purpose: string
  readonly aud: string
  readonly iat: number
  readonly exp: number
  /** How many calls the consent allows. */
  readonly max_uses: number
}

/** The subject of a consent: a hash of the resident ID (the ID itself never appears). */
export function consentSubject(residentId: string): string {
  return createHash('sha256').update(`indomain-consent:${residentId}`).digest('hex')
}

export function issueConsent(
  key: SigningKey,
  grant: { readonly residentId: string; readonly product: string; readonly purpose: string; readonly consumer: string; readonly days: number; readonly uses: number },
  now = Math.floor(Date.now() / 1000),
): string {
  const claims: ConsentClaims = {
    jti: `cst-${randomBytes(8).toString('hex')}`,
    sub: consentSubject(grant.residentId),
    product: grant.product,
    purpose: grant.purpose,
    aud: grant.consumer,
    iat: now,
    exp: now + Math.round(grant.days * 86400),
    max_uses: grant.uses,
  }
  return signCompact(CONSENT_TYPE, claims, key)
}

/** The issuers' public keys, imported once (jose caches each imported key in the set). */
export type ConsentKeys = ReturnType<typeof createLocalJWKSet>

export function consentKeys(jwks: JSONWebKeySet): ConsentKeys {
  return createLocalJWKSet(jwks)
}

export type ConsentCheck = {
  readonly keys: ConsentKeys
  readonly residentId: string
  readonly product: string
  readonly consumer: string
  /** Counts a use of the consent and returns how many uses it has had, this one included. */
  readonly use: (jti: string) => Promise<number>
  readonly now?: number
}

export async function checkConsent(token: unknown, check: ConsentCheck): Promise<ConsentClaims> {
  if (token === undefined || token === null || token === '') throw new ConsentError('MISSING')
  if (typeof token !== 'string' || token.length > MAX_TOKEN || token.split('.').length !== 3) throw new ConsentError('MALFORMED')
  let header: Record<string, unknown>
  try {
    header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>
  } catch {
    throw new ConsentError('MALFORMED')
  }
  if (header.alg !== 'EdDSA' || header.typ !== CONSENT_TYPE || ['jwk', 'jku', 'x5u', 'x5c'].some((k) => Object.hasOwn(header, k))) throw new ConsentError('MALFORMED')
  let claims: ConsentClaims
  try {
    const { payload } = await compactVerify(token, check.keys, { algorithms: ['EdDSA'] })
    claims = JSON.parse(Buffer.from(payload).toString()) as ConsentClaims
  } catch {
    throw new ConsentError('BAD_SIGNATURE')
  }
  const now = check.now ?? Math.floor(Date.now() / 1000)
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new ConsentError('EXPIRED')
  if (claims.sub !== consentSubject(check.residentId)) throw new ConsentError('SUBJECT_MISMATCH')
  if (claims.product !== check.product) throw new ConsentError('PRODUCT_MISMATCH')
  if (claims.aud !== check.consumer) throw new ConsentError('CONSUMER_MISMATCH')
  if (typeof claims.jti !== 'string' || !Number.isInteger(claims.max_uses) || claims.max_uses < 1) throw new ConsentError('MALFORMED')
  if ((await check.use(claims.jti)) > claims.max_uses) throw new ConsentError('USED_UP')
  return claims
}
