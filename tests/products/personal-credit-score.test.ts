/**
 * 个人信用贷 on ground truth: on a world its points were not chosen on, the score ranks the people
 * whose hidden financial distress is high (≥ 0.5) below the sound ones with AUC ≥ 0.8 (among people
 * with social-insurance records, whom lenders ask about); grades follow the score; the output names
 * nothing about the person, and through the server it needs that person's consent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'
import { auc } from '../helpers/auc.ts'

type Output = { score: number; grade: string; reasons: string[] }
let sample: SampleStore
let fixture: ApiProductFixture
const scored: { residentId: string; risk: number; output: Output }[] = []

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'personal-evaluation')
  fixture = await openApiProduct(sample, 'products/personal-credit-score')
  const people = await sample.storeRows(`SELECT DISTINCT t.resident_id, t.risk FROM ground_truth.person_risk t JOIN social_insurance_payment p USING (resident_id)`)
  for (const p of people) {
    const residentId = String(p.resident_id)
    const { output } = await fixture.invoke(residentId, { residentId })
    scored.push({ residentId, risk: Number(p.risk), output: output as Output })
  }
}, 180_000)

afterAll(async () => {
  await fixture.close()
  sample.dispose()
})

describe('个人信用贷 on ground truth', () => {
  it('ranks the financially distressed below the sound, AUC ≥ 0.8', () => {
    const value = auc(scored.map((s) => 900 - s.output.score), scored.map((s) => s.risk >= 0.5))
    console.log(`个人信用贷 AUC ${value.toFixed(3)} over ${scored.length} insured persons (${scored.filter((s) => s.risk >= 0.5).length} distressed)`)
    expect(scored.length).toBeGreaterThan(1000)
    expect(value).toBeGreaterThanOrEqual(0.8)
  })

  it('reads every record the right way round: a listed debtor, a pledge to a small lender, no property', async () => {
    const set = async (sql: string) => new Set((await sample.storeRows(sql)).map((r) => String(r.id)))
    const debtors = await set(`SELECT DISTINCT debtor_resident_id AS id FROM dishonest_debtor WHERE removed_on IS NULL AND debtor_resident_id IS NOT NULL`)
    const smallLender = await set(`SELECT DISTINCT mortgagor_resident_id AS id FROM mortgage WHERE status = '有效' AND mortgagee_class IN ('小额贷款公司', '融资担保公司')`)
    const owners = await set(`SELECT DISTINCT holder_resident_id AS id FROM property_right_holder WHERE holder_resident_id IS NOT NULL`)
    let listed = 0
    for (const s of scored) {
      // the heaviest reason is always reported: exactly the people the court lists
      expect(s.output.reasons.includes('失信被执行'), s.residentId).toBe(debtors.has(s.residentId))
      if (debtors.has(s.residentId)) {
        listed++
        expect(s.output.score).toBeLessThanOrEqual(510)
      }
      if (s.output.reasons.includes('小贷抵押')) expect(smallLender.has(s.residentId)).toBe(true)
      if (s.output.reasons.includes('无自有房产')) expect(owners.has(s.residentId)).toBe(false)
    }
    expect(listed).toBeGreaterThan(0)
  })

  it('grades follow the score', () => {
    const order = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C']
    const sorted = [...scored].sort((a, b) => b.output.score - a.output.score)
    for (let i = 1; i < sorted.length; i++) expect(order.indexOf(sorted[i]!.output.grade)).toBeGreaterThanOrEqual(order.indexOf(sorted[i - 1]!.output.grade))
  })

  it('names nothing about the person, not even the ID it was asked about', () => {
    const text = canonicalJson(scored[0]!.output)
    expect(findIdentifiers(text)).toEqual([])
    expect(text).not.toContain(scored[0]!.residentId)
    expect(Object.keys(scored[0]!.output).sort()).toEqual(['grade', 'reasons', 'score'])
  })

  it("is a product about a person: its input's key is a resident ID, so the server demands consent", () => {
    expect(fixture.product.manifest.input.properties.residentId?.['x-identifier']).toBe('resident_id')
  })
})
