import { describe, expect, it } from 'vitest'
import { auditCells, type AuditedCell } from '../../../runtime/release/cell-audit.ts'

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)
const cell = (id: string, units: number[]): AuditedCell => ({ id, units })
const none = { released: [], withheld: [] }

describe('auditCells', () => {
  it('differencing: a second cell one unit larger than an earlier one is withheld', () => {
    const earlier = { released: [cell('r1', range(0, 20))], withheld: [] }
    const verdict = auditCells({ history: earlier, current: { released: [cell('c1', range(0, 21))], withheld: [] }, minCount: 10 })
    expect(verdict.secondary).toEqual(['c1'])
    // positive control: a cell that differs by more than the minimum count passes
    expect(auditCells({ history: earlier, current: { released: [cell('c1', range(0, 40))], withheld: [] }, minCount: 10 }).secondary).toEqual([])
  })

  it('a cell repeated in the release (in any order) is withheld with the cell it repeats; a repeat of an earlier cell is no new release', () => {
    const earlier = { released: [cell('r1', range(0, 20))], withheld: [] }
    const verdict = auditCells({ history: earlier, current: { released: [cell('c1', range(0, 21)), cell('c1-again', range(0, 21).reverse())], withheld: [] }, minCount: 10 })
    expect([...verdict.secondary].sort()).toEqual(['c1', 'c1-again'])
    // positive control: the earlier cell again, beside a large one, is released
    expect(auditCells({ history: earlier, current: { released: [cell('r1-again', range(0, 20).reverse()), cell('big', range(100, 200))], withheld: [] }, minCount: 10 }).secondary).toEqual([])
  })

  it("a tracker (Denning): three large cells whose combination isolates one unit — the third is withheld", () => {
    // target unit u0000 with characteristic C; tracker T = u0001..u0030
    const earlier = { released: [cell('T', range(1, 31)), cell('C+T', range(0, 31))], withheld: [] }
    // C∨T minus T gives u0000 already: the second release must have been refused; here check the third
    const v1 = auditCells({ history: { released: [cell('T', range(1, 31))], withheld: [] }, current: { released: [cell('C+T', range(0, 31))], withheld: [] }, minCount: 10 })
    expect(v1.secondary).toEqual(['C+T'])
    // a classic three-query tracker: q1 = A∪B, q2 = A∪C, q3 = B∪C∪{x}... any combination leaving one unit is caught
    const a = range(100, 120)
    const b = range(200, 220)
    const c = range(300, 320)
    const v = auditCells({
      history: { released: [cell('A+B', [...a, ...b]), cell('B+C', [...b, ...c])], withheld: [] },
      current: { released: [cell('A+C+x', [...a, ...c, 9999])], withheld: [] },
      minCount: 10,
    })
    // A+B, B+C, A+C+x: (A+B) − (B+C) + (A+C+x) = 2A + x ... and with the total the unit follows; the audit finds no derivable small atom here
    expect(v.secondary).toEqual([])
    void earlier
    // adding A alone makes x derivable: (A+C+x) − (A+B) + (B+C) − 2C ... = x when C is known too
    const w = auditCells({
      history: { released: [cell('A+B', [...a, ...b]), cell('B+C', [...b, ...c]), cell('A+C+x', [...a, ...c, 9999])], withheld: [] },
      current: { released: [cell('A', a), cell('C', c)], withheld: [] },
      minCount: 10,
    })
    expect(w.secondary.length).toBeGreaterThan(0)
  })

  it('linked tables: a withheld cell recoverable from another table\'s margin gets a complement withheld', () => {
    // table 1: districts total (released earlier); table 2: district × sex, one small cell withheld now
    const male = range(0, 3)
    const female = range(3, 50)
    const verdict = auditCells({
      history: { released: [cell('district', [...male, ...female])], withheld: [] },
      current: { released: [cell('female', female)], withheld: [cell('male', male)] },
      minCount: 10,
    })
    expect(verdict.secondary).toEqual(['female'])
    // positive control: with no margin released, the female cell stands
    expect(auditCells({ history: none, current: { released: [cell('female', female)], withheld: [cell('male', male)] }, minCount: 10 }).secondary).toEqual([])
  })

  it('a withheld cell of an earlier release stays protected', () => {
    const small = range(0, 4)
    const rest = range(4, 60)
    const verdict = auditCells({
      history: { released: [cell('rest', rest)], withheld: [cell('small', small)] },
      current: { released: [cell('all', [...small, ...rest])], withheld: [] },
      minCount: 10,
    })
    expect(verdict.secondary).toEqual(['all'])
  })

  it('positive control: disjoint large cells, and repeated identical cells, pass', () => {
    const v = auditCells({
      history: { released: [cell('a', range(0, 30)), cell('b', range(30, 60))], withheld: [] },
      current: { released: [cell('a2', range(0, 30)), cell('c', range(60, 90))], withheld: [] },
      minCount: 10,
    })
    expect(v).toEqual({ secondary: [], exposedEarlier: 0 })
  })
})
