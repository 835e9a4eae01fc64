import { describe, expect, it } from 'vitest'
import {
  controlDisclosure,
  DEFAULT_DISCLOSURE_POLICY,
  encodeCellKey,
  primarySuppressions,
  secondarySuppressions,
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

/**
 * A table and its margins as a consumer sees them: released cells, row and column totals of the
 * counts over all cells (margins are published in full), and the cells left blank.
 */
function publish(cells: readonly AggregateCell[], suppressed: ReadonlySet<string>) {
  const rowTotals = new Map<string, number>()
  const columnTotals = new Map<string, number>()
  const known = new Map<string, number | null>()
  for (const cell of cells) {
    const [row, column] = cell.key as [string, string]
    rowTotals.set(row, (rowTotals.get(row) ?? 0) + cell.count)
    columnTotals.set(column, (columnTotals.get(column) ?? 0) + cell.count)
    known.set(encodeCellKey(cell.key), suppressed.has(encodeCellKey(cell.key)) ? null : cell.count)
  }
  return { rowTotals, columnTotals, known }
}

/**
 * The differencing attacker: repeatedly, any row or column with exactly one blank cell gives
 * that cell away as margin minus the known cells. Returns every cell it recovered.
 */
function attack(cells: readonly AggregateCell[], suppressed: ReadonlySet<string>): Map<string, number> {
  const { rowTotals, columnTotals, known } = publish(cells, suppressed)
  const recovered = new Map<string, number>()
  let progress = true
  while (progress) {
    progress = false
    for (const [dimension, totals] of [[0, rowTotals], [1, columnTotals]] as const) {
      for (const [value, total] of totals) {
        const line = cells.filter((c) => c.key[dimension] === value).map((c) => encodeCellKey(c.key))
        const blank = line.filter((k) => known.get(k) === null)
        if (blank.length !== 1) continue
        const sum = line.reduce((acc, k) => acc + (known.get(k) ?? 0), 0)
        known.set(blank[0]!, total - sum)
        recovered.set(blank[0]!, total - sum)
        progress = true
      }
    }
  }
  return recovered
}

describe('secondarySuppressions', () => {
  // district × quarter; [蜀山, Q1] has 3 contributors
  const table: AggregateCell[] = [
    { key: ['蜀山', 'Q1'], count: 3 },
    { key: ['蜀山', 'Q2'], count: 20 },
    { key: ['蜀山', 'Q3'], count: 15 },
    { key: ['包河', 'Q1'], count: 12 },
    { key: ['包河', 'Q2'], count: 30 },
    { key: ['包河', 'Q3'], count: 25 },
    { key: ['庐阳', 'Q1'], count: 40 },
    { key: ['庐阳', 'Q2'], count: 18 },
    { key: ['庐阳', 'Q3'], count: 22 },
  ]
  const small = encodeCellKey(['蜀山', 'Q1'])

  it('without it, the small cell is recovered exactly from the margins', () => {
    const primary = new Set(primarySuppressions(table, POLICY).map((s) => encodeCellKey(s.key)))
    expect([...primary]).toEqual([small])
    expect(attack(table, primary).get(small)).toBe(3)
  })

  it('suppresses the smallest cell of its column and of its row, and of the row its complement is in', () => {
    const secondary = secondarySuppressions(table, new Set([small]), { dimensions: 2 })
    expect(secondary).toEqual([
      { key: ['包河', 'Q1'], rule: 'SECONDARY', detail: 'complement of a suppressed cell along dimension 1' }, // column Q1: 12 < 40
      // rows in code-unit order of their value: 包河 (U+5305) before 蜀山 (U+8700)
      { key: ['包河', 'Q3'], rule: 'SECONDARY', detail: 'complement of a suppressed cell along dimension 2' }, // row 包河: 25 < 30
      { key: ['蜀山', 'Q3'], rule: 'SECONDARY', detail: 'complement of a suppressed cell along dimension 2' }, // row 蜀山: 15 < 20
    ])
  })

  it('with it, no suppressed cell can be recovered from the margins', () => {
    const { suppressed } = controlDisclosure(table, POLICY, { dimensions: 2 })
    const keys = new Set(suppressed.map((s) => encodeCellKey(s.key)))
    expect(keys.size).toBe(4)
    expect(attack(table, keys).size).toBe(0)
    // every row and every column holds zero or at least two suppressed cells
    for (const dimension of [0, 1]) {
      const values = new Set(table.map((c) => c.key[dimension]))
      for (const value of values) {
        const n = table.filter((c) => c.key[dimension] === value && keys.has(encodeCellKey(c.key))).length
        expect(n === 0 || n >= 2, `${dimension}:${value}`).toBe(true)
      }
    }
  })

  it('repeats until every row and column is safe', () => {
    // The first round suppresses [包河, Q1] (column Q1), then [包河, Q2] and [蜀山, Q3] (rows),
    // which leaves columns Q2 and Q3 with one suppressed cell each: a second round is needed.
    const cells: AggregateCell[] = [
      { key: ['蜀山', 'Q1'], count: 3 },
      { key: ['蜀山', 'Q2'], count: 20 },
      { key: ['蜀山', 'Q3'], count: 15 },
      { key: ['包河', 'Q1'], count: 12 },
      { key: ['包河', 'Q2'], count: 25 },
      { key: ['包河', 'Q3'], count: 30 },
      { key: ['庐阳', 'Q1'], count: 40 },
      { key: ['庐阳', 'Q2'], count: 18 },
      { key: ['庐阳', 'Q3'], count: 22 },
    ]
    const secondary = secondarySuppressions(cells, new Set([small]), { dimensions: 2 })
    expect(keysOf(secondary)).toEqual(['包河/Q1', '包河/Q2', '蜀山/Q3', '庐阳/Q2', '庐阳/Q3'])
    const all = new Set([small, ...secondary.map((s) => encodeCellKey(s.key))])
    expect(attack(cells, all).size).toBe(0)
  })

  it('in one dimension, suppresses the smallest other cell (a grand total is published)', () => {
    const cells: AggregateCell[] = [
      { key: ['A'], count: 4 },
      { key: ['B'], count: 50 },
      { key: ['C'], count: 11 },
      { key: ['D'], count: 30 },
    ]
    expect(keysOf(secondarySuppressions(cells, new Set(['A']), { dimensions: 1 }))).toEqual(['C'])
    expect(secondarySuppressions(cells, new Set(['A', 'B']), { dimensions: 1 })).toEqual([])
  })

  it('breaks ties by key and does not depend on the order of the cells', () => {
    const cells: AggregateCell[] = [
      { key: ['A'], count: 4 },
      { key: ['D'], count: 11 },
      { key: ['C'], count: 11 },
      { key: ['B'], count: 50 },
    ]
    expect(keysOf(secondarySuppressions(cells, new Set(['A']), { dimensions: 1 }))).toEqual(['C'])
    const shuffled = [table[4]!, table[8]!, table[0]!, table[2]!, table[6]!, table[1]!, table[7]!, table[3]!, table[5]!]
    expect(secondarySuppressions(shuffled, new Set([small]), { dimensions: 2 })).toEqual(
      secondarySuppressions(table, new Set([small]), { dimensions: 2 }),
    )
  })

  it('takes a zero cell as complement only when nothing else is left', () => {
    const cells: AggregateCell[] = [
      { key: ['A'], count: 4 },
      { key: ['Z'], count: 0 },
      { key: ['B'], count: 50 },
    ]
    expect(keysOf(secondarySuppressions(cells, new Set(['A']), { dimensions: 1 }))).toEqual(['B'])
    const onlyZero: AggregateCell[] = [
      { key: ['A'], count: 4 },
      { key: ['Z'], count: 0 },
    ]
    expect(keysOf(secondarySuppressions(onlyZero, new Set(['A']), { dimensions: 1 }))).toEqual(['Z'])
  })

  it('cannot protect a line of one cell and says nothing about it', () => {
    expect(secondarySuppressions([{ key: ['A'], count: 4 }], new Set(['A']), { dimensions: 1 })).toEqual([])
  })

  it('rejects a malformed table', () => {
    const cells: AggregateCell[] = [{ key: ['A', 'x'], count: 4 }]
    expect(() => secondarySuppressions(cells, new Set(), { dimensions: 1 })).toThrow(TypeError)
    expect(() => secondarySuppressions(cells, new Set(), { dimensions: 0 })).toThrow(RangeError)
    expect(() => secondarySuppressions([...cells, { key: ['A', 'x'], count: 9 }], new Set(), { dimensions: 2 })).toThrow(TypeError)
  })
})

describe('controlDisclosure', () => {
  const cells: AggregateCell[] = [
    { key: ['蜀山', 'Q1'], count: 3, total: 300, top: [120, 90] },
    { key: ['蜀山', 'Q2'], count: 20, total: 2000, top: [150, 140] },
    { key: ['包河', 'Q1'], count: 12, total: 1200, top: [100, 90] },
    { key: ['包河', 'Q2'], count: 30, total: 3000, top: [1900, 900] }, // dominance: 2800 > 2700
    { key: ['庐阳', 'Q1'], count: 40, total: 4000, top: [200, 100] },
    { key: ['庐阳', 'Q2'], count: 0 },
  ]

  it('combines primary and secondary suppression and releases the rest without top contributions', () => {
    const result = controlDisclosure(cells, POLICY, { dimensions: 2 })
    expect(result.suppressed.map((s) => [s.key.join('/'), s.rule])).toEqual([
      ['蜀山/Q1', 'MIN_COUNT'],
      ['包河/Q2', 'DOMINANCE'],
      ['包河/Q1', 'SECONDARY'],
      ['蜀山/Q2', 'SECONDARY'],
    ])
    expect(result.released).toStrictEqual([
      { key: ['庐阳', 'Q1'], count: 40, total: 4000 },
      { key: ['庐阳', 'Q2'], count: 0 },
    ])
    for (const cell of result.released) expect('top' in cell).toBe(false)
  })

  it('is deterministic and does not modify its input', () => {
    const before = JSON.stringify(cells)
    const a = controlDisclosure(cells, POLICY, { dimensions: 2 })
    const b = controlDisclosure(cells, POLICY, { dimensions: 2 })
    expect(a).toEqual(b)
    expect(JSON.stringify(cells)).toBe(before)
  })
})
