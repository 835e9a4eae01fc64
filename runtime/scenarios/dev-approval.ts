/**
 * `indomain dev`: a product's declared scenario becomes a dev approval with the catalog's
 * default masks, kept in a dev state database (never the operators' one) and reused while the
 * declaration is unchanged, so that dev runs read masked views exactly as production will.
 */
import { createHash } from 'node:crypto'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { ProductManifest } from '../products/manifest.ts'
import type { ScenarioStore } from './scenario-store.ts'
import type { Scenario } from './scenario.ts'
import type { MaskRule } from '../../catalog/classification.ts'

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
  const fingerprint = createHash('sha256').update(JSON.stringify([manifest.id, manifest.category, manifest.scenario, manifest.rows === undefined ? null : consumer])).digest('hex').slice(0, 16)
  const product = `${manifest.id}#${fingerprint}`
  const today = new Date().toISOString().slice(0, 10)
  for (const s of await scenarios.list()) {
    if (s.product === product && s.status === 'approved' && s.expiresOn !== null && s.expiresOn >= today) return s
  }
  const requested = await scenarios.request({ ...scenarioRequestOf(manifest, DEV_PARTNER), product }, catalog)
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
  const release = manifest.rows === undefined ? {} : { release: { rowLevel: { consumers: [consumer], identifiers: false } } }
  return scenarios.decide(requested.id, { operator: DEV_OPERATOR, approve: proposedMasks(manifest, catalog), approveRest: true, expiresOn: expires, ...release }, catalog)
}
