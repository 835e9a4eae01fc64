/**
 * Attack: label smuggling through an aggregate's keys. `classify` builds each person's cell label
 * from masked personal values (a masked name with the age band and district), hoping the labels
 * leave as keys. Each such label is one person's: the runtime withholds it, and a withheld cell's
 * key never reaches `run`, so no label of fewer than ten people is in the output. Positive control:
 * a label many people share (the masked surname, the district) is released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
const FIELDS = "district_code: '区县', living_arrangement: '居住状况', name: '姓名（部分遮蔽）', birth_date: '年龄段'"
const AGGREGATES = "{ labels: { by: { label: { pattern: '^.{1,60}$', maxLength: 60 } } } }"
const OUTPUT = "t.object({ labels: t.array(t.object({ label: t.string({ pattern: '^.{1,60}$' }), n: t.integer({ minimum: 0 }) }), { maxItems: 5000 }), suppressed: t.integer({ minimum: 0 }) })"
const RUN = "const a = ctx.aggregate('labels'); return { labels: a.cells.map((c: any) => ({ label: c.by.label, n: c.count })), suppressed: a.suppressed }"
const classify = (label: string) => `const p = unit.rows('elderly_info')[0]
  return p === undefined ? {} : { aggregates: { labels: { by: { label: ${label} } } } }`

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-labels')
  await s.publish(elderlyReportSource('smuggled-labels', { fields: FIELDS, aggregates: AGGREGATES, output: OUTPUT, run: RUN, classify: classify("[p.name, p.birth_date, p.district_code].join('|')") }))
  await s.publish(elderlyReportSource('surname-labels', { fields: FIELDS, aggregates: AGGREGATES, output: OUTPUT, run: RUN, classify: classify('String(p.name)') }))
}, 120_000)
afterAll(() => s.close())

const resultOf = async (product: string) => {
  return s.released<{ labels: { label: string; n: number }[]; suppressed: number }>(product, { spin: 0, district: '' }, 'bank-a')
}

describe('attack: label smuggling through aggregate keys', () => {
  it('labels of one person each are withheld and never reach the output', async () => {
    const out = await resultOf('smuggled-labels')
    expect(out.suppressed).toBeGreaterThan(100)
    expect(out.labels.every((l) => l.n >= 10)).toBe(true)
  })

  it('positive control: a masked surname many people share is released', async () => {
    const out = await resultOf('surname-labels')
    expect(out.labels.length).toBeGreaterThanOrEqual(2)
    expect(out.labels.every((l) => l.n >= 10 && /^\S\*/.test(l.label))).toBe(true)
  })
})
