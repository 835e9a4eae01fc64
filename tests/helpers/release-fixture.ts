/** A release to record in the ledger, for tests of the release store: a released dataset of bank-a, with `over` changed. */
import type { NewRelease } from '../../runtime/release/release-store.ts'

export function newRelease(over: Partial<NewRelease> = {}): NewRelease {
  return {
    consumer: 'bank-a',
    product: 'enterprise-credit-score',
    version: '1.0.0',
    codeHash: 'c'.repeat(64),
    ttlSeconds: 3600,
    partner: 'credit-lab',
    scenario: 'scn-1',
    kind: 'dataset',
    status: 'released',
    requestHash: 'r'.repeat(64),
    resultHash: 'h'.repeat(64),
    reasons: [],
    report: { passed: ['DIRECT_IDENTIFIER'] },
    reviewersNeeded: 2,
    priceFen: 50,
    ...over,
  }
}
