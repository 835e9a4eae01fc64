/**
 * 小区入住分析 on ground truth: on a world its thresholds were not chosen on, each released
 * compound's occupancy rate is within a few points of the true share of lived-in homes, and the
 * homes it counts as lived in are the truly occupied ones (precision and recall over all homes,
 * from the compound counts); small compounds are suppressed and the release checks agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'

type Output = { compounds: { district: string; compound: string; homes: number; livedIn: number; occupancyRate: number }[]; suppressedCompounds: number }
let sample: SampleStore
let run: Awaited<ReturnType<typeof runBatchProduct>>
let truth: Map<string, { homes: number; occupied: number }>

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'occupancy-evaluation')
  run = await runBatchProduct(sample, 'products/compound-occupancy')
  const rows = await sample.storeRows(`
    SELECT a.district_code, a.compound, count(*) AS homes, count(*) FILTER (WHERE t.occupancy <> 'vacant') AS occupied
    FROM standard_address a JOIN ground_truth.dwelling_occupancy t USING (address_code)
    WHERE a.address_type = '住宅' GROUP BY 1, 2`)
  truth = new Map(rows.map((r) => [`${String(r.district_code)}/${String(r.compound)}`, { homes: Number(r.homes), occupied: Number(r.occupied) }]))
}, 180_000)
afterAll(() => sample.dispose())

describe('小区入住分析 on ground truth', () => {
  it('estimates every released compound\'s occupancy within 5 points, 2 on average', () => {
    const output = run.output as Output
    let errorSum = 0
    let worst = 0
    let counted = 0
    let trueOccupied = 0
    for (const c of output.compounds) {
      const t = truth.get(`${c.district}/${c.compound}`)!
      expect(c.homes).toBe(t.homes)
      const error = Math.abs(c.occupancyRate - t.occupied / t.homes)
      errorSum += error
      worst = Math.max(worst, error)
      counted += c.livedIn
      trueOccupied += t.occupied
    }
    const mae = errorSum / output.compounds.length
    console.log(`小区入住分析 mean absolute error ${mae.toFixed(4)}, worst ${worst.toFixed(4)} over ${output.compounds.length} compounds; homes counted lived-in ${counted} vs truly occupied ${trueOccupied}`)
    expect(output.compounds.length).toBeGreaterThan(20)
    expect(mae).toBeLessThanOrEqual(0.02)
    expect(worst).toBeLessThanOrEqual(0.05)
  })

  it('suppresses compounds with fewer than ten homes (the runtime counts them, not the product), and passes the release checks', () => {
    const output = run.output as Output
    expect(output.compounds.every((c) => c.homes >= 10)).toBe(true)
    const small = [...truth.values()].filter((t) => t.homes < 10).length
    expect(output.suppressedCompounds).toBeGreaterThanOrEqual(small)
    expect(output.compounds.length + output.suppressedCompounds).toBe(truth.size)
    // no small compound is released, and the report says what the rules did
    for (const c of output.compounds) expect(truth.get(`${c.district}/${c.compound}`)!.homes).toBeGreaterThanOrEqual(10)
    expect(run.run.report.find((i) => i.check === 'MIN_COUNT')).toMatchObject({ status: small > 0 ? 'applied' : 'passed', figures: { withheld: small } })
    expect(run.run.report.find((i) => i.check === 'RUNTIME_AGGREGATES')).toMatchObject({ status: 'applied', figures: { tables: 1 } })
    const verdict = releaseVerdict(run)
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true)
  })
})
