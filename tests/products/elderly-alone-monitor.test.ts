/**
 * 独居老人监测 on ground truth: on a world its threshold was not chosen on, the people flagged are the
 * elderly living alone whose incident the generator planted (precision and recall ≥ 0.8), flagged
 * from the month it happened; the output carries pseudonyms, districts and months only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { precisionRecall, releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'

type Output = { watched: number; flagged: { person: string; district: string; since: string }[] }
let sample: SampleStore
let run: Awaited<ReturnType<typeof runBatchProduct>>
let incidents: Map<string, string>
let alone: string[]

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'elderly-evaluation')
  run = await runBatchProduct(sample, 'products/elderly-alone-monitor')
  incidents = new Map((await sample.storeRows(`SELECT resident_id, incident_period FROM ground_truth.elderly_incident`)).map((r) => [String(r.resident_id), String(r.incident_period)]))
  alone = (await sample.storeRows(`SELECT resident_id FROM elderly_info WHERE living_arrangement = '独居'`)).map((r) => String(r.resident_id))
}, 180_000)
afterAll(() => sample.dispose())

describe('独居老人监测 on ground truth', () => {
  it('flags the elderly people whose planted incident shows in their water, from the month it happened', () => {
    const output = run.output as Output
    const unmask = run.unmask(alone)
    const flagged = new Map(output.flagged.map((f) => [unmask.get(f.person)!, f.since]))
    const quality = precisionRecall(new Set(flagged.keys()), new Set(incidents.keys()))
    const onTime = [...flagged].filter(([id, since]) => incidents.get(id) === since).length
    console.log(`独居老人监测 precision ${quality.precision.toFixed(3)} recall ${quality.recall.toFixed(3)} (${quality.flagged} flagged, ${quality.truth} incidents among ${output.watched} watched); right month for ${onTime}`)
    expect(quality.truth).toBeGreaterThan(10)
    expect(quality.precision, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
    expect(quality.recall, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
    expect(onTime / Math.max(1, flagged.size)).toBeGreaterThanOrEqual(0.8)
  })

  it('passes the release checks and carries no identifier', () => {
    const text = canonicalJson(run.output)
    expect(findIdentifiers(text)).toEqual([])
    expect(releaseVerdict(run).ok).toBe(true)
    for (const id of alone.slice(0, 100)) expect(text).not.toContain(id)
  })
})
