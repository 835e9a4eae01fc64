/**
 * Attack: a partner's filter that hides a group. The product leaves one person out of their own
 * district (or, in a second run, files them under a large district's label), hoping their figure
 * leaves under another label while the evidence is computed over something else. In the runtime's
 * model there is no declared evidence: every cell is counted from the contributions the units
 * actually made, so a relabelled person is a counted contributor of the cell they landed in; and
 * the large district's cell with and without them is a differencing pair the audit across
 * releases withholds. Positive control: the honest count of the large district is released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyGroups, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let loneDistrict: string
let largeDistrict: string
let largeCount: number

// input.district is the district whose people are filed under the large district's label (or left out, when empty)
const CLASSIFY = (large: string) => `const p = unit.rows('elderly_info')[0]
  if (p === undefined) return {}
  const own = String(p.district_code)
  if (own === input.district) return { aggregates: { by_district: { by: { district: '${large}' } } } }
  return { aggregates: { by_district: { by: { district: own } } } }`

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-filter')
  const totals = [...Map.groupBy(await elderlyGroups(s.sample), (g) => g.district)].map(([d, list]) => ({ d, n: list.reduce((a, g) => a + g.n, 0) }))
  const lone = totals.find((t) => t.n >= 1 && t.n <= 9)!
  const large = totals.filter((t) => t.n >= 30).sort((a, b) => b.n - a.n)[0]!
  loneDistrict = lone.d
  largeDistrict = large.d
  largeCount = large.n
  await s.publish(elderlyReportSource('relabel', { classify: CLASSIFY(large.d) }))
}, 120_000)
afterAll(() => s.close())

const cellsOf = async (district: string, consumer: string) => {
  return (await s.released<{ cells: { district: string; n: number }[] }>('relabel', { spin: 0, district }, consumer)).cells
}

describe('attack: a filter that hides a group under another label', () => {
  it('the relabelled people are counted where they landed, and the before/after pair is withheld', async () => {
    const honest = await cellsOf('000000', 'bank-a')
    expect(honest.find((c) => c.district === largeDistrict)?.n).toBe(largeCount)
    const relabelled = await cellsOf(loneDistrict, 'bank-a')
    // the large district's cell now includes the lone district's people — and differs from the
    // honest one by fewer than ten: withheld
    expect(relabelled.find((c) => c.district === largeDistrict)).toBeUndefined()
  })

  it('positive control: the relabelled table alone, to another consumer, counts the relabelled people in the large cell', async () => {
    const cells = await cellsOf(loneDistrict, 'bank-b')
    const lone = (await elderlyGroups(s.sample)).filter((g) => g.district === loneDistrict).reduce((a, g) => a + g.n, 0)
    expect(cells.find((c) => c.district === largeDistrict)?.n).toBe(largeCount + lone)
  })
})
