/**
 * Attack: row-level output. A dataset that releases a row per person — to a consumer the operator
 * never approved for row-level release, with keys that would link across consumers, with
 * quasi-identifiers rare enough to single people out. Through the server: refused without the
 * operator's row-level approval for that consumer (ROW_LEVEL_NOT_APPROVED, audited, no result);
 * with it, each consumer gets pseudonyms of its own (two consumers' rows do not link), and rows in
 * a quasi-identifier class of fewer than ten are withheld. A report cannot release rows at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, refusalOf, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
const ROWS = "rows: { fields: { district: { pattern: '^\\\\d{6}$', maxLength: 6 }, arrangement: { values: ['独居', '与配偶同住', '与子女同住', '入住养老机构'] } }, quasi: ['district', 'arrangement'] },"
const CLASSIFY = `const p = unit.rows('elderly_info')[0]
  return p === undefined ? {} : { row: { district: String(p.district_code), arrangement: String(p.living_arrangement) } }`
const OUTPUT = "t.object({ rows: t.array(t.object({ who: t.string({ pattern: '^p_[a-z]{20}$' }), district: t.string({ pattern: '^\\\\d{6}$' }), arrangement: t.string({ pattern: '^.{1,10}$' }) }), { maxItems: 5000 }), withheld: t.integer({ minimum: 0 }) })"
const RUN = "const r = ctx.rows(); return { rows: r.rows.map((x: any) => ({ who: x.unit, district: x.district, arrangement: x.arrangement })), withheld: r.withheld }"

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-rows')
  await s.publish(elderlyReportSource('elderly-rows', { kind: 'dataset', classify: CLASSIFY, extra: ROWS, output: OUTPUT, run: RUN }), {
    decision: { release: { rowLevel: { consumers: ['bank-a', 'bank-b'], identifiers: false } } },
  })
}, 120_000)
afterAll(() => s.close())

const rowsFor = async (consumer: string) => {
  return s.released<{ rows: { who: string; district: string; arrangement: string }[]; withheld: number }>('elderly-rows', { spin: 0, district: '' }, consumer)
}

describe('attack: row-level output', () => {
  it('is refused for a consumer the operator did not approve, audited, with no result', async () => {
    const refusal = refusalOf(await s.run('elderly-rows', { spin: 0, district: '' }, 'bank-c'))
    expect(refusal).toMatchObject({ status: 422, code: 'ERR_RELEASE_REFUSED', reasons: ['ROW_LEVEL_NOT_APPROVED'] })
    expect(s.audit().some((e) => e.action === 'release.refused' && e.actor === 'bank-c' && (e.detail.reasons as string[]).includes('ROW_LEVEL_NOT_APPROVED'))).toBe(true)
  })

  it('gives each approved consumer pseudonyms of its own, and withholds rows of rare quasi-identifier classes', async () => {
    const a = await rowsFor('bank-a')
    const b = await rowsFor('bank-b')
    // positive control: rows do leave for approved consumers
    expect(a.rows.length).toBeGreaterThan(50)
    expect(b.rows.length).toBe(a.rows.length)
    const pseudonymsA = new Set(a.rows.map((r) => r.who))
    expect(b.rows.some((r) => pseudonymsA.has(r.who))).toBe(false)
    // k-anonymity: every released (district, arrangement) class has ten rows or more; some were withheld
    const classes = Map.groupBy(a.rows, (r) => `${r.district}/${r.arrangement}`)
    expect([...classes.values()].every((rows) => rows.length >= 10)).toBe(true)
    expect(a.withheld).toBeGreaterThan(0)
  })

  it('a report declaring rows is refused at load (only datasets release rows)', async () => {
    await expect(s.publish(elderlyReportSource('report-rows', { kind: 'report', classify: CLASSIFY, extra: ROWS, output: OUTPUT, run: RUN }))).rejects.toMatchObject({ code: 'ERR_PRODUCT_INVALID' })
  })
})
