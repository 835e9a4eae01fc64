/**
 * Reading the audit trail for auditors: entries filtered by actor, action prefix, subject, the
 * party they involve and time, oldest or newest first, a page at a time. Lines that do not parse
 * are skipped here (verification is what reports them); reading never changes the file.
 */
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { AuditEntry } from './audit-chain.ts'

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

/** Whether an entry answers a query (filters only; the caller pages). */
export function entryMatches(entry: AuditEntry, query: AuditQuery): boolean {
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

const CHUNK_BYTES = 1 << 20

/** The file's lines from the first, read a chunk at a time (a trail may be larger than a string can hold). */
async function* linesForward(path: string): AsyncGenerator<string> {
  const file = await open(path, 'r')
  try {
    let carry = Buffer.alloc(0)
    for (;;) {
      const chunk = Buffer.alloc(CHUNK_BYTES)
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) break
      let text = Buffer.concat([carry, chunk.subarray(0, bytesRead)])
      let newline: number
      while ((newline = text.indexOf(0x0a)) !== -1) {
        yield text.subarray(0, newline).toString('utf8')
        text = text.subarray(newline + 1)
      }
      carry = Buffer.from(text)
    }
    if (carry.length > 0) yield carry.toString('utf8')
  } finally {
    await file.close()
  }
}

/** The file's lines from the last, read a chunk at a time from the end. */
async function* linesBackward(path: string): AsyncGenerator<string> {
  const file = await open(path, 'r')
  try {
    let position = (await file.stat()).size
    let carry = Buffer.alloc(0)
    while (position > 0) {
      const length = Math.min(CHUNK_BYTES, position)
      position -= length
      const chunk = Buffer.alloc(length)
      await file.read(chunk, 0, length, position)
      let text = Buffer.concat([chunk, carry])
      let newline: number
      while ((newline = text.lastIndexOf(0x0a)) !== -1) {
        yield text.subarray(newline + 1).toString('utf8')
        text = text.subarray(0, newline)
      }
      carry = Buffer.from(text)
    }
    if (carry.length > 0) yield carry.toString('utf8')
  } finally {
    await file.close()
  }
}

/**
 * A page of entries, oldest first (or newest first with `order: 'desc'`). The file is read a chunk at
 * a time from the end it starts at, and reading stops once the page is full, so the first pages cost
 * the same however long the trail is, and other calls are served between chunks.
 */
export async function readAuditEntries(path: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }> {
  if (!existsSync(path)) return { entries: [], more: false }
  const entries: AuditEntry[] = []
  for await (const line of query.order === 'desc' ? linesBackward(path) : linesForward(path)) {
    if (line === '') continue
    let entry: AuditEntry
    try {
      entry = JSON.parse(line) as AuditEntry
    } catch {
      continue
    }
    if (!entryMatches(entry, query)) continue
    if (entries.length === query.limit) return { entries, more: true }
    entries.push(entry)
  }
  return { entries, more: false }
}
