/**
 * The audit trail's chaining, the same wherever the trail is kept (a file, the state database):
 * each entry carries the hash of the one before and its own, and a checkpoint entry signs the
 * head it follows with the platform key. Given the tail (seq, hash) and a batch of events, this
 * makes the batch's entries; the caller writes them under its lock.
 */
import { hashJson, signCompact } from '../release/signing.ts'
import type { SigningKey } from '../release/key-store.ts'
import type { AuditAction } from './audit-actions.ts'

export const GENESIS = '0'.repeat(64)
export const CHECKPOINT_TYPE = 'indomain-audit-checkpoint'

export type AuditEvent = {
  /** Who acted: an operator, partner, consumer, `system`. */
  readonly actor: string
  /** What happened, from the catalogue (audit-actions.ts): `scenario.approved`, `release.signed`, … */
  readonly action: AuditAction
  /** What it happened to: a scenario, product, release or table id. */
  readonly subject: string
  /** Structured details (codes, ids, hashes); never secrets. */
  readonly detail?: Record<string, unknown>
}

export type AuditEntry = AuditEvent & {
  readonly seq: number
  readonly at: string
  readonly prev: string
  readonly hash: string
  /** On checkpoint entries: a detached JWS (EdDSA) over `{seq, head}` by the platform key. */
  readonly signature?: string
}

export type ChainTail = { readonly seq: number; readonly hash: string }

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return hashJson(entry)
}

/** What to chain: an event, or a checkpoint of the head at that point. */
export type ChainItem = { readonly event: AuditEvent } | { readonly checkpoint: true }

/** The entries of `items`, chained after `tail`; returns them and the new tail. */
export function chainEntries(tail: ChainTail, items: readonly ChainItem[], key: SigningKey, at: string = new Date().toISOString()): { entries: AuditEntry[]; tail: ChainTail } {
  let seq = tail.seq
  let head = tail.hash
  const entries = items.map((item): AuditEntry => {
    seq++
    const event: AuditEvent = 'event' in item ? item.event : { actor: 'system', action: 'audit.checkpoint', subject: `seq:${seq}`, detail: { covers: head } }
    const signature = 'event' in item ? undefined : signCompact(CHECKPOINT_TYPE, { seq, head }, key)
    const base = {
      seq,
      at,
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      ...(event.detail === undefined ? {} : { detail: event.detail }),
      prev: head,
      ...(signature === undefined ? {} : { signature }),
    }
    const entry: AuditEntry = { ...base, hash: entryHash(base) }
    head = entry.hash
    return entry
  })
  return { entries, tail: { seq, hash: head } }
}
