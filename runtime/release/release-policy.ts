/**
 * Release policy: thresholds of the checks, per product kind, which an operator may tighten per
 * product (never loosen below the floor). Thresholds live here and in product policy, not in
 * code paths of the checks.
 */
import { RuntimeError } from '../errors.ts'

export type ReleasePolicy = {
  /** Minimum contributors per released aggregate cell. */
  readonly minCount: number
  /** (n, k) dominance: the n largest contributions may not exceed k of a cell's total. */
  readonly dominance: { readonly n: number; readonly k: number }
  /** p% rule: a cell's total minus its two largest contributions must be at least p × the largest. */
  readonly pPercent: number
  /**
   * Secondary suppression: what a consumer can infer of a withheld count from every cell it holds
   * must reach at least this many units below it (or zero) and above it (protection-intervals.ts).
   */
  readonly protectionRange: number
  /** Distinct entities one consumer may look up per product per period. */
  readonly volume: { readonly maxEntities: number; readonly periodDays: number }
  /** Longest undeclared string in an output (codes and labels); longer text must be declared free text. */
  readonly maxCodeLength: number
  /** Whether outputs wait for human review before release. */
  readonly review: 'none' | 'queue'
  /** Distinct operators needed to approve a queued release (2; 1 only for public-interest products). */
  readonly reviewers: 1 | 2
  /** Lifetime of a signed release, seconds. */
  readonly ttlSeconds: number
}

const API: ReleasePolicy = Object.freeze({
  minCount: 10,
  dominance: Object.freeze({ n: 2, k: 0.9 }),
  pPercent: 0.1,
  protectionRange: 5,
  volume: Object.freeze({ maxEntities: 5000, periodDays: 30 }),
  maxCodeLength: 64,
  review: 'none',
  reviewers: 2,
  ttlSeconds: 7 * 86400,
})

const BATCH: ReleasePolicy = Object.freeze({ ...API, review: 'queue', ttlSeconds: 30 * 86400 })

/** The default policy of a product kind. */
export function defaultPolicy(kind: 'api' | 'dataset' | 'report'): ReleasePolicy {
  return kind === 'api' ? API : BATCH
}

export function isPublicInterest(category: string): boolean {
  return category === '公共治理' || category === '公益事业'
}

/**
 * An operator's tightening of a policy; anything looser than the default is refused — except a
 * single reviewer, which public-interest products may be configured to need.
 */
export function tightenPolicy(base: ReleasePolicy, changes: Partial<ReleasePolicy>, category = ''): ReleasePolicy {
  const next = { ...base, ...changes }
  const looser =
    next.minCount < base.minCount ||
    next.dominance.k > base.dominance.k ||
    next.dominance.n < base.dominance.n ||
    next.pPercent < base.pPercent ||
    next.protectionRange < base.protectionRange ||
    next.volume.maxEntities > base.volume.maxEntities ||
    next.maxCodeLength > base.maxCodeLength ||
    (base.review === 'queue' && next.review === 'none') ||
    (next.reviewers < base.reviewers && !isPublicInterest(category))
  if (looser) throw new RuntimeError('ERR_PARAMS_INVALID', 'A product policy may tighten the release checks, never loosen them')
  return Object.freeze(next)
}
