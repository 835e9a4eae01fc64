/**
 * The rules of scenarios (数据使用场景), pure: what a request must name, what a decision may
 * approve and with which masks, which release rules a decision may set, and when an approved
 * scenario may be used. The store (scenario-store.ts) applies them inside its transactions.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { maskRuleSchema } from '../../catalog/table-definition.ts'
import { cityDay } from '../city-calendar.ts'
import { RuntimeError } from '../errors.ts'
import { checkMask } from './mask-choices.ts'
import type { ApprovedTable, FieldDecision, Scenario, ScenarioDecisionInput, ScenarioField, ScenarioReleaseRules, ScenarioRequestInput } from './scenario.ts'
import { NO_RELEASE_RULES, SCENARIO_CATEGORIES } from './scenario.ts'

export function checkRequest(input: ScenarioRequestInput, catalog: Catalog): string[] {
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

/**
 * The scenario's key fields after a decision: each table's requested key, or the one the operator
 * sets (a text field of a table the scenario reads). A one-entity product finds its entity by these.
 */
export function decideKeys(scenario: Scenario, decision: ScenarioDecisionInput, catalog: Catalog): Readonly<Record<string, string>> {
  const problems: string[] = []
  for (const [table, field] of Object.entries(decision.keys ?? {})) {
    const definition = catalog.table(table)?.fields.find((f) => f.name === field)
    // a name the caller sent is repeated only once it is known to be the catalog's
    if (!scenario.fields.some((f) => f.table === table)) problems.push('keys: names a table the scenario does not read')
    else if (definition === undefined) problems.push(`keys.${table}: not a field of this table in the catalog`)
    else if (definition.type !== 'text') problems.push(`keys.${table}: a key field is a text field`)
  }
  if (problems.length > 0) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The decision is invalid', { details: { problems } })
  return { ...scenario.keys, ...decision.keys }
}

export function decideFields(scenario: Scenario, decision: ScenarioDecisionInput, catalog: Catalog): ScenarioField[] {
  const problems: string[] = []
  if (!/^\d{4}-\d{2}-\d{2}$/.test(decision.expiresOn) || decision.expiresOn <= cityDay()) {
    problems.push('expiresOn: must be a future date (YYYY-MM-DD)')
  }
  if (typeof decision.operator !== 'string' || decision.operator.trim() === '') problems.push('operator: required')
  const requested = new Set(scenario.fields.map((f) => `${f.table}.${f.field}`))
  for (const name of [...Object.keys(decision.approve ?? {}), ...Object.keys(decision.deny ?? {})]) {
    if (!requested.has(name)) problems.push(`${decision.approve?.[name] === undefined ? 'deny' : 'approve'}: names a field that was not requested`)
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
    if (chosen === undefined || definition === undefined) {
      // a decision kept from before is held to today's keys: a field kept raw as the lookup key is not kept raw once another field is the key
      const problem = f.decision === 'approved' && definition !== undefined ? checkMask(definition, f.mask, scenario.keys[f.table] === f.field) : undefined
      if (problem !== undefined) problems.push(`${name}: ${problem} (approve it again with a mask)`)
      return { ...base, ...(f as FieldDecision) } as ScenarioField
    }
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
export function decideReleaseRules(scenario: Scenario, decided: readonly ScenarioField[], decision: ScenarioDecisionInput): ScenarioReleaseRules {
  const next: ScenarioReleaseRules = { ...NO_RELEASE_RULES, ...scenario.release, ...(decision.release ?? {}) }
  const problems: string[] = []
  const approved = new Set(decided.filter((f) => f.decision === 'approved').map((f) => `${f.table}.${f.field}`))
  if (!Array.isArray(next.outputFields)) problems.push('release.outputFields: must be a list of table.field')
  else if (next.outputFields.some((name) => !approved.has(name))) problems.push('release.outputFields: names a field that is not approved')
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
export function approvedTables(scenario: Scenario, today: string = cityDay()): ApprovedTable[] {
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
export function assertUsable(scenario: Scenario, today: string = cityDay()): void {
  if (scenario.status === 'revoked') throw new RuntimeError('ERR_SCENARIO_REVOKED', 'The scenario approval was revoked', { details: { scenario: scenario.id } })
  if (scenario.status !== 'approved') throw new RuntimeError('ERR_SCENARIO_NOT_APPROVED', 'The scenario is not approved', { details: { scenario: scenario.id } })
  if (scenario.expiresOn === null || scenario.expiresOn < today) {
    throw new RuntimeError('ERR_SCENARIO_EXPIRED', 'The scenario approval has expired', { details: { scenario: scenario.id } })
  }
}
