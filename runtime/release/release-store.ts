/**
 * The release ledger: every release and refusal (refusals are recorded, never signed), the
 * entities each consumer looked up (hashed) for the volume guard, the cells each consumer received
 * and the units behind them (hashed) for the audit across releases, the privacy budget spent, and
 * the review queue with its decisions.
 */
import { createHash, randomBytes } from 'node:crypto'
import { RuntimeError } from '../errors.ts'
import type { DuckDBConnection } from '@duckdb/node-api'
import { createExclusive } from '../store/exclusive.ts'
import type { ReleaseReason } from './check-release.ts'
import type { AuditedCell, ReleaseCells } from './cell-audit.ts'

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS releases (
     release_id VARCHAR PRIMARY KEY, consumer VARCHAR NOT NULL, product VARCHAR NOT NULL, version VARCHAR NOT NULL, code_hash VARCHAR NOT NULL, ttl_seconds INTEGER NOT NULL,
     partner VARCHAR NOT NULL, scenario VARCHAR NOT NULL, kind VARCHAR NOT NULL, status VARCHAR NOT NULL,
     request_hash VARCHAR NOT NULL, result_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
     reasons VARCHAR NOT NULL, report VARCHAR NOT NULL, result VARCHAR, token VARCHAR, reviewers_needed INTEGER NOT NULL,
     price_fen INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS released_cells (consumer VARCHAR NOT NULL, kind VARCHAR NOT NULL, release_id VARCHAR NOT NULL, cell VARCHAR NOT NULL, role VARCHAR NOT NULL, units VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS privacy_spent (consumer VARCHAR NOT NULL, scenario VARCHAR NOT NULL, epsilon DOUBLE NOT NULL, spent_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS entity_lookups (consumer VARCHAR NOT NULL, product VARCHAR NOT NULL, entity_hash VARCHAR NOT NULL, looked_up_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS consent_uses (jti VARCHAR NOT NULL, used_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS product_failures (product VARCHAR NOT NULL, version VARCHAR NOT NULL, consumer VARCHAR NOT NULL, code VARCHAR NOT NULL, failed_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS review_decisions (release_id VARCHAR NOT NULL, operator VARCHAR NOT NULL, decision VARCHAR NOT NULL, reason VARCHAR, decided_at TIMESTAMP NOT NULL)`,
]

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
 * refusals per UTC day and product, fees per whole month and product, refusals per rule. Each cell
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

export type ReleaseStore = {
  record(release: NewRelease): Promise<ReleaseRecord>
  get(releaseId: string): Promise<ReleaseRecord>
  /** The queued result of a pending release (in-domain only). */
  resultOf(releaseId: string): Promise<unknown>
  tokenOf(releaseId: string): Promise<string | null>
  list(status?: ReleaseStatus): Promise<ReleaseRecord[]>
  /** Differencing guard: cells whose contributors differ from an earlier release to the same consumer by 0 < Δ < threshold. */
  /** Remembers the cells of a release for the audit of the consumer's later ones (cell-audit.ts). */
  recordCells(consumer: string, releaseId: string, cells: ReleaseCells): Promise<void>
  /** The cells a consumer received, and those withheld from it, for one kind of unit. */
  cellHistory(consumer: string, kind: string): Promise<{ readonly released: AuditedCell[]; readonly withheld: AuditedCell[] }>
  /**
   * Spends ε of a consumer's privacy budget for a scenario within the period, atomically: refuses
   * (ERR_PRIVACY_BUDGET_EXHAUSTED) when it would go over the budget. Returns what remains.
   */
  spendPrivacy(spend: { readonly consumer: string; readonly scenario: string; readonly epsilon: number; readonly budget: number; readonly periodDays: number }): Promise<number>
  /** Volume guard: distinct entities looked up by the consumer for the product within the period. */
  volume(consumer: string, product: string, entityKey: string, limit: number, periodDays: number): Promise<ReleaseReason[]>
  recordLookup(consumer: string, product: string, entityKey: string): Promise<void>
  /** Counts one use of a consent token; returns its uses so far, this one included. */
  useConsent(jti: string): Promise<number>
  /** Releases and refusals per consumer, product and month (metering and usage disclosure). */
  usage(filter: { consumer?: string; partner?: string; month?: string }): Promise<UsageRow[]>
  /** Activity from `since` to `until` (`YYYY-MM-DD`, UTC days, both included). */
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
  /** Commits pending writes (group commit); the state closes the database after it. */
  flush(): Promise<void>
}

export function newReleaseId(): string {
  return `rel-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`
}

function entityHash(key: string): string {
  return createHash('sha256').update(`indomain-lookup:${key}`).digest('hex')
}

/** The ledger tables on their own connection to the state database (see runtime/state). */
export async function createReleaseStore(c: DuckDBConnection): Promise<ReleaseStore> {
  for (const sql of SCHEMA) await c.run(sql)
  // one connection serves concurrent requests: transactions must not interleave on it
  const exclusive = createExclusive()

  // group commit: the writes of every call that arrives in one turn of the event loop go into one
  // transaction, so that a busy server pays one commit for many releases
  type Statement = readonly [string, readonly (string | number | null)[]]
  let pending: { statements: readonly Statement[]; resolve: () => void; reject: (e: unknown) => void }[] = []
  let scheduled = false
  const flush = (): Promise<void> =>
    exclusive(async () => {
      scheduled = false
      const batch = pending
      pending = []
      if (batch.length === 0) return
      await c.run('BEGIN TRANSACTION')
      try {
        for (const item of batch) for (const [sql, params] of item.statements) await c.run(sql, [...params])
        await c.run('COMMIT')
        for (const item of batch) item.resolve()
      } catch (error) {
        await c.run('ROLLBACK')
        for (const item of batch) item.reject(error)
      }
    })
  const write = (statements: readonly Statement[]): Promise<void> =>
    new Promise((resolve, reject) => {
      pending.push({ statements, resolve, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(() => void flush())
      }
    })

  const consentUses = new Map<string, number>()
  // the volume guard's memory: per consumer and product, when each entity was last looked up
  const lookups = new Map<string, Map<string, number>>()
  const lookupsOf = async (consumer: string, product: string, periodDays: number): Promise<Map<string, number>> => {
    const key = `${consumer}\u0000${product}`
    let seen = lookups.get(key)
    if (seen === undefined) {
      seen = new Map()
      const rows = (
        await c.runAndReadAll(
          `SELECT entity_hash, epoch_ms(max(looked_up_at)) FROM entity_lookups
           WHERE consumer = $1 AND product = $2 AND looked_up_at > now()::TIMESTAMP - to_days(CAST($3 AS INTEGER)) GROUP BY 1`,
          [consumer, product, periodDays],
        )
      ).getRowsJS()
      for (const [hash, at] of rows) seen.set(String(hash), Number(at))
      lookups.set(key, seen)
    }
    return seen
  }

  const get = async (releaseId: string): Promise<ReleaseRecord> => {
    await flush()
    return load(releaseId)
  }
  const load = async (releaseId: string): Promise<ReleaseRecord> => {
    const row = (
      await c.runAndReadAll(
        `SELECT release_id, consumer, product, version, code_hash, ttl_seconds, partner, scenario, kind, status, request_hash, result_hash, CAST(created_at AS VARCHAR), reasons, report, reviewers_needed, price_fen FROM releases WHERE release_id = $1`,
        [releaseId],
      )
    ).getRowsJS()[0]
    if (row === undefined) throw new RuntimeError('ERR_PARAMS_INVALID', 'No such release', { details: { release: releaseId } })
    const decisions = (
      await c.runAndReadAll(`SELECT operator, decision, reason, CAST(decided_at AS VARCHAR) FROM review_decisions WHERE release_id = $1 ORDER BY decided_at, rowid`, [releaseId])
    ).getRowsJS()
    return {
      releaseId: String(row[0]),
      consumer: String(row[1]),
      product: String(row[2]),
      version: String(row[3]),
      codeHash: String(row[4]),
      ttlSeconds: Number(row[5]),
      partner: String(row[6]),
      scenario: String(row[7]),
      kind: String(row[8]),
      status: row[9] as ReleaseStatus,
      requestHash: String(row[10]),
      resultHash: String(row[11]),
      createdAt: String(row[12]),
      reasons: JSON.parse(String(row[13])) as ReleaseReason[],
      report: JSON.parse(String(row[14])) as Record<string, unknown>,
      reviewersNeeded: Number(row[15]),
      priceFen: Number(row[16]),
      decisions: decisions.map(([operator, decision, reason, at]) => ({ operator: String(operator), decision: String(decision), reason: reason === null ? null : String(reason), at: String(at) })),
    }
  }

  return {
    async record(r) {
      const releaseId = r.releaseId ?? newReleaseId()
      const statements: Statement[] = [
        [
          `INSERT INTO releases VALUES ($1, $2, $3, $4, $16, $17, $5, $6, $7, $8, $9, $10, now()::TIMESTAMP, $11, $12, $13, $14, $15, $18)`,
          [
            releaseId,
            r.consumer,
            r.product,
            r.version,
            r.partner,
            r.scenario,
            r.kind,
            r.status,
            r.requestHash,
            r.resultHash,
            JSON.stringify(r.reasons),
            JSON.stringify(r.report),
            r.result === undefined ? null : JSON.stringify(r.result),
            r.token ?? null,
            r.reviewersNeeded,
            r.codeHash,
            r.ttlSeconds,
            r.priceFen,
          ],
        ],
      ]
      // write-behind: the audit trail is the durable record a response waits for (its entry names
      // the release); the ledger commits with the next group, and every read here flushes first
      write(statements).catch((error: unknown) => {
        process.emitWarning(`the release ledger could not record ${releaseId}: ${error instanceof Error ? error.message : 'unknown error'}`)
      })
      return {
        releaseId,
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
        createdAt: new Date().toISOString(),
        reasons: r.reasons,
        report: r.report,
        reviewersNeeded: r.reviewersNeeded,
        priceFen: r.priceFen,
        decisions: [],
      }
    },
    get,
    async resultOf(releaseId) {
      await flush()
      const row = (await c.runAndReadAll(`SELECT result FROM releases WHERE release_id = $1`, [releaseId])).getRowsJS()[0]
      return row === undefined || row[0] === null ? undefined : JSON.parse(String(row[0]))
    },
    async tokenOf(releaseId) {
      await flush()
      const row = (await c.runAndReadAll(`SELECT token FROM releases WHERE release_id = $1`, [releaseId])).getRowsJS()[0]
      return row === undefined || row[0] === null ? null : String(row[0])
    },
    async list(status) {
      await flush()
      const ids = (
        await c.runAndReadAll(
          status === undefined ? `SELECT release_id FROM releases ORDER BY created_at` : `SELECT release_id FROM releases WHERE status = $1 ORDER BY created_at`,
          status === undefined ? [] : [status],
        )
      ).getRowsJS()
      return Promise.all(ids.map(([id]) => load(String(id))))
    },
    async recordCells(consumer, releaseId, cells) {
      const rows: Statement[] = []
      for (const [role, list] of [['released', cells.released], ['withheld', cells.withheld]] as const) {
        for (const cell of list) rows.push([`INSERT INTO released_cells VALUES ($1, $2, $3, $4, $5, $6)`, [consumer, cells.kind, releaseId, cell.id, role, cell.units.join(',')]])
      }
      await write(rows)
    },
    async cellHistory(consumer, kind) {
      await flush()
      const rows = (await c.runAndReadAll(`SELECT cell, role, units FROM released_cells WHERE consumer = $1 AND kind = $2 ORDER BY rowid`, [consumer, kind])).getRowsJS()
      const out = { released: [] as AuditedCell[], withheld: [] as AuditedCell[] }
      for (const [cell, role, units] of rows) {
        const list = String(units) === '' ? [] : String(units).split(',').map(Number)
        out[role === 'released' ? 'released' : 'withheld'].push({ id: String(cell), units: list })
      }
      return out
    },
    async spendPrivacy(spend) {
      await flush()
      return exclusive(async () => {
        await c.run('BEGIN TRANSACTION')
        try {
          const spent = Number(
            (
              await c.runAndReadAll(
                `SELECT coalesce(sum(epsilon), 0) FROM privacy_spent WHERE consumer = $1 AND scenario = $2 AND spent_at >= now()::TIMESTAMP - to_days(CAST($3 AS INTEGER))`,
                [spend.consumer, spend.scenario, spend.periodDays],
              )
            ).getRowsJS()[0]![0],
          )
          // a little slack for the sum of floating-point ε
          if (spent + spend.epsilon > spend.budget + 1e-9) {
            throw new RuntimeError('ERR_PRIVACY_BUDGET_EXHAUSTED', 'The consumer\'s privacy budget for this scenario is spent', { details: { budget: spend.budget, spent, periodDays: spend.periodDays } })
          }
          await c.run(`INSERT INTO privacy_spent VALUES ($1, $2, $3, now()::TIMESTAMP)`, [spend.consumer, spend.scenario, spend.epsilon])
          await c.run('COMMIT')
          return Math.max(0, spend.budget - spent - spend.epsilon)
        } catch (error) {
          await c.run('ROLLBACK')
          throw error
        }
      })
    },
    async volume(consumer, product, entityKey, limit, periodDays) {
      const seen = await lookupsOf(consumer, product, periodDays)
      const since = Date.now() - periodDays * 86_400_000
      for (const [hash, at] of seen) if (at <= since) seen.delete(hash)
      const already = seen.has(entityHash(entityKey))
      return !already && seen.size >= limit ? [{ code: 'VOLUME_EXCEEDED', limit, periodDays }] : []
    },
    async usage(filter) {
      await flush()
      const rows = (
        await c.runAndReadAll(
          `SELECT consumer, product, partner, strftime(created_at, '%Y-%m') AS month,
                  count(*) FILTER (WHERE status = 'released') AS released, count(*) FILTER (WHERE status = 'refused') AS refused,
                  coalesce(sum(price_fen) FILTER (WHERE status = 'released'), 0) AS fee_fen
           FROM releases
           WHERE ($1::VARCHAR IS NULL OR consumer = $1) AND ($2::VARCHAR IS NULL OR strftime(created_at, '%Y-%m') = $2) AND ($3::VARCHAR IS NULL OR partner = $3)
           GROUP BY ALL ORDER BY month, product, consumer`,
          [filter.consumer ?? null, filter.month ?? null, filter.partner ?? null],
        )
      ).getRowsJS()
      return rows.map(([consumer, product, partner, month, released, refused, feeFen]) => ({
        consumer: String(consumer),
        product: String(product),
        partner: String(partner),
        month: String(month),
        released: Number(released),
        refused: Number(refused),
        feeFen: Number(feeFen),
      }))
    },
    async activity(since, until) {
      await flush()
      const inPeriod = `CAST(created_at AS DATE) BETWEEN $1::DATE AND $2::DATE`
      const daily = (
        await c.runAndReadAll(
          `SELECT strftime(created_at, '%Y-%m-%d') AS day, product, count(*) FILTER (WHERE status = 'released'), count(*) FILTER (WHERE status = 'refused'), count(DISTINCT consumer)
           FROM releases WHERE status IN ('released', 'refused') AND ${inPeriod} GROUP BY ALL ORDER BY day, product`,
          [since, until],
        )
      ).getRowsJS()
      const fees = (
        await c.runAndReadAll(
          `SELECT strftime(created_at, '%Y-%m') AS month, product, sum(price_fen), count(DISTINCT consumer)
           FROM releases WHERE status = 'released' AND strftime(created_at, '%Y-%m') BETWEEN $1 AND $2 GROUP BY ALL ORDER BY month, product`,
          [since.slice(0, 7), until.slice(0, 7)],
        )
      ).getRowsJS()
      // a refusal counts once under each of its distinct reason codes
      const rules = (
        await c.runAndReadAll(
          `SELECT rule, count(*) AS n, count(DISTINCT consumer) FROM (
             SELECT unnest(list_distinct(CAST(json_extract_string(reasons, '$[*].code') AS VARCHAR[]))) AS rule, consumer FROM releases WHERE status = 'refused' AND ${inPeriod}
             UNION ALL
             SELECT 'REVIEW_REJECTED', consumer FROM releases WHERE status = 'rejected' AND ${inPeriod}
           ) GROUP BY rule ORDER BY n DESC, rule`,
          [since, until],
        )
      ).getRowsJS()
      return {
        daily: daily.map(([day, product, calls, refused, consumers]) => ({ day: String(day), product: String(product), calls: Number(calls), refused: Number(refused), consumers: Number(consumers) })),
        monthlyFees: fees.map(([month, product, feeFen, consumers]) => ({ month: String(month), product: String(product), feeFen: Number(feeFen), consumers: Number(consumers) })),
        refusalsByRule: rules.map(([rule, count, consumers]) => ({ rule: String(rule), count: Number(count), consumers: Number(consumers) })),
      }
    },
    async useConsent(jti) {
      let n = consentUses.get(jti)
      if (n === undefined) {
        n = Number((await c.runAndReadAll(`SELECT count(*) FROM consent_uses WHERE jti = $1`, [jti])).getRowsJS()[0]![0])
      }
      n++
      consentUses.set(jti, n)
      write([[`INSERT INTO consent_uses VALUES ($1, now()::TIMESTAMP)`, [jti]]]).catch(() => undefined)
      return n
    },
    async recordLookup(consumer, product, entityKey) {
      const hash = entityHash(entityKey)
      lookups.get(`${consumer}\u0000${product}`)?.set(hash, Date.now())
      write([[`INSERT INTO entity_lookups VALUES ($1, $2, $3, now()::TIMESTAMP)`, [consumer, product, hash]]]).catch((error: unknown) => {
        process.emitWarning(`the lookup ledger could not record a lookup: ${error instanceof Error ? error.message : 'unknown error'}`)
      })
    },
    async decide(releaseId, operator, decision, reason) {
      await flush()
      return exclusive(async () => {
      const release = await load(releaseId)
      if (release.status !== 'pending') throw new RuntimeError('ERR_PARAMS_INVALID', 'The release is not waiting for review', { details: { release: releaseId, status: release.status } })
      if (operator === release.partner) throw new RuntimeError('ERR_PARAMS_INVALID', 'The product\'s partner may not review its own release')
      if (release.decisions.some((d) => d.operator === operator)) throw new RuntimeError('ERR_PARAMS_INVALID', 'Each reviewer decides once: a second operator is needed')
      if (decision === 'reject' && (reason === undefined || reason.trim() === '')) throw new RuntimeError('ERR_PARAMS_INVALID', 'A rejection needs a reason')
      await c.run(`INSERT INTO review_decisions VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`, [releaseId, operator, decision, reason ?? null])
      if (decision === 'reject') await c.run(`UPDATE releases SET status = 'rejected' WHERE release_id = $1`, [releaseId])
      return load(releaseId)
      })
    },
    async recordFailure(f, windowHours) {
      await write([[`INSERT INTO product_failures VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`, [f.product, f.version, f.consumer, f.code]]])
      return exclusive(async () => {
        const r = await c.runAndReadAll(
          `SELECT count(*) FROM product_failures WHERE product = $1 AND version = $2 AND failed_at >= now()::TIMESTAMP - to_hours(CAST($3 AS INTEGER))`,
          [f.product, f.version, windowHours],
        )
        return Number(r.getRowsJS()[0]![0])
      })
    },
    async complete(releaseId, token) {
      await flush()
      await c.run(`UPDATE releases SET status = 'released', token = $2 WHERE release_id = $1 AND status = 'pending'`, [releaseId, token])
    },
    flush,
  }
}
