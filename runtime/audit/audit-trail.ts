/**
 * The platform's audit trail (来源可溯、去向可查、行为留痕、责任可究) in the state database: one
 * hash chain shared by every process and replica. Appends are group-committed (state/group-commit.ts):
 * the events that arrive while a group commits are chained under the trail's lock (continuing from the database's real
 * tail, whichever replica wrote it), inserted with a signed head in the head log, and committed
 * together; an append resolves only once its entry is committed — a release is returned only after
 * its audit entry is durable. `indomain audit export` writes the JSON-lines form that
 * `audit verify --file` checks offline.
 *
 * This is separate from pino's operational log; untrusted text (partner messages, inputs) is kept
 * under `detail` and never interpreted.
 */
import type { JSONWebKeySet } from 'jose'
import { RuntimeError } from '../errors.ts'
import type { SigningKey } from '../release/key-store.ts'
import { createGroupCommit } from '../state/group-commit.ts'
import type { StateDatabase, StateTransaction } from '../state/state-database.ts'
import { chainEntries, GENESIS, type AuditEntry, type AuditEvent, type ChainItem, type ChainTail } from './audit-chain.ts'
import { signHead, type SignedAuditHead } from './audit-head.ts'
import type { AuditLog } from './audit-log.ts'
import { entryMatches, type AuditQuery } from './read-audit.ts'
import { createChainVerifier, type AuditVerdict } from './verify-audit.ts'

export type AuditTrail = AuditLog & {
  /** The newest signed head (undefined while the trail is empty). */
  head(): Promise<SignedAuditHead | undefined>
  /** Every entry, oldest first, as the JSON lines they are hashed as (export). */
  lines(): AsyncGenerator<string>
  /**
   * Chains `events` into the caller's transaction (one signed head for all of them): they commit
   * with the caller's change, or not at all. Refused outside a transaction.
   */
  appendAll(events: readonly AuditEvent[]): Promise<AuditEntry[]>
}

export type AuditTrailOptions = {
  /** The platform key that signs checkpoints and heads. */
  readonly key: SigningKey
  readonly checkpointEvery?: number
}

const PAGE = 1000

/** The newest entry (as stored) and the newest signed head's seq; null where there is none. */
type TailRow = { readonly entry: string | null; readonly signed: number | string | null }

export function openAuditTrail(database: StateDatabase, options: AuditTrailOptions): AuditTrail {
  const every = options.checkpointEvery ?? 1000
  let sinceCheckpoint = 0
  let closed = false

  /** The chain's real tail and the newest signed head's seq, in one statement. */
  const tailQuery = (q: StateDatabase['db']) =>
    q
      .selectNoFrom((eb) => [
        eb.selectFrom('audit_entries').select('entry').orderBy('seq', 'desc').limit(1).as('entry'),
        eb.selectFrom('audit_heads').select('seq').orderBy('seq', 'desc').limit(1).as('signed'),
      ])
      .compile()

  const tailOf = (row: TailRow): { readonly tail: ChainTail; readonly signed: number | undefined } => {
    const signed = row.signed === null ? undefined : Number(row.signed)
    if (row.entry === null) return { tail: { seq: 0, hash: GENESIS }, signed }
    const entry = JSON.parse(row.entry) as AuditEntry
    return { tail: { seq: entry.seq, hash: entry.hash }, signed }
  }

  /** Chains `items` onto the database's real tail inside `tx`, with a signed head for the last. */
  const chainInto = async (tx: StateTransaction, items: readonly ChainItem[]): Promise<AuditEntry[]> => {
    if (items.length === 0) return []
    // the trail's lock, then its tail read under it: one round trip where the database allows
    const [, tailRows] = await database.batch(tx, [{ lock: 'audit-trail' }, tailQuery(tx)])
    const { tail, signed } = tailOf(tailRows![0] as TailRow)
    // fail closed: a trail that ends before the head log's last head was cut; nothing is chained onto it
    if (signed !== undefined && signed > tail.seq) {
      throw new RuntimeError('ERR_AUDIT_INTEGRITY', 'The audit trail ends before its last signed head: it was truncated, and nothing more is written to it', { details: { tail: tail.seq, head: signed } })
    }
    const chained = chainEntries(tail, items, options.key)
    const rows = chained.entries.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, entry: JSON.stringify(e) }))
    // nobody reads what the inserts return: they travel with the commit
    for (let i = 0; i < rows.length; i += 200) await database.write(tx, tx.insertInto('audit_entries').values(rows.slice(i, i + 200)).compile())
    const last = chained.entries.at(-1)!
    await database.write(tx, tx.insertInto('audit_heads').values(signHead({ seq: last.seq, hash: last.hash, at: last.at }, options.key)).compile())
    return chained.entries
  }

  // group commit: appends outside a transaction are chained and committed together, a group at a
  // time; the group is the trail's own transaction, whatever transaction an append came from
  const groups = createGroupCommit<ChainItem, AuditEntry>((items) => database.outside(() => database.transaction((tx) => chainInto(tx, items))))

  /** Events chained into the caller's transaction; a checkpoint joins them when one is due. */
  const appendInto = async (tx: StateTransaction, events: readonly AuditEvent[]): Promise<AuditEntry[]> => {
    const items: ChainItem[] = events.map((event) => ({ event }))
    sinceCheckpoint += events.length
    if (sinceCheckpoint >= every) {
      sinceCheckpoint = 0
      items.push({ checkpoint: true })
    }
    return (await chainInto(tx, items)).slice(0, events.length)
  }

  const checkpoint = (): Promise<AuditEntry> => {
    sinceCheckpoint = 0
    return groups.submit({ checkpoint: true })
  }

  return {
    append(event: AuditEvent) {
      if (closed) return Promise.reject(new Error('the audit trail is closed'))
      // inside a transaction (a governance action's change), the entry is part of it: both commit or neither
      const tx = database.current()
      if (tx !== undefined) return appendInto(tx, [event]).then((entries) => entries[0]!)
      const written = groups.submit({ event })
      if (++sinceCheckpoint >= every) void checkpoint()
      return written
    },
    appendAll(events) {
      if (closed) return Promise.reject(new Error('the audit trail is closed'))
      const tx = database.current()
      if (tx === undefined) return Promise.reject(new TypeError('appendAll chains into the caller\'s transaction: call it inside one'))
      return appendInto(tx, events)
    },
    checkpoint,

    async read(query: AuditQuery) {
      const entries: AuditEntry[] = []
      const descending = query.order === 'desc'
      let after = query.afterSeq
      let before = query.beforeSeq
      for (;;) {
        let q = database.db.selectFrom('audit_entries').select(['seq', 'entry'])
        if (after !== undefined) q = q.where('seq', '>', after)
        if (before !== undefined) q = q.where('seq', '<', before)
        if (query.actor !== undefined) q = q.where('actor', '=', query.actor)
        if (query.action !== undefined) q = q.where((eb) => eb.or([eb('action', '=', query.action!), eb('action', 'like', `${query.action!.replace(/[\\%_]/g, '')}.%`)]))
        if (query.since !== undefined) q = q.where('at', '>=', query.since)
        if (query.until !== undefined) q = q.where('at', '<=', query.until)
        const rows = await q.orderBy('seq', descending ? 'desc' : 'asc').limit(PAGE).execute()
        for (const row of rows) {
          const entry = JSON.parse(row.entry) as AuditEntry
          if (!entryMatches(entry, query)) continue
          if (entries.length === query.limit) return { entries, more: true }
          entries.push(entry)
        }
        if (rows.length < PAGE) return { entries, more: false }
        if (descending) before = Number(rows.at(-1)!.seq)
        else after = Number(rows.at(-1)!.seq)
      }
    },

    async *lines() {
      let after = 0
      for (;;) {
        const rows = await database.db.selectFrom('audit_entries').select(['seq', 'entry']).where('seq', '>', after).orderBy('seq').limit(PAGE).execute()
        for (const row of rows) yield row.entry
        if (rows.length < PAGE) return
        after = Number(rows.at(-1)!.seq)
      }
    },

    async verify(jwks: JSONWebKeySet, signedHead?: string): Promise<AuditVerdict> {
      await groups.settled()
      const verifier = createChainVerifier(jwks, signedHead)
      for await (const line of this.lines()) if (!verifier.push(line)) break
      return verifier.verdict()
    },

    async head() {
      await groups.settled()
      const row = await database.db.selectFrom('audit_heads').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst()
      return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash, at: row.at, signature: row.signature }
    },

    async close() {
      if (closed) return
      const last = checkpoint()
      await groups.settled()
      await last
      closed = true
    },
  }
}
