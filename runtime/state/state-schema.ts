/**
 * The governance state's tables as the query layer (Kysely) sees them, the same on both backends.
 * Times are epoch milliseconds (UTC) and days `YYYY-MM-DD` strings, so that every query is plain,
 * portable SQL; structured values are JSON text; unit lists are packed binary (released-cells.ts).
 * The tables are made and changed only by migrations (migrations.ts).
 */
import type { Generated } from 'kysely'

export type PrincipalsTable = {
  role: string
  id: string
  name: string
  status: string
  tokens_valid_after: number
  uscc: string | null
  contact: string | null
  acknowledged_at: number | null
  created_at: number
}

export type ScenariosTable = {
  id: string
  partner: string
  product: string | null
  purpose: string
  category: string
  status: string
  keys: string
  row_filters: string
  release_rules: string
  expires_on: string | null
  secret: string
  revision: number
  created_at: number
}

export type ScenarioFieldsTable = {
  scenario_id: string
  table_id: string
  field: string
  justification: string
  decision: string
  mask: string | null
  reason: string | null
}

export type ScenarioHistoryTable = {
  id: Generated<number>
  scenario_id: string
  happened_at: number
  actor: string
  action: string
  detail: string
}

export type RuntimeSecretsTable = {
  name: string
  value: string
}

export type ProductVersionsTable = {
  product: string
  version: string
  partner: string
  status: string
  code_hash: string
  title: string
  kind: string
  category: string
  dir: string
  scenario: string | null
  dev_run: string | null
  reviewer: string | null
  reason: string | null
  uploaded_at: number
  decided_at: number | null
}

export type PriceCapsTable = {
  product: string
  cap_fen: number
  set_by: string
  set_at: number
}

export type ConsumersTable = {
  id: string
  name: string
  key_hash: string
  status: string
  monthly_quota: number | null
  created_at: number
}

export type ProductsTable = {
  id: string
  version: string
  title: string
  category: string
  dir: string
  code_hash: string
  partner: string
  scenario: string
  price_fen: number
  sources: string
  status: string
  published_at: number
  /** A retired version stays callable, by consumers that name it, through this day (Beijing's); null: not at all. */
  callable_until: string | null
}

export type ReleasesTable = {
  release_id: string
  consumer: string
  product: string
  version: string
  code_hash: string
  ttl_seconds: number
  partner: string
  scenario: string
  kind: string
  status: string
  request_hash: string
  result_hash: string
  created_at: number
  /** The day of `created_at` in Beijing (city-calendar.ts; usage per month and the public disclosure group by it). */
  created_day: string
  reasons: string
  report: string
  result: string | null
  token: string | null
  reviewers_needed: number
  price_fen: number
}

/** The distinct reason codes of each refusal (the public disclosure counts refusals per rule). */
export type ReleaseReasonCodesTable = {
  release_id: string
  code: string
  created_day: string
  consumer: string
}

export type ReleasedCellsTable = {
  id: Generated<number>
  consumer: string
  kind: string
  release_id: string
  cell: string
  role: string
  units: Uint8Array
}

export type PrivacySpentTable = {
  consumer: string
  scenario: string
  epsilon: number
  spent_at: number
}

/** The volume guard: the last time each consumer looked up each entity (hashed) through each product. */
export type EntityLookupsTable = {
  consumer: string
  product: string
  entity_hash: string
  looked_up_at: number
}

export type ConsentUsesTable = {
  jti: string
  uses: number
  first_used_at: number
}

/** Released calls reserved per consumer and month (Beijing's): the quota's exact, shared count. */
export type QuotaUsesTable = {
  consumer: string
  month: string
  used: number
}

export type ProductFailuresTable = {
  id: Generated<number>
  product: string
  version: string
  consumer: string
  code: string
  failed_at: number
}

export type ReviewDecisionsTable = {
  id: Generated<number>
  release_id: string
  operator: string
  decision: string
  reason: string | null
  decided_at: number
}

/** One entry of the audit trail: the exact JSON line hashed and exported, with columns to search by. */
export type AuditEntriesTable = {
  seq: number
  at: string
  actor: string
  action: string
  subject: string
  entry: string
}

/** The head log: the trail's head, signed, after every group commit. */
export type AuditHeadsTable = {
  seq: number
  hash: string
  at: string
  signature: string
}

export type StateSchema = {
  audit_entries: AuditEntriesTable
  audit_heads: AuditHeadsTable
  principals: PrincipalsTable
  scenarios: ScenariosTable
  scenario_fields: ScenarioFieldsTable
  scenario_history: ScenarioHistoryTable
  runtime_secrets: RuntimeSecretsTable
  product_versions: ProductVersionsTable
  price_caps: PriceCapsTable
  consumers: ConsumersTable
  products: ProductsTable
  releases: ReleasesTable
  release_reason_codes: ReleaseReasonCodesTable
  released_cells: ReleasedCellsTable
  privacy_spent: PrivacySpentTable
  entity_lookups: EntityLookupsTable
  consent_uses: ConsentUsesTable
  quota_uses: QuotaUsesTable
  product_failures: ProductFailuresTable
  review_decisions: ReviewDecisionsTable
}
