/**
 * Platform tokens: the bearer JWTs partners, operators and auditors present (consumers use API
 * keys). Signed by the platform key with `typ: at+jwt` (RFC 9068) and audience `indomain-api`,
 * so neither a release nor a consent token, signed with other types, can pass for one. jose
 * verifies them strictly; whether the holder may still act is decided against its record in
 * the state (a suspended or revoked holder's tokens die at once).
 */
import { randomBytes } from 'node:crypto'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { SigningKey } from '../release/key-store.ts'
import { signCompact } from '../release/signing.ts'
import { PLATFORM_ROLES, PRINCIPAL_ID, type PlatformRole } from '../state/principals.ts'

export const PLATFORM_TOKEN_TYPE = 'at+jwt'
export const PLATFORM_ISSUER = 'indomain'
export const PLATFORM_AUDIENCE = 'indomain-api'
const MAX_TOKEN = 4096
/** Longest lifetime a token may be issued for: 90 days. */
export const MAX_TOKEN_SECONDS = 90 * 86_400

export type PlatformClaims = { readonly sub: string; readonly role: PlatformRole; readonly iat: number; readonly exp: number; readonly jti: string }

export function issuePlatformToken(key: SigningKey, holder: { readonly role: PlatformRole; readonly id: string; readonly ttlSeconds: number }): string {
  if (!PLATFORM_ROLES.includes(holder.role)) throw paramsInvalid('A token is for a partner, operator or auditor', 'role')
  if (!PRINCIPAL_ID.test(holder.id)) throw paramsInvalid('A principal id is lower case letters, digits and dashes', 'subject')
  if (!Number.isInteger(holder.ttlSeconds) || holder.ttlSeconds < 60 || holder.ttlSeconds > MAX_TOKEN_SECONDS) {
    throw paramsInvalid('A token lives between one minute and 90 days', 'ttlSeconds')
  }
  const iat = Math.floor(Date.now() / 1000)
  const claims = { iss: PLATFORM_ISSUER, aud: PLATFORM_AUDIENCE, sub: holder.id, role: holder.role, iat, exp: iat + holder.ttlSeconds, jti: randomBytes(12).toString('base64url') }
  return signCompact(PLATFORM_TOKEN_TYPE, claims, key)
}

export type PlatformTokenVerifier = (token: string) => Promise<PlatformClaims | undefined>

/** Verifies against the platform JWKS (active and retired keys); undefined for anything invalid. */
export function platformTokenVerifier(jwks: () => JSONWebKeySet): PlatformTokenVerifier {
  // the key set is rebuilt only when the keys change (a rotation or removal)
  let kids = ''
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined
  return async (token) => {
    if (token.length > MAX_TOKEN || token.split('.').length !== 3) return undefined
    const set = jwks()
    const now = set.keys.map((k) => k.kid).join(',')
    if (now !== kids || keySet === undefined) {
      kids = now
      keySet = createLocalJWKSet(set)
    }
    try {
      const { payload } = await jwtVerify(token, keySet!, {
        algorithms: ['EdDSA'],
        typ: PLATFORM_TOKEN_TYPE,
        issuer: PLATFORM_ISSUER,
        audience: PLATFORM_AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
      })
      const role = payload.role
      if (typeof role !== 'string' || !(PLATFORM_ROLES as readonly string[]).includes(role) || typeof payload.sub !== 'string' || !PRINCIPAL_ID.test(payload.sub)) return undefined
      return { sub: payload.sub, role: role as PlatformRole, iat: payload.iat!, exp: payload.exp!, jti: String(payload.jti) }
    } catch {
      return undefined
    }
  }
}
