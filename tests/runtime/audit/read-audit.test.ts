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
  { actor: 'op-li', action: 'scenario.approved', subject: 'scn-1', detail: { approvedFields: 3 } },
  { actor: 'op-li', action: 'consumer.suspended', subject: 'bank-ab', detail: { reason: 'x' } },
  { actor: 'op-li', action: 'principal.suspended', subject: 'auditor:bank-ab', detail: { reason: 'x' } },
]

let dir: string
let file: string
const seqs = async (query: Parameters<typeof readAuditEntries>[1]) => (await readAuditEntries(file, query)).entries.map((e) => e.seq)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-read-audit-'))
  file = join(dir, 'audit.jsonl')
  const lines = EVENTS.map((e, i) => JSON.stringify({ seq: i + 1, at: `2025-03-0${i + 1}T08:00:00.000Z`, prev: '0', hash: String(i), ...e }))
  // a torn line is skipped, as verification is what reports it
  writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n{"seq": 99, "act\n${lines.slice(3).join('\n')}\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('reading the audit trail', async () => {
  it('finds the entries involving a party: as actor, in the subject, or as a top-level detail value', async () => {
    // not bank-ab's entry, not a nested detail value, not text that merely mentions it
    expect(await seqs({ involving: 'bank-a', limit: 100 })).toEqual([1, 2, 4])
    expect(await seqs({ involving: 'housing-report', limit: 100 })).toEqual([4, 5])
    expect(await seqs({ involving: 'credit-score', limit: 100 })).toEqual([2, 3])
    expect(await seqs({ involving: 'bank-a', action: 'release', limit: 100 })).toEqual([2, 4])
    // whole ids in the subject: id, id@version, role:id — bank-a does not find bank-ab
    expect(await seqs({ involving: 'bank-ab', limit: 100 })).toEqual([3, 7, 8])
    expect(await seqs({ involving: 'credit', limit: 100 })).toEqual([])
  })

  it('reads newest first, a page at a time with before', async () => {
    expect(await readAuditEntries(file, { order: 'desc', beforeSeq: 7, limit: 2 })).toMatchObject({ entries: [{ seq: 6 }, { seq: 5 }], more: true })
    expect(await readAuditEntries(file, { order: 'desc', limit: 1 })).toMatchObject({ entries: [{ seq: 8 }], more: true })
    expect(await readAuditEntries(file, { order: 'desc', beforeSeq: 5, limit: 2 })).toMatchObject({ entries: [{ seq: 4 }, { seq: 3 }], more: true })
    expect(await readAuditEntries(file, { order: 'desc', beforeSeq: 3, limit: 2 })).toMatchObject({ entries: [{ seq: 2 }, { seq: 1 }], more: false })
    expect(await seqs({ order: 'desc', involving: 'bank-a', limit: 2 })).toEqual([4, 2])
    // oldest first stays the default, paged with after
    expect(await seqs({ afterSeq: 4, limit: 100 })).toEqual([5, 6, 7, 8])
    expect(await seqs({ order: 'asc', limit: 2 })).toEqual([1, 2])
  })

  it('never changes the file', async () => {
    const before = readFileSync(file, 'utf8')
    await readAuditEntries(file, { order: 'desc', involving: 'bank-a', limit: 1 })
    expect(readFileSync(file, 'utf8')).toBe(before)
  })
  it('reads a trail larger than its read chunk, either way, without breaking a character across chunks', async () => {
    const big = join(dir, 'big.jsonl')
    const reason = '暂停调查：'.repeat(40)
    const count = 12_000
    writeFileSync(big, Array.from({ length: count }, (_, i) => JSON.stringify({ seq: i + 1, at: '2025-03-01T08:00:00.000Z', prev: '0', hash: String(i), actor: 'op-li', action: 'partner.suspended', subject: `p-${i + 1}`, detail: { reason } })).join('\n') + '\n')
    expect(readFileSync(big).length).toBeGreaterThan(3 * (1 << 20))
    const forward = await readAuditEntries(big, { limit: 1000 })
    expect(forward.entries.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    const all = await readAuditEntries(big, { afterSeq: 0, limit: 1000, involving: `p-${count}` })
    expect(all.entries.map((e) => e.seq)).toEqual([count])
    const backward = await readAuditEntries(big, { order: 'desc', limit: count })
    expect(backward.entries.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => count - i))
    expect(backward.entries.every((e) => (e.detail as { reason: string }).reason === reason)).toBe(true)
    expect((await readAuditEntries(big, { limit: count })).entries.every((e) => (e.detail as { reason: string }).reason === reason)).toBe(true)
  })
})
