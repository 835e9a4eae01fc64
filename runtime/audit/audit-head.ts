/**
 * Signed heads of the audit trail (like a transparency log's signed tree head): the last entry's
 * seq and hash and the time, signed by the platform key on every group commit, kept in a head log
 * of their own and published at `GET /v1/audit/head`. Whoever holds a head can later prove the
 * trail still extends it (`indomain audit verify --head`): a truncation, a rewritten tail or a
 * stripped checkpoint changes the entry at that seq or removes it.
 */
import { createPublicKey, verify as edVerify, type JsonWebKey } from 'node:crypto'
import type { JSONWebKeySet } from 'jose'
import { signCompact } from '../release/signing.ts'
import type { SigningKey } from '../release/key-store.ts'

export const HEAD_TYPE = 'indomain-audit-head'

export type AuditHead = { readonly seq: number; readonly hash: string; readonly at: string }
export type SignedAuditHead = AuditHead & { readonly signature: string }

export function signHead(head: AuditHead, key: SigningKey): SignedAuditHead {
  return { ...head, signature: signCompact(HEAD_TYPE, { seq: head.seq, hash: head.hash, at: head.at }, key) }
}

/**
 * The head a signature vouches for, if a key of `jwks` signed it as an audit head; undefined
 * otherwise (a forged, altered or foreign head proves nothing).
 */
export function verifiedHead(signature: string, jwks: JSONWebKeySet): AuditHead | undefined {
  const [header, payload, sig] = signature.trim().split('.')
  if (header === undefined || payload === undefined || sig === undefined) return undefined
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string; kid?: string; typ?: string }
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Partial<AuditHead>
    if (h.alg !== 'EdDSA' || h.typ !== HEAD_TYPE) return undefined
    if (!Number.isInteger(p.seq) || (p.seq as number) < 1 || typeof p.hash !== 'string' || !/^[0-9a-f]{64}$/.test(p.hash) || typeof p.at !== 'string') return undefined
    const jwk = jwks.keys.find((k) => k.kid === h.kid)
    if (jwk === undefined) return undefined
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
    if (!edVerify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(sig, 'base64url'))) return undefined
    return { seq: p.seq as number, hash: p.hash, at: p.at }
  } catch {
    return undefined
  }
}
