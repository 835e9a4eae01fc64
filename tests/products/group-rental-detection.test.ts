/**
 * 群租房智能识别 on ground truth: on a seed its thresholds were not tuned on (they were chosen on
 * `rental-tuning`), the flagged dwellings are the planted group rentals with precision and recall
 * ≥ 0.8; the output passes the release checks and names no person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { checkRelease } from '../../runtime/release/check-release.ts'
import { defaultPolicy } from '../../runtime/release/release-policy.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { precisionRecall, releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'

type Output = { scanned: number; flagged: { address: string; signals: string[] }[] }
let sample: SampleStore
let run: Awaited<ReturnType<typeof runBatchProduct>>
let rentals: Set<string>

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'rental-evaluation')
  // the housing department acting on its own dwellings: the operator approved address codes
  run = await runBatchProduct(sample, 'products/group-rental-detection', {}, { identifiers: true })
  rentals = new Set((await sample.storeRows(`SELECT address_code FROM ground_truth.dwelling_occupancy WHERE occupancy = 'group_rental'`)).map((r) => String(r.address_code)))
}, 180_000)
afterAll(() => sample.dispose())

describe('群租房智能识别 on ground truth', () => {
  it('flags the planted group rentals with precision and recall of at least 0.8', () => {
    const output = run.output as Output
    const quality = precisionRecall(new Set(output.flagged.map((f) => f.address)), rentals)
    console.log(`群租房智能识别 precision ${quality.precision.toFixed(3)} recall ${quality.recall.toFixed(3)} (${quality.flagged} flagged, ${quality.truth} group rentals among ${output.scanned} dwellings)`)
    expect(quality.truth).toBeGreaterThan(50)
    expect(quality.precision, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
    expect(quality.recall, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
  })

  it('passes the release checks and names no person', async () => {
    const text = canonicalJson(run.output)
    expect(findIdentifiers(text)).toEqual([])
    const verdict = releaseVerdict(run)
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true)
    const names = (await sample.storeRows(`SELECT DISTINCT lessee_name FROM rental_registration LIMIT 50`)).map((r) => String(r.lessee_name))
    for (const name of names) expect(text).not.toContain(name)
  })
})
