/**
 * Governance as one service for every front door (the HTTP routes, the command line): each action
 * is one call that makes the change and writes its audit entry in one transaction, with one action
 * name from the catalogue. A partner's exit (suspend, reinstate, revoke) is `server/partner-exit.ts`,
 * likewise in one transaction.
 */
import { createAccountGovernance, type AccountGovernance } from './account-governance.ts'
import type { GovernanceDeps } from './governance-deps.ts'
import { createReviewGovernance, type ReviewGovernance } from './review-governance.ts'

export type Governance = ReviewGovernance & AccountGovernance

export function createGovernance(deps: GovernanceDeps): Governance {
  return { ...createReviewGovernance(deps), ...createAccountGovernance(deps) }
}
