/**
 * 个人信用贷 — an evaluation on ground truth: on eight seeds no rule was tuned on, how well the score
 * ranks the people whose hidden financial distress is high (≥ 0.5) below the sound ones, among people
 * with social-insurance records, whom lenders ask about (AUC, with a bootstrap interval), beside the
 * best single-field rule chosen on the tuning seeds; it passes only where its AUC is at least 0.03
 * above that rule's on every seed, and where the share of the distressed rises from grade to grade.
 * Then what is not an evaluation (evaluation-1): reasons read the right way round, grades follow the
 * score, nothing about the person leaves, and consent is needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import type { LoadedProduct } from '../../runtime/products/run-product.ts'
import { invokeEach } from '../helpers/api-product-fixture.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { AUC } from '../helpers/metrics.ts'
import { evaluateProduct, type ProductEvaluation } from '../helpers/product-evaluation.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'

const PRODUCT = 'products/personal-credit-score'
const GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C']
type Output = { score: number; grade: string; reasons: string[] }
let evaluation: ProductEvaluation
/** evaluation-1's answers, person by person. */
let scored: { residentId: string; output: Output }[] = []
let manifest: LoadedProduct['manifest']
let sample: SampleStore

beforeAll(async () => {
  evaluation = await evaluateProduct({
    title: '个人信用贷',
    product: PRODUCT,
    task: { kind: 'rank', metric: AUC },
    // the insured, each with whether their hidden financial distress is high
    population: `
      SELECT t.resident_id AS entity, CASE WHEN max(t.risk) >= 0.5 THEN 1 ELSE 0 END AS truth
      FROM ground_truth.person_risk t WHERE t.resident_id IN (SELECT resident_id FROM social_insurance_payment) GROUP BY 1`,
    margin: { kind: 'above', by: 0.03 },
    bands: { order: GRADES, bad: (truth) => truth === 1, label: 'distress ≥ 0.5' },
    async predict(store, seed, population) {
      const { product, outputs } = await invokeEach(store, PRODUCT, population.map((p) => p.entity), (residentId) => ({ residentId }))
      const answers = outputs as Output[]
      if (seed === EVALUATION_SEEDS[0]) {
        scored = population.map(({ entity }, i) => ({ residentId: entity, output: answers[i]! }))
        manifest = product.manifest
      }
      // a low score means likely distress
      return new Map(population.map(({ entity }, i) => [entity, { value: 900 - answers[i]!.score, band: answers[i]!.grade }]))
    },
  })
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
}, 900_000)
afterAll(() => sample?.dispose())

describe('个人信用贷 — evaluation on ground truth', () => {
  it('ranks the financially distressed below the sound better than the best single-field rule, by 0.03 AUC on every evaluation seed', () => {
    console.log(evaluation.report)
    for (const s of evaluation.seeds) expect(s.items, s.seed).toBeGreaterThan(1000)
    expect(evaluation.passes, evaluation.report).toBe(true)
  })

  it('grades mean their order: the share of the distressed rises from AAA to C', () => {
    expect(evaluation.bands!.monotone, evaluation.report).toBe(true)
  })
})

describe('个人信用贷 — what it says and to whom', () => {
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
    const sorted = [...scored].sort((a, b) => b.output.score - a.output.score)
    for (let i = 1; i < sorted.length; i++) expect(GRADES.indexOf(sorted[i]!.output.grade)).toBeGreaterThanOrEqual(GRADES.indexOf(sorted[i - 1]!.output.grade))
  })

  it('names nothing about the person, not even the ID it was asked about', () => {
    const text = canonicalJson(scored[0]!.output)
    expect(findIdentifiers(text)).toEqual([])
    expect(text).not.toContain(scored[0]!.residentId)
    expect(Object.keys(scored[0]!.output).sort()).toEqual(['grade', 'reasons', 'score'])
  })

  it("is a product about a person: its input's key is a resident ID, so the server demands consent", () => {
    expect(manifest.input.properties.residentId?.['x-identifier']).toBe('resident_id')
  })
})
