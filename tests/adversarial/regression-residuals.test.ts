/**
 * Attack: a regression with few residual degrees of freedom, and its residuals. A product fits a
 * model per small group (where the fit nearly passes through every point) and wants each person's
 * residual (their value minus the fit: their value, for whoever knows the fit). The runtime fits
 * regressions itself, releases coefficients only with at least ten residual degrees of freedom, and
 * never hands `run` a residual or a prediction — a per-person "cell" is withheld as a singleton.
 * Positive control: the same fit over districts large enough is released, with its coefficients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
// y: lives alone (0/1); x: male (0/1); one fit per group
const FIT = (group: string) => `const p = unit.rows('elderly_info')[0]
  if (p === undefined) return {}
  return { aggregates: { fits: { by: { group: ${group} }, values: { alone: p.living_arrangement === '独居' ? 1 : 0, male: p.sex === '男' ? 1 : 0 } } } }`
const AGGREGATES = "{ fits: { by: { group: { pattern: '^.{1,60}$', maxLength: 60 } }, measures: { alone: { regression: { x: ['male'], min: 0, max: 1 } } } } }"
const OUTPUT = "t.object({ fits: t.array(t.object({ group: t.string({ pattern: '^.{1,60}$' }), n: t.integer({ minimum: 0 }), intercept: t.nullable(t.number()), slope: t.nullable(t.number()) }), { maxItems: 5000 }), withheld: t.integer({ minimum: 0 }) })"
const RUN = "const a = ctx.aggregate('fits'); const cells = a.cells.map((c: any) => ({ group: c.by.group, n: c.count, intercept: c.values['alone:intercept'] ?? null, slope: c.values['alone:male'] ?? null })); return { fits: cells, withheld: a.suppressed + cells.filter((c: any) => c.slope === null).length }"

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-regression')
  // groups of a district and an age band: 10 to 20 people, a fit with 2 terms has 8 to 18 residual degrees of freedom
  await s.publish(elderlyReportSource('fit-small', { classify: FIT("[p.district_code, p.birth_date, p.living_arrangement].join('/')"), aggregates: AGGREGATES, output: OUTPUT, run: RUN }))
  // one "group" per person: each would be that person's residual
  await s.publish(elderlyReportSource('fit-per-person', { classify: FIT("[p.district_code, p.birth_date, p.sex, p.living_arrangement, p.name].join('/')"), aggregates: AGGREGATES, output: OUTPUT, run: RUN, fields: "district_code: '区县', living_arrangement: '居住状况', sex: '性别', birth_date: '年龄段', name: '姓名'" }))
  await s.publish(elderlyReportSource('fit-district', { classify: FIT('String(p.district_code)'), aggregates: AGGREGATES, output: OUTPUT, run: RUN }))
}, 120_000)
afterAll(() => s.close())

const fitsOf = async (product: string) => {
  return s.released<{ fits: { n: number; slope: number | null }[]; withheld: number }>(product, { spin: 0, district: '' }, 'bank-a')
}

describe('attack: regressions with few residual degrees of freedom, and residuals', () => {
  it('no fit with fewer than ten residual degrees of freedom is released', async () => {
    const small = await fitsOf('fit-small')
    expect(small.withheld).toBeGreaterThan(0)
    // released fits have n − 2 ≥ 10
    expect(small.fits.filter((f) => f.slope !== null).every((f) => f.n - 2 >= 10)).toBe(true)
  })

  it('per-person fits (residuals) are withheld whole', async () => {
    const perPerson = await fitsOf('fit-per-person')
    expect(perPerson.fits.filter((f) => f.slope !== null)).toEqual([])
  })

  it('positive control: fits over whole districts are released with their coefficients', async () => {
    const districts = await fitsOf('fit-district')
    const released = districts.fits.filter((f) => f.slope !== null)
    expect(released.length).toBeGreaterThan(3)
    expect(released.every((f) => f.n >= 12)).toBe(true)
  })
})
