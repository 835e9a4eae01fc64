/**
 * 企业欠税等级评估 — an evaluation on ground truth: on eight seeds no rule was tuned on, how well the
 * risk score ranks the enterprises whose hidden health is poor (< 0.5) above the sound ones, among
 * operating enterprises with a tax record (AUC, with a bootstrap interval; those without one all
 * score 45, unrated, with nothing to rank them by), beside the best single-field rule chosen on the
 * tuning seeds; it passes only where its AUC is at least 0.03 above that rule's on every seed, where
 * the share in poor health rises from grade A to E, and where the score, an estimated chance in
 * percent, is calibrated (expected calibration error ≤ 0.05). Then what is not an evaluation
 * (evaluation-1): grades follow the score, and only bands and codes leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { invokeEach } from '../helpers/api-product-fixture.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { AUC } from '../helpers/metrics.ts'
import { evaluateProduct, type ProductEvaluation } from '../helpers/product-evaluation.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'

const PRODUCT = 'products/enterprise-tax-arrears-grade'
const GRADES = ['A', 'B', 'C', 'D', 'E']
type Output = { riskScore: number; grade: string; outstanding: string; taxCreditGrade: string; reasons: string[] }
let evaluation: ProductEvaluation
/** evaluation-1's answers, enterprise by enterprise. */
let scored: { uscc: string; output: Output }[] = []
let sample: SampleStore

beforeAll(async () => {
  evaluation = await evaluateProduct({
    title: '企业欠税等级评估',
    product: PRODUCT,
    task: { kind: 'rank', metric: AUC },
    // operating enterprises (not shells) with a tax record, each with whether its hidden health is poor
    population: `
      SELECT b.uscc AS entity, CASE WHEN max(h.health) < 0.5 THEN 1 ELSE 0 END AS truth
      FROM enterprise_basic b JOIN ground_truth.enterprise_health h USING (uscc)
      WHERE b.status IN ('存续', '在业') AND h.is_shell = 0
        AND (b.uscc IN (SELECT taxpayer_uscc FROM tax_arrears) OR b.uscc IN (SELECT taxpayer_uscc FROM tax_credit_rating))
      GROUP BY 1`,
    margin: { kind: 'above', by: 0.03 },
    bands: { order: GRADES, bad: (truth) => truth === 1, label: 'health < 0.5' },
    // the risk score is the estimated chance, in percent, of poor health
    probability: true,
    async predict(store, seed, population) {
      const { outputs } = await invokeEach(store, PRODUCT, population.map((p) => p.entity), (uscc) => ({ uscc }))
      const answers = outputs as Output[]
      if (seed === EVALUATION_SEEDS[0]) scored = population.map(({ entity }, i) => ({ uscc: entity, output: answers[i]! }))
      return new Map(population.map(({ entity }, i) => [entity, { value: answers[i]!.riskScore / 100, band: answers[i]!.grade }]))
    },
  })
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
}, 900_000)
afterAll(() => sample?.dispose())

describe('企业欠税等级评估 — evaluation on ground truth', () => {
  it('ranks the enterprises in poor health as riskier than the best single-field rule does, by 0.03 AUC on every evaluation seed', () => {
    console.log(evaluation.report)
    for (const s of evaluation.seeds) expect(s.items, s.seed).toBeGreaterThan(200)
    expect(evaluation.passes, evaluation.report).toBe(true)
  })

  it('grades mean their order: the share in poor health rises from A to E', () => {
    expect(evaluation.bands!.monotone, evaluation.report).toBe(true)
  })

  it('means what it says: a risk score of p is poor health p% of the time, within 5 points on average (expected calibration error)', () => {
    expect(evaluation.probability!.calibrationError, evaluation.report).toBeLessThanOrEqual(0.05)
  })
})

describe('企业欠税等级评估 — what it says', () => {
  it('grades follow the score, and enterprises with arrears say so', () => {
    const sorted = [...scored].sort((a, b) => a.output.riskScore - b.output.riskScore)
    for (let i = 1; i < sorted.length; i++) expect(GRADES.indexOf(sorted[i]!.output.grade)).toBeGreaterThanOrEqual(GRADES.indexOf(sorted[i - 1]!.output.grade))
    for (const s of scored) expect(s.output.outstanding === '无').toBe(!s.output.reasons.includes('存在欠税'))
  })

  it('carries bands and codes only: no identifier, no amount', async () => {
    const withArrears = scored.find((s) => s.output.outstanding !== '无')!
    const text = canonicalJson(withArrears.output)
    expect(findIdentifiers(text)).toEqual([])
    expect(text).not.toContain(withArrears.uscc)
    const amounts = await sample.storeRows(`SELECT CAST(arrears_amount AS VARCHAR) AS a FROM tax_arrears WHERE taxpayer_uscc = $1 AND arrears_amount IS NOT NULL`, [withArrears.uscc])
    for (const a of amounts) expect(text).not.toContain(String(a.a))
  })
})
