/**
 * Reading the audit trail for auditors: entries filtered by actor, action prefix, subject, the
 * party they involve and time, oldest or newest first, a page at a time. Lines that do not parse
 * are skipped here (verification is what reports them); reading never changes the file.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AuditEntry } from './audit-log.ts'

export type AuditQuery = {
  readonly actor?: string
  /** `release` matches `release.signed`, `release.refused`, …; a full action matches itself. */
  readonly action?: string
  /** Entries whose subject contains this text (a product id matches its versions). */
  readonly subject?: string
  /**
   * Entries about a party (a product, consumer or partner id): its actor is this, its subject
   * contains it, or one of the top-level text values of its detail is this.
   */
  readonly involving?: string
  /** ISO timestamps, inclusive. */
  readonly since?: string
  readonly until?: string
  /** Entries after this sequence number (paging oldest first). */
  readonly afterSeq?: number
  /** Entries before this sequence number (paging newest first). */
  readonly beforeSeq?: number
  /** `asc` (default): oldest first; `desc`: newest first. */
  readonly order?: 'asc' | 'desc'
  readonly limit: number
}

/**
 * Whether an entry is about a party (a partner, product, consumer or principal id): as its actor,
 * as its subject (`id`, `id@version`, `role:id`), or as a top-level value of its detail. Whole ids
 * only: `bank-1` does not find `bank-10`.
 */
function involves(entry: AuditEntry, party: string): boolean {
  const subject = entry.subject
  if (entry.actor === party || subject === party || subject.startsWith(`${party}@`) || subject.endsWith(`:${party}`)) return true
  return Object.values(entry.detail ?? {}).some((value) => value === party)
}

function matches(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.afterSeq !== undefined && entry.seq <= query.afterSeq) return false
  if (query.beforeSeq !== undefined && entry.seq >= query.beforeSeq) return false
  if (query.actor !== undefined && entry.actor !== query.actor) return false
  if (query.action !== undefined && entry.action !== query.action && !entry.action.startsWith(`${query.action}.`)) return false
  if (query.subject !== undefined && !entry.subject.includes(query.subject)) return false
  if (query.involving !== undefined && !involves(entry, query.involving)) return false
  if (query.since !== undefined && entry.at < query.since) return false
  if (query.until !== undefined && entry.at > query.until) return false
  return true
}

function parsedEntries(path: string): AuditEntry[] {
  const entries: AuditEntry[] = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue
    try {
      entries.push(JSON.parse(line) as AuditEntry)
    } catch {
      continue
    }
  }
  return entries
}

export function readAuditEntries(path: string, query: AuditQuery): { entries: AuditEntry[]; more: boolean } {
  if (!existsSync(path)) return { entries: [], more: false }
  const all = parsedEntries(path)
  if (query.order === 'desc') all.reverse()
  const entries: AuditEntry[] = []
  for (const entry of all) {
    if (!matches(entry, query)) continue
    if (entries.length === query.limit) return { entries, more: true }
    entries.push(entry)
  }
  return { entries, more: false }
}
