/**
 * Signed releases: a compact JWS (EdDSA over Ed25519) carrying the result and everything needed
 * to hold it to account — release id, product id, version and code hash, scenario, consumer,
 * request hash, result hash, the checks' summary, issue and expiry times, and the key id.
 *
 * Signing uses node:crypto directly (one Ed25519 signature over the JWS signing input; jose's
 * path costs about three times as much here, see benchmarks) and produces standard JWS that jose
 * verifies. Verification is strict: jose with an explicit algorithm, issuer, `typ` and required
 * claims, plus what library defaults do not check — key-bearing header members, duplicate header
 * members, token size, dev keys in production, and the binding to the result and the request.
 */
import { createHash, sign as edSign, type KeyObject } from 'node:crypto'
import { compactVerify, createLocalJWKSet, errors as joseErrors, type JSONWebKeySet } from 'jose'
import { RuntimeError } from '../errors.ts'
import type { KeyUse } from './key-store.ts'

export const RELEASE_TYPE = 'indomain-release+jwt'
export const RELEASE_ISSUER = 'indomain'
/** Largest token accepted for verification. */
export const MAX_RELEASE_BYTES = 1024 * 1024

export type ChecksSummary = {
  readonly passed: readonly string[]
  /** Cells suppressed by disclosure control, with their rules (no values). */
  readonly suppressed?: readonly { readonly rule: string; readonly count: number }[]
}

export type ReleaseClaims = {
  readonly jti: string
  readonly iss: string
  /** The consumer the release is for. */
  readonly aud: string
  readonly iat: number
  readonly exp: number
  readonly env: KeyUse
  readonly product: { readonly id: string; readonly version: string; readonly codeHash: string }
  readonly scenario: string
  readonly consumer: string
  readonly requestHash: string
  readonly resultHash: string
  readonly checks: ChecksSummary
  readonly result: unknown
}

/** SHA-256 (hex) of a JSON value in canonical form (keys sorted): what request and result hashes are over. */
export function hashJson(value: unknown): string {
  return hashText(canonicalJson(value))
}

/** SHA-256 (hex) of a text already in canonical form: `hashText(canonicalJson(v)) === hashJson(v)`. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

/** A compact JWS (EdDSA) over `payload` as JSON, its header naming the key and `typ`: releases, consents, audit checkpoints. */
export function signCompact(typ: string, payload: unknown, key: { readonly kid: string; readonly privateKey: KeyObject }): string {
  const input = `${b64url(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ }))}.${b64url(JSON.stringify(payload))}`
  return `${input}.${b64url(edSign(null, Buffer.from(input), key.privateKey))}`
}

/** Signs release claims with the key; returns the compact JWS. */
export function signRelease(claims: ReleaseClaims, key: { kid: string; privateKey: KeyObject; use: KeyUse }): string {
  if (claims.env !== key.use) throw new RuntimeError('ERR_SIGNING_FAILED', 'The key does not match the release environment')
  try {
    return signCompact(RELEASE_TYPE, claims, key)
  } catch (cause) {
    throw new RuntimeError('ERR_SIGNING_FAILED', 'The release could not be signed', { cause })
  }
}

/** Why a release fails verification: a code, never a value from the token. */
export type VerifyFailure =
  | 'MALFORMED'
  | 'TOO_LARGE'
  | 'BAD_HEADER'
  | 'ALG_NOT_ALLOWED'
  | 'KEY_IN_HEADER'
  | 'DUPLICATE_HEADER_MEMBER'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'WRONG_TYPE'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'MISSING_CLAIM'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'DEV_RELEASE'
  | 'RESULT_MISMATCH'
  | 'REQUEST_MISMATCH'

export class ReleaseVerificationError extends RuntimeError {
  readonly reason: VerifyFailure
  constructor(reason: VerifyFailure, cause?: unknown) {
    super('ERR_RELEASE_INVALID', 'The release does not verify', { ...(cause === undefined ? {} : { cause }), details: { reason } })
    this.name = 'ReleaseVerificationError'
    this.reason = reason
  }
}

export type VerifyOptions = {
  readonly jwks: JSONWebKeySet
  /** Expected consumer (audience); any when omitted. */
  readonly audience?: string
  /** Accept dev releases (only `indomain dev` does). */
  readonly allowDev?: boolean
  /** The request the release must answer, to check the binding. */
  readonly request?: unknown
  /** Seconds since epoch (tests). */
  readonly now?: number
}

const REQUIRED = ['jti', 'iss', 'aud', 'iat', 'exp', 'env', 'product', 'scenario', 'consumer', 'requestHash', 'resultHash', 'checks', 'result'] as const
const KEY_BEARING = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit']

/** Whether a JSON object text has a member name twice at its top level (JSON.parse keeps the last silently). */
function hasDuplicateMembers(text: string): boolean {
  const names = new Set<string>()
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
    else if (c === '"') {
      let j = i + 1
      let value = ''
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++
        value += text[j]
        j++
      }
      // a member name: a string at depth 1 followed by a colon
      let k = j + 1
      while (k < text.length && /\s/.test(text[k]!)) k++
      if (depth === 1 && text[k] === ':') {
        if (names.has(value)) return true
        names.add(value)
      }
      i = j
    }
  }
  return false
}

export async function verifyRelease(token: string, options: VerifyOptions): Promise<ReleaseClaims> {
  if (typeof token !== 'string') throw new ReleaseVerificationError('MALFORMED')
  if (token.length > MAX_RELEASE_BYTES) throw new ReleaseVerificationError('TOO_LARGE')
  const parts = token.trim().split('.')
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new ReleaseVerificationError('MALFORMED')
  let headerText: string
  let header: Record<string, unknown>
  try {
    headerText = Buffer.from(parts[0]!, 'base64url').toString('utf8')
    header = JSON.parse(headerText) as Record<string, unknown>
  } catch {
    throw new ReleaseVerificationError('BAD_HEADER')
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new ReleaseVerificationError('BAD_HEADER')
  if (hasDuplicateMembers(headerText)) throw new ReleaseVerificationError('DUPLICATE_HEADER_MEMBER')
  if (header.alg !== 'EdDSA') throw new ReleaseVerificationError('ALG_NOT_ALLOWED')
  if (KEY_BEARING.some((k) => Object.hasOwn(header, k))) throw new ReleaseVerificationError('KEY_IN_HEADER')
  if (header.typ !== RELEASE_TYPE) throw new ReleaseVerificationError('WRONG_TYPE')
  if (typeof header.kid !== 'string' || !options.jwks.keys.some((k) => k.kid === header.kid)) {
    throw new ReleaseVerificationError(typeof header.kid === 'string' && header.kid.startsWith('dev-') && !options.allowDev ? 'DEV_RELEASE' : 'UNKNOWN_KEY')
  }
  let payloadBytes: Uint8Array
  try {
    const verified = await compactVerify(token.trim(), createLocalJWKSet(options.jwks), { algorithms: ['EdDSA'] })
    payloadBytes = verified.payload
  } catch (cause) {
    if (cause instanceof joseErrors.JWSSignatureVerificationFailed) throw new ReleaseVerificationError('BAD_SIGNATURE', cause)
    if (cause instanceof joseErrors.JWKSNoMatchingKey) throw new ReleaseVerificationError('UNKNOWN_KEY', cause)
    throw new ReleaseVerificationError('BAD_SIGNATURE', cause)
  }
  let claims: Record<string, unknown>
  try {
    claims = JSON.parse(Buffer.from(payloadBytes).toString('utf8')) as Record<string, unknown>
  } catch {
    throw new ReleaseVerificationError('MALFORMED')
  }
  for (const name of REQUIRED) if (!Object.hasOwn(claims, name)) throw new ReleaseVerificationError('MISSING_CLAIM')
  if (claims.iss !== RELEASE_ISSUER) throw new ReleaseVerificationError('WRONG_ISSUER')
  if (options.audience !== undefined && claims.aud !== options.audience) throw new ReleaseVerificationError('WRONG_AUDIENCE')
  if (claims.aud !== claims.consumer) throw new ReleaseVerificationError('WRONG_AUDIENCE')
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new ReleaseVerificationError('EXPIRED')
  if (typeof claims.iat !== 'number' || claims.iat > now + 60) throw new ReleaseVerificationError('NOT_YET_VALID')
  if (claims.env !== 'production' && !(claims.env === 'dev' && options.allowDev === true)) throw new ReleaseVerificationError('DEV_RELEASE')
  if ((claims.env === 'dev') !== String(header.kid).startsWith('dev-')) throw new ReleaseVerificationError('DEV_RELEASE')
  if (hashJson(claims.result) !== claims.resultHash) throw new ReleaseVerificationError('RESULT_MISMATCH')
  if (options.request !== undefined && hashJson(options.request) !== claims.requestHash) throw new ReleaseVerificationError('REQUEST_MISMATCH')
  return claims as unknown as ReleaseClaims
}
