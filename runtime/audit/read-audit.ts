/**
 * Reading the audit trail for auditors: entries filtered by actor, action prefix, subject and
 * time, in order, a page at a time. Lines that do not parse are skipped here (verification is
 * what reports them); reading never changes the file.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AuditEntry } from './audit-log.ts'

export type AuditQuery = {
  readonly actor?: string
  /** `release` matches `release.signed`, `release.refused`, …; a full action matches itself. */
  readonly action?: string
  /** Entries whose subject contains this text (a product id matches its versions). */
  readonly subject?: string
  /** ISO timestamps, inclusive. */
  readonly since?: string
  readonly until?: string
  /** Entries after this sequence number (paging). */
  readonly afterSeq?: number
  readonly limit: number
}

export function readAuditEntries(path: string, query: AuditQuery): { entries: AuditEntry[]; more: boolean } {
  if (!existsSync(path)) return { entries: [], more: false }
  const entries: AuditEntry[] = []
  let more = false
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue
    let entry: AuditEntry
    try {
      entry = JSON.parse(line) as AuditEntry
    } catch {
      continue
    }
    if (query.afterSeq !== undefined && entry.seq <= query.afterSeq) continue
    if (query.actor !== undefined && entry.actor !== query.actor) continue
    if (query.action !== undefined && entry.action !== query.action && !entry.action.startsWith(`${query.action}.`)) continue
    if (query.subject !== undefined && !entry.subject.includes(query.subject)) continue
    if (query.since !== undefined && entry.at < query.since) continue
    if (query.until !== undefined && entry.at > query.until) continue
    if (entries.length === query.limit) {
      more = true
      break
    }
    entries.push(entry)
  }
  return { entries, more }
}
