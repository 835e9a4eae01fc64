/**
 * 独居老人监测 — an evaluation on ground truth: on eight seeds no rule was tuned on, the homes of
 * elderly people living alone that it flags against those where the generator planted an incident
 * (F1, with a bootstrap interval), beside the best single-field rule chosen on the tuning seeds; it
 * would pass only where its F1 is at least 0.05 above that rule's on every seed, and it does not: a
 * known failure, marked as one (`it.fails`), with the comparison unchanged. Then what is not an
 * evaluation (evaluation-1): the month it flags from; the release as the consumer's pseudonyms,
 * k-anonymous by district and month; the release checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { evaluateProduct, type ProductEvaluation } from '../helpers/product-evaluation.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'

const PRODUCT = 'products/elderly-alone-monitor'
type Output = { watched: number; flagged: { home: string; district: string; since: string }[] }
let evaluation: ProductEvaluation
/** evaluation-1: the run with address codes (the evaluated one) and the run with pseudonyms. */
let withIdentifiers: Awaited<ReturnType<typeof runBatchProduct>>
let run: Awaited<ReturnType<typeof runBatchProduct>>
let sample: SampleStore

beforeAll(async () => {
  evaluation = await evaluateProduct({
    title: '独居老人监测',
    product: PRODUCT,
    task: { kind: 'flag' },
    // the homes of elderly people living alone, with whether an incident befell one of them
    population: `
      SELECT e.address_code AS entity, max(CASE WHEN i.resident_id IS NULL THEN 0 ELSE 1 END) AS truth
      FROM elderly_info e LEFT JOIN ground_truth.elderly_incident i USING (resident_id)
      WHERE e.living_arrangement = '独居' AND e.address_code IS NOT NULL GROUP BY 1`,
    margin: { kind: 'above', by: 0.05 },
    async predict(store, seed) {
      // with address codes: the operator's approval for this public-interest use
      const evaluated = await runBatchProduct(store, PRODUCT, {}, { identifiers: true })
      if (seed === EVALUATION_SEEDS[0]) withIdentifiers = evaluated
      return new Map((evaluated.output as Output).flagged.map((f) => [f.home, { value: 1 }]))
    },
  })
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
  run = await runBatchProduct(sample, PRODUCT)
}, 900_000)
afterAll(() => sample?.dispose())

describe('独居老人监测 — evaluation on ground truth', () => {
  it('is measured against the best single-field rule on every evaluation seed', () => {
    console.log(evaluation.report)
    for (const s of evaluation.seeds) expect(s.positives, s.seed).toBeGreaterThan(10)
  })

  // A known failure, not a weaker test: on generator version 3 a late trip of a fit person and a late
  // incident look alike in the water (the care level, which tells some of them apart, is dropped by
  // its mask), so the product is only level with the rule "last month's water ≤ 1.19 m³" (README).
  // When it beats the rule by the margin on every seed, this fails: make it an ordinary `it` then.
  it.fails('does not yet flag the planted incidents better than the best single-field rule by 0.05 F1 on every evaluation seed (known failure)', () => {
    expect(evaluation.passes, evaluation.report).toBe(true)
  })
})

describe('独居老人监测 — release', () => {
  it('flags a true incident from the month it happened', async () => {
    const incidents = new Map(
      (await sample.storeRows(`SELECT e.address_code, min(i.incident_period) AS period FROM ground_truth.elderly_incident i JOIN elderly_info e USING (resident_id) GROUP BY 1`)).map((r) => [String(r.address_code), String(r.period)]),
    )
    const found = (withIdentifiers.output as Output).flagged.filter((f) => incidents.has(f.home))
    const onTime = found.filter((f) => incidents.get(f.home) === f.since).length
    console.log(`独居老人监测 evaluation-1: ${onTime} of ${found.length} true flags from the month of the incident`)
    expect(found.length).toBeGreaterThan(0)
    expect(onTime / found.length).toBeGreaterThanOrEqual(0.8)
  })

  it('with pseudonyms: the same homes less those too few to share their district and month (k-anonymity); no address code', async () => {
    const homes = (await sample.storeRows(`SELECT DISTINCT address_code FROM elderly_info WHERE living_arrangement = '独居' AND address_code IS NOT NULL`)).map((r) => String(r.address_code))
    const output = run.output as Output
    const unmask = run.unmask(homes)
    const named = new Set((withIdentifiers.output as Output).flagged.map((f) => f.home))
    const released = output.flagged.map((f) => unmask.get(f.home))
    expect(released.every((h) => h !== undefined && named.has(h))).toBe(true)
    // every released (district, month) class holds at least ten homes
    const classes = new Map<string, number>()
    for (const f of output.flagged) classes.set(`${f.district}/${f.since}`, (classes.get(`${f.district}/${f.since}`) ?? 0) + 1)
    expect([...classes.values()].every((n) => n >= 10)).toBe(true)
    const text = canonicalJson(run.output)
    for (const code of homes.slice(0, 100)) expect(text).not.toContain(code)
  })

  it('passes the release checks, identifiers only where approved', () => {
    expect(findIdentifiers(canonicalJson(run.output))).toEqual([])
    expect(releaseVerdict(run).ok).toBe(true)
    expect(releaseVerdict(withIdentifiers).ok).toBe(true)
  })
})
