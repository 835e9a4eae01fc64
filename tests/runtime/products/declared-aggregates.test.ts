/**
 * Declared aggregates (`from`): the runtime computes them in the database from the unit table, no
 * partner code per unit. Through the server: the same aggregate declared and computed through
 * `classify` releases the same cells (sums, means, extremes, quantiles; small cells withheld
 * alike); a filter on the input is part of the audited query, so differencing across the two paths
 * is caught; classify cannot contribute to a declared aggregate; a declaration reading a field the
 * scenario does not ask for is refused at publication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyCountSource, elderlyGroups, elderlyReportSource, smallBesideLarge, type AttackServer } from '../../helpers/attack-server.ts'

let s: AttackServer

const MEASURES = "{ capital: { sum: { min: 0, max: 5000 } }, avg: { mean: { min: 0, max: 5000 } }, low: { min: { min: 0, max: 5000 } }, high: { max: { min: 0, max: 5000 } }, median: { quantile: { q: 0.5, min: 0, max: 5000 } } }"

/** The same report declared or classified: by district (open), and by district × capital band (a closed grid). */
function enterpriseSource(id: string, declared: boolean, districts: readonly string[]): string {
  const from = declared ? ", from: { by: { district: 'district_code' }, values: { capital: 'registered_capital', avg: 'registered_capital', low: 'registered_capital', high: 'registered_capital', median: 'registered_capital' } }" : ''
  const bandFrom = declared ? ", from: { by: { district: 'district_code', band: 'registered_capital' }, values: { capital: 'registered_capital' } }" : ''
  const classify = declared
    ? ''
    : `classify(unit: any): any {
    const e = unit.rows('enterprise_basic')[0]
    if (e === undefined || e.district_code === null) return {}
    // a unit whose capital was not delivered is counted in its district, without a value (as declared)
    const c = e.registered_capital === null ? null : Number(e.registered_capital)
    const inGrid = c !== null && ${JSON.stringify(districts)}.includes(e.district_code)
    return { aggregates: { by_district: { by: { district: e.district_code }, values: c === null ? {} : { capital: c, avg: c, low: c, high: c, median: c } }, ...(inGrid ? { by_band: { by: { district: e.district_code, band: c }, values: { capital: c } } } : {}) } }
  },`
  return `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: '${id}', version: '1.0.0', kind: 'report', title: '企业注册资本', category: '产业发展', description: 'fixture',
  scenario: { purpose: '按区县统计企业注册资本', tables: { enterprise_basic: { key: 'uscc', fields: { district_code: '区县', registered_capital: '注册资本' } } } },
  unit: 'enterprise_basic',
  aggregates: {
    by_district: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 } }, measures: ${MEASURES}${from} },
    by_band: { by: { district: { values: ${JSON.stringify(districts)} }, band: { edges: [100] } }, measures: { capital: { sum: { min: 0, max: 5000 } } }${bandFrom} },
  },
  input: t.object({}),
  output: t.object({ bands: t.array(t.object({ key: t.string({ pattern: '^.{1,40}$' }), n: t.integer({ minimum: 0 }), capital: t.nullable(t.number()) }), { maxItems: 1000 }), cells: t.array(t.object({ district: t.string({ pattern: '^\\\\d{6}$' }), n: t.integer({ minimum: 0 }), capital: t.nullable(t.number()), avg: t.nullable(t.number()), low: t.nullable(t.number()), high: t.nullable(t.number()), median: t.nullable(t.number()) }), { maxItems: 1000 }), suppressed: t.integer({ minimum: 0 }), units: t.nullable(t.integer({ minimum: 0 })) }),
  ${classify}
  run(ctx: any): any { const a = ctx.aggregate('by_district'); const b = ctx.aggregate('by_band'); return { bands: b.cells.map((c: any) => ({ key: c.by.district + '/' + c.by.band, n: c.count, capital: c.values.capital ?? null })), cells: a.cells.map((c: any) => ({ district: c.by.district, n: c.count, capital: c.values.capital ?? null, avg: c.values.avg ?? null, low: c.values.low ?? null, high: c.values.high ?? null, median: c.values.median ?? null })), suppressed: a.suppressed, units: ctx.units } },
})
`
}

type Cell = { district: string; n: number; capital: number | null; avg: number | null; low: number | null; high: number | null; median: number | null }
type Released = { bands: { key: string; n: number; capital: number | null }[]; cells: Cell[]; suppressed: number; units: number | null }

beforeAll(async () => {
  s = await createAttackServer(20_000, 'declared-aggregates')
  const districts = (await s.sample.storeRows(`SELECT district_code AS d FROM enterprise_basic WHERE district_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`)).map((r) => String(r.d))
  await s.publish(enterpriseSource('capital-declared', true, districts))
  await s.publish(enterpriseSource('capital-classified', false, districts))
}, 180_000)
afterAll(() => s.close())

describe('declared aggregates', () => {
  it('release the same cells as the same aggregate through classify', async () => {
    const declared = await s.released<Released>('capital-declared', {}, 'bank-a')
    const classified = await s.released<Released>('capital-classified', {}, 'bank-b')
    const byDistrict = (r: Released) => [...r.cells].sort((a, b) => a.district.localeCompare(b.district))
    expect(byDistrict(declared).length).toBeGreaterThan(3)
    expect(declared.units).toBe(classified.units)
    expect(declared.suppressed).toBe(classified.suppressed)
    const [d, c] = [byDistrict(declared), byDistrict(classified)]
    expect(d.map((x) => [x.district, x.n])).toEqual(c.map((x) => [x.district, x.n]))
    const measures = ['capital', 'avg', 'low', 'high', 'median'] as const
    d.forEach((x, i) => {
      for (const k of measures) {
        if (c[i]![k] === null) expect(x[k]).toBeNull()
        else expect(x[k]).toBeCloseTo(c[i]![k]!, 6)
      }
    })
    // some measures pass and some are withheld (extremes rarely shared by ten)
    expect(d.some((x) => x.capital !== null)).toBe(true)
    expect(d.some((x) => x.low === null)).toBe(true)
    // the closed grid: every cell listed in the grid's order, with the same labels, counts and sums
    expect(declared.bands.map((b) => b.key)).toEqual(classified.bands.map((b) => b.key))
    expect(declared.bands.length).toBeGreaterThan(0)
    declared.bands.forEach((b, i) => {
      expect(b.n).toBe(classified.bands[i]!.n)
      if (classified.bands[i]!.capital === null) expect(b.capital).toBeNull()
      else expect(b.capital).toBeCloseTo(classified.bands[i]!.capital!, 6)
    })
    expect(declared.bands.some((b) => b.n >= 10)).toBe(true)
    // and the truth: counts per district from the raw store, for the released districts
    const truth = new Map((await s.sample.storeRows(`SELECT district_code AS d, CAST(count(*) AS INTEGER) AS n FROM enterprise_basic WHERE district_code IS NOT NULL GROUP BY 1`)).map((r) => [String(r.d), Number(r.n)]))
    for (const x of d) expect(x.n).toBe(truth.get(x.district))
  })

  it('a filter on the input is audited: differencing through declared queries, or across the two paths, is withheld; positive control to another consumer', async () => {
    const { district, small, others } = await smallBesideLarge(s.sample)
    await s.publish(
      elderlyReportSource('elderly-declared-count', {
        input: "t.object({ district: t.string({ pattern: '^\\\\d{6}$' }), arrangements: t.array(t.enum(['独居', '与配偶同住', '与子女同住', '入住养老机构']), { maxItems: 4 }) })",
        aggregates: "{ total: { by: {}, from: { by: {}, where: { district_code: { input: 'district' }, living_arrangement: { input: 'arrangements' } } } } }",
        classify: 'return {}',
        output: 't.object({ n: t.nullable(t.integer({ minimum: 0 })) })',
        run: "const c = ctx.aggregate('total').cells[0]; return { n: c === undefined ? null : c.count }",
      }),
    )
    await s.publish(elderlyCountSource('elderly-classified-count'))
    const count = async (product: string, consumer: string, arrangements: string[]) => (await s.released<{ n: number | null }>(product, { district, arrangements }, consumer)).n
    const truth = (await elderlyGroups(s.sample)).filter((g) => g.district === district).reduce((a, g) => a + g.n, 0)

    expect(await count('elderly-declared-count', 'bank-c', others)).toBeGreaterThanOrEqual(10)
    expect(await count('elderly-declared-count', 'bank-c', [...others, small])).toBeNull()
    // across the two paths: the first count through classify, the second declared
    expect(await count('elderly-classified-count', 'bank-e', others)).toBeGreaterThanOrEqual(10)
    expect(await count('elderly-declared-count', 'bank-e', [...others, small])).toBeNull()
    // positive control: the second count alone, to a consumer that had nothing before
    expect(await count('elderly-declared-count', 'bank-d', [...others, small])).toBe(truth)
  })

  it('classify cannot contribute to a declared aggregate', async () => {
    await s.publish(
      elderlyReportSource('elderly-declared-smuggle', {
        aggregates: "{ by_district: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 } }, from: { by: { district: 'district_code' } } }, other: { by: { g: { values: ['x'] } } } }",
        classify: "return { aggregates: { by_district: { by: { district: '340102' } } } }",
      }),
    )
    const r = await s.run('elderly-declared-smuggle', { spin: 0, district: '' })
    expect(r.statusCode).toBeGreaterThanOrEqual(400)
    expect((r.json() as { code: string }).code).toBe('ERR_SANDBOX_INVALID_OUTPUT')
  })

  it('a declaration that reads a field the scenario does not ask for is refused at publication; positive control: the approved field', async () => {
    const source = (field: string) =>
      elderlyReportSource(`elderly-declared-${field.replace(/_/g, '-')}`, {
        aggregates: `{ by_district: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 } }, from: { by: { district: '${field}' } } } }`,
        classify: 'return {}',
      })
    await expect(s.publish(source('care_level'))).rejects.toMatchObject({ code: 'ERR_PRODUCT_INVALID', details: { issues: [expect.stringMatching(/elderly_info\.care_level, which the scenario does not ask for/)] } })
    await expect(s.publish(source('district_code'))).resolves.toBeDefined()
  })

  it('under differential privacy a declared aggregate is released whole, with noise at the stated scale, and spends the budget', async () => {
    await s.publish(
      elderlyReportSource('elderly-declared-noisy', {
        aggregates: "{ by_arrangement: { by: { arrangement: { values: ['独居', '与配偶同住', '与子女同住', '入住养老机构'] } }, from: { by: { arrangement: 'living_arrangement' } } } }",
        classify: 'return {}',
        output: "t.object({ cells: t.array(t.object({ arrangement: t.string({ pattern: '^.{1,10}$' }), n: t.integer({ minimum: -1000000, maximum: 1000000 }) }), { maxItems: 10 }), scale: t.number({ minimum: 0, maximum: 1000 }) })",
        run: "const a = ctx.aggregate('by_arrangement'); return { cells: a.cells.map((c: any) => ({ arrangement: c.by.arrangement, n: c.count })), scale: a.noise.scale.count }",
      }),
      { decision: { release: { privacy: { epsilon: 1, budget: 1, periodDays: 30 } } } },
    )
    const out = await s.released<{ cells: { arrangement: string; n: number }[]; scale: number }>('elderly-declared-noisy', { spin: 0, district: '' }, 'bank-f')
    expect(out.scale).toBe(1)
    expect(out.cells.map((c) => c.arrangement).sort()).toEqual(['与子女同住', '与配偶同住', '入住养老机构', '独居'].sort())
    const truth = new Map((await s.sample.storeRows(`SELECT living_arrangement AS a, CAST(count(*) AS INTEGER) AS n FROM elderly_info GROUP BY 1`)).map((x) => [String(x.a), Number(x.n)]))
    for (const c of out.cells) expect(Math.abs(c.n - (truth.get(c.arrangement) ?? 0))).toBeLessThanOrEqual(30)
    // the budget of one release is spent: the next run is refused
    const again = await s.run('elderly-declared-noisy', { spin: 0, district: '' }, 'bank-f')
    expect(again.statusCode).toBe(429)
    expect((again.json() as { code: string }).code).toBe('ERR_PRIVACY_BUDGET_EXHAUSTED')
  })
})
