/**
 * Attack: a histogram whose edges are the data's own extremes (so that the first and last bins
 * each hold one person, at a known value), or the extremes asked for outright. In the runtime's
 * model bands are fixed in the manifest before any data is seen; a unit's classification sees
 * only its own rows, so it cannot learn the extremes to place edges on them; `min` and `max` are
 * released only when at least ten people share the value; and a dimension carrying exact values
 * (open labels, one person each) is withheld cell by cell. Positive control: a histogram over
 * bands declared in advance is released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
const FIELDS = "district_code: '区县', registered_on: '登记日期'"
const DAYS = "(Date.parse(String(p.registered_on)) / 86400000)"
const run = (name: string, cols: string) => `const a = ctx.aggregate('${name}'); return { cells: a.cells.map((c: any) => ({ ${cols} })), suppressed: a.suppressed }`
const OUT = (cols: string) => `t.object({ cells: t.array(t.object({ ${cols} }), { maxItems: 5000 }), suppressed: t.integer({ minimum: 0 }) })`

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-histogram')
  // the extremes of registration day per district, asked for outright
  await s.publish(
    elderlyReportSource('extremes', {
      fields: FIELDS,
      aggregates: "{ days: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 } }, measures: { first: { min: { min: 0, max: 40000 } }, last: { max: { min: 0, max: 40000 } } } } }",
      classify: `const p = unit.rows('elderly_info')[0]; if (p === undefined || p.registered_on === null) return {}
        return { aggregates: { days: { by: { district: String(p.district_code) }, values: { first: ${DAYS}, last: ${DAYS} } } } }`,
      output: OUT('district: t.string({ pattern: \'^\\\\d{6}$\' }), first: t.nullable(t.number()), last: t.nullable(t.number())'),
      run: run('days', 'district: c.by.district, first: c.values.first ?? null, last: c.values.last ?? null'),
    }),
  )
  // each person's exact day as a bin of its own
  await s.publish(
    elderlyReportSource('exact-bins', {
      fields: FIELDS,
      aggregates: "{ bins: { by: { day: { pattern: '^\\\\d{4}-\\\\d{2}-\\\\d{2}$', maxLength: 10 } } } }",
      classify: `const p = unit.rows('elderly_info')[0]; return p === undefined || p.registered_on === null ? {} : { aggregates: { bins: { by: { day: String(p.registered_on) } } } }`,
      output: OUT("bin: t.string({ pattern: '^.{1,20}$' }), n: t.integer({ minimum: 0 })"),
      run: run('bins', 'bin: c.by.day, n: c.count'),
    }),
  )
  // bands declared in advance
  await s.publish(
    elderlyReportSource('declared-bins', {
      fields: FIELDS,
      aggregates: '{ bins: { by: { band: { edges: [7300, 10950, 14600, 18250] } } } }',
      classify: `const p = unit.rows('elderly_info')[0]; return p === undefined || p.registered_on === null ? {} : { aggregates: { bins: { by: { band: ${DAYS} } } } }`,
      output: OUT("bin: t.string({ pattern: '^.{1,20}$' }), n: t.integer({ minimum: 0 })"),
      run: run('bins', 'bin: c.by.band, n: c.count'),
    }),
  )
}, 120_000)
afterAll(() => s.close())

const resultOf = async (product: string) => {
  return s.released<{ cells: Record<string, unknown>[]; suppressed: number }>(product, { spin: 0, district: '' }, 'bank-a')
}

describe('attack: histogram edges from the data, and extremes', () => {
  it('a district\'s first and last registration day are withheld unless ten people share them', async () => {
    const out = await resultOf('extremes')
    expect(out.cells.length).toBeGreaterThan(3)
    expect(out.cells.every((c) => c.first === null && c.last === null)).toBe(true)
  })

  it('bins of each person\'s exact value are withheld one by one', async () => {
    const out = await resultOf('exact-bins')
    expect(out.suppressed).toBeGreaterThan(100)
    expect(out.cells.every((c) => (c.n as number) >= 10)).toBe(true)
  })

  it('positive control: a histogram over bands declared in advance is released, every band of it', async () => {
    const out = await resultOf('declared-bins')
    const labels = ['<7300', '7300-10950', '10950-14600', '14600-18250', '>=18250']
    // the declared bands only; each released as a zero, or with ten people or more
    expect(out.cells.every((c) => labels.includes(c.bin as string) && ((c.n as number) === 0 || (c.n as number) >= 10))).toBe(true)
    expect(out.cells.filter((c) => (c.n as number) >= 10).length).toBeGreaterThanOrEqual(1)
    expect(out.cells.length + out.suppressed).toBe(labels.length)
  })
})
