/**
 * Which outcomes of a run are the product's failures (docs/disclosure-control.md; issue: "failures are
 * outputs too"): a success/failure that depends on the data tells the caller a bit, so each is
 * audited with its code and counted towards a hold. The consumer's own refusals (volume, a
 * row-level release not approved for it, a spent privacy budget) and the runtime's (a crashed
 * worker, a shutdown) are not the product's.
 */
import { isRuntimeError } from '../errors.ts'
import type { ReleaseReason } from '../release/check-release.ts'

/** Refusal reasons a consumer's own calls cause (or its approvals lack), whatever the product does. */
const CONSUMER_REASONS: ReadonlySet<ReleaseReason['code']> = new Set(['VOLUME_EXCEEDED', 'ROW_LEVEL_NOT_APPROVED'])

/** The failure's code when `error` is a failure of the product itself, or undefined. */
export function productFailureCode(error: unknown): string | undefined {
  if (!isRuntimeError(error) || error.blame !== 'partner') return undefined
  if (error.code !== 'ERR_RELEASE_REFUSED') return error.code
  const reasons = (error.details?.reasons as readonly { code?: string }[] | undefined) ?? []
  return reasons.some((r) => typeof r.code === 'string' && !CONSUMER_REASONS.has(r.code as ReleaseReason['code'])) ? error.code : undefined
}
