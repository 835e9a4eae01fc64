/**
 * 企业欠税等级评估 on ground truth: on a world its weights were not chosen on, the risk score ranks
 * the enterprises whose hidden health is poor (< 0.5) above the sound ones with AUC ≥ 0.8; grades
 * follow the score; the output carries bands and codes only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'
import { auc } from '../helpers/auc.ts'

type Output = { riskScore: number; grade: string; outstanding: string; taxCreditGrade: string; reasons: string[] }
let sample: SampleStore
let fixture: ApiProductFixture
const scored: { uscc: string; health: number; output: Output }[] = []

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'tax-evaluation')
  fixture = await openApiProduct(sample, 'products/enterprise-tax-arrears-grade')
  // the enterprises with a tax record: those without one all score 45 (unrated), with nothing to rank them by
  const rows = await sample.storeRows(
    `SELECT b.uscc, h.health FROM enterprise_basic b JOIN ground_truth.enterprise_health h USING (uscc) WHERE b.status IN ('存续', '在业') AND h.is_shell = 0
       AND (b.uscc IN (SELECT taxpayer_uscc FROM tax_arrears) OR b.uscc IN (SELECT taxpayer_uscc FROM tax_credit_rating))`,
  )
  for (const r of rows) {
    const uscc = String(r.uscc)
    const { output } = await fixture.invoke(uscc, { uscc })
    scored.push({ uscc, health: Number(r.health), output: output as Output })
  }
}, 180_000)

afterAll(async () => {
  await fixture.close()
  sample.dispose()
})

describe('企业欠税等级评估 on ground truth', () => {
  it('ranks the enterprises in poor health as riskier, AUC ≥ 0.8', () => {
    const value = auc(scored.map((s) => s.output.riskScore), scored.map((s) => s.health < 0.5))
    console.log(`企业欠税等级评估 AUC ${value.toFixed(3)} over ${scored.length} enterprises (${scored.filter((s) => s.health < 0.5).length} in poor health)`)
    expect(scored.length).toBeGreaterThan(200)
    expect(value).toBeGreaterThanOrEqual(0.8)
  })

  it('grades follow the score, and enterprises with arrears say so', () => {
    const order = ['A', 'B', 'C', 'D', 'E']
    const sorted = [...scored].sort((a, b) => a.output.riskScore - b.output.riskScore)
    for (let i = 1; i < sorted.length; i++) expect(order.indexOf(sorted[i]!.output.grade)).toBeGreaterThanOrEqual(order.indexOf(sorted[i - 1]!.output.grade))
    for (const s of scored) expect(s.output.outstanding === '无').toBe(!s.output.reasons.includes('存在欠税'))
  })

  it('carries bands and codes only: no identifier, no amount', async () => {
    const withArrears = scored.find((s) => s.output.outstanding !== '无')!
    const text = canonicalJson(withArrears.output)
    expect(findIdentifiers(text)).toEqual([])
    expect(text).not.toContain(withArrears.uscc)
    const amounts = await sample.storeRows(`SELECT CAST(arrears_amount AS VARCHAR) AS a FROM tax_arrears WHERE taxpayer_uscc = $1`, [withArrears.uscc])
    for (const a of amounts) expect(text).not.toContain(String(a.a))
  })
})
