import { describe, expect, it } from 'vitest'
import {
  DEFAULT_DISCLOSURE_POLICY,
  primarySuppressions,
  type AggregateCell,
  type DisclosurePolicy,
  type Suppression,
} from '../../../runtime/release/disclosure-control.ts'

const POLICY = DEFAULT_DISCLOSURE_POLICY

/** The keys of some suppressions, joined for readable assertions. */
function keysOf(suppressions: readonly Suppression[]): string[] {
  return suppressions.map((s) => s.key.join('/'))
}

describe('DEFAULT_DISCLOSURE_POLICY', () => {
  it('is minimum 10, (2, 0.9) dominance, p = 10%, zeros released, and frozen', () => {
    expect(POLICY).toEqual({ minCount: 10, dominance: { n: 2, k: 0.9 }, pPercent: 0.1, suppressZeroCounts: false })
    expect(Object.isFrozen(POLICY) && Object.isFrozen(POLICY.dominance)).toBe(true)
  })
})

describe('primarySuppressions: threshold rule', () => {
  it('suppresses a cell just below the minimum count and releases one at it', () => {
    const cells: AggregateCell[] = [
      { key: ['A'], count: 9 },
      { key: ['B'], count: 10 },
      { key: ['C'], count: 1 },
    ]
    expect(primarySuppressions(cells, POLICY)).toEqual([
      { key: ['A'], rule: 'MIN_COUNT', detail: 'count below 10' },
      { key: ['C'], rule: 'MIN_COUNT', detail: 'count below 10' },
    ])
    expect(keysOf(primarySuppressions(cells, { ...POLICY, minCount: 11 }))).toEqual(['A', 'B', 'C'])
  })

  it('releases a zero count as a structural zero unless the policy suppresses zeros', () => {
    const cells: AggregateCell[] = [{ key: ['A'], count: 0 }]
    expect(primarySuppressions(cells, POLICY)).toEqual([])
    expect(primarySuppressions(cells, { ...POLICY, suppressZeroCounts: true })).toEqual([
      { key: ['A'], rule: 'MIN_COUNT', detail: 'count below 10' },
    ])
  })

  it('fails closed on a count that is not a non-negative integer', () => {
    const cells: AggregateCell[] = [
      { key: ['nan'], count: Number.NaN },
      { key: ['negative'], count: -3 },
      { key: ['fraction'], count: 10.5 },
    ]
    const out = primarySuppressions(cells, POLICY)
    expect(keysOf(out)).toEqual(['nan', 'negative', 'fraction'])
    expect(out.every((s) => s.rule === 'MIN_COUNT' && s.detail === 'count is not a non-negative integer')).toBe(true)
  })
})

describe('primarySuppressions: (n,k) dominance', () => {
  it('suppresses exactly when the two largest exceed 90% of the total', () => {
    const cells: AggregateCell[] = [
      { key: ['at'], count: 50, total: 1000, top: [600, 300] }, // 900 = 90%: released
      { key: ['above'], count: 50, total: 1000, top: [600, 301] }, // 901 > 90%
    ]
    expect(primarySuppressions(cells, POLICY)).toEqual([
      { key: ['above'], rule: 'DOMINANCE', detail: 'top 2 contributions exceed 90% of total' },
    ])
  })

  it('uses n and k of the policy, and sorts the contributions itself', () => {
    // given out of order: the two largest are 500 + 350 = 850, not the first two (600)
    const cell: AggregateCell = { key: ['x'], count: 50, total: 1000, top: [100, 500, 350] }
    const policy: DisclosurePolicy = { ...POLICY, dominance: { n: 2, k: 0.85 } }
    expect(primarySuppressions([cell], policy)).toEqual([])
    expect(primarySuppressions([cell], { ...policy, dominance: { n: 2, k: 0.849 } })).toEqual([
      { key: ['x'], rule: 'DOMINANCE', detail: 'top 2 contributions exceed 84.9% of total' },
    ])
    // n = 3: 500 + 350 + 100 = 950
    expect(primarySuppressions([cell], { ...policy, dominance: { n: 3, k: 0.95 } })).toEqual([])
    expect(keysOf(primarySuppressions([cell], { ...policy, dominance: { n: 3, k: 0.949 } }))).toEqual(['x'])
  })

  it('fails closed when the largest contributions are missing or invalid', () => {
    const detail = 'largest contributions missing or invalid'
    const cells: AggregateCell[] = [
      { key: ['none'], count: 50, total: 1000 },
      { key: ['one'], count: 50, total: 1000, top: [10] },
      { key: ['negative'], count: 50, total: 1000, top: [10, -5] },
      { key: ['nan-total'], count: 50, total: Number.NaN, top: [10, 5] },
    ]
    expect(primarySuppressions(cells, POLICY)).toEqual(cells.map((c) => ({ key: c.key, rule: 'DOMINANCE', detail })))
    // a single contributor needs only one value, and dominates its own total
    expect(primarySuppressions([{ key: ['solo'], count: 1, total: 70, top: [70] }], { ...POLICY, minCount: 1 })).toEqual([
      {
        key: ['solo'],
        rule: 'DOMINANCE',
        detail: 'top 2 contributions exceed 90% of total; remainder below 10% of largest contribution',
      },
    ])
  })
})

describe('primarySuppressions: p% rule', () => {
  // With (2, 0.9) dominance a cell failing p = 10% always fails dominance too; a looser
  // dominance isolates the p% rule.
  const policy: DisclosurePolicy = { ...POLICY, dominance: { n: 2, k: 0.95 } }

  it('suppresses exactly when total − x1 − x2 is below p × x1', () => {
    const cells: AggregateCell[] = [
      { key: ['at'], count: 50, total: 1000, top: [800, 120] }, // remainder 80 = 10% of 800: released
      { key: ['below'], count: 50, total: 1000, top: [121, 800] }, // remainder 79 (x1 = 800, given out of order)
    ]
    expect(primarySuppressions(cells, policy)).toEqual([
      { key: ['below'], rule: 'P_PERCENT', detail: 'remainder below 10% of largest contribution' },
    ])
    expect(keysOf(primarySuppressions(cells, { ...policy, pPercent: 0.1001 }))).toEqual(['at', 'below'])
  })

  it('names the first failing rule and lists every failing rule in the detail', () => {
    const cell: AggregateCell = { key: ['all'], count: 3, total: 1000, top: [990, 5] }
    expect(primarySuppressions([cell], POLICY)).toEqual([
      {
        key: ['all'],
        rule: 'MIN_COUNT',
        detail: 'count below 10; top 2 contributions exceed 90% of total; remainder below 10% of largest contribution',
      },
    ])
  })

  it('never puts a data value into a detail', () => {
    const cell: AggregateCell = { key: ['all'], count: 3, total: 123457, top: [98765, 4321] }
    const [s] = primarySuppressions([cell], POLICY)
    for (const value of ['3', '123457', '98765', '4321']) expect(s!.detail).not.toContain(value)
  })
})
