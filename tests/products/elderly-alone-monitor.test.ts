/**
 * 独居老人监测 on ground truth: on a world its threshold was not chosen on, the homes flagged are
 * those of the elderly living alone whose incident the generator planted (precision and recall ≥
 * 0.8), flagged from the month it happened; released row by row to the consumer the operator
 * approved, as the consumer's own pseudonyms (or, approved for this public-interest use, address
 * codes), districts and months only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { precisionRecall, releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'

type Output = { watched: number; flagged: { home: string; district: string; since: string }[] }
let sample: SampleStore
let run: Awaited<ReturnType<typeof runBatchProduct>>
let withIdentifiers: Awaited<ReturnType<typeof runBatchProduct>>
let incidents: Map<string, string>
let homes: string[]

beforeAll(async () => {
  sample = await createSampleStore(20_000, 'elderly-evaluation')
  run = await runBatchProduct(sample, 'products/elderly-alone-monitor')
  withIdentifiers = await runBatchProduct(sample, 'products/elderly-alone-monitor', {}, { identifiers: true })
  // incidents by the home of the person they befell
  incidents = new Map(
    (await sample.storeRows(`SELECT e.address_code, i.incident_period FROM ground_truth.elderly_incident i JOIN elderly_info e USING (resident_id)`)).map((r) => [String(r.address_code), String(r.incident_period)]),
  )
  homes = (await sample.storeRows(`SELECT DISTINCT address_code FROM elderly_info WHERE living_arrangement = '独居'`)).map((r) => String(r.address_code))
}, 180_000)
afterAll(() => sample.dispose())

describe('独居老人监测 on ground truth', () => {
  it('flags the elderly people whose planted incident shows in their water, from the month it happened', () => {
    // with identifiers (the operator's approval for this public-interest use): address codes
    const output = withIdentifiers.output as Output
    const flagged = new Map(output.flagged.map((f) => [f.home, f.since]))
    const quality = precisionRecall(new Set(flagged.keys()), new Set(incidents.keys()))
    const onTime = [...flagged].filter(([id, since]) => incidents.get(id) === since).length
    console.log(`独居老人监测 precision ${quality.precision.toFixed(3)} recall ${quality.recall.toFixed(3)} (${quality.flagged} flagged, ${quality.truth} incidents among ${output.watched} watched); right month for ${onTime}`)
    expect(quality.truth).toBeGreaterThan(10)
    expect(quality.precision, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
    expect(quality.recall, JSON.stringify(quality)).toBeGreaterThanOrEqual(0.8)
    expect(onTime / Math.max(1, flagged.size)).toBeGreaterThanOrEqual(0.8)
  })

  it('with pseudonyms: the same homes less those too few to share their district and month (k-anonymity); no address code', () => {
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
