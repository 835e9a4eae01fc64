/**
 * Reading the audit trail: the party an entry involves (its actor, its subject, a top-level text
 * value of its detail), newest first with `before`, and a file that reading never changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readAuditEntries } from '../../../runtime/audit/read-audit.ts'
import type { AuditEvent } from '../../../runtime/audit/audit-log.ts'

const EVENTS: readonly AuditEvent[] = [
  { actor: 'op-zhang', action: 'consumer.added', subject: 'bank-a' },
  { actor: 'bank-a', action: 'release.signed', subject: 'credit-score@1.0.0', detail: { release: 'rel-1' } },
  { actor: 'bank-ab', action: 'release.signed', subject: 'credit-score@1.0.0', detail: { release: 'rel-2' } },
  { actor: 'system', action: 'release.signed', subject: 'rel-3', detail: { after: 'review', product: 'housing-report', consumer: 'bank-a' } },
  { actor: 'acme-data', action: 'scenario.requested', subject: 'scn-1', detail: { product: 'housing-report', nested: { consumer: 'bank-a' }, note: 'for bank-a' } },
  { actor: 'op-li', action: 'scenario.decided', subject: 'scn-1', detail: { approvedFields: 3 } },
  { actor: 'op-li', action: 'consumer.suspended', subject: 'bank-ab', detail: { reason: 'x' } },
  { actor: 'op-li', action: 'principal.suspended', subject: 'auditor:bank-ab', detail: { reason: 'x' } },
]

let dir: string
let file: string
const seqs = (query: Parameters<typeof readAuditEntries>[1]) => readAuditEntries(file, query).entries.map((e) => e.seq)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-read-audit-'))
  file = join(dir, 'audit.jsonl')
  const lines = EVENTS.map((e, i) => JSON.stringify({ seq: i + 1, at: `2025-03-0${i + 1}T08:00:00.000Z`, prev: '0', hash: String(i), ...e }))
  // a torn line is skipped, as verification is what reports it
  writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n{"seq": 99, "act\n${lines.slice(3).join('\n')}\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('reading the audit trail', () => {
  it('finds the entries involving a party: as actor, in the subject, or as a top-level detail value', () => {
    // not bank-ab's entry, not a nested detail value, not text that merely mentions it
    expect(seqs({ involving: 'bank-a', limit: 100 })).toEqual([1, 2, 4])
    expect(seqs({ involving: 'housing-report', limit: 100 })).toEqual([4, 5])
    expect(seqs({ involving: 'credit-score', limit: 100 })).toEqual([2, 3])
    expect(seqs({ involving: 'bank-a', action: 'release', limit: 100 })).toEqual([2, 4])
    // whole ids in the subject: id, id@version, role:id — bank-a does not find bank-ab
    expect(seqs({ involving: 'bank-ab', limit: 100 })).toEqual([3, 7, 8])
    expect(seqs({ involving: 'credit', limit: 100 })).toEqual([])
  })

  it('reads newest first, a page at a time with before', () => {
    expect(readAuditEntries(file, { order: 'desc', beforeSeq: 7, limit: 2 })).toMatchObject({ entries: [{ seq: 6 }, { seq: 5 }], more: true })
    expect(readAuditEntries(file, { order: 'desc', limit: 1 })).toMatchObject({ entries: [{ seq: 8 }], more: true })
    expect(readAuditEntries(file, { order: 'desc', beforeSeq: 5, limit: 2 })).toMatchObject({ entries: [{ seq: 4 }, { seq: 3 }], more: true })
    expect(readAuditEntries(file, { order: 'desc', beforeSeq: 3, limit: 2 })).toMatchObject({ entries: [{ seq: 2 }, { seq: 1 }], more: false })
    expect(seqs({ order: 'desc', involving: 'bank-a', limit: 2 })).toEqual([4, 2])
    // oldest first stays the default, paged with after
    expect(seqs({ afterSeq: 4, limit: 100 })).toEqual([5, 6, 7, 8])
    expect(seqs({ order: 'asc', limit: 2 })).toEqual([1, 2])
  })

  it('never changes the file', () => {
    const before = readFileSync(file, 'utf8')
    readAuditEntries(file, { order: 'desc', involving: 'bank-a', limit: 1 })
    expect(readFileSync(file, 'utf8')).toBe(before)
  })
})
