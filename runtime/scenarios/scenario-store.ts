/**
 * Scenarios, their field decisions and their history, kept in the governance state database
 * (opened, like the store, locked down). Every change is a transaction and appends history;
 * nothing is deleted.
 */
import { randomBytes } from 'node:crypto'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { maskRuleSchema } from '../../catalog/table-definition.ts'
import { RuntimeError } from '../errors.ts'
import type { DuckDBConnection } from '@duckdb/node-api'
import { createExclusive } from '../store/exclusive.ts'
import { checkMask } from './mask-choices.ts'
import type {
  ApprovedTable,
  FieldDecision,
  RowFilter,
  Scenario,
  ScenarioDecisionInput,
  ScenarioField,
  ScenarioReleaseRules,
  ScenarioRequestInput,
  ScenarioStatus,
} from './scenario.ts'
import { NO_RELEASE_RULES, SCENARIO_CATEGORIES } from './scenario.ts'

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS scenarios (
     id VARCHAR PRIMARY KEY, partner VARCHAR NOT NULL, product VARCHAR, purpose VARCHAR NOT NULL,
     category VARCHAR NOT NULL, status VARCHAR NOT NULL, keys VARCHAR NOT NULL, row_filters VARCHAR NOT NULL,
     expires_on DATE, secret VARCHAR NOT NULL, revision INTEGER NOT NULL, created_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS scenario_fields (
     scenario_id VARCHAR NOT NULL, table_id VARCHAR NOT NULL, field VARCHAR NOT NULL, justification VARCHAR NOT NULL,
     decision VARCHAR NOT NULL, mask VARCHAR, reason VARCHAR, PRIMARY KEY (scenario_id, table_id, field))`,
  // release rules came after the first deployments: added where missing
  `ALTER TABLE scenarios ADD COLUMN IF NOT EXISTS release_rules VARCHAR DEFAULT '{}'`,
  `CREATE TABLE IF NOT EXISTS runtime_secrets (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS scenario_history (
     scenario_id VARCHAR NOT NULL, happened_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, detail VARCHAR NOT NULL)`,
]

export type ScenarioStore = {
  request(input: ScenarioRequestInput, catalog: Catalog): Promise<Scenario>
  decide(id: string, decision: ScenarioDecisionInput, catalog: Catalog): Promise<Scenario>
  deny(id: string, operator: string, reason: string): Promise<Scenario>
  revoke(id: string, operator: string, reason: string): Promise<Scenario>
  get(id: string): Promise<Scenario>
  list(): Promise<Scenario[]>
  /** The scenario's pseudonym key (never leaves the runtime). */
  secret(id: string): Promise<Buffer>
  /** The installation's key for unit ids (unit-ids.ts), the same for every scenario; made on first use, never leaves the runtime. */
  unitSecret(): Promise<Buffer>
}

/** The scenario tables on their own connection to the state database (see runtime/state). */
export async function createScenarioStore(c: DuckDBConnection): Promise<ScenarioStore> {
  for (const sql of SCHEMA) await c.run(sql)

  // one connection may serve concurrent callers: transactions are run one at a time
  const exclusive = createExclusive()
  const transaction = <T>(work: () => Promise<T>): Promise<T> =>
    exclusive(async () => {
      await c.run('BEGIN TRANSACTION')
      try {
        const result = await work()
        await c.run('COMMIT')
        return result
      } catch (error) {
        await c.run('ROLLBACK')
        throw error
      }
    })
  const history = (id: string, actor: string, action: string, detail: unknown) =>
    c.run(`INSERT INTO scenario_history VALUES ($1, now()::TIMESTAMP, $2, $3, $4)`, [id, actor, action, JSON.stringify(detail)])

  // the state file is held by this process alone (DuckDB locks it), so an in-process cache that
  // every change here invalidates is exact: a revocation is seen by the next read, at once
  const cache = new Map<string, Scenario>()
  const get = async (id: string): Promise<Scenario> => {
    const hit = cache.get(id)
    if (hit !== undefined) return hit
    const loaded = await load(id)
    cache.set(id, loaded)
    return loaded
  }
  const invalidate = (id: string): void => {
    cache.delete(id)
  }
  const load = async (id: string): Promise<Scenario> => {
    const row = (await c.runAndReadAll(`SELECT id, partner, product, purpose, category, status, keys, row_filters, CAST(expires_on AS VARCHAR), revision, release_rules FROM scenarios WHERE id = $1`, [id])).getRowsJS()[0]
    if (row === undefined) throw new RuntimeError('ERR_SCENARIO_NOT_FOUND', 'No such scenario', { details: { scenario: id } })
    const fields = (await c.runAndReadAll(`SELECT table_id, field, justification, decision, mask, reason FROM scenario_fields WHERE scenario_id = $1 ORDER BY table_id, field`, [id])).getRowsJS()
    const events = (await c.runAndReadAll(`SELECT CAST(happened_at AS VARCHAR), actor, action, detail FROM scenario_history WHERE scenario_id = $1 ORDER BY happened_at, rowid`, [id])).getRowsJS()
    return {
      id: String(row[0]),
      partner: String(row[1]),
      product: row[2] === null ? null : String(row[2]),
      purpose: String(row[3]),
      category: row[4] as Scenario['category'],
      status: row[5] as ScenarioStatus,
      keys: JSON.parse(String(row[6])) as Record<string, string>,
      rowFilters: JSON.parse(String(row[7])) as Record<string, RowFilter>,
      release: { ...NO_RELEASE_RULES, ...(JSON.parse(String(row[10] ?? '{}')) as Partial<ScenarioReleaseRules>) },
      expiresOn: row[8] === null ? null : String(row[8]),
      revision: Number(row[9]),
      fields: fields.map(([table, field, justification, decision, mask, reason]): ScenarioField => {
        const base = { table: String(table), field: String(field), justification: String(justification) }
        if (decision === 'approved') return { ...base, decision: 'approved', mask: JSON.parse(String(mask)) as MaskRule }
        if (decision === 'denied') return { ...base, decision: 'denied', reason: String(reason) }
        return { ...base, decision: 'pending' }
      }),
      history: events.map(([at, actor, action, detail]) => ({ at: String(at), actor: String(actor), action: String(action), detail: String(detail) })),
    }
  }

  return {
    async request(input, catalog) {
      const problems = checkRequest(input, catalog)
      if (problems.length > 0) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The scenario request is invalid', { details: { problems } })
      const id = `scn-${randomBytes(5).toString('hex')}`
      const keys: Record<string, string> = {}
      for (const [table, t] of Object.entries(input.tables)) if (t.key !== undefined) keys[table] = t.key
      await transaction(async () => {
        await c.run(`INSERT INTO scenarios (id, partner, product, purpose, category, status, keys, row_filters, expires_on, secret, revision, created_at, release_rules)
                     VALUES ($1, $2, $3, $4, $5, 'pending', $6, '{}', NULL, $7, 0, now()::TIMESTAMP, '{}')`, [
          id,
          input.partner,
          input.product ?? null,
          input.purpose,
          input.category,
          JSON.stringify(keys),
          randomBytes(32).toString('hex'),
        ])
        for (const [table, t] of Object.entries(input.tables)) {
          for (const [field, justification] of Object.entries(t.fields)) {
            await c.run(`INSERT INTO scenario_fields VALUES ($1, $2, $3, $4, 'pending', NULL, NULL)`, [id, table, field, justification])
          }
        }
        await history(id, input.partner, 'requested', { product: input.product ?? null, tables: Object.keys(input.tables) })
      })
      return get(id)
    },

    async decide(id, decision, catalog) {
      const scenario = await get(id)
      if (scenario.status === 'revoked') throw new RuntimeError('ERR_SCENARIO_REVOKED', 'A revoked scenario cannot be approved again; request a new one')
      if (decision.revision !== undefined && decision.revision !== scenario.revision) {
        throw new RuntimeError('ERR_CONFLICT', 'The scenario was decided since this decision was prepared: reload it', { details: { revision: scenario.revision } })
      }
      const decided = decideFields(scenario, decision, catalog)
      const release = decideReleaseRules(scenario, decided, decision)
      const approved = decided.some((f) => f.decision === 'approved')
      await transaction(async () => {
        for (const f of decided) {
          await c.run(`UPDATE scenario_fields SET decision = $4, mask = $5, reason = $6 WHERE scenario_id = $1 AND table_id = $2 AND field = $3`, [
            id,
            f.table,
            f.field,
            f.decision,
            f.decision === 'approved' ? JSON.stringify(f.mask) : null,
            f.decision === 'denied' ? f.reason : null,
          ])
        }
        await c.run(`UPDATE scenarios SET status = $2, row_filters = $3, expires_on = $4::DATE, revision = revision + 1, release_rules = $5 WHERE id = $1`, [
          id,
          approved ? 'approved' : 'denied',
          JSON.stringify(decision.rowFilters ?? {}),
          decision.expiresOn,
          JSON.stringify(release),
        ])
        invalidate(id)
        await history(id, decision.operator, approved ? 'approved' : 'denied', {
          expiresOn: decision.expiresOn,
          rowFilters: decision.rowFilters ?? {},
          release,
          fields: decided.map((f) => ({ table: f.table, field: f.field, decision: f.decision, ...(f.decision === 'approved' ? { mask: f.mask } : {}), ...(f.decision === 'denied' ? { reason: f.reason } : {}) })),
        })
      }).finally(() => invalidate(id))
      return get(id)
    },

    async deny(id, operator, reason) {
      const scenario = await get(id)
      if (reason.trim() === '') throw new RuntimeError('ERR_SCENARIO_INVALID', 'A denial needs a reason')
      await transaction(async () => {
        await c.run(`UPDATE scenario_fields SET decision = 'denied', mask = NULL, reason = $2 WHERE scenario_id = $1`, [id, reason])
        await c.run(`UPDATE scenarios SET status = 'denied', revision = revision + 1 WHERE id = $1`, [id])
        invalidate(id)
        await history(id, operator, 'denied', { reason, previous: scenario.status })
      }).finally(() => invalidate(id))
      return get(id)
    },

    async revoke(id, operator, reason) {
      const scenario = await get(id)
      if (reason.trim() === '') throw new RuntimeError('ERR_SCENARIO_INVALID', 'A revocation needs a reason')
      await transaction(async () => {
        await c.run(`UPDATE scenarios SET status = 'revoked', revision = revision + 1 WHERE id = $1`, [id])
        invalidate(id)
        await history(id, operator, 'revoked', { reason, previous: scenario.status })
      }).finally(() => invalidate(id))
      return get(id)
    },

    get,

    async list() {
      const ids = (await c.runAndReadAll(`SELECT id FROM scenarios ORDER BY created_at, id`)).getRowsJS()
      return Promise.all(ids.map(([id]) => get(String(id))))
    },

    async secret(id) {
      const row = (await c.runAndReadAll(`SELECT secret FROM scenarios WHERE id = $1`, [id])).getRowsJS()[0]
      if (row === undefined) throw new RuntimeError('ERR_SCENARIO_NOT_FOUND', 'No such scenario', { details: { scenario: id } })
      return Buffer.from(String(row[0]), 'hex')
    },

    async unitSecret() {
      return exclusive(async () => {
        const found = (await c.runAndReadAll(`SELECT value FROM runtime_secrets WHERE name = 'unit-ids'`)).getRowsJS()[0]
        if (found !== undefined) return Buffer.from(String(found[0]), 'hex')
        const secret = randomBytes(32)
        await c.run(`INSERT INTO runtime_secrets VALUES ('unit-ids', $1) ON CONFLICT DO NOTHING`, [secret.toString('hex')])
        const stored = (await c.runAndReadAll(`SELECT value FROM runtime_secrets WHERE name = 'unit-ids'`)).getRowsJS()[0]!
        return Buffer.from(String(stored[0]), 'hex')
      })
    },
  }
}

function checkRequest(input: ScenarioRequestInput, catalog: Catalog): string[] {
  const problems: string[] = []
  if (typeof input.partner !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(input.partner)) problems.push('partner: must be an identifier')
  if (typeof input.purpose !== 'string' || input.purpose.trim().length < 4) problems.push('purpose: must be stated')
  if (!(SCENARIO_CATEGORIES as readonly string[]).includes(input.category)) problems.push('category: must be 公共治理, 公益事业, 产业发展 or 行业发展')
  const tables = Object.entries(input.tables ?? {})
  if (tables.length === 0) problems.push('tables: at least one table is needed')
  for (const [table, t] of tables) {
    const definition = catalog.table(table)
    if (definition === undefined) {
      problems.push(`${table}: not in the catalog`)
      continue
    }
    if (t.key !== undefined && !definition.fields.some((f) => f.name === t.key)) problems.push(`${table}.${t.key}: key field not in the catalog`)
    const fields = Object.entries(t.fields ?? {})
    if (fields.length === 0) problems.push(`${table}: no fields requested`)
    for (const [field, justification] of fields) {
      if (!definition.fields.some((f) => f.name === field)) problems.push(`${table}.${field}: not in the catalog`)
      if (typeof justification !== 'string' || justification.trim() === '') problems.push(`${table}.${field}: needs a justification`)
    }
  }
  return problems
}

function decideFields(scenario: Scenario, decision: ScenarioDecisionInput, catalog: Catalog): ScenarioField[] {
  const problems: string[] = []
  if (!/^\d{4}-\d{2}-\d{2}$/.test(decision.expiresOn) || decision.expiresOn <= new Date().toISOString().slice(0, 10)) {
    problems.push('expiresOn: must be a future date (YYYY-MM-DD)')
  }
  if (typeof decision.operator !== 'string' || decision.operator.trim() === '') problems.push('operator: required')
  const requested = new Set(scenario.fields.map((f) => `${f.table}.${f.field}`))
  for (const name of [...Object.keys(decision.approve ?? {}), ...Object.keys(decision.deny ?? {})]) {
    if (!requested.has(name)) problems.push(`${name}: was not requested`)
  }
  for (const [table, filter] of Object.entries(decision.rowFilters ?? {})) {
    const definition = catalog.table(table)
    if (!scenario.fields.some((f) => f.table === table)) problems.push(`${table}: row filter on a table not in the scenario`)
    else if (!definition?.fields.some((f) => f.name === filter.field)) problems.push(`${table}.${filter.field}: row filter field not in the catalog`)
    else if (!Array.isArray(filter.values) || filter.values.length === 0) problems.push(`${table}.${filter.field}: row filter needs values`)
  }
  const decided: ScenarioField[] = scenario.fields.map((f) => {
    const name = `${f.table}.${f.field}`
    const definition = catalog.table(f.table)?.fields.find((x) => x.name === f.field)
    const base = { table: f.table, field: f.field, justification: f.justification }
    const denied = decision.deny?.[name]
    if (denied !== undefined) {
      if (denied.trim() === '') problems.push(`${name}: a denial needs a reason`)
      return { ...base, decision: 'denied', reason: denied }
    }
    const chosen = decision.approve?.[name] ?? (decision.approveRest ? 'default' : undefined)
    if (chosen === undefined || definition === undefined) return { ...base, ...(f as FieldDecision) } as ScenarioField
    const parsed = chosen === 'default' ? { success: true as const, data: definition.mask } : maskRuleSchema.safeParse(chosen)
    if (!parsed.success) {
      problems.push(`${name}: not a valid mask`)
      return { ...base, decision: 'pending' }
    }
    const isKey = scenario.keys[f.table] === f.field
    // the lookup key of a one-entity product is seen as that key (release checks stop it from leaving)
    const mask: MaskRule = chosen === 'default' && isKey ? { rule: 'keep' } : parsed.data
    const problem = checkMask(definition, mask, isKey)
    if (problem !== undefined) problems.push(`${name}: ${problem}`)
    return { ...base, decision: 'approved', mask }
  })
  if (problems.length > 0) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The decision is invalid', { details: { problems } })
  return decided
}

/**
 * The release rules a decision sets (absent ones keep their current value): output fields must be
 * approved fields, identifiers in row-level datasets only for public-interest scenarios, and
 * privacy parameters within bounds (ε per release in (0, 10], a budget of at least one release).
 */
function decideReleaseRules(scenario: Scenario, decided: readonly ScenarioField[], decision: ScenarioDecisionInput): ScenarioReleaseRules {
  const next: ScenarioReleaseRules = { ...NO_RELEASE_RULES, ...scenario.release, ...(decision.release ?? {}) }
  const problems: string[] = []
  const approved = new Set(decided.filter((f) => f.decision === 'approved').map((f) => `${f.table}.${f.field}`))
  if (!Array.isArray(next.outputFields)) problems.push('release.outputFields: must be a list of table.field')
  else for (const name of next.outputFields) if (!approved.has(name)) problems.push(`release.outputFields: ${String(name)} is not an approved field`)
  if (next.rowLevel !== null) {
    const consumers = next.rowLevel.consumers
    if (!Array.isArray(consumers) || consumers.length === 0 || !consumers.every((c) => typeof c === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(c))) {
      problems.push('release.rowLevel.consumers: name at least one consumer')
    }
    if (next.rowLevel.identifiers === true && scenario.category !== '公共治理' && scenario.category !== '公益事业') {
      problems.push('release.rowLevel.identifiers: only public-interest scenarios (公共治理, 公益事业) may release identifiers')
    }
  }
  if (next.privacy !== null) {
    const { epsilon, budget, periodDays } = next.privacy
    if (!(typeof epsilon === 'number' && epsilon > 0 && epsilon <= 10)) problems.push('release.privacy.epsilon: must be in (0, 10]')
    if (!(typeof budget === 'number' && budget >= epsilon)) problems.push('release.privacy.budget: must allow at least one release')
    if (!(Number.isInteger(periodDays) && periodDays >= 1 && periodDays <= 3660)) problems.push('release.privacy.periodDays: must be 1 to 3660 days')
  }
  if (problems.length > 0) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The decision is invalid', { details: { problems } })
  return Object.freeze(next)
}

/** The approved tables of a usable scenario (throws if it is not usable today). */
export function approvedTables(scenario: Scenario, today: string = new Date().toISOString().slice(0, 10)): ApprovedTable[] {
  assertUsable(scenario, today)
  const byTable = new Map<string, { field: string; mask: MaskRule }[]>()
  for (const f of scenario.fields) {
    if (f.decision !== 'approved' || f.mask.rule === 'drop') continue
    const list = byTable.get(f.table) ?? []
    list.push({ field: f.field, mask: f.mask })
    byTable.set(f.table, list)
  }
  return [...byTable].map(([table, fields]) => ({ table, key: scenario.keys[table], fields, rowFilter: scenario.rowFilters[table] }))
}

/** Typed refusal of a scenario that cannot be used: not approved, revoked or expired. */
export function assertUsable(scenario: Scenario, today: string = new Date().toISOString().slice(0, 10)): void {
  if (scenario.status === 'revoked') throw new RuntimeError('ERR_SCENARIO_REVOKED', 'The scenario approval was revoked', { details: { scenario: scenario.id } })
  if (scenario.status !== 'approved') throw new RuntimeError('ERR_SCENARIO_NOT_APPROVED', 'The scenario is not approved', { details: { scenario: scenario.id } })
  if (scenario.expiresOn === null || scenario.expiresOn < today) {
    throw new RuntimeError('ERR_SCENARIO_EXPIRED', 'The scenario approval has expired', { details: { scenario: scenario.id } })
  }
}
