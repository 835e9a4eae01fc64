/**
 * The release ledger: every release and refusal (refusals are recorded, never signed), the
 * entities each consumer looked up (hashed) for the volume guard, the cells each consumer received
 * and the units behind them for the audit across releases, the privacy budget spent, consent and
 * quota uses, and the review queue with its decisions. Every count that decides a refusal (volume,
 * budget, consent uses, quota, reviews) is read and written in one transaction under a lock on
 * its key, so replicas sharing one database count exactly; a write that fails fails the call.
 */
import { createHash, randomBytes } from 'node:crypto'
import { sql, type CompiledQuery, type Selectable } from 'kysely'
import { cityDay } from '../city-calendar.ts'
import { RuntimeError } from '../errors.ts'
import type { StateDatabase, StateTransaction } from '../state/state-database.ts'
import type { ReleasesTable, ReviewDecisionsTable } from '../state/state-schema.ts'
import type { ReleaseReason } from './check-release.ts'
import type { AuditedCell, ReleaseCells } from './cell-audit.ts'
import { packUnits, unpackUnits } from './packed-units.ts'
import { checkReleaseDecision } from './release-review-rules.ts'

export type ReleaseStatus = 'released' | 'refused' | 'pending' | 'rejected'

export type ReleaseRecord = {
  readonly releaseId: string
  readonly consumer: string
  readonly product: string
  readonly version: string
  readonly codeHash: string
  readonly ttlSeconds: number
  readonly partner: string
  readonly scenario: string
  readonly kind: string
  readonly status: ReleaseStatus
  readonly requestHash: string
  readonly resultHash: string
  readonly createdAt: string
  readonly reasons: readonly ReleaseReason[]
  /** The automatic report reviewers see: checks passed, suppressions, sizes. */
  readonly report: Record<string, unknown>
  readonly reviewersNeeded: number
  /** The price of this call in 分, fixed when it was made (0 when free or refused). */
  readonly priceFen: number
  readonly decisions: readonly { readonly operator: string; readonly decision: string; readonly reason: string | null; readonly at: string }[]
}

/** Calls of one consumer to one product in one month; fees are summed at each call's own price. */
export type UsageRow = {
  readonly consumer: string
  readonly product: string
  readonly partner: string
  readonly month: string
  readonly released: number
  readonly refused: number
  readonly feeFen: number
}

/**
 * The ledger's activity over a period, for the public disclosure (数据使用情况披露): calls and
 * refusals per day (Beijing's, city-calendar.ts) and product, fees per whole month and product, refusals per rule. Each cell
 * carries how many distinct consumers it comes from, so that the disclosure can withhold cells too
 * small to publish; the consumers themselves are never named.
 */
export type ReleaseActivity = {
  readonly daily: readonly { readonly day: string; readonly product: string; readonly calls: number; readonly refused: number; readonly consumers: number }[]
  /** Released calls' fees in every month the period touches, whole months. */
  readonly monthlyFees: readonly { readonly month: string; readonly product: string; readonly feeFen: number; readonly consumers: number }[]
  /** Refusals per distinct reason code of each refusal, and reviewers' rejections as `REVIEW_REJECTED`. */
  readonly refusalsByRule: readonly { readonly rule: string; readonly count: number; readonly consumers: number }[]
}

export type NewRelease = Omit<ReleaseRecord, 'releaseId' | 'createdAt' | 'decisions' | 'status'> & {
  readonly releaseId?: string
  readonly status: ReleaseStatus
  readonly result?: unknown
  readonly token?: string
}

/** A lookup for the volume guard: the consumer looked `entityKey` up through the product. */
export type EntityLookup = { readonly consumer: string; readonly product: string; readonly entityKey: string; readonly limit: number; readonly periodDays: number }

/** Which releases `list` gives. */
export type ReleaseFilter = {
  readonly status?: ReleaseStatus
  readonly consumer?: string
  readonly kinds?: readonly ReleaseRecord['kind'][]
  /** The newest this many, newest first. */
  readonly newest?: number
}

/** A claim of one released call on a consumer's monthly quota (`month` is `YYYY-MM`, Beijing's). */
export type QuotaClaim = { readonly consumer: string; readonly month: string; readonly quota: number }

export type ReleaseStore = {
  record(release: NewRelease): Promise<ReleaseRecord>
  /** Records several releases in one statement (inside the caller's transaction, if any); returns them in order. */
  recordAll(releases: readonly NewRelease[]): Promise<ReleaseRecord[]>
  get(releaseId: string): Promise<ReleaseRecord>
  /** The queued result of a pending release (in-domain only). */
  resultOf(releaseId: string): Promise<unknown>
  tokenOf(releaseId: string): Promise<string | null>
  /**
   * Releases, oldest first; with `newest`, the newest that many, newest first. `consumer` and
   * `kinds` narrow it in the database (a consumer's runs are a few of a long ledger).
   */
  list(filter?: ReleaseFilter): Promise<ReleaseRecord[]>
  /** Remembers the cells of a release for the audit of the consumer's later ones (cell-audit.ts). */
  recordCells(consumer: string, releaseId: string, cells: ReleaseCells): Promise<void>
  /** The cells a consumer received, and those withheld from it, for one kind of unit. */
  cellHistory(consumer: string, kind: string): Promise<{ readonly released: AuditedCell[]; readonly withheld: AuditedCell[] }>
  /**
   * Spends ε of a consumer's privacy budget for a scenario within the period, atomically: refuses
   * (ERR_PRIVACY_BUDGET_EXHAUSTED) when it would go over the budget. Returns what remains.
   */
  spendPrivacy(spend: { readonly consumer: string; readonly scenario: string; readonly epsilon: number; readonly budget: number; readonly periodDays: number }): Promise<number>
  /**
   * Volume guard: admits a lookup of an entity by the consumer through the product when it looked
   * the entity up already within the period, or has looked up fewer than `limit` distinct ones;
   * an admitted lookup is recorded in the same step, atomically across replicas. Returns the
   * refusal reason, if any.
   */
  volume(consumer: string, product: string, entityKey: string, limit: number, periodDays: number): Promise<ReleaseReason[]>
  /**
   * The volume guard for several lookups at once, in order, as if each were `volume` in turn (a
   * group commit's calls): the refusal reasons of each. Inside the caller's transaction, if any.
   */
  admitLookups(lookups: readonly EntityLookup[]): Promise<ReleaseReason[][]>
  /** Counts one use of a consent token; returns its uses so far, this one included (atomic across replicas). */
  useConsent(jti: string): Promise<number>
  /**
   * Reserves one released call of the consumer's monthly quota (`month` is `YYYY-MM`, Beijing's):
   * false when the quota is used up. Atomic across replicas; `returnQuota` gives a reservation
   * back when nothing was released.
   */
  reserveQuota(consumer: string, month: string, quota: number): Promise<boolean>
  /** Several claims at once, in order, as if each were `reserveQuota` in turn: whether each was granted. */
  claimQuota(claims: readonly QuotaClaim[]): Promise<boolean[]>
  returnQuota(consumer: string, month: string): Promise<void>
  /** Releases and refusals per consumer, product and month (metering and usage disclosure). */
  usage(filter: { consumer?: string; partner?: string; month?: string }): Promise<UsageRow[]>
  /** Activity from `since` to `until` (`YYYY-MM-DD`, Beijing's days, both included). */
  activity(since: string, until: string): Promise<ReleaseActivity>
  /** A reviewer's decision; returns the release after it. Signing happens in the release gate. */
  decide(releaseId: string, operator: string, decision: 'approve' | 'reject', reason?: string): Promise<ReleaseRecord>
  /** Marks a pending release released with its token (after the last approval). */
  complete(releaseId: string, token: string): Promise<void>
  /**
   * Records a failure of a product version on production data (a sandbox failure, a denied read, a
   * refusal the product caused) and returns how many it had in the last `windowHours`, this one
   * included. Durable before it returns: the count decides a hold.
   */
  recordFailure(failure: { readonly product: string; readonly version: string; readonly consumer: string; readonly code: string }, windowHours: number): Promise<number>
}

export function newReleaseId(): string {
  return `rel-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`
}

function entityHash(key: string): string {
  return createHash('sha256').update(`indomain-lookup:${key}`).digest('hex')
}

const DAY_MS = 86_400_000
type Query = StateTransaction | StateDatabase['db']

function recordOf(row: Selectable<ReleasesTable>, decisions: readonly Selectable<ReviewDecisionsTable>[]): ReleaseRecord {
  return {
    releaseId: row.release_id,
    consumer: row.consumer,
    product: row.product,
    version: row.version,
    codeHash: row.code_hash,
    ttlSeconds: Number(row.ttl_seconds),
    partner: row.partner,
    scenario: row.scenario,
    kind: row.kind,
    status: row.status as ReleaseStatus,
    requestHash: row.request_hash,
    resultHash: row.result_hash,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    reasons: JSON.parse(row.reasons) as ReleaseReason[],
    report: JSON.parse(row.report) as Record<string, unknown>,
    reviewersNeeded: Number(row.reviewers_needed),
    priceFen: Number(row.price_fen),
    decisions: decisions.map((d) => ({ operator: d.operator, decision: d.decision, reason: d.reason, at: new Date(Number(d.decided_at)).toISOString() })),
  }
}

/** The release ledger in the state database (see runtime/state). */
export function createReleaseStore(state: StateDatabase): ReleaseStore {
  const RECORD_COLUMNS = [
    'release_id', 'consumer', 'product', 'version', 'code_hash', 'ttl_seconds', 'partner', 'scenario', 'kind', 'status', 'request_hash', 'result_hash',
    'created_at', 'created_day', 'reasons', 'report', 'reviewers_needed', 'price_fen',
  ] as const

  const load = async (q: Query, releaseId: string): Promise<ReleaseRecord> => {
    const row = await q.selectFrom('releases').select(RECORD_COLUMNS).where('release_id', '=', releaseId).executeTakeFirst()
    if (row === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such release', { details: { release: releaseId } })
    const decisions = await q.selectFrom('review_decisions').selectAll().where('release_id', '=', releaseId).orderBy('id').execute()
    return recordOf({ ...row, result: null, token: null }, decisions)
  }

  /**
   * A read-check-write step on its keys, one at a time on every replica. Several keys are taken in
   * one order (sorted), so that two steps wanting some of the same keys never deadlock; `reads` run
   * under the locks and reach `work` as their rows.
   */
  const exclusively = <T>(keys: string | readonly string[], work: (tx: StateTransaction, reads: unknown[][]) => Promise<T>, reads: readonly CompiledQuery[] = []): Promise<T> =>
    state.transaction(async (tx) => {
      // the locks, then `reads` under them, in one round trip where the database allows
      const locks = [...new Set(typeof keys === 'string' ? [keys] : keys)].sort().map((lock) => ({ lock }))
      const rows = await state.batch(tx, [...locks, ...reads])
      return work(tx, rows.slice(locks.length))
    })

  /** `items` grouped by a key made of `parts` (in first-seen order), each item with its index. */
  const groupedBy = <T, K extends readonly string[]>(items: readonly T[], parts: (item: T) => K): { readonly parts: K; readonly members: { readonly item: T; readonly i: number }[] }[] => {
    const groups = new Map<string, { parts: K; members: { item: T; i: number }[] }>()
    items.forEach((item, i) => {
      const p = parts(item)
      const key = JSON.stringify(p)
      let group = groups.get(key)
      if (group === undefined) groups.set(key, (group = { parts: p, members: [] }))
      group.members.push({ item, i })
    })
    return [...groups.values()]
  }

  const recordAll = async (releases: readonly NewRelease[]): Promise<ReleaseRecord[]> => {
    if (releases.length === 0) return []
    const now = Date.now()
    const day = cityDay(now)
    const records = releases.map((r) => ({ ...r, releaseId: r.releaseId ?? newReleaseId() }))
    const codes = records.flatMap((r) => [...new Set(r.reasons.map((reason) => reason.code))].map((code) => ({ release_id: r.releaseId, code, created_day: day, consumer: r.consumer })))
    await state.transaction(async (tx) => {
      const rows = records.map((r) => ({
        release_id: r.releaseId,
        consumer: r.consumer,
        product: r.product,
        version: r.version,
        code_hash: r.codeHash,
        ttl_seconds: r.ttlSeconds,
        partner: r.partner,
        scenario: r.scenario,
        kind: r.kind,
        status: r.status,
        request_hash: r.requestHash,
        result_hash: r.resultHash,
        created_at: now,
        created_day: day,
        reasons: JSON.stringify(r.reasons),
        report: JSON.stringify(r.report),
        result: r.result === undefined ? null : JSON.stringify(r.result),
        token: r.token ?? null,
        reviewers_needed: r.reviewersNeeded,
        price_fen: r.priceFen,
      }))
      // nobody reads what the inserts return: they travel with the transaction's next statement
      for (let i = 0; i < rows.length; i += 100) await state.write(tx, tx.insertInto('releases').values(rows.slice(i, i + 100)).compile())
      for (let i = 0; i < codes.length; i += 200) await state.write(tx, tx.insertInto('release_reason_codes').values(codes.slice(i, i + 200)).compile())
    })
    return records.map((r) => ({
      releaseId: r.releaseId,
      consumer: r.consumer,
      product: r.product,
      version: r.version,
      codeHash: r.codeHash,
      ttlSeconds: r.ttlSeconds,
      partner: r.partner,
      scenario: r.scenario,
      kind: r.kind,
      status: r.status,
      requestHash: r.requestHash,
      resultHash: r.resultHash,
      createdAt: new Date(now).toISOString(),
      reasons: r.reasons,
      report: r.report,
      reviewersNeeded: r.reviewersNeeded,
      priceFen: r.priceFen,
      decisions: [],
    }))
  }

  const admitLookups = (lookups: readonly EntityLookup[]): Promise<ReleaseReason[][]> => {
    if (lookups.length === 0) return Promise.resolve([])
    const pairs = groupedBy(lookups, (l) => [l.consumer, l.product] as const).map((pair) => {
      const hashes = pair.members.map((m) => entityHash(m.item.entityKey))
      const wanted = [...new Set(hashes)]
      // when each of the group's entities was last looked up — point reads, however long the history
      const reads: CompiledQuery[] = []
      for (let i = 0; i < wanted.length; i += 200) {
        reads.push(state.db.selectFrom('entity_lookups').select(['entity_hash', 'looked_up_at']).where('consumer', '=', pair.parts[0]).where('product', '=', pair.parts[1]).where('entity_hash', 'in', wanted.slice(i, i + 200)).compile())
      }
      return { ...pair, hashes, reads }
    })
    return exclusively(
      pairs.map(({ parts: [consumer, product] }) => `volume:${consumer}/${product}`),
      async (tx, read) => {
        // the time once the locks are held: a lookup recorded while this one waited is older
        const now = Date.now()
        const reasons: ReleaseReason[][] = []
        const admitted: { consumer: string; product: string; entity_hash: string; looked_up_at: number }[] = []
        let at = 0
        for (const { parts: [consumer, product], members, hashes, reads } of pairs) {
          const last = new Map<string, number>()
          for (const rows of read.slice(at, (at += reads.length)) as { entity_hash: string; looked_up_at: number | string }[][]) {
            for (const r of rows) last.set(r.entity_hash, Number(r.looked_up_at))
          }
          const isNew = (hash: string, periodDays: number) => (last.get(hash) ?? 0) <= now - periodDays * DAY_MS
          // how many distinct entities each period counts — needed only when an entity is new in it
          const counts = new Map<number, number>()
          if (members.some((m, k) => isNew(hashes[k]!, m.item.periodDays))) {
            for (const periodDays of new Set(members.map((m) => m.item.periodDays))) {
              const { n } = await tx
                .selectFrom('entity_lookups')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('consumer', '=', consumer)
                .where('product', '=', product)
                .where('looked_up_at', '>', now - periodDays * DAY_MS)
                .executeTakeFirstOrThrow()
              counts.set(periodDays, Number(n))
            }
          }
          const admittedHere = new Set<string>()
          members.forEach(({ item: l, i }, k) => {
            const hash = hashes[k]!
            if (isNew(hash, l.periodDays)) {
              if (counts.get(l.periodDays)! >= l.limit) {
                reasons[i] = [{ code: 'VOLUME_EXCEEDED', limit: l.limit, periodDays: l.periodDays }]
                return
              }
              // a lookup now counts in every period that did not count this entity yet
              for (const [periodDays, n] of counts) if (isNew(hash, periodDays)) counts.set(periodDays, n + 1)
            }
            last.set(hash, now)
            if (!admittedHere.has(hash)) admitted.push({ consumer, product, entity_hash: hash, looked_up_at: now })
            admittedHere.add(hash)
            reasons[i] = []
          })
        }
        // nobody reads what the upsert returns: it travels with the transaction's next statement
        for (let i = 0; i < admitted.length; i += 200) {
          await state.write(
            tx,
            tx
              .insertInto('entity_lookups')
              .values(admitted.slice(i, i + 200))
              .onConflict((c) => c.columns(['consumer', 'product', 'entity_hash']).doUpdateSet({ looked_up_at: now }))
              .compile(),
          )
        }
        return reasons
      },
      pairs.flatMap((p) => p.reads),
    )
  }

  const claimQuota = (claims: readonly QuotaClaim[]): Promise<boolean[]> => {
    if (claims.length === 0) return Promise.resolve([])
    const months = groupedBy(claims, (c) => [c.consumer, c.month] as const)
    return exclusively(
      months.map(({ parts: [consumer, month] }) => `quota:${consumer}/${month}`),
      async (tx, read) => {
        const granted: boolean[] = []
        for (const [k, { parts: [consumer, month], members }] of months.entries()) {
          const used = Number((read[k]![0] as { used: number | string } | undefined)?.used ?? 0)
          let taken = 0
          for (const { item, i } of members) {
            granted[i] = used + taken < item.quota
            if (granted[i]) taken++
          }
          if (taken === 0) continue
          // relative: a reservation given back meanwhile (returnQuota takes no lock) is not overwritten
          await state.write(
            tx,
            tx
              .insertInto('quota_uses')
              .values({ consumer, month, used: taken })
              .onConflict((c) => c.columns(['consumer', 'month']).doUpdateSet((eb) => ({ used: eb('quota_uses.used', '+', taken) })))
              .compile(),
          )
        }
        return granted
      },
      // what each month has used, read under its lock
      months.map(({ parts: [consumer, month] }) => state.db.selectFrom('quota_uses').select('used').where('consumer', '=', consumer).where('month', '=', month).compile()),
    )
  }

  return {
    async record(r) {
      return (await recordAll([r]))[0]!
    },
    recordAll,

    get: (releaseId) => load(state.db, releaseId),

    async resultOf(releaseId) {
      const row = await state.db.selectFrom('releases').select('result').where('release_id', '=', releaseId).executeTakeFirst()
      return row === undefined || row.result === null ? undefined : JSON.parse(row.result)
    },

    async tokenOf(releaseId) {
      const row = await state.db.selectFrom('releases').select('token').where('release_id', '=', releaseId).executeTakeFirst()
      return row?.token ?? null
    },

    async list(filter = {}) {
      let query = state.db.selectFrom('releases').select(RECORD_COLUMNS)
      if (filter.status !== undefined) query = query.where('status', '=', filter.status)
      if (filter.consumer !== undefined) query = query.where('consumer', '=', filter.consumer)
      if (filter.kinds !== undefined) query = query.where('kind', 'in', [...filter.kinds, ''])
      const order = filter.newest === undefined ? 'asc' : 'desc'
      query = query.orderBy('created_at', order).orderBy('release_id', order)
      const rows = await (filter.newest === undefined ? query : query.limit(filter.newest)).execute()
      if (rows.length === 0) return []
      const ids = rows.map((r) => r.release_id)
      const decisions = new Map<string, Selectable<ReviewDecisionsTable>[]>()
      // decisions of the listed releases, in slices (a list of every release can be long)
      for (let i = 0; i < ids.length; i += 500) {
        const slice = ids.slice(i, i + 500)
        for (const d of await state.db.selectFrom('review_decisions').selectAll().where('release_id', 'in', slice).orderBy('id').execute()) {
          const list = decisions.get(d.release_id) ?? []
          list.push(d)
          decisions.set(d.release_id, list)
        }
      }
      return rows.map((r) => recordOf({ ...r, result: null, token: null }, decisions.get(r.release_id) ?? []))
    },

    async recordCells(consumer, releaseId, cells) {
      const rows = (['released', 'withheld'] as const).flatMap((role) =>
        cells[role].map((cell) => ({ consumer, kind: cells.kind, release_id: releaseId, cell: cell.id, role, units: packUnits(cell.units) })),
      )
      await state.transaction(async (tx) => {
        for (let i = 0; i < rows.length; i += 200) await tx.insertInto('released_cells').values(rows.slice(i, i + 200)).execute()
      })
    },

    async cellHistory(consumer, kind) {
      const rows = await state.db.selectFrom('released_cells').select(['cell', 'role', 'units']).where('consumer', '=', consumer).where('kind', '=', kind).orderBy('id').execute()
      const out = { released: [] as AuditedCell[], withheld: [] as AuditedCell[] }
      for (const row of rows) out[row.role === 'released' ? 'released' : 'withheld'].push({ id: row.cell, units: unpackUnits(row.units) })
      return out
    },

    spendPrivacy(spend) {
      return exclusively(`privacy:${spend.consumer}/${spend.scenario}`, async (tx) => {
        const now = Date.now()
        const row = await tx
          .selectFrom('privacy_spent')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('epsilon'), sql<number>`0`).as('spent'))
          .where('consumer', '=', spend.consumer)
          .where('scenario', '=', spend.scenario)
          .where('spent_at', '>=', now - spend.periodDays * DAY_MS)
          .executeTakeFirstOrThrow()
        const spent = Number(row.spent)
        // a little slack for the sum of floating-point ε
        if (spent + spend.epsilon > spend.budget + 1e-9) {
          throw new RuntimeError('ERR_PRIVACY_BUDGET_EXHAUSTED', 'The consumer\'s privacy budget for this scenario is spent', { details: { budget: spend.budget, spent, periodDays: spend.periodDays } })
        }
        await tx.insertInto('privacy_spent').values({ consumer: spend.consumer, scenario: spend.scenario, epsilon: spend.epsilon, spent_at: now }).execute()
        return Math.max(0, spend.budget - spent - spend.epsilon)
      })
    },

    async volume(consumer, product, entityKey, limit, periodDays) {
      return (await admitLookups([{ consumer, product, entityKey, limit, periodDays }]))[0]!
    },
    admitLookups,

    async usage(filter) {
      const month = sql<string>`substr(created_day, 1, 7)`
      let query = state.db
        .selectFrom('releases')
        .select([
          'consumer',
          'product',
          'partner',
          month.as('month'),
          sql<number>`sum(case when status = 'released' then 1 else 0 end)`.as('released'),
          sql<number>`sum(case when status = 'refused' then 1 else 0 end)`.as('refused'),
          sql<number>`sum(case when status = 'released' then price_fen else 0 end)`.as('fee_fen'),
        ])
      if (filter.consumer !== undefined) query = query.where('consumer', '=', filter.consumer)
      if (filter.partner !== undefined) query = query.where('partner', '=', filter.partner)
      if (filter.month !== undefined) query = query.where('created_day', '>=', `${filter.month}-01`).where('created_day', '<=', `${filter.month}-31`)
      const rows = await query.groupBy(['consumer', 'product', 'partner', month]).orderBy(month).orderBy('product').orderBy('consumer').execute()
      return rows.map((r) => ({ consumer: r.consumer, product: r.product, partner: r.partner, month: r.month, released: Number(r.released), refused: Number(r.refused), feeFen: Number(r.fee_fen) }))
    },

    async activity(since, until) {
      const daily = await state.db
        .selectFrom('releases')
        .select([
          'created_day',
          'product',
          sql<number>`sum(case when status = 'released' then 1 else 0 end)`.as('calls'),
          sql<number>`sum(case when status = 'refused' then 1 else 0 end)`.as('refused'),
          sql<number>`count(distinct consumer)`.as('consumers'),
        ])
        .where('status', 'in', ['released', 'refused'])
        .where('created_day', '>=', since)
        .where('created_day', '<=', until)
        .groupBy(['created_day', 'product'])
        .orderBy('created_day')
        .orderBy('product')
        .execute()
      const month = sql<string>`substr(created_day, 1, 7)`
      const fees = await state.db
        .selectFrom('releases')
        .select([month.as('month'), 'product', sql<number>`sum(price_fen)`.as('fee_fen'), sql<number>`count(distinct consumer)`.as('consumers')])
        .where('status', '=', 'released')
        .where('created_day', '>=', `${since.slice(0, 7)}-01`)
        .where('created_day', '<=', `${until.slice(0, 7)}-31`)
        .groupBy([month, 'product'])
        .orderBy(month)
        .orderBy('product')
        .execute()
      // a refusal counts once under each of its distinct reason codes; reviewers' rejections as REVIEW_REJECTED
      const refusals = await state.db
        .selectFrom('release_reason_codes')
        .innerJoin('releases', 'releases.release_id', 'release_reason_codes.release_id')
        .select(['release_reason_codes.code as rule', 'release_reason_codes.consumer as consumer'])
        .where('releases.status', '=', 'refused')
        .where('release_reason_codes.created_day', '>=', since)
        .where('release_reason_codes.created_day', '<=', until)
        .unionAll(
          state.db
            .selectFrom('releases')
            .select([sql<string>`'REVIEW_REJECTED'`.as('rule'), 'consumer'])
            .where('status', '=', 'rejected')
            .where('created_day', '>=', since)
            .where('created_day', '<=', until),
        )
        .execute()
      const rules = new Map<string, { count: number; consumers: Set<string> }>()
      for (const { rule, consumer } of refusals) {
        const entry = rules.get(rule) ?? { count: 0, consumers: new Set<string>() }
        entry.count++
        entry.consumers.add(consumer)
        rules.set(rule, entry)
      }
      return {
        daily: daily.map((d) => ({ day: d.created_day, product: d.product, calls: Number(d.calls), refused: Number(d.refused), consumers: Number(d.consumers) })),
        monthlyFees: fees.map((f) => ({ month: f.month, product: f.product, feeFen: Number(f.fee_fen), consumers: Number(f.consumers) })),
        refusalsByRule: [...rules]
          .map(([rule, e]) => ({ rule, count: e.count, consumers: e.consumers.size }))
          .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)),
      }
    },

    async useConsent(jti) {
      const row = await state.db
        .insertInto('consent_uses')
        .values({ jti, uses: 1, first_used_at: Date.now() })
        .onConflict((c) => c.column('jti').doUpdateSet((eb) => ({ uses: eb('consent_uses.uses', '+', 1) })))
        .returning('uses')
        .executeTakeFirstOrThrow()
      return Number(row.uses)
    },

    async reserveQuota(consumer, month, quota) {
      return (await claimQuota([{ consumer, month, quota }]))[0]!
    },
    claimQuota,

    async returnQuota(consumer, month) {
      await state.db
        .updateTable('quota_uses')
        .set((eb) => ({ used: eb('used', '-', 1) }))
        .where('consumer', '=', consumer)
        .where('month', '=', month)
        .where('used', '>', 0)
        .execute()
    },

    decide(releaseId, operator, decision, reason) {
      return exclusively(`release:${releaseId}`, async (tx) => {
        checkReleaseDecision(await load(tx, releaseId), operator, decision, reason)
        await tx.insertInto('review_decisions').values({ release_id: releaseId, operator, decision, reason: reason ?? null, decided_at: Date.now() }).execute()
        if (decision === 'reject') await tx.updateTable('releases').set({ status: 'rejected' }).where('release_id', '=', releaseId).execute()
        return load(tx, releaseId)
      })
    },

    recordFailure(f, windowHours) {
      // counted under the version's lock: two failures at once on two replicas count 1 and 2, not 1 and 1
      return exclusively(`failures:${f.product}/${f.version}`, async (tx) => {
        const now = Date.now()
        await tx.insertInto('product_failures').values({ product: f.product, version: f.version, consumer: f.consumer, code: f.code, failed_at: now }).execute()
        const { n } = await tx
          .selectFrom('product_failures')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('product', '=', f.product)
          .where('version', '=', f.version)
          .where('failed_at', '>=', now - windowHours * 3_600_000)
          .executeTakeFirstOrThrow()
        return Number(n)
      })
    },

    async complete(releaseId, token) {
      await state.db.updateTable('releases').set({ status: 'released', token }).where('release_id', '=', releaseId).where('status', '=', 'pending').execute()
    },
  }
}
