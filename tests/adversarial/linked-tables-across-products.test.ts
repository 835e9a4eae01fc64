/**
 * Attack: linked tables across two products. One product releases the elderly per district; a
 * second the elderly per district and living arrangement, where one arrangement of a district is
 * too small and withheld — but the district's total from the first product minus the other
 * arrangements' released cells gives it back. Through the server: the audit across releases, which
 * spans every product a consumer received, withholds a complement in the second table; positive
 * control — a consumer who never received the first product gets every large cell of the second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyGroups, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let district: string
let tiny: string
let large: { arrangement: string; n: number }[]

const BY_DISTRICT = `const p = unit.rows('elderly_info')[0]
  return p === undefined ? {} : { aggregates: { by_district: { by: { district: String(p.district_code) } } } }`
const BY_ARRANGEMENT = `const p = unit.rows('elderly_info')[0]
  return p === undefined ? {} : { aggregates: { by_district: { by: { district: String(p.district_code), arrangement: String(p.living_arrangement) } } } }`
const ARRANGEMENT_AGGREGATES = "{ by_district: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 }, arrangement: { values: ['独居', '与配偶同住', '与子女同住', '入住养老机构'] } } } }"
const ARRANGEMENT_OUTPUT = "t.object({ cells: t.array(t.object({ district: t.string({ pattern: '^\\\\d{6}$' }), arrangement: t.string({ pattern: '^.{1,10}$' }), n: t.integer({ minimum: 0 }) }), { maxItems: 1000 }) })"
const ARRANGEMENT_RUN = "return { cells: ctx.aggregate('by_district').cells.map((c: any) => ({ district: c.by.district, arrangement: c.by.arrangement, n: c.count })) }"

async function run(product: string, consumer: string): Promise<{ district: string; arrangement?: string; n: number }[]> {
  return (await s.released<{ cells: { district: string; arrangement?: string; n: number }[] }>(product, { spin: 0, district: '' }, consumer)).cells
}

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-linked')
  // a district with exactly one small arrangement (1..9) and the others 10 or more
  for (const [d, list] of Map.groupBy(await elderlyGroups(s.sample), (g) => g.district)) {
    const small = list.filter((g) => g.n < 10)
    if (small.length === 1 && list.length >= 3) {
      district = d
      tiny = small[0]!.arrangement
      large = list.filter((g) => g.n >= 10)
      break
    }
  }
  expect(district).toBeDefined()
  await s.publish(elderlyReportSource('elderly-by-district', { classify: BY_DISTRICT }))
  await s.publish(elderlyReportSource('elderly-by-arrangement', { classify: BY_ARRANGEMENT, aggregates: ARRANGEMENT_AGGREGATES, output: ARRANGEMENT_OUTPUT, run: ARRANGEMENT_RUN }))
}, 120_000)
afterAll(() => s.close())

describe('attack: linked tables across two products', () => {
  it('after the district totals, the arrangement table withholds a complement of the small cell', async () => {
    const totals = await run('elderly-by-district', 'bank-a')
    expect(totals.find((c) => c.district === district)?.n).toBe(large.reduce((a, g) => a + g.n, 0) + (await elderlyGroups(s.sample)).find((g) => g.district === district && g.arrangement === tiny)!.n)
    const cells = (await run('elderly-by-arrangement', 'bank-a')).filter((c) => c.district === district)
    // the small cell is withheld (the rules), and so is at least one of the large ones (the audit):
    // the total minus what is released no longer gives the small cell
    expect(cells.find((c) => c.arrangement === tiny)).toBeUndefined()
    const released = cells.filter((c) => large.some((g) => g.arrangement === c.arrangement))
    expect(released.length).toBeLessThan(large.length)
  })

  it('positive control: without the totals, every large cell of the arrangement table is released', async () => {
    const cells = (await run('elderly-by-arrangement', 'bank-b')).filter((c) => c.district === district)
    expect(cells.filter((c) => c.arrangement !== tiny).map((c) => c.n).sort()).toEqual(large.map((g) => g.n).sort())
    expect(cells.find((c) => c.arrangement === tiny)).toBeUndefined()
  })
})
