/**
 * 真实房源核验 — an evaluation on ground truth: on eight seeds no rule was tuned on, the listings it
 * does not pass (核验不通过 or 需核实) against those the inspection found not authentic (F1, with a
 * bootstrap interval), beside the best single-field rule chosen on the tuning seeds — a threshold
 * on one field of the home the listing names (or of the listing: its area, its rent). It passes only
 * where its F1 is at least 0.10 above that rule's on every seed, over all listings and again over
 * the listings with a standard address code alone (a listing without one cannot be called: it is
 * answered 标准地址不存在 before any call, and counted as not passed); and where the share of bad
 * listings rises from 核验通过 to 需核实 to 核验不通过. Then what is not an evaluation (evaluation-1):
 * each reason read the right way round from the registers, the release checks with the home's
 * guarded values, typed errors for bad input, and the call over HTTP without a consent token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../runtime/config.ts'
import { checkRelease } from '../../runtime/release/check-release.ts'
import { defaultPolicy } from '../../runtime/release/release-policy.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { createServerRuntime, type ServerRuntime } from '../../runtime/server/server-runtime.ts'
import product from '../../products/rental-listing-check/product.ts'
import { openApiProduct, type ApiProductFixture } from '../helpers/api-product-fixture.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { evaluateItems } from '../helpers/item-evaluation.ts'
import { linkedFeatures } from '../helpers/item-features.ts'
import type { Prediction, ProductEvaluation } from '../helpers/product-evaluation.ts'
import { approveAndPublish } from '../helpers/published-product.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { featureSources } from '../helpers/single-field-features.ts'

const PRODUCT = 'products/rental-listing-check'
const VERDICTS = ['核验通过', '需核实', '核验不通过']
type Output = { verdict: string; reasons: string[]; landlord: string }
type Listing = { id: string; bad: number; addressCode: string | null; landlordName: string; area: number; rent: number }

/** The listings of a city as the inspection recorded them, in the order of their ids. */
async function listingsOf(sample: SampleStore): Promise<Listing[]> {
  const rows = await sample.storeRows(`SELECT listing_id, authentic, address_code, landlord_name, area, monthly_rent FROM ground_truth.rental_listing ORDER BY listing_id`)
  return rows.map((r) => ({
    id: String(r.listing_id),
    bad: Number(r.authentic) === 1 ? 0 : 1,
    addressCode: r.address_code === null ? null : String(r.address_code),
    landlordName: String(r.landlord_name),
    area: Number(r.area),
    rent: Number(r.monthly_rent),
  }))
}

const inputOf = (l: Listing) => ({ addressCode: l.addressCode!, landlordName: l.landlordName, area: l.area })

/** The listings of a seed, each with the one-field features of the home its address code names, and its own area and rent. */
async function load(sample: SampleStore, listings: readonly Listing[]) {
  const features = await linkedFeatures(sample, featureSources(product.scenario, sample.catalog), listings.map((l) => l.addressCode))
  features.set('listing.area', Float64Array.from(listings, (l) => l.area))
  features.set('listing.monthly_rent', Float64Array.from(listings, (l) => l.rent))
  return { rows: listings.map((l) => ({ entity: l.id, truth: l.bad })), features }
}

/** Every answer of a seed, each listing with a standard address code called once; kept for the evaluations of both populations. */
const answered = new Map<string, Map<string, Output>>()
async function answersOf(sample: SampleStore, seed: string, listings: readonly Listing[]): Promise<Map<string, Output>> {
  if (!answered.has(seed)) {
    const fixture = await openApiProduct(sample, PRODUCT)
    try {
      const coded = listings.filter((l) => l.addressCode !== null)
      const outputs = await Promise.all(coded.map(async (l) => (await fixture.invoke(l.addressCode!, inputOf(l))).output as Output))
      answered.set(seed, new Map(coded.map((l, i) => [l.id, outputs[i]!])))
    } finally {
      await fixture.close()
    }
  }
  return answered.get(seed)!
}

/** Not passed is the flag; a listing without a standard address code is answered 标准地址不存在 (核验不通过) before any call. */
function predictionsOf(listings: readonly Listing[], answers: ReadonlyMap<string, Output>): Map<string, Prediction> {
  return new Map(
    listings.map((l) => {
      const verdict = l.addressCode === null ? '核验不通过' : answers.get(l.id)!.verdict
      return [l.id, { value: verdict === '核验通过' ? 0 : 1, band: verdict }]
    }),
  )
}

function specOf(title: string, coded: boolean) {
  const listings = async (sample: SampleStore) => (await listingsOf(sample)).filter((l) => !coded || l.addressCode !== null)
  return {
    title,
    product: PRODUCT,
    task: { kind: 'flag' } as const,
    items: coded ? 'rental listings with a standard address code' : 'rental listings',
    margin: { kind: 'above', by: 0.1 } as const,
    bands: { order: VERDICTS, bad: (truth: number) => truth === 1, label: 'found not authentic by the inspection' },
    load: async (sample: SampleStore) => load(sample, await listings(sample)),
    async predict(sample: SampleStore, seed: string) {
      const list = await listings(sample)
      return predictionsOf(list, await answersOf(sample, seed, await listingsOf(sample)))
    },
  }
}

let all: ProductEvaluation
let coded: ProductEvaluation
let sample: SampleStore
let fixture: ApiProductFixture
let listings: Listing[]

beforeAll(async () => {
  all = await evaluateItems(specOf('真实房源核验', false))
  coded = await evaluateItems(specOf('真实房源核验 (listings with a standard address code)', true))
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
  fixture = await openApiProduct(sample, PRODUCT)
  listings = await listingsOf(sample)
}, 900_000)
afterAll(async () => {
  await fixture?.close()
  sample?.dispose()
})

describe('真实房源核验 — evaluation on ground truth', () => {
  it('does not pass the listings the inspection found not authentic better than the best single-field rule, by 0.10 F1 on every evaluation seed', () => {
    console.log(all.report)
    for (const s of all.seeds) expect(s.positives, s.seed).toBeGreaterThan(50)
    expect(all.passes, all.report).toBe(true)
  })

  it('does so too on the listings with a standard address code alone', () => {
    console.log(coded.report)
    expect(coded.passes, coded.report).toBe(true)
  })

  it('verdicts mean their order: the share of bad listings rises from 核验通过 to 需核实 to 核验不通过', () => {
    expect(all.bands!.monotone, all.report).toBe(true)
    expect(all.bands!.bands.every((b) => b.entities >= all.bands!.minEntities), all.report).toBe(true)
  })
})

describe('真实房源核验 — what it says, read from the registers', () => {
  it('gives each reason exactly where the registers hold it (evaluation-1)', async () => {
    const homes = new Map(
      (await sample.storeRows(`
        SELECT address_code, status, right_nature, building_area, registered_on,
          EXISTS (SELECT 1 FROM sale_contract_filing s WHERE s.address_code = e.address_code AND s.status <> '已撤销' AND s.signed_on > e.registered_on) AS sold,
          EXISTS (SELECT 1 FROM housing_security_allocation h WHERE h.address_code = e.address_code AND h.allocation_type = '实物配租' AND h.status = '保障中') AS allocated
        FROM real_estate e`)).map((r) => [String(r.address_code), r]),
    )
    const answers = await answersOf(sample, EVALUATION_SEEDS[0], listings)
    const seen = new Set<string>()
    for (const l of listings.filter((x) => x.addressCode !== null)) {
      const o = answers.get(l.id)!
      const home = homes.get(l.addressCode!)
      const has = (reason: string) => o.reasons.includes(reason)
      for (const r of o.reasons) seen.add(r)
      expect(has('未办理不动产登记'), l.id).toBe(home === undefined)
      if (home === undefined) continue
      expect(has('已查封'), l.id).toBe(home.status === '查封')
      expect(has('已网签出售'), l.id).toBe(home.sold === true)
      expect(has('保障性住房'), l.id).toBe(home.right_nature === '保障性住房' || home.allocated === true)
      expect(has('面积与登记不符'), l.id).toBe(Math.abs(l.area - Number(home.building_area)) > 0.1 * Number(home.building_area))
      expect(has('出租人与登记权利人不符'), l.id).toBe(o.landlord === '不一致')
      expect(o.verdict, l.id).toBe(o.reasons.some((r) => r !== '出租人与登记权利人不符') ? '核验不通过' : o.reasons.length > 0 ? '需核实' : '核验通过')
    }
    // the evaluation city holds every kind of problem the product names
    for (const r of ['已查封', '已网签出售', '保障性住房', '面积与登记不符', '出租人与登记权利人不符']) expect(seen, r).toContain(r)
  })

  it('finds the landlord among the buyers the home was registered on: 一致 for its holder, 不一致 for someone else', async () => {
    const holder = (await sample.storeRows(`
      SELECT e.address_code, s.buyer_name, e.building_area FROM real_estate e JOIN sale_contract_filing s USING (address_code)
      WHERE s.status = '已备案' AND s.signed_on <= e.registered_on AND e.status = '现势' AND length(s.buyer_name) = 3 LIMIT 1`))[0]!
    const ask = (landlordName: string) => fixture.invoke(String(holder.address_code), { addressCode: String(holder.address_code), landlordName, area: Number(holder.building_area) })
    expect(((await ask(String(holder.buyer_name))).output as Output).landlord).toBe('一致')
    // the same surname and given name's last character is the same masked name; another last character is not
    const other = `${String(holder.buyer_name).slice(0, 2)}${String(holder.buyer_name).endsWith('甲') ? '乙' : '甲'}`
    expect(((await ask(other)).output as Output).landlord).toBe('不一致')
  })
})

describe('真实房源核验 — release', () => {
  it('passes the release checks for every listing of evaluation-1, with the home\'s guarded values (names, pseudonyms) kept out', async () => {
    const answers = await answersOf(sample, EVALUATION_SEEDS[0], listings)
    let checked = 0
    for (const l of listings.filter((x) => x.addressCode !== null)) {
      const output = answers.get(l.id)!
      const text = canonicalJson(output)
      const verdict = checkRelease({ text, output, schema: fixture.product.manifest.output, policy: defaultPolicy('api'), entityKey: l.addressCode!, answer: { guarded: fixture.index.guardedValues(l.addressCode!) } })
      expect(verdict.ok, `${l.id} ${JSON.stringify(verdict)}`).toBe(true)
      expect(findIdentifiers(text)).toEqual([])
      expect(text).not.toContain(l.landlordName)
      checked++
    }
    expect(checked).toBeGreaterThan(200)
  })

  it('answers bad input with a typed error, and the same input corrected with an answer', async () => {
    const l = listings.find((x) => x.addressCode !== null)!
    const good = inputOf(l)
    await expect(fixture.invoke(l.addressCode!, good)).resolves.toMatchObject({ output: { verdict: expect.any(String) } })
    for (const bad of [
      { ...good, addressCode: good.addressCode.slice(1) },
      { ...good, addressCode: `${good.addressCode.slice(0, 21)}X` },
      { ...good, landlordName: 'Zhang San' },
      { ...good, area: 0 },
      // no resident ID is taken: the listing's landlord is compared by name only
      { ...good, landlordResidentId: '110105194912310021' },
    ]) {
      await expect(fixture.invoke(l.addressCode!, bad), JSON.stringify(bad)).rejects.toMatchObject({ code: 'ERR_PARAMS_INVALID' })
    }
  })

  it('a well-formed address code of no standard address: 核验不通过, 标准地址不存在', async () => {
    const code = '9'.repeat(22)
    expect((await fixture.invoke(code, { addressCode: code, landlordName: '张三', area: 80 })).output).toEqual({ verdict: '核验不通过', reasons: ['标准地址不存在'], landlord: '无法比对' })
  })
})

describe('真实房源核验 — over HTTP', () => {
  let small: SampleStore
  let server: ServerRuntime
  let apiKey: string
  const config = () => loadConfig({ INDOMAIN_DATA_DIR: small.dir, INDOMAIN_STORE: small.path, INDOMAIN_KEY_PASSPHRASE: 'listing check passphrase' })
  const invoke = (input: unknown) =>
    server.app.inject({ method: 'POST', url: '/v1/products/rental-listing-check/invoke', headers: { authorization: `Bearer ${apiKey}` }, payload: { input } })

  beforeAll(async () => {
    small = await createSampleStore(2000, 'listing-http')
    apiKey = (await approveAndPublish(small, config(), PRODUCT, { partner: 'rent-lab', operator: 'op', priceFen: 20, consumer: { id: 'platform-fy', name: '房源发布平台' } })).apiKey
    server = await createServerRuntime(config())
  }, 120_000)
  afterAll(async () => {
    await server?.close()
    small?.dispose()
  })

  it('is about a home, not a person: answered without a consent token; a malformed address code is ERR_PARAMS_INVALID before anything is read', async () => {
    const l = (await listingsOf(small)).find((x) => x.addressCode !== null)!
    const ok = await invoke(inputOf(l))
    expect(ok.statusCode, ok.body).toBe(200)
    expect((ok.json() as { result: Output }).result.verdict).toMatch(/^(核验通过|需核实|核验不通过)$/)
    const bad = await invoke({ ...inputOf(l), addressCode: 'ABC' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('ERR_PARAMS_INVALID')
    expect(product.input.properties.addressCode).not.toHaveProperty('x-identifier')
  })
})
