/**
 * Scenarios, their field decisions and their history, kept in the governance state database.
 * Every change is one transaction that appends history; nothing is deleted. A decision names the
 * revision it was prepared on, and two decisions racing on the same revision (on any replica)
 * cannot both apply. A process keeps scenarios it read, checked against their revision on every
 * read, so a revocation holds everywhere at once.
 */
import { randomBytes } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { RuntimeError } from '../errors.ts'
import type { StateDatabase, StateTransaction } from '../state/state-database.ts'
import type { ScenarioFieldsTable, ScenarioHistoryTable, ScenariosTable } from '../state/state-schema.ts'
import { checkRequest, decideFields, decideKeys, decideReleaseRules } from './scenario-rules.ts'
import type { RowFilter, Scenario, ScenarioDecisionInput, ScenarioField, ScenarioReleaseRules, ScenarioRequestInput, ScenarioStatus } from './scenario.ts'
import { NO_RELEASE_RULES } from './scenario.ts'

export { approvedTables, assertUsable } from './scenario-rules.ts'

/** A scenario change refused for a blank reason: what is wrong, at the reason. */
const blankReason = (message: string) => new RuntimeError('ERR_SCENARIO_INVALID', message, { details: { problems: [{ path: 'body:/reason', problem: 'must not be blank' }] } })

export type ScenarioStore = {
  request(input: ScenarioRequestInput, catalog: Catalog): Promise<Scenario>
  decide(id: string, decision: ScenarioDecisionInput, catalog: Catalog): Promise<Scenario>
  deny(id: string, operator: string, reason: string): Promise<Scenario>
  revoke(id: string, operator: string, reason: string): Promise<Scenario>
  /** The scenario as it is now; given the revision just read (a commit's standing), without reading it again. */
  get(id: string, revision?: number): Promise<Scenario>
  list(): Promise<Scenario[]>
  /** The scenario's pseudonym key (never leaves the runtime). */
  secret(id: string): Promise<Buffer>
  /** The installation's key for unit ids (unit-ids.ts), the same for every scenario; made on first use, never leaves the runtime. */
  unitSecret(): Promise<Buffer>
}

type Query = StateTransaction | StateDatabase['db']

/** Scenarios kept loaded per process (each checked against its revision on every read). */
const CACHE_LIMIT = 1000

/** A cached scenario is shared by every caller: nobody may change it. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue
    Object.freeze(v)
    for (const child of Object.values(v)) stack.push(child)
  }
  return value
}

function scenarioOf(row: Selectable<ScenariosTable>, fields: readonly Selectable<ScenarioFieldsTable>[], events: readonly Selectable<ScenarioHistoryTable>[]): Scenario {
  return {
    id: row.id,
    partner: row.partner,
    product: row.product,
    purpose: row.purpose,
    category: row.category as Scenario['category'],
    status: row.status as ScenarioStatus,
    keys: JSON.parse(row.keys) as Record<string, string>,
    rowFilters: JSON.parse(row.row_filters) as Record<string, RowFilter>,
    release: { ...NO_RELEASE_RULES, ...(JSON.parse(row.release_rules) as Partial<ScenarioReleaseRules>) },
    expiresOn: row.expires_on,
    revision: Number(row.revision),
    fields: fields.map((f): ScenarioField => {
      const base = { table: f.table_id, field: f.field, justification: f.justification }
      if (f.decision === 'approved') return { ...base, decision: 'approved', mask: JSON.parse(String(f.mask)) as MaskRule }
      if (f.decision === 'denied') return { ...base, decision: 'denied', reason: String(f.reason) }
      return { ...base, decision: 'pending' }
    }),
    history: events.map((e) => ({ at: new Date(Number(e.happened_at)).toISOString(), actor: e.actor, action: e.action, detail: e.detail })),
  }
}

export function createScenarioStore(state: StateDatabase): ScenarioStore {
  const history = (tx: StateTransaction, id: string, actor: string, action: string, detail: unknown) =>
    tx.insertInto('scenario_history').values({ scenario_id: id, happened_at: Date.now(), actor, action, detail: JSON.stringify(detail) }).execute()

  const cache = new Map<string, Scenario>()
  const load = async (q: Query, id: string): Promise<Scenario> => {
    const row = await q.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) throw new RuntimeError('ERR_SCENARIO_NOT_FOUND', 'No such scenario', { details: { scenario: id } })
    const fields = await q.selectFrom('scenario_fields').selectAll().where('scenario_id', '=', id).orderBy('table_id').orderBy('field').execute()
    const events = await q.selectFrom('scenario_history').selectAll().where('scenario_id', '=', id).orderBy('id').execute()
    return scenarioOf(row, fields, events)
  }

  /** A change to one scenario: read, checked and written in one transaction, one change at a time on every replica. */
  const change = (id: string, work: (tx: StateTransaction, scenario: Scenario) => Promise<void>): Promise<Scenario> =>
    state.transaction(async (tx) => {
      await state.lock(tx, `scenario:${id}`)
      const scenario = await load(tx, id)
      await work(tx, scenario)
      return load(tx, id)
    })

  return {
    async request(input, catalog) {
      const problems = checkRequest(input, catalog)
      if (problems.length > 0) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The scenario request is invalid', { details: { problems } })
      const id = `scn-${randomBytes(5).toString('hex')}`
      const keys: Record<string, string> = {}
      for (const [table, t] of Object.entries(input.tables)) if (t.key !== undefined) keys[table] = t.key
      return state.transaction(async (tx) => {
        await tx
          .insertInto('scenarios')
          .values({
            id,
            partner: input.partner,
            product: input.product ?? null,
            purpose: input.purpose,
            category: input.category,
            status: 'pending',
            keys: JSON.stringify(keys),
            row_filters: '{}',
            release_rules: '{}',
            expires_on: null,
            secret: randomBytes(32).toString('hex'),
            revision: 0,
            created_at: Date.now(),
          })
          .execute()
        const fields = Object.entries(input.tables).flatMap(([table, t]) =>
          Object.entries(t.fields).map(([field, justification]) => ({ scenario_id: id, table_id: table, field, justification, decision: 'pending', mask: null, reason: null })),
        )
        if (fields.length > 0) await tx.insertInto('scenario_fields').values(fields).execute()
        await history(tx, id, input.partner, 'requested', { product: input.product ?? null, tables: Object.keys(input.tables) })
        return load(tx, id)
      })
    },

    decide(id, decision, catalog) {
      return change(id, async (tx, scenario) => {
        if (scenario.status === 'revoked') throw new RuntimeError('ERR_SCENARIO_REVOKED', 'A revoked scenario cannot be approved again; request a new one')
        if (decision.revision !== undefined && decision.revision !== scenario.revision) {
          throw new RuntimeError('ERR_CONFLICT', 'The scenario was decided since this decision was prepared: reload it', { details: { revision: scenario.revision, problems: [{ path: 'body:/revision', problem: 'is not the scenario\'s current revision: reload it' }] } })
        }
        const keys = decideKeys(scenario, decision, catalog)
        const decided = decideFields({ ...scenario, keys }, decision, catalog)
        const release = decideReleaseRules(scenario, decided, decision)
        const approved = decided.some((f) => f.decision === 'approved')
        for (const f of decided) {
          await tx
            .updateTable('scenario_fields')
            .set({ decision: f.decision, mask: f.decision === 'approved' ? JSON.stringify(f.mask) : null, reason: f.decision === 'denied' ? f.reason : null })
            .where('scenario_id', '=', id)
            .where('table_id', '=', f.table)
            .where('field', '=', f.field)
            .execute()
        }
        await tx
          .updateTable('scenarios')
          .set((eb) => ({
            status: approved ? 'approved' : 'denied',
            row_filters: JSON.stringify(decision.rowFilters ?? {}),
            keys: JSON.stringify(keys),
            expires_on: decision.expiresOn,
            revision: eb('revision', '+', 1),
            release_rules: JSON.stringify(release),
          }))
          .where('id', '=', id)
          .execute()
        await history(tx, id, decision.operator, approved ? 'approved' : 'denied', {
          expiresOn: decision.expiresOn,
          rowFilters: decision.rowFilters ?? {},
          keys,
          release,
          fields: decided.map((f) => ({ table: f.table, field: f.field, decision: f.decision, ...(f.decision === 'approved' ? { mask: f.mask } : {}), ...(f.decision === 'denied' ? { reason: f.reason } : {}) })),
        })
      })
    },

    deny(id, operator, reason) {
      if (reason.trim() === '') return Promise.reject(blankReason('A denial needs a reason'))
      return change(id, async (tx, scenario) => {
        await tx.updateTable('scenario_fields').set({ decision: 'denied', mask: null, reason }).where('scenario_id', '=', id).execute()
        await tx.updateTable('scenarios').set((eb) => ({ status: 'denied', revision: eb('revision', '+', 1) })).where('id', '=', id).execute()
        await history(tx, id, operator, 'denied', { reason, previous: scenario.status })
      })
    },

    revoke(id, operator, reason) {
      if (reason.trim() === '') return Promise.reject(blankReason('A revocation needs a reason'))
      return change(id, async (tx, scenario) => {
        await tx.updateTable('scenarios').set((eb) => ({ status: 'revoked', revision: eb('revision', '+', 1) })).where('id', '=', id).execute()
        await history(tx, id, operator, 'revoked', { reason, previous: scenario.status })
      })
    },

    async get(id, revision) {
      // every change to a scenario increments its revision in the same transaction: the revision is
      // the cache's version, read on every get, so a revocation on any replica is seen at once
      const hit = cache.get(id)
      if (hit !== undefined && revision !== undefined && hit.revision === revision) return hit
      const current = await state.db.selectFrom('scenarios').select('revision').where('id', '=', id).executeTakeFirst()
      if (current === undefined) throw new RuntimeError('ERR_SCENARIO_NOT_FOUND', 'No such scenario', { details: { scenario: id } })
      if (hit !== undefined && hit.revision === Number(current.revision)) return hit
      const loaded = deepFreeze(await load(state.db, id))
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
      cache.set(id, loaded)
      return loaded
    },

    async list() {
      const ids = await state.db.selectFrom('scenarios').select('id').orderBy('created_at').orderBy('id').execute()
      return Promise.all(ids.map(({ id }) => load(state.db, id)))
    },

    async secret(id) {
      const row = await state.db.selectFrom('scenarios').select('secret').where('id', '=', id).executeTakeFirst()
      if (row === undefined) throw new RuntimeError('ERR_SCENARIO_NOT_FOUND', 'No such scenario', { details: { scenario: id } })
      return Buffer.from(row.secret, 'hex')
    },

    async unitSecret() {
      // the first process to ask makes it; every other one (and every replica) reads that one
      await state.db
        .insertInto('runtime_secrets')
        .values({ name: 'unit-ids', value: randomBytes(32).toString('hex') })
        .onConflict((c) => c.column('name').doNothing())
        .execute()
      const stored = await state.db.selectFrom('runtime_secrets').select('value').where('name', '=', 'unit-ids').executeTakeFirstOrThrow()
      return Buffer.from(stored.value, 'hex')
    },
  }
}
