/**
 * Attack: singleton groups. A report grouped so finely (district × arrangement × sex × age band)
 * that most groups hold one person, so that each group's figure is that person's. The runtime
 * counts every group's people itself and withholds the ones under ten, whatever the product's own
 * code would do with them; their keys never reach `run`. Positive control: grouped by district,
 * the large groups are released with their exact counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
const FINE = `const p = unit.rows('elderly_info')[0]
  return p === undefined ? {} : { aggregates: { fine: { by: { key: [p.district_code, p.living_arrangement, p.sex, p.birth_date].join('/') } } } }`
const FINE_AGGREGATES = "{ fine: { by: { key: { pattern: '^.{1,60}$', maxLength: 60 } } } }"
const FINE_OUTPUT = "t.object({ cells: t.array(t.object({ key: t.string({ pattern: '^.{1,60}$' }), n: t.integer({ minimum: 0 }) }), { maxItems: 5000 }), suppressed: t.integer({ minimum: 0 }) })"
const FINE_RUN = "const a = ctx.aggregate('fine'); return { cells: a.cells.map((c: any) => ({ key: c.by.key, n: c.count })), suppressed: a.suppressed }"
const COARSE = `const p = unit.rows('elderly_info')[0]
  return p === undefined ? {} : { aggregates: { by_district: { by: { district: String(p.district_code) } } } }`

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-singletons')
  await s.publish(elderlyReportSource('elderly-fine', { classify: FINE, aggregates: FINE_AGGREGATES, output: FINE_OUTPUT, run: FINE_RUN }))
  await s.publish(elderlyReportSource('elderly-coarse', { classify: COARSE }))
}, 120_000)
afterAll(() => s.close())

const resultOf = async (product: string) => {
  return s.released<{ cells: { n: number }[]; suppressed: number }>(product, { spin: 0, district: '' }, 'bank-a')
}

describe('attack: singleton groups', () => {
  it('withholds every group of fewer than ten, counted by the runtime; their keys never reach the output', async () => {
    const fine = await resultOf('elderly-fine')
    expect(fine.suppressed).toBeGreaterThan(50)
    expect(fine.cells.every((c) => c.n >= 10)).toBe(true)
  })

  it('positive control: by district, the large groups are released with their exact counts', async () => {
    const truth = new Map((await s.sample.storeRows(`SELECT district_code AS d, CAST(count(*) AS INTEGER) AS n FROM elderly_info GROUP BY 1`)).map((r) => [String(r.d), Number(r.n)]))
    const coarse = (await resultOf('elderly-coarse')) as unknown as { cells: { district: string; n: number }[] }
    expect(coarse.cells.length).toBeGreaterThan(5)
    for (const c of coarse.cells) expect(c.n).toBe(truth.get(c.district))
  })
})
