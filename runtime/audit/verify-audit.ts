/**
 * Verifies an audit trail, from a file or the state database, line by line: every line parses,
 * sequence numbers run 1, 2, 3 … without gaps, repeats or reversals, each entry links to the hash
 * of the one before and hashes to what it says, and every checkpoint is signed by a known platform
 * key over the head it covers. Given a signed head, the trail must also extend it: the entry at
 * the head's seq exists and has the head's hash. Names the first bad entry and what is wrong with
 * it; a torn last line (a crash mid-write) is reported, never silently accepted.
 */
import { createPublicKey, verify as edVerify, type JsonWebKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { JSONWebKeySet } from 'jose'
import { CHECKPOINT_TYPE, entryHash, GENESIS, type AuditEntry } from './audit-chain.ts'
import { verifiedHead, type AuditHead } from './audit-head.ts'

export type AuditProblem =
  | 'TORN_LAST_LINE'
  | 'UNREADABLE_ENTRY'
  | 'ENTRY_CHANGED'
  | 'ENTRY_REMOVED'
  | 'ENTRY_INSERTED'
  | 'ENTRIES_REORDERED'
  | 'CHAIN_BROKEN'
  | 'CHECKPOINT_INVALID'
  /** The head given is not a head signed by a key of the installation. */
  | 'HEAD_INVALID'
  /** The entry at the head's seq is not the one the head names (the tail was rewritten). */
  | 'HEAD_MISMATCH'
  /** The trail ends before the head's seq (it was truncated). */
  | 'TRUNCATED'

export type AuditVerdict =
  | { readonly ok: true; readonly entries: number; readonly checkpoints: number; readonly head: string; readonly extends?: AuditHead }
  | { readonly ok: false; readonly problem: AuditProblem; readonly line: number; readonly seq: number | null; readonly entries: number }

function checkpointValid(entry: AuditEntry, jwks: JSONWebKeySet): boolean {
  if (entry.signature === undefined) return false
  const [header, payload, signature] = entry.signature.split('.')
  if (header === undefined || payload === undefined || signature === undefined) return false
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string; kid?: string; typ?: string }
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { seq?: number; head?: string }
    if (h.alg !== 'EdDSA' || h.typ !== CHECKPOINT_TYPE || p.seq !== entry.seq || p.head !== entry.prev) return false
    const jwk = jwks.keys.find((k) => k.kid === h.kid)
    if (jwk === undefined) return false
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
    return edVerify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))
  } catch {
    return false
  }
}

type Failure = Extract<AuditVerdict, { ok: false }>

/**
 * A verifier fed one complete line at a time. `positionOf` tells where a seq occurs in the trail
 * (for a file read whole: tells a missing entry from a moved one); without it a gap is a removal.
 */
export function createChainVerifier(jwks: JSONWebKeySet, signedHead?: string, positionOf?: (seq: number) => number | undefined) {
  let prev = GENESIS
  let expected = 1
  let checkpoints = 0
  let line = 0
  const head = signedHead === undefined ? undefined : verifiedHead(signedHead, jwks)
  let failure: Failure | undefined = signedHead !== undefined && head === undefined ? { ok: false, problem: 'HEAD_INVALID', line: 0, seq: null, entries: 0 } : undefined
  const fail = (problem: AuditProblem, seq: number | null): false => {
    failure = { ok: false, problem, line, seq, entries: line - 1 }
    return false
  }
  return {
    /** Checks the next line; false once the trail has failed (the verdict says why). */
    push(text: string): boolean {
      if (failure !== undefined) return false
      line++
      let entry: AuditEntry
      try {
        entry = JSON.parse(text) as AuditEntry
      } catch {
        return fail('UNREADABLE_ENTRY', null)
      }
      if (typeof entry !== 'object' || entry === null || typeof entry.seq !== 'number') return fail('UNREADABLE_ENTRY', null)
      const { hash, ...rest } = entry
      if (entry.seq !== expected) {
        const at = positionOf?.(expected)
        const later = at !== undefined && at > line - 1
        const earlier = positionOf?.(entry.seq)
        const problem: AuditProblem =
          entry.seq > expected ? (later ? 'ENTRIES_REORDERED' : 'ENTRY_REMOVED') : earlier !== undefined && earlier < line - 1 ? 'ENTRY_INSERTED' : 'ENTRIES_REORDERED'
        return fail(problem, entry.seq)
      }
      if (entryHash(rest) !== hash) return fail('ENTRY_CHANGED', entry.seq)
      if (entry.prev !== prev) return fail('CHAIN_BROKEN', entry.seq)
      if (entry.action === 'audit.checkpoint') {
        if (!checkpointValid(entry, jwks)) return fail('CHECKPOINT_INVALID', entry.seq)
        checkpoints++
      }
      if (head !== undefined && entry.seq === head.seq && hash !== head.hash) return fail('HEAD_MISMATCH', entry.seq)
      prev = hash
      expected++
      return true
    },
    /** The verdict once every line was pushed; `torn`: the trail ended in an incomplete line. */
    verdict(torn = false): AuditVerdict {
      if (failure !== undefined) return failure
      const entries = expected - 1
      if (head !== undefined && entries < head.seq) return { ok: false, problem: 'TRUNCATED', line: line + 1, seq: head.seq, entries }
      if (torn) return { ok: false, problem: 'TORN_LAST_LINE', line: line + 1, seq: null, entries }
      return { ok: true, entries, checkpoints, head: prev, ...(head === undefined ? {} : { extends: head }) }
    },
  }
}

export function verifyAuditFile(path: string, jwks: JSONWebKeySet, signedHead?: string): AuditVerdict {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  // a file ends with a newline; anything after the last one is a torn write
  const torn = lines[lines.length - 1] !== ''
  const complete = lines.slice(0, -1)
  // which sequence numbers occur where: tells a missing entry from one that was moved
  const positions = new Map<number, number>()
  complete.forEach((l, i) => {
    const m = /^\{"seq":(\d+),/.exec(l)
    if (m !== null && !positions.has(Number(m[1]))) positions.set(Number(m[1]), i)
  })
  const verifier = createChainVerifier(jwks, signedHead, (seq) => positions.get(seq))
  for (const l of complete) if (!verifier.push(l)) break
  return verifier.verdict(torn)
}
