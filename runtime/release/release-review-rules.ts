/**
 * The rules of a queued release's review (two-person rule), pure: only a pending release is
 * decided, never by the product's partner, once per reviewer, and a rejection says why.
 */
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { ReleaseRecord } from './release-store.ts'

export function checkReleaseDecision(release: ReleaseRecord, operator: string, decision: 'approve' | 'reject', reason: string | undefined): void {
  if (release.status !== 'pending') throw new RuntimeError('ERR_CONFLICT', 'The release is not waiting for review', { details: { release: release.releaseId, status: release.status } })
  if (operator === release.partner) throw new RuntimeError('ERR_FORBIDDEN', 'The product\'s partner may not review its own release')
  if (release.decisions.some((d) => d.operator === operator)) throw new RuntimeError('ERR_CONFLICT', 'Each operator decides a release once: a second, different operator must approve it')
  if (decision === 'reject' && (reason === undefined || reason.trim() === '')) throw paramsInvalid('A rejection needs a reason', 'reason')
}

/** Whether a decision completes the review: enough distinct approvals and no rejection. */
export function approvalsComplete(release: ReleaseRecord): boolean {
  return release.status === 'pending' && release.decisions.filter((d) => d.decision === 'approve').length >= release.reviewersNeeded
}
