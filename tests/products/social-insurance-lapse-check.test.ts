/**
 * 社保断缴核验 — a correctness test, not an evaluation: the product reports the months without a paid
 * pension contribution, so the truth is a query over the same payment records it reads and agreement
 * proves correct copying, not insight. For every insured person of a world its rules were not written
 * on, its answer equals that query; the output names nothing but months; and through the server it
 * needs the person's consent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'

let sample: SampleStore
let fixture: ApiProductFixture
const truth = new Map<string, string[]>()
const FROM = '202401'
const TO = '202512'

beforeAll(async () => {
  sample = await createSampleStore(5000, 'lapse-correctness')
  fixture = await openApiProduct(sample, 'products/social-insurance-lapse-check')
  // the truth, computed on the raw store: months of the period without a paid pension contribution
  const rows = await sample.storeRows(`
    WITH months AS (SELECT strftime(m, '%Y%m') AS period FROM range(DATE '2024-01-01', DATE '2026-01-01', INTERVAL 1 MONTH) r(m)),
         people AS (SELECT DISTINCT resident_id FROM social_insurance_payment),
         paid AS (SELECT DISTINCT resident_id, period FROM social_insurance_payment WHERE insurance_type = '企业职工基本养老保险' AND payment_status IN ('已缴费', '补缴'))
    SELECT p.resident_id, list(m.period ORDER BY m.period) FILTER (WHERE paid.period IS NULL) AS lapsed
    FROM people p CROSS JOIN months m LEFT JOIN paid ON paid.resident_id = p.resident_id AND paid.period = m.period GROUP BY 1`)
  for (const r of rows) truth.set(String(r.resident_id), ((r.lapsed as string[] | null) ?? []).map(String))
}, 180_000)

afterAll(async () => {
  await fixture?.close()
  sample?.dispose()
})

describe('社保断缴核验 — correctness: answers exactly what the payment records say', () => {
  it('answers exactly what the payment records say, for every insured person (a query over the fields it reads)', async () => {
    const people = [...truth.keys()]
    let agree = 0
    let lapsed = 0
    for (const residentId of people) {
      const input = { residentId, from: FROM, to: TO }
      const { output } = await fixture.invoke(residentId, input)
      const o = output as { lapsed: boolean; months: string[] }
      const want = truth.get(residentId)!
      if (o.lapsed === want.length > 0 && JSON.stringify(o.months) === JSON.stringify(want)) agree++
      if (o.lapsed) lapsed++
    }
    console.log(`社保断缴核验 agreement ${(agree / people.length).toFixed(4)} over ${people.length} insured persons (${lapsed} with a lapse)`)
    expect(agree).toBe(people.length)
    // the planted lapses exist: some people lapse, most do not
    expect(lapsed).toBeGreaterThan(people.length * 0.02)
    expect(lapsed).toBeLessThan(people.length * 0.9)
  }, 120_000)

  it("refuses a period reversed, longer than three years or past the data, with the product's codes", async () => {
    const residentId = [...truth.keys()][0]!
    const codes: unknown[] = []
    for (const [from, to] of [['202512', '202401'], ['202001', '202512'], ['202501', '202602']]) {
      codes.push(await fixture.invoke(residentId, { residentId, from, to }).then(() => 'ok', (e: { details?: { productCode?: string } }) => e.details?.productCode))
    }
    expect(codes).toEqual(['PERIOD_REVERSED', 'PERIOD_TOO_LONG', 'PERIOD_AFTER_DATA'])
  })

  it('outputs months only: no identifier, not even the one it was asked about', async () => {
    const residentId = [...truth.entries()].find(([, m]) => m.length > 0)![0]
    const { output } = await fixture.invoke(residentId, { residentId, from: FROM, to: TO })
    const text = canonicalJson(output)
    expect(findIdentifiers(text)).toEqual([])
    expect(text).not.toContain(residentId)
    expect(Object.keys(output as object).sort()).toEqual(['lapsed', 'months'])
  })

  it("is a product about a person: the server demands that person's consent", () => {
    expect(fixture.product.manifest.input.properties[fixture.product.manifest.entityKey!]?.['x-identifier']).toBe('resident_id')
  })
})
