/**
 * The scenario a dev run (`indomain dev`, the server's dev-run) runs under, kept in a dev state
 * database (never the operators' one) so that dev runs read masked views exactly as production will:
 * - when an operator decided a scenario for the product, a copy of exactly that decision (the
 *   fields approved with their masks, the fields denied, the row filters, the release rules, with
 *   the dev consumer standing in for row-level consumers); a decision that cannot be used (denied,
 *   revoked, expired) refuses the run as production would;
 * - otherwise the product's declared scenario, approved for dev with the catalog's default masks.
 * Either is reused while what it was made from is unchanged.
 */
import { createHash } from 'node:crypto'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { ProductManifest } from '../products/manifest.ts'
import { assertUsable, type ScenarioStore } from './scenario-store.ts'
import type { Scenario, ScenarioDecisionInput, ScenarioRequestInput } from './scenario.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { cityDay } from '../city-calendar.ts'

const DEV_PARTNER = 'dev'
const DEV_OPERATOR = 'dev-auto-approval'

/** The scenario request a product declares. */
export function scenarioRequestOf(manifest: ProductManifest, partner: string) {
  return {
    partner,
    product: manifest.id,
    purpose: manifest.scenario.purpose,
    category: manifest.category,
    tables: Object.fromEntries(Object.entries(manifest.scenario.tables).map(([t, { key, fields }]) => [t, { ...(key === undefined ? {} : { key }), fields }])),
  }
}

/** How much a mask hides: a proposal is taken only when it hides at least as much as the catalog's default. */
const STRICTNESS: Readonly<Record<MaskRule['rule'], number>> = { keep: 0, partial: 1, generalize: 1, bucketize: 1, pseudonym: 2, drop: 3 }

/**
 * The masks a product proposes that are at least as strict as the catalog's defaults, as a
 * decision's `approve` (`table.field` → mask); a looser proposal (say `keep` on a name) is ignored
 * and the default applies. Operators decide real approvals themselves.
 */
export function proposedMasks(manifest: ProductManifest, catalog: Catalog): Record<string, MaskRule> {
  const approve: Record<string, MaskRule> = {}
  for (const [table, t] of Object.entries(manifest.scenario.tables)) {
    for (const [field, rule] of Object.entries(t.masks ?? {})) {
      const fallback = catalog.table(table)?.fields.find((f) => f.name === field)?.mask
      if (fallback !== undefined && STRICTNESS[rule] >= STRICTNESS[fallback.rule]) approve[`${table}.${field}`] = { rule } as MaskRule
    }
  }
  return approve
}

/**
 * The dev approval of a product's declared scenario (reused while the declaration is unchanged).
 * A dataset with rows gets row-level release to `consumer`, with pseudonyms: dev runs show what
 * rows would look like, never identifiers.
 */
export async function devApproval(scenarios: ScenarioStore, catalog: Catalog, manifest: ProductManifest, consumer = 'dev'): Promise<Scenario> {
  const release = manifest.rows === undefined ? {} : { release: { rowLevel: { consumers: [consumer], identifiers: false } } }
  return devDecision(scenarios, catalog, [manifest.id, manifest.category, manifest.scenario, manifest.rows === undefined ? null : consumer], scenarioRequestOf(manifest, DEV_PARTNER), {
    approve: proposedMasks(manifest, catalog),
    approveRest: true,
    ...release,
  })
}

/**
 * A dev scenario for `request`, decided as `decision` by the dev operator: the one made before
 * from the same `origin` while it is still approved, or a new one (valid 30 days).
 */
async function devDecision(scenarios: ScenarioStore, catalog: Catalog, origin: unknown, request: ScenarioRequestInput, decision: Omit<ScenarioDecisionInput, 'operator' | 'expiresOn'>): Promise<Scenario> {
  const fingerprint = createHash('sha256').update(JSON.stringify(origin)).digest('hex').slice(0, 16)
  const product = `${request.product}#${fingerprint}`
  const today = cityDay()
  for (const s of await scenarios.list()) {
    if (s.product === product && s.status === 'approved' && s.expiresOn !== null && s.expiresOn >= today) return s
  }
  const requested = await scenarios.request({ ...request, product }, catalog)
  const expires = cityDay(Date.now() + 30 * 86_400_000)
  return scenarios.decide(requested.id, { ...decision, operator: DEV_OPERATOR, expiresOn: expires }, catalog)
}

/** The actions of a scenario's history that are an operator's decision on it. */
const DECISIONS: ReadonlySet<string> = new Set(['approved', 'denied', 'revoked'])

/** When the scenario was last decided (an ISO time), or undefined while it is pending. */
function lastDecidedAt(scenario: Scenario): string | undefined {
  return scenario.history.findLast((h) => DECISIONS.has(h.action))?.at
}

/**
 * The operator's decision a dev run of `product` follows: the scenario a version was submitted
 * under when there is one, else the product's (of `partner`, when named) approved scenario decided
 * last; with none approved, the one decided last (denied, revoked: the run is refused with why) —
 * unless a request filed after it still waits for a decision (a partner correcting a denied request
 * dev-runs meanwhile under a dev approval); undefined when no scenario of the product was decided.
 */
export async function operatorDecision(scenarios: ScenarioStore, product: string, options: { readonly partner?: string; readonly submittedUnder?: string | null } = {}): Promise<Scenario | undefined> {
  if (options.submittedUnder !== undefined && options.submittedUnder !== null) return scenarios.get(options.submittedUnder)
  let approved: { scenario: Scenario; on: string } | undefined
  let decided: { scenario: Scenario; on: string } | undefined
  let requestedLast = ''
  for (const scenario of await scenarios.list()) {
    if (scenario.product !== product || (options.partner !== undefined && scenario.partner !== options.partner)) continue
    const at = lastDecidedAt(scenario)
    if (at === undefined) {
      requestedLast = [requestedLast, scenario.history[0]?.at ?? ''].sort().at(-1)!
      continue
    }
    if (decided === undefined || at >= decided.on) decided = { scenario, on: at }
    if (scenario.status === 'approved' && (approved === undefined || at >= approved.on)) approved = { scenario, on: at }
  }
  if (approved !== undefined) return approved.scenario
  return decided !== undefined && requestedLast > decided.on ? undefined : decided?.scenario
}

/** What a dev run runs under, and the sentence that says so in its output. */
export type DevScenario = { readonly scenario: Scenario; readonly under: string }

/** Said of a dev run no operator decision governs. */
export const UNDER_DEV_APPROVAL = 'a dev approval of the requested fields on sample data (no operator decision for this product)'

/**
 * The scenario a dev run uses: a copy of the operator's `decided` scenario when there is one
 * (refused, with its typed error, when it cannot be used), else the dev approval of the declaration.
 */
export async function devScenario(scenarios: ScenarioStore, catalog: Catalog, manifest: ProductManifest, consumer: string, decided: Scenario | undefined): Promise<DevScenario> {
  if (decided === undefined) return { scenario: await devApproval(scenarios, catalog, manifest, consumer), under: UNDER_DEV_APPROVAL }
  // a denied, revoked or expired decision refuses the run, as it refuses production's
  assertUsable(decided)
  // table and field names index prototype-less maps only
  const tables: Record<string, { key?: string; fields: Record<string, string> }> = Object.create(null)
  const approve: Record<string, MaskRule> = Object.create(null)
  const deny: Record<string, string> = Object.create(null)
  for (const f of decided.fields) {
    const key = decided.keys[f.table]
    const table = (tables[f.table] ??= { ...(key === undefined ? {} : { key }), fields: Object.create(null) })
    table.fields[f.field] = f.justification
    if (f.decision === 'approved') approve[`${f.table}.${f.field}`] = f.mask
    if (f.decision === 'denied') deny[`${f.table}.${f.field}`] = f.reason
  }
  const { rowLevel, outputFields, privacy } = decided.release
  const scenario = await devDecision(scenarios, catalog, [decided.id, decided.revision, consumer], { partner: DEV_PARTNER, product: manifest.id, purpose: decided.purpose, category: decided.category, tables }, {
    approve,
    deny,
    rowFilters: decided.rowFilters,
    // row-level datasets go to the dev consumer in place of the decided ones, with pseudonyms
    release: { outputFields, privacy, rowLevel: rowLevel === null ? null : { consumers: [consumer], identifiers: false } },
  })
  return { scenario, under: `scenario ${decided.id} as decided on ${lastDecidedAt(decided)?.slice(0, 10) ?? 'an unknown day'}` }
}
