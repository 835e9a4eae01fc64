/**
 * The reviews as one call each — the change and its audit entry in one transaction, with one
 * action name — whichever front door asks (an HTTP route, a command): deciding, denying and
 * revoking a scenario, reviewing a product version, and reviewing a queued release (signed when
 * the last approval arrives).
 */
import { reviewRelease } from '../release/release-gate.ts'
import type { ReleaseRecord } from '../release/release-store.ts'
import type { Scenario, ScenarioDecisionInput } from '../scenarios/scenario.ts'
import type { ProductVersion } from '../state/product-versions.ts'
import { auditedChange, type GovernanceDeps } from './governance-deps.ts'

export type ReviewGovernance = {
  decideScenario(id: string, decision: ScenarioDecisionInput): Promise<Scenario>
  denyScenario(id: string, operator: string, reason: string): Promise<Scenario>
  revokeScenario(id: string, operator: string, reason: string): Promise<Scenario>
  /** An operator's review of a submitted product version (产品审查). */
  reviewVersion(product: string, version: string, operator: string, decision: 'approve' | 'reject', reason?: string, overridden?: readonly string[]): Promise<ProductVersion>
  /** A reviewer's decision on a queued release; the token when it completed the review. */
  reviewRelease(releaseId: string, operator: string, decision: 'approve' | 'reject', reason?: string): Promise<{ readonly record: ReleaseRecord; readonly token?: string }>
}

export function createReviewGovernance(deps: GovernanceDeps): ReviewGovernance {
  const { state } = deps
  const inOne = auditedChange(deps)
  return {
    decideScenario: (id, decision) => inOne(async (audit) => {
      const scenario = await state.scenarios.decide(id, decision, deps.catalog)
      const approved = scenario.fields.filter((f) => f.decision === 'approved').length
      await audit({
        actor: decision.operator,
        action: scenario.status === 'approved' ? 'scenario.approved' : 'scenario.denied',
        subject: scenario.id,
        detail: { approvedFields: approved, deniedFields: scenario.fields.length - approved, keys: scenario.keys, expiresOn: scenario.expiresOn, revision: scenario.revision, release: scenario.release },
      })
      return scenario
    }),
    denyScenario: (id, operator, reason) => inOne(async (audit) => {
      const scenario = await state.scenarios.deny(id, operator, reason)
      await audit({ actor: operator, action: 'scenario.denied', subject: scenario.id, detail: { reason } })
      return scenario
    }),
    revokeScenario: (id, operator, reason) => inOne(async (audit) => {
      const scenario = await state.scenarios.revoke(id, operator, reason)
      await audit({ actor: operator, action: 'scenario.revoked', subject: scenario.id, detail: { reason } })
      return scenario
    }),
    reviewVersion: (product, version, operator, decision, reason, overridden = []) => inOne(async (audit) => {
      const decided = await state.versions.decide(product, version, operator, decision, reason)
      await audit({
        actor: operator,
        action: decided.status === 'approved' ? 'product.approved' : 'product.rejected',
        subject: `${product}@${version}`,
        // an approval over failing checks names them: the override and its reason are on the record
        detail: { codeHash: decided.codeHash, scenario: decided.scenario, ...(decided.reason === null ? {} : { reason: decided.reason }), ...(overridden.length === 0 ? {} : { overriddenChecks: overridden }) },
      })
      return decided
    }),
    reviewRelease: (releaseId, operator, decision, reason) => inOne(async (audit) => {
      const outcome = await reviewRelease({ store: state.releases, keys: deps.keys }, releaseId, operator, decision, reason)
      await audit({ actor: operator, action: decision === 'approve' ? 'review.approved' : 'review.rejected', subject: releaseId, detail: reason === undefined ? {} : { reason } })
      if (outcome.token !== undefined) {
        await audit({ actor: 'system', action: 'release.signed', subject: releaseId, detail: { after: 'review', product: outcome.record.product, consumer: outcome.record.consumer } })
      }
      return outcome
    }),
  }
}
