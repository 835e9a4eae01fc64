/**
 * Approving a product version against its review file's checks (产品审查): a version whose checks
 * all pass is approved as asked; one with failing checks only with an explicit override and its
 * reason, both recorded in the audit trail. Two checks are never overridden: a failing code hash
 * (the stored sources would not be what the operator read, so there is nothing to approve) and a
 * category the scenario was not approved for (free public-interest approvals would carry a charged
 * product, and identifiers released for public interest a commercial one).
 */
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { VersionCheck, VersionCheckName } from './version-review.ts'

export type VersionDecision = {
  readonly decision: 'approve' | 'reject'
  readonly reason?: string
  /** Approve although checks fail; needs a reason. */
  readonly override?: boolean
}

/** Checks no override can pass. */
const NEVER_OVERRIDDEN: ReadonlySet<VersionCheckName> = new Set(['code_hash', 'category_matches'])

/** A reason an operator can stand behind: a few characters of words, not blanks. */
const MIN_REASON_CHARACTERS = 4

/**
 * The checks an approval overrides (empty when none fail or the version is rejected); throws
 * ERR_REVIEW_CHECKS_FAILED when checks fail and no override was asked, or cannot be given.
 */
export function overriddenChecks(checks: readonly VersionCheck[], decision: VersionDecision): VersionCheckName[] {
  if (decision.decision === 'reject') return []
  const failing = checks.filter((c) => !c.ok)
  if (failing.length === 0) return []
  const problems = failing.map((c) => ({ path: `check:${c.check}`, problem: c.detail ?? 'failed' }))
  const hard = failing.filter((c) => NEVER_OVERRIDDEN.has(c.check))
  if (hard.length > 0) {
    throw new RuntimeError('ERR_REVIEW_CHECKS_FAILED', 'A code hash that does not match or a category the scenario was not approved for cannot be overridden: this version cannot be approved', { details: { problems } })
  }
  if (decision.override !== true) {
    throw new RuntimeError('ERR_REVIEW_CHECKS_FAILED', 'The version fails automatic checks: approving it needs an override (override: true) and a reason', { details: { problems } })
  }
  if ((decision.reason ?? '').trim().length < MIN_REASON_CHARACTERS) {
    throw paramsInvalid(`An override needs a reason of at least ${MIN_REASON_CHARACTERS} characters`, 'body:/reason')
  }
  return failing.map((c) => c.check)
}
