/**
 * 养老与残疾人服务需求热点 — an evaluation on ground truth: on eight seeds no rule was tuned on, each
 * released township's need per thousand residents against the door-to-door survey's (Spearman's rank
 * correlation, with a bootstrap interval), beside the best single-field rule chosen on the tuning
 * seeds — one field of the township's homes added up (or averaged), or that per thousand residents;
 * it passes only where its correlation is at least 0.05 above that rule's on every seed. The hotspots
 * it marks (the fifth with most people in need) against the survey's, beside the best threshold of one
 * such field, with precision and recall: reported, and required to be at least the rule's on every
 * seed. The estimated counts are calibrated: the released places' total within 10 % of the survey's.
 * Then what is not an evaluation: the runtime's counts and withholding, the district filter,
 * typed errors for bad input, the release checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import product from '../../products/care-service-hotspots/product.ts'
import { releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { evaluateItems, type ItemEvaluationSpec } from '../helpers/item-evaluation.ts'
import { groupFeatures } from '../helpers/item-features.ts'
import { SPEARMAN } from '../helpers/metrics.ts'
import type { ProductEvaluation } from '../helpers/product-evaluation.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { featureSources } from '../helpers/single-field-features.ts'

const PRODUCT = 'products/care-service-hotspots'
type Place = { district: string; street: string; homes: number; residents: number; elderly: number | null; certifiedDisabled: number | null; inNeed: number; needPerThousand: number; hotspot: boolean }
type Output = { places: Place[]; hotspots: number; suppressedPlaces: number }
type Run = Awaited<ReturnType<typeof runBatchProduct>>

/** The survey's places, each as `district/street`, with its need per thousand and whether it is a hotspot. */
type Survey = { place: string; perThousand: number; hotspot: number; residents: number; inNeed: number }
async function surveyOf(sample: SampleStore): Promise<Survey[]> {
  const rows = await sample.storeRows(`SELECT district_code || '/' || street AS place, need_per_thousand, hotspot, residents, in_need FROM ground_truth.service_need_area ORDER BY 1`)
  return rows.map((r) => ({ place: String(r.place), perThousand: Number(r.need_per_thousand), hotspot: Number(r.hotspot), residents: Number(r.residents), inNeed: Number(r.in_need) }))
}

/** Each seed's survey, kept for the calibration of the counts. */
const surveys = new Map<string, Survey[]>()

/** One field of each place's homes, added up or averaged, and per thousand residents. */
async function placeFeatures(sample: SampleStore, places: readonly string[]) {
  const homes = await sample.storeRows(`SELECT address_code, district_code || '/' || street AS place FROM standard_address`)
  return groupFeatures(sample, featureSources(product.scenario, sample.catalog), new Map(homes.map((h) => [String(h.address_code), String(h.place)])), places, { per: 'household_registration: rows' })
}

/** One run per seed (the whole city), kept for both evaluations. */
const runs = new Map<string, Output>()
let first: Run
async function outputOf(sample: SampleStore, seed: string): Promise<Output> {
  if (!runs.has(seed)) {
    const run = await runBatchProduct(sample, PRODUCT, { district: null })
    if (seed === EVALUATION_SEEDS[0]) first = run
    runs.set(seed, run.output as Output)
  }
  return runs.get(seed)!
}

function specOf(task: ItemEvaluationSpec['task'], truth: 'perThousand' | 'hotspot', margin: ItemEvaluationSpec['margin'], title: string): ItemEvaluationSpec {
  return {
    title,
    product: PRODUCT,
    task,
    items: 'townships and subdistricts of ground_truth.service_need_area',
    margin,
    async load(sample, seed) {
      const survey = await surveyOf(sample)
      surveys.set(seed, survey)
      return { rows: survey.map((s) => ({ entity: s.place, truth: s[truth] })), features: await placeFeatures(sample, survey.map((s) => s.place)) }
    },
    async predict(sample, seed) {
      const output = await outputOf(sample, seed)
      return new Map(output.places.map((p) => [`${p.district}/${p.street}`, { value: truth === 'hotspot' ? (p.hotspot ? 1 : 0) : p.needPerThousand }]))
    },
  }
}

let rates: ProductEvaluation
let hotspots: ProductEvaluation
let sample: SampleStore

beforeAll(async () => {
  rates = await evaluateItems(specOf({ kind: 'rank', metric: SPEARMAN }, 'perThousand', { kind: 'above', by: 0.05 }, '养老与残疾人服务需求热点 — need per thousand'))
  hotspots = await evaluateItems(specOf({ kind: 'flag' }, 'hotspot', { kind: 'above', by: 0 }, '养老与残疾人服务需求热点 — hotspots'))
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
}, 1_800_000)
afterAll(() => sample?.dispose())

describe('养老与残疾人服务需求热点 — evaluation on ground truth', () => {
  it('ranks the places by need per thousand better than the best single-field rule, by 0.05 Spearman on every evaluation seed', () => {
    console.log(rates.report)
    for (const s of rates.seeds) expect(s.items, s.seed).toBeGreaterThan(20)
    expect(rates.passes, rates.report).toBe(true)
  })

  it('estimates how many people are in need: the released places\' total within 10 % of the survey\'s on every evaluation seed', () => {
    const lines: string[] = []
    for (const seed of EVALUATION_SEEDS) {
      const survey = new Map(surveys.get(seed)!.map((s) => [s.place, s]))
      const places = runs.get(seed)!.places
      const estimated = places.reduce((a, p) => a + p.inNeed, 0)
      const surveyed = places.reduce((a, p) => a + survey.get(`${p.district}/${p.street}`)!.inNeed, 0)
      const error = places.reduce((a, p) => a + Math.abs(p.needPerThousand - survey.get(`${p.district}/${p.street}`)!.perThousand), 0) / places.length
      lines.push(`${seed}: ${estimated} estimated against ${surveyed} surveyed (×${(estimated / surveyed).toFixed(3)}); need per thousand off by ${error.toFixed(1)} on average`)
      expect(Math.abs(estimated / surveyed - 1), seed).toBeLessThanOrEqual(0.1)
    }
    console.log(`养老与残疾人服务需求热点 — calibration of the counts\n${lines.join('\n')}`)
  })

  it('marks the hotspots at least as well as the best single-field threshold on every evaluation seed', () => {
    console.log(hotspots.report)
    expect(hotspots.passes, hotspots.report).toBe(true)
  })
})

describe('养老与残疾人服务需求热点 — release', () => {
  it('counts every resident of a released place and withholds nothing at this scale (the runtime counts homes, not the product)', async () => {
    const output = first.output as Output
    const survey = new Map((await surveyOf(sample)).map((s) => [s.place, s]))
    for (const p of output.places) expect(p.residents, `${p.district}/${p.street}`).toBe(survey.get(`${p.district}/${p.street}`)!.residents)
    expect(output.places.length + output.suppressedPlaces).toBe(survey.size)
    expect(output.places.every((p) => p.homes >= 10)).toBe(true)
    expect(output.hotspots).toBe(Math.round(0.2 * (output.places.length + output.suppressedPlaces)))
    expect(output.places.filter((p) => p.hotspot).length).toBe(output.hotspots)
    expect(first.run.report.find((i) => i.check === 'MIN_COUNT')).toMatchObject({ status: 'passed' })
    const verdict = releaseVerdict(first)
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true)
    expect(findIdentifiers(canonicalJson(first.output))).toEqual([])
  })

  it('withholds the places of fewer than ten homes where a city has them (2,000 persons), and says so', async () => {
    const small = await createSampleStore(2000, 'care-small')
    try {
      const homes = new Map((await small.storeRows(`SELECT a.district_code || '/' || a.street AS place, count(DISTINCT h.address_code) AS homes FROM household_registration h JOIN standard_address a USING (address_code) GROUP BY 1`)).map((r) => [String(r.place), Number(r.homes)]))
      const few = [...homes.values()].filter((n) => n < 10).length
      const run = await runBatchProduct(small, PRODUCT, { district: null })
      const output = run.output as Output
      expect(few).toBeGreaterThan(0)
      expect(output.suppressedPlaces).toBeGreaterThanOrEqual(few)
      for (const p of output.places) expect(p.homes).toBe(homes.get(`${p.district}/${p.street}`))
      expect(run.run.report.find((i) => i.check === 'MIN_COUNT')).toMatchObject({ status: 'applied', figures: { withheld: few } })
      expect(releaseVerdict(run).ok).toBe(true)
    } finally {
      small.dispose()
    }
  })

  it('one district when asked: its places alone, with the figures of the whole city\'s run', async () => {
    const all = first.output as Output
    const district = all.places[0]!.district
    const run = await runBatchProduct(sample, PRODUCT, { district })
    const output = run.output as Output
    expect(output.places.length).toBeGreaterThan(0)
    expect(output.places.map(({ hotspot: _, ...p }) => p)).toEqual(all.places.filter((p) => p.district === district).map(({ hotspot: _, ...p }) => p))
  })

  it('answers a malformed district code with a typed error before reading anything', async () => {
    for (const district of ['42028', '4202811', 'abcdef']) await expect(runBatchProduct(sample, PRODUCT, { district })).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
    await expect(runBatchProduct(sample, PRODUCT, {})).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
  })
})
