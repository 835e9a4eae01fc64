/**
 * Verifies an audit file: every line parses, sequence numbers run 1, 2, 3 … without gaps,
 * repeats or reversals, each entry links to the hash of the one before and hashes to what it
 * says, and every checkpoint is signed by a known platform key over the head it covers. Names the
 * first bad entry and what is wrong with it; a torn last line (a crash mid-write) is reported,
 * never silently accepted.
 */
import { createPublicKey, verify as edVerify, type JsonWebKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { JSONWebKeySet } from 'jose'
import { entryHash, GENESIS, type AuditEntry } from './audit-log.ts'

export type AuditProblem =
  | 'TORN_LAST_LINE'
  | 'UNREADABLE_ENTRY'
  | 'ENTRY_CHANGED'
  | 'ENTRY_REMOVED'
  | 'ENTRY_INSERTED'
  | 'ENTRIES_REORDERED'
  | 'CHAIN_BROKEN'
  | 'CHECKPOINT_INVALID'

export type AuditVerdict =
  | { readonly ok: true; readonly entries: number; readonly checkpoints: number; readonly head: string }
  | { readonly ok: false; readonly problem: AuditProblem; readonly line: number; readonly seq: number | null; readonly entries: number }

function checkpointValid(entry: AuditEntry, jwks: JSONWebKeySet): boolean {
  if (entry.signature === undefined) return false
  const [header, payload, signature] = entry.signature.split('.')
  if (header === undefined || payload === undefined || signature === undefined) return false
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string; kid?: string; typ?: string }
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { seq?: number; head?: string }
    if (h.alg !== 'EdDSA' || h.typ !== 'indomain-audit-checkpoint' || p.seq !== entry.seq || p.head !== entry.prev) return false
    const jwk = jwks.keys.find((k) => k.kid === h.kid)
    if (jwk === undefined) return false
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
    return edVerify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))
  } catch {
    return false
  }
}

export function verifyAuditFile(path: string, jwks: JSONWebKeySet): AuditVerdict {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  // a file ends with a newline; anything after the last one is a torn write
  const torn = lines[lines.length - 1] !== ''
  const complete = lines.slice(0, -1)
  // which sequence numbers occur where: tells a missing entry from one that was moved
  const positions = new Map<number, number>()
  complete.forEach((line, i) => {
    const m = /^\{"seq":(\d+),/.exec(line)
    if (m !== null && !positions.has(Number(m[1]))) positions.set(Number(m[1]), i)
  })
  let prev = GENESIS
  let expected = 1
  let checkpoints = 0
  for (let i = 0; i < complete.length; i++) {
    const line = complete[i]!
    let entry: AuditEntry
    try {
      entry = JSON.parse(line) as AuditEntry
    } catch {
      return { ok: false, problem: 'UNREADABLE_ENTRY', line: i + 1, seq: null, entries: i }
    }
    const { hash, ...rest } = entry
    if (typeof entry.seq !== 'number') return { ok: false, problem: 'UNREADABLE_ENTRY', line: i + 1, seq: null, entries: i }
    if (entry.seq !== expected) {
      const later = (positions.get(expected) ?? -1) > i
      const problem: AuditProblem = entry.seq > expected ? (later ? 'ENTRIES_REORDERED' : 'ENTRY_REMOVED') : entry.seq < expected && positions.get(entry.seq)! < i ? 'ENTRY_INSERTED' : 'ENTRIES_REORDERED'
      return { ok: false, problem, line: i + 1, seq: entry.seq, entries: i }
    }
    if (entryHash(rest) !== hash) return { ok: false, problem: 'ENTRY_CHANGED', line: i + 1, seq: entry.seq, entries: i }
    if (entry.prev !== prev) return { ok: false, problem: 'CHAIN_BROKEN', line: i + 1, seq: entry.seq, entries: i }
    if (entry.action === 'audit.checkpoint') {
      if (!checkpointValid(entry, jwks)) return { ok: false, problem: 'CHECKPOINT_INVALID', line: i + 1, seq: entry.seq, entries: i }
      checkpoints++
    }
    prev = hash
    expected++
  }
  if (torn) return { ok: false, problem: 'TORN_LAST_LINE', line: complete.length + 1, seq: null, entries: complete.length }
  return { ok: true, entries: complete.length, checkpoints, head: prev }
}
