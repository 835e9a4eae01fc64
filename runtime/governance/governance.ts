/**
 * Governance actions as one call each — the change and its audit entry, with one action name —
 * whichever front door asks (an HTTP route, a command): deciding, denying and revoking a scenario,
 * reviewing a product version, and reviewing a queued release (signed when the last approval
 * arrives). A partner's exit (suspend, reinstate, revoke) is `server/partner-exit.ts`, likewise.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { AuditEvent } from '../audit/index.ts'
import type { KeyStore } from '../release/key-store.ts'
import { reviewRelease } from '../release/release-gate.ts'
import type { ReleaseRecord, ReleaseStore } from '../release/release-store.ts'
import type { ScenarioStore } from '../scenarios/scenario-store.ts'
import type { Scenario, ScenarioDecisionInput } from '../scenarios/scenario.ts'
import type { ProductVersion, ProductVersions } from '../state/product-versions.ts'

export type GovernanceDeps = {
  readonly scenarios: ScenarioStore
  readonly releases: ReleaseStore
  readonly versions: ProductVersions
  readonly keys: KeyStore
  readonly catalog: Catalog
  /** Appends to the audit trail, durably. */
  readonly audit: (event: AuditEvent) => Promise<unknown>
}

export type Governance = {
  decideScenario(id: string, decision: ScenarioDecisionInput): Promise<Scenario>
  denyScenario(id: string, operator: string, reason: string): Promise<Scenario>
  revokeScenario(id: string, operator: string, reason: string): Promise<Scenario>
  /** An operator's review of a submitted product version (产品审查). */
  reviewVersion(product: string, version: string, operator: string, decision: 'approve' | 'reject', reason?: string): Promise<ProductVersion>
  /** A reviewer's decision on a queued release; the token when it completed the review. */
  reviewRelease(releaseId: string, operator: string, decision: 'approve' | 'reject', reason?: string): Promise<{ readonly record: ReleaseRecord; readonly token?: string }>
}

export function createGovernance(deps: GovernanceDeps): Governance {
  return {
    async decideScenario(id, decision) {
      const scenario = await deps.scenarios.decide(id, decision, deps.catalog)
      const approved = scenario.fields.filter((f) => f.decision === 'approved').length
      await deps.audit({
        actor: decision.operator,
        action: scenario.status === 'approved' ? 'scenario.approved' : 'scenario.denied',
        subject: scenario.id,
        detail: { approvedFields: approved, deniedFields: scenario.fields.length - approved, expiresOn: scenario.expiresOn, revision: scenario.revision, release: scenario.release },
      })
      return scenario
    },
    async denyScenario(id, operator, reason) {
      const scenario = await deps.scenarios.deny(id, operator, reason)
      await deps.audit({ actor: operator, action: 'scenario.denied', subject: scenario.id, detail: { reason } })
      return scenario
    },
    async revokeScenario(id, operator, reason) {
      const scenario = await deps.scenarios.revoke(id, operator, reason)
      await deps.audit({ actor: operator, action: 'scenario.revoked', subject: scenario.id, detail: { reason } })
      return scenario
    },
    async reviewVersion(product, version, operator, decision, reason) {
      const decided = await deps.versions.decide(product, version, operator, decision, reason)
      await deps.audit({
        actor: operator,
        action: decided.status === 'approved' ? 'product.approved' : 'product.rejected',
        subject: `${product}@${version}`,
        detail: { codeHash: decided.codeHash, scenario: decided.scenario, ...(decided.reason === null ? {} : { reason: decided.reason }) },
      })
      return decided
    },
    async reviewRelease(releaseId, operator, decision, reason) {
      const outcome = await reviewRelease({ store: deps.releases, keys: deps.keys }, releaseId, operator, decision, reason)
      await deps.audit({ actor: operator, action: decision === 'approve' ? 'review.approved' : 'review.rejected', subject: releaseId, detail: reason === undefined ? {} : { reason } })
      if (outcome.token !== undefined) {
        await deps.audit({ actor: 'system', action: 'release.signed', subject: releaseId, detail: { after: 'review', product: outcome.record.product, consumer: outcome.record.consumer } })
      }
      return outcome
    },
  }
}
