/**
 * Scenarios (一场景一审核): a partner's request for tables and fields with a purpose, and the
 * operator's decision field by field. What is not approved does not exist for the product.
 */
import type { MaskRule } from '../../catalog/classification.ts'

/** The four scenario categories of the city's plan; the first two are public-interest (free). */
export const SCENARIO_CATEGORIES = ['公共治理', '公益事业', '产业发展', '行业发展'] as const
export type ScenarioCategory = (typeof SCENARIO_CATEGORIES)[number]
export type ScenarioStatus = 'pending' | 'approved' | 'denied' | 'revoked'

export type ScenarioRequestInput = {
  readonly partner: string
  /** The product the scenario serves (its id), if any. */
  readonly product?: string
  readonly purpose: string
  readonly category: ScenarioCategory
  /** table → key field (for one-entity products) and field → justification. */
  readonly tables: Readonly<Record<string, { readonly key?: string; readonly fields: Readonly<Record<string, string>> }>>
}

export type FieldDecision =
  | { readonly decision: 'pending' }
  | { readonly decision: 'approved'; readonly mask: MaskRule }
  | { readonly decision: 'denied'; readonly reason: string }

export type ScenarioField = {
  readonly table: string
  readonly field: string
  readonly justification: string
} & FieldDecision

/** Only rows whose `field` is one of `values` (e.g. one district). */
export type RowFilter = { readonly field: string; readonly values: readonly string[] }

/**
 * What the operator lets leave beyond the defaults, per scenario (all off unless decided):
 * - `outputFields`: `table.field` whose masked values a one-entity answer may carry (say, a
 *   masked name shown back to the bank that holds the subject's consent); every other masked
 *   personal value is refused in answers;
 * - `rowLevel`: the consumers that may receive row-level datasets, and whether with identifiers
 *   (only public-interest scenarios: a civil-affairs bureau visiting its own residents) rather
 *   than pseudonyms of their own;
 * - `privacy`: differential privacy for aggregate releases: ε spent per release and each
 *   consumer's budget per period.
 */
export type ScenarioReleaseRules = {
  readonly outputFields: readonly string[]
  readonly rowLevel: { readonly consumers: readonly string[]; readonly identifiers: boolean } | null
  readonly privacy: { readonly epsilon: number; readonly budget: number; readonly periodDays: number } | null
}

export const NO_RELEASE_RULES: ScenarioReleaseRules = Object.freeze({ outputFields: Object.freeze([]), rowLevel: null, privacy: null })

export type ScenarioHistoryEntry = { readonly at: string; readonly actor: string; readonly action: string; readonly detail: string }

export type Scenario = {
  readonly id: string
  readonly partner: string
  readonly product: string | null
  readonly purpose: string
  readonly category: ScenarioCategory
  readonly status: ScenarioStatus
  /** table → key field, for one-entity products. */
  readonly keys: Readonly<Record<string, string>>
  readonly fields: readonly ScenarioField[]
  readonly rowFilters: Readonly<Record<string, RowFilter>>
  readonly release: ScenarioReleaseRules
  /** Last day the approval is valid (inclusive), `YYYY-MM-DD`. */
  readonly expiresOn: string | null
  /** Incremented by every decision; materialized views record the revision they were built for. */
  readonly revision: number
  readonly history: readonly ScenarioHistoryEntry[]
}

/** What an operator decides; fields not named keep their catalog default mask when `approveRest`. */
export type ScenarioDecisionInput = {
  readonly operator: string
  readonly approve?: Readonly<Record<string, MaskRule | 'default'>>
  readonly deny?: Readonly<Record<string, string>>
  /** Approve every field not named in `deny` with its default mask. */
  readonly approveRest?: boolean
  readonly rowFilters?: Readonly<Record<string, RowFilter>>
  /** table → key field, set or changed by the operator (absent tables keep the requested key). */
  readonly keys?: Readonly<Record<string, string>>
  /** Release rules (default: none of them). */
  readonly release?: Partial<ScenarioReleaseRules>
  readonly expiresOn: string
  /** The revision the operator decided on: a decision on an older one (someone decided since) is refused. */
  readonly revision?: number
}

/** The approved, usable part of a scenario: table → approved fields with masks. */
export type ApprovedTable = {
  readonly table: string
  readonly key: string | undefined
  readonly fields: readonly { readonly field: string; readonly mask: MaskRule }[]
  readonly rowFilter: RowFilter | undefined
}
