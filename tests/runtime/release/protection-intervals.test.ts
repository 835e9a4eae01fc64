/**
 * Secondary suppression by protection intervals: any pattern that keeps every withheld count's
 * inferable interval wide enough is accepted, one that pins it is refused (with the interval), and
 * the runtime proposes a pattern that protects, across releases too.
 */
import { describe, expect, it } from 'vitest'
import type { AuditedCell } from '../../../runtime/release/cell-audit.ts'
import { checkSuppressionPattern, protectIntervals } from '../../../runtime/release/protection-intervals.ts'

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i)
const cell = (id: string, ...parts: number[][]): AuditedCell => ({ id, units: parts.flat() })
// a 2×2 table with its margins: A is small (3 units)
const [A, B, C, D] = [range(0, 3), range(100, 130), range(200, 240), range(300, 350)]
const t = {
  A: cell('A', A),
  B: cell('B', B),
  C: cell('C', C),
  D: cell('D', D),
  R1: cell('R1', A, B),
  R2: cell('R2', C, D),
  C1: cell('C1', A, C),
  C2: cell('C2', B, D),
  total: cell('total', A, B, C, D),
}
const none = { released: [], withheld: [] }

describe('protection intervals', () => {
  it('refuses a pattern that pins the withheld cell, and says how far: one complement along a margin is not enough', async () => {
    const verdict = await checkSuppressionPattern({ released: [t.C, t.D, t.R1, t.R2, t.C1, t.C2], withheld: [t.A], range: 5 })
    expect(verdict.ok).toBe(false)
    expect(verdict.intervals[0]).toMatchObject({ id: 'A', value: 3, low: 3, high: 3, protected: false })
  })

  it('accepts any pattern that protects: the three inner complements, or the margins alone', async () => {
    const inner = await checkSuppressionPattern({ released: [t.R1, t.R2, t.C1, t.C2, t.total], withheld: [t.A], range: 5 })
    expect(inner.ok).toBe(true)
    expect(inner.intervals[0]!.low).toBe(0)
    expect(inner.intervals[0]!.high).toBeGreaterThanOrEqual(8)
    // a different pattern: inner cells B and D released, the column margins withheld
    const other = await checkSuppressionPattern({ released: [t.B, t.D, t.R1, t.R2, t.total], withheld: [t.A], range: 5 })
    expect(other.ok).toBe(false) // R1 − B pins A: this one is not protective
    // a third: one row margin and the total, nothing of the first row
    const third = await checkSuppressionPattern({ released: [t.D, t.R2, t.total], withheld: [t.A], range: 5 })
    expect(third.ok).toBe(true)
  })

  it('a pattern exact differencing cannot see is still refused when the interval is narrow', async () => {
    // A + B is released, and B lies between 29 and 30 given other cells: A is pinned to [3, 4] without being exactly derivable
    const B1 = range(100, 129)
    const B2 = [129]
    const released = [cell('R1', A, B1, B2), cell('B1', B1), cell('B2+E', B2, range(400, 402)), cell('E', range(400, 402), [999])]
    const verdict = await checkSuppressionPattern({ released, withheld: [t.A], range: 5 })
    expect(verdict.ok).toBe(false)
    expect(verdict.intervals[0]!.high - verdict.intervals[0]!.low).toBeLessThan(5)
  })

  it('proposes inner complements before margins, and the result protects', async () => {
    const verdict = await protectIntervals({ history: none, current: { released: [t.B, t.C, t.D, t.R1, t.R2, t.C1, t.C2, t.total], withheld: [t.A] }, range: 5 })
    expect([...verdict.secondary].sort()).toEqual(['B', 'C', 'D'])
    expect(verdict.intervals[0]!.protected).toBe(true)
    // positive control: nothing withheld, nothing to do
    expect((await protectIntervals({ history: none, current: { released: [t.B, t.R1], withheld: [] }, range: 5 })).secondary).toEqual([])
  })

  it('across releases: a margin released earlier is used against the new table', async () => {
    // earlier: the row margins and the total; now the inner cells but A
    const history = { released: [t.R1, t.R2, t.total], withheld: [] }
    const verdict = await protectIntervals({ history, current: { released: [t.B, t.C, t.D], withheld: [t.A] }, range: 5 })
    expect(verdict.secondary.length).toBeGreaterThan(0)
    expect(verdict.intervals[0]!.protected).toBe(true)
    // a cell whose bound comes from earlier releases alone is reported, not hidden behind this one
    const pinned = await protectIntervals({ history: { released: [t.R1, t.B], withheld: [] }, current: { released: [t.D], withheld: [t.A] }, range: 5 })
    expect(pinned.narrowedEarlier).toBe(1)
    expect(pinned.secondary).toEqual([])
  })
})
