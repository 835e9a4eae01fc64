/**
 * The read APIs the browser console is built on, over HTTP (inject): the catalog's metadata, the
 * review file of a product version with its checks, the price caps, the usage disclosure by day,
 * and the audit trail searched by the party it involves, newest first. Wrong callers are refused.
 */
import { cityDay, cityDayStart } from '../../../runtime/city-calendar.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeUscc } from '../../../catalog/identifiers/uscc.ts'
import { loadConfig } from '../../../runtime/config.ts'
import type { ProductManifest } from '../../../runtime/products/manifest.ts'
import type { ReleaseReason } from '../../../runtime/release/check-release.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import type { ReleaseStatus } from '../../../runtime/release/release-store.ts'
import { openState } from '../../../runtime/state/state.ts'
import { scenarioRequestOf } from '../../../runtime/scenarios/dev-approval.ts'
import { issuePlatformToken } from '../../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { approveAndPublish } from '../../helpers/published-product.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const SERVED = 'enterprise-credit-score'
const REVIEWED = 'enterprise-tax-arrears-grade'
const SOURCE = readFileSync(`products/${REVIEWED}/product.ts`, 'utf8')
const sourceOf = (version: string) => SOURCE.replace("version: '1.0.0'", `version: '${version}'`)

let sample: SampleStore
let server: ServerRuntime
let uscc: string
let zone: string | undefined
/** The operator's and the partner's platform tokens, the bank's API key. */
const tokens = { operator: '', partner: '', bank: '' }
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'console api test passphrase' })

type Call = { method?: 'GET' | 'POST' | 'PUT'; url: string; token?: string | null; body?: unknown }
const call = async ({ method = 'GET', url, token = null, body }: Call) => {
  const r = await server.app.inject({ method, url, headers: token === null ? {} : { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: r.statusCode, body: r.json() as Record<string, any> }
}

// the ledger's past, written before the server opens the state: times in Beijing (北京时间), whose days the ledger keeps
const LEDGER: readonly [id: string, status: ReleaseStatus, at: string, priceFen: number, codes: readonly ReleaseReason['code'][]][] = [
  ['rel-seed-1', 'released', '2025-03-01 23:30:00', 50, []],
  ['rel-seed-2', 'released', '2025-03-02 00:30:00', 50, []],
  ['rel-seed-3', 'refused', '2025-03-02 10:00:00', 0, ['DIRECT_IDENTIFIER', 'DIRECT_IDENTIFIER', 'PERSONAL_VALUE']],
  ['rel-seed-4', 'refused', '2025-03-01 12:00:00', 0, ['DIRECT_IDENTIFIER']],
  ['rel-seed-5', 'rejected', '2025-03-02 09:00:00', 0, []],
  ['rel-seed-6', 'released', '2025-03-20 08:00:00', 30, []],
  ['rel-seed-7', 'released', '2025-02-28 23:59:59', 70, []],
  ['rel-seed-8', 'pending', '2025-03-01 08:00:00', 0, []],
  ['rel-seed-9', 'released', '2025-03-02 12:00:00', 50, []],
  ['rel-seed-a', 'refused', '2025-03-01 13:00:00', 0, ['DIRECT_IDENTIFIER']],
]

async function seedLedger(stateDatabase: string): Promise<void> {
  const state = await openState(stateDatabase)
  try {
    const releases = state.releases
    for (const [releaseId, status, , priceFen, codes] of LEDGER) {
      await releases.record({
        releaseId,
        status,
        priceFen,
        reasons: codes.map((code) => ({ code, cell: '合肥市', detail: 'seeded' }) as ReleaseReason),
        consumer: `bank-seed-${releaseId.slice(-1)}`,
        product: 'seed-dataset',
        version: '1.0.0',
        codeHash: 'seed',
        ttlSeconds: 3600,
        partner: 'seed-lab',
        scenario: 'scn-seed',
        kind: 'dataset',
        requestHash: 'seed',
        resultHash: 'seed',
        report: {},
        reviewersNeeded: 2,
      })
    }
    for (const [releaseId, , at] of LEDGER) {
      const ms = Date.parse(`${at.replace(' ', 'T')}+08:00`)
      await state.database.db.updateTable('releases').set({ created_at: ms, created_day: at.slice(0, 10) }).where('release_id', '=', releaseId).execute()
      await state.database.db.updateTable('release_reason_codes').set({ created_day: at.slice(0, 10) }).where('release_id', '=', releaseId).execute()
    }
  } finally {
    await state.close()
  }
}

beforeAll(async () => {
  // a machine that runs on another zone: the days are still Beijing's
  zone = process.env.TZ
  process.env.TZ = 'America/Los_Angeles'
  sample = await createSampleStore(2000, 'console')
  const c = config()
  mkdirSync(c.devDir, { recursive: true })
  copyFileSync(sample.path, join(c.devDir, 'sample.duckdb'))
  await seedLedger(c.stateDatabase)
  tokens.bank = (await approveAndPublish(sample, c, `products/${SERVED}`, { partner: 'credit-lab', operator: 'op-zhang', priceFen: 50 })).apiKey
  uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
  server = await createServerRuntime(c)
  tokens.operator = issuePlatformToken(openKeys(c, 'production').active(), { role: 'operator', id: 'op-zhang', ttlSeconds: 3600 })
  tokens.partner = (await call({ method: 'POST', url: '/v1/operator/tokens', token: tokens.operator, body: { role: 'partner', subject: 'acme-data' } })).body.token
  const identity = { name: '合肥数智科技有限公司', uscc: makeUscc('9', '1', '340100', 'MA2T3X4Y'), contact: 'dpo@acme.example', confidentialityAcknowledged: true }
  expect((await call({ method: 'POST', url: '/v1/partner/register', token: tokens.partner, body: identity })).status).toBe(201)
}, 120_000)

afterAll(async () => {
  await server?.close()
  sample?.dispose()
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
})

describe('GET /v1/catalog', () => {
  it('publishes every table\'s metadata and each field\'s classification and mask choices, to anyone, without data', async () => {
    const catalog = await call({ url: '/v1/catalog' })
    expect(catalog.status).toBe(200)
    expect(catalog.body.hash).toBe(sample.catalog.hash)
    expect((catalog.body.tables as { id: string }[]).map((t) => t.id)).toEqual(sample.catalog.tables.map((t) => t.id))
    const basic = (catalog.body.tables as any[]).find((t) => t.id === 'enterprise_basic')
    expect(Object.keys(basic)).toEqual(['id', 'title', 'source', 'entity', 'key', 'fields'])
    expect(basic).toMatchObject({ title: '企业基本信息', source: '市市场监管局', entity: 'enterprise', key: ['uscc'] })
    const field = (name: string) => basic.fields.find((f: { name: string }) => f.name === name)
    // a direct identifier is never kept (outside its use as a lookup key)
    expect(field('uscc')).toEqual({
      name: 'uscc',
      label: expect.any(String),
      type: 'text',
      level: 'L1',
      levelLabel: '一般（公开）',
      personal: false,
      identifier: 'uscc',
      mask: { rule: 'pseudonym' },
      masks: ['pseudonym', 'partial', 'drop'],
      generalizeTargets: [],
    })
    expect(field('established_on')).toMatchObject({ masks: ['keep', 'pseudonym', 'generalize', 'drop'], generalizeTargets: ['year', 'month', 'age_band'] })
    expect(field('address')).toMatchObject({ masks: ['keep', 'pseudonym', 'partial', 'generalize', 'drop'], generalizeTargets: ['district', 'compound'] })
    expect(field('registered_capital')).toMatchObject({ masks: ['keep', 'pseudonym', 'bucketize', 'drop'] })
    const fields = (catalog.body.tables as { fields: { level: string; mask: { rule: string }; masks: string[] }[] }[]).flatMap((t) => t.fields)
    expect(fields.filter((f) => f.level === 'L4').length).toBeGreaterThan(0)
    expect(fields.filter((f) => f.level === 'L4').every((f) => !f.masks.includes('keep'))).toBe(true)
    // each field's catalog default is one of the masks an operator may choose
    expect(fields.every((f) => f.masks.includes(f.mask.rule))).toBe(true)
    expect(JSON.stringify(catalog.body)).not.toContain(uscc)
    expect((await call({ url: '/v1/catalog?rows=1' })).body.code).toBe('ERR_PARAMS_INVALID')
  })
})

describe('GET /v1/operator/products/:id/versions/:version (the review file)', () => {
  let manifest: ProductManifest
  const review = (version: string, token: string | null = tokens.operator) => call({ url: `/v1/operator/products/${REVIEWED}/versions/${version}`, token })
  const checksOf = (body: Record<string, any>): Record<string, any> => Object.fromEntries((body.checks as { check: string }[]).map((c) => [c.check, c]))
  const upload = async (version: string) => {
    expect((await call({ method: 'PUT', url: `/v1/partner/products/${REVIEWED}/versions/${version}`, token: tokens.partner, body: { files: { 'product.ts': sourceOf(version) } } })).status).toBe(201)
    const run = await call({ method: 'POST', url: `/v1/partner/products/${REVIEWED}/versions/${version}/dev-run`, token: tokens.partner, body: { pick: 1 } })
    expect(run.body).toMatchObject({ ok: true })
  }
  const scenarioFor = async (decision: Record<string, unknown>) => {
    const { partner: _, ...request } = scenarioRequestOf(manifest, 'x')
    const id = (await call({ method: 'POST', url: '/v1/partner/scenarios', token: tokens.partner, body: request })).body.id as string
    const decided = await call({ method: 'POST', url: `/v1/operator/scenarios/${id}/decision`, token: tokens.operator, body: { approveRest: true, expiresOn: '2099-12-31', ...decision } })
    expect(decided.body.status, JSON.stringify(decided.body)).toBe('approved')
    return id
  }
  const submit = async (version: string, scenario: string) =>
    expect((await call({ method: 'POST', url: `/v1/partner/products/${REVIEWED}/versions/${version}/submit`, token: tokens.partner, body: { scenario } })).body).toMatchObject({ status: 'submitted' })

  it('shows an uploaded version with its manifest; the scenario checks fail until it is submitted, the dev-run ones until it ran', async () => {
    expect((await call({ method: 'PUT', url: `/v1/partner/products/${REVIEWED}/versions/1.0.0`, token: tokens.partner, body: { files: { 'product.ts': SOURCE } } })).status).toBe(201)
    const file = await review('1.0.0')
    expect(file.status).toBe(200)
    expect(Object.keys(file.body).sort()).toEqual(['checks', 'manifest', 'scenario', 'version'])
    expect(file.body.version).toMatchObject({ product: REVIEWED, version: '1.0.0', partner: 'acme-data', status: 'uploaded' })
    // where the sources are kept is the server's business
    expect(file.body.version).not.toHaveProperty('dir')
    manifest = file.body.manifest as ProductManifest
    expect(manifest).toMatchObject({ id: REVIEWED, version: '1.0.0', kind: 'api', category: '产业发展', entityKey: 'uscc', input: { type: 'object' }, output: { type: 'object' } })
    expect(Object.keys(manifest.scenario.tables)).toEqual(['enterprise_basic', 'tax_arrears', 'tax_credit_rating'])
    expect(file.body.scenario).toBeNull()
    const checks = checksOf(file.body)
    expect((file.body.checks as { check: string }[]).map((c) => c.check)).toEqual(['code_hash', 'scenario_approved', 'category_matches', 'fields_approved', 'answer_bounded', 'dev_run_ok', 'dev_run_release_checks'])
    expect(checks.code_hash).toEqual({ check: 'code_hash', ok: true })
    for (const name of ['scenario_approved', 'category_matches', 'fields_approved']) {
      expect(checks[name]).toEqual({ check: name, ok: false, detail: 'the version was not submitted under a scenario' })
    }
    expect(checks.dev_run_ok).toEqual({ check: 'dev_run_ok', ok: false, detail: 'no dev run' })
  })

  it('passes every check once dev-run and submitted under an approved scenario; a revocation fails the scenario check at once', async () => {
    const run = await call({ method: 'POST', url: `/v1/partner/products/${REVIEWED}/versions/1.0.0/dev-run`, token: tokens.partner, body: { pick: 1 } })
    expect(run.body).toMatchObject({ ok: true })
    // the masks the catalog lists for a field are the ones a decision accepts
    const { partner: _, ...request } = scenarioRequestOf(manifest, 'x')
    const pending = (await call({ method: 'POST', url: '/v1/partner/scenarios', token: tokens.partner, body: request })).body.id as string
    const arrearsSince = ((await call({ url: '/v1/catalog' })).body.tables as any[]).find((t) => t.id === 'tax_arrears').fields.find((f: { name: string }) => f.name === 'arrears_since')
    expect(arrearsSince.masks).not.toContain('partial')
    const refused = await call({ method: 'POST', url: `/v1/operator/scenarios/${pending}/decision`, token: tokens.operator, body: { approve: { 'tax_arrears.arrears_since': { rule: 'partial' } }, approveRest: true, expiresOn: '2099-12-31' } })
    expect(refused).toMatchObject({ status: 400, body: { code: 'ERR_SCENARIO_INVALID' } })

    const scenario = await scenarioFor({ approve: { 'tax_arrears.arrears_since': { rule: 'generalize', to: arrearsSince.generalizeTargets[0] } } })
    await submit('1.0.0', scenario)
    const file = await review('1.0.0')
    expect(file.body.version).toMatchObject({ status: 'submitted', scenario })
    expect(file.body.scenario).toMatchObject({ id: scenario, status: 'approved', category: '产业发展' })
    expect(file.body.checks).toEqual(['code_hash', 'scenario_approved', 'category_matches', 'fields_approved', 'answer_bounded', 'dev_run_ok', 'dev_run_release_checks'].map((check) => ({ check, ok: true })))

    expect((await call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/revoke`, token: tokens.operator, body: { reason: '用途变更' } })).status).toBe(200)
    const revoked = checksOf((await review('1.0.0')).body)
    expect(revoked.scenario_approved).toMatchObject({ ok: false, detail: expect.stringContaining('ERR_SCENARIO_REVOKED') })
    expect(revoked.fields_approved.ok).toBe(true)
  })

  it('refuses a decision prepared on an older revision, and says what is wrong with an invalid one', async () => {
    const { partner: _, ...request } = scenarioRequestOf(manifest, 'x')
    const id = (await call({ method: 'POST', url: '/v1/partner/scenarios', token: tokens.partner, body: request })).body.id as string
    const decide = (body: Record<string, unknown>) => call({ method: 'POST', url: `/v1/operator/scenarios/${id}/decision`, token: tokens.operator, body: { approveRest: true, expiresOn: '2099-12-31', ...body } })
    const invalid = await decide({ revision: 0, expiresOn: cityDay() })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toMatchObject({ code: 'ERR_SCENARIO_INVALID', problems: [expect.objectContaining({ path: expect.stringContaining('expiresOn') })] })
    expect((await decide({ revision: 0 })).body).toMatchObject({ status: 'approved', revision: 1 })
    // a second operator's form still holds revision 0: refused, and the first decision stands
    const stale = await decide({ revision: 0, approveRest: false, deny: { [`${request.tables ? Object.keys(request.tables)[0] : ''}.${Object.keys(Object.values(request.tables)[0]!.fields)[0]}`]: '不需要' } })
    expect(stale).toMatchObject({ status: 409, body: { code: 'ERR_CONFLICT' } })
    const stored = (await call({ url: '/v1/operator/scenarios', token: tokens.operator })).body.scenarios.find((s: { id: string }) => s.id === id)
    expect(stored.revision).toBe(1)
    expect(stored.fields.every((f: { decision: string }) => f.decision === 'approved')).toBe(true)
  })

  it('fails the fields check, naming the field, when the scenario did not approve a field the manifest reads', async () => {
    await upload('1.0.1')
    const scenario = await scenarioFor({ deny: { 'tax_credit_rating.score': '评分不属于最小必要范围' } })
    await submit('1.0.1', scenario)
    const checks = checksOf((await review('1.0.1')).body)
    expect(checks.fields_approved).toEqual({ check: 'fields_approved', ok: false, detail: 'tax_credit_rating/fields/score: not approved in the scenario' })
    expect(checks.scenario_approved.ok).toBe(true)
    expect(checks.dev_run_ok.ok).toBe(true)
    expect(checks.dev_run_release_checks.ok).toBe(true)
  })

  it('fails the code hash check, and shows no manifest, when the stored sources changed', async () => {
    const path = join(config().uploadsDir, 'acme-data', REVIEWED, '1.0.1', 'product.ts')
    writeFileSync(path, sourceOf('1.0.1').replace("title: '企业欠税等级评估'", "title: '企业欠税等级评估（改）'"))
    const file = await review('1.0.1')
    expect(file.body.manifest).toBeNull()
    expect(checksOf(file.body).code_hash).toMatchObject({ ok: false, detail: expect.stringContaining('another code hash') })
    expect(checksOf(file.body).fields_approved.ok).toBe(false)
  })

  it('answers 404 for an unknown version or product, 400 for a malformed one, and only to operators', async () => {
    expect(await review('9.9.9')).toMatchObject({ status: 404, body: { code: 'ERR_NOT_FOUND' } })
    expect((await call({ url: '/v1/operator/products/no-such-product/versions/1.0.0', token: tokens.operator })).body.code).toBe('ERR_NOT_FOUND')
    expect((await review('1.0')).status).toBe(400)
    expect((await review('1.0.0', null)).status).toBe(401)
    expect((await review('1.0.0', tokens.partner)).status).toBe(403)
    expect((await review('1.0.0', tokens.bank)).status).toBe(403)
  })
})

describe('GET /v1/operator/price-caps', () => {
  it('lists every cap with who set it and when, to operators only', async () => {
    await call({ method: 'PUT', url: `/v1/operator/price-caps/${SERVED}`, token: tokens.operator, body: { capFen: 60 } })
    await call({ method: 'PUT', url: `/v1/operator/price-caps/${REVIEWED}`, token: tokens.operator, body: { capFen: 20 } })
    const caps = await call({ url: '/v1/operator/price-caps', token: tokens.operator })
    expect(caps.body).toEqual({
      caps: [
        { product: SERVED, capFen: 60, setBy: 'op-zhang', setAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
        { product: REVIEWED, capFen: 20, setBy: 'op-zhang', setAt: expect.any(String) },
      ],
    })
    expect((await call({ url: '/v1/operator/price-caps' })).status).toBe(401)
    expect((await call({ url: '/v1/operator/price-caps', token: tokens.partner })).status).toBe(403)
    expect((await call({ url: '/v1/operator/price-caps', token: tokens.bank })).status).toBe(403)
  })
})

describe('GET /v1/disclosure/activity', () => {
  it('counts calls and refusals per day in Beijing, fees per whole month, refusals per rule, naming no consumer', async () => {
    const activity = await call({ url: '/v1/disclosure/activity?since=2025-03-01&until=2025-03-02' })
    expect(activity.status).toBe(200)
    expect(activity.body).toEqual({
      since: '2025-03-01',
      until: '2025-03-02',
      minConsumers: 3,
      // 23:30 and 00:30 in 合肥 are one day apart, though both fall on 1 March in UTC; each day has three consumers
      daily: [
        { day: '2025-03-01', product: 'seed-dataset', calls: 1, refused: 2 },
        { day: '2025-03-02', product: 'seed-dataset', calls: 2, refused: 1 },
      ],
      // the whole of March: the call on the 20th too, not the one on 28 February
      monthlyFees: [{ month: '2025-03', product: 'seed-dataset', feeFen: 180 }],
      // a refusal with a rule twice counts once under it; rules from fewer than three consumers are withheld, in name order
      refusalsByRule: [
        { rule: 'DIRECT_IDENTIFIER', count: 3 },
        { rule: 'PERSONAL_VALUE', count: null, suppressed: true },
        { rule: 'REVIEW_REJECTED', count: null, suppressed: true },
      ],
      // the seeded product was never published: no title to give
      productTitles: {},
    })
    expect(JSON.stringify(activity.body)).not.toContain('bank-seed')
  })

  it('withholds a day whose calls come from fewer than three consumers', async () => {
    const february = (await call({ url: '/v1/disclosure/activity?since=2025-02-28&until=2025-02-28' })).body
    expect(february.daily).toEqual([{ day: '2025-02-28', product: 'seed-dataset', calls: null, refused: null, suppressed: true }])
    // and a month's fee from one consumer (the fee over the public price would give its calls)
    expect(february.monthlyFees).toEqual([{ month: '2025-02', product: 'seed-dataset', feeFen: null, suppressed: true }])
  })

  it('defaults to the last 30 days up to today in Beijing', async () => {
    const invoked = await call({ method: 'POST', url: `/v1/products/${SERVED}/invoke`, token: tokens.bank, body: { input: { uscc } } })
    expect(invoked.status).toBe(200)
    const today = cityDay()
    const activity = (await call({ url: '/v1/disclosure/activity' })).body
    expect(activity.until).toBe(today)
    expect(activity.since).toBe(cityDay(cityDayStart(today)! - 29 * 86_400_000))
    // one bank's calls: withheld
    expect(activity.daily).toEqual([{ day: today, product: SERVED, calls: null, refused: null, suppressed: true }])
    expect(activity.monthlyFees).toEqual([{ month: today.slice(0, 7), product: SERVED, feeFen: null, suppressed: true }])
  })

  it('refuses a period over 366 days, a reversed one and dates the calendar does not have', async () => {
    const refused = async (query: string) => {
      const r = await call({ url: `/v1/disclosure/activity?${query}` })
      return [r.status, r.body.code]
    }
    expect(await refused('since=2024-01-01&until=2025-01-01')).toEqual([400, 'ERR_PARAMS_INVALID'])
    expect(await refused('since=2025-03-02&until=2025-03-01')).toEqual([400, 'ERR_PARAMS_INVALID'])
    expect(await refused('since=2025-02-30&until=2025-03-01')).toEqual([400, 'ERR_PARAMS_INVALID'])
    expect(await refused('until=2025-3-1')).toEqual([400, 'ERR_PARAMS_INVALID'])
    // 366 days, both ends included, is the longest period
    expect((await call({ url: '/v1/disclosure/activity?since=2024-01-01&until=2024-12-31' })).status).toBe(200)
  })
})

describe('GET /v1/audit/entries', () => {
  it('finds the entries involving a consumer, and not another consumer\'s', async () => {
    const trust = (await call({ method: 'POST', url: '/v1/operator/consumers', token: tokens.operator, body: { id: 'trust-co', name: '国元信托' } })).body.apiKey as string
    expect((await call({ method: 'POST', url: `/v1/products/${SERVED}/invoke`, token: trust, body: { input: { uscc } } })).status).toBe(200)
    const ofBank = (await call({ url: '/v1/audit/entries?involving=bank-hf', token: tokens.operator })).body.entries as { actor: string; action: string }[]
    // its call, and its refused tries at operator routes
    expect(ofBank.map((e) => e.action).sort()).toEqual(['authz.denied', 'authz.denied', 'release.signed'])
    expect(ofBank.every((e) => e.actor === 'bank-hf')).toBe(true)
    expect((await call({ url: '/v1/audit/entries?involving=bank-hf&action=release', token: tokens.operator })).body.entries).toHaveLength(1)
    const ofTrust = (await call({ url: '/v1/audit/entries?involving=trust-co', token: tokens.operator })).body.entries as { actor: string; action: string; subject: string }[]
    expect(ofTrust.map((e) => e.action)).toEqual(['consumer.added', 'release.signed'])
    expect(ofTrust[0]).toMatchObject({ actor: 'op-zhang', subject: 'trust-co' })
  })

  it('finds a product through the detail of entries about it (a scenario requested for it)', async () => {
    const entries = (await call({ url: `/v1/audit/entries?involving=${REVIEWED}`, token: tokens.operator })).body.entries as { actor: string; action: string; subject: string; detail?: Record<string, unknown> }[]
    expect(entries.some((e) => e.action === 'scenario.requested' && e.subject.startsWith('scn-') && e.detail?.product === REVIEWED)).toBe(true)
    expect(entries.some((e) => e.action === 'product.uploaded')).toBe(true)
    expect(entries.every((e) => e.actor === REVIEWED || e.subject.includes(REVIEWED) || Object.values(e.detail ?? {}).includes(REVIEWED))).toBe(true)
    expect(entries.some((e) => e.subject.includes(SERVED))).toBe(false)
  })

  it('pages newest first with before', async () => {
    const first = (await call({ url: '/v1/audit/entries?order=desc&limit=3', token: tokens.operator })).body as { entries: { seq: number }[]; more: boolean }
    const seqs = first.entries.map((e) => e.seq)
    expect(seqs).toEqual([seqs[0], seqs[0]! - 1, seqs[0]! - 2])
    expect(first.more).toBe(true)
    const oldest = (await call({ url: '/v1/audit/entries?limit=1', token: tokens.operator })).body.entries[0].seq as number
    expect(seqs[0]).toBeGreaterThan(oldest)
    const next = (await call({ url: `/v1/audit/entries?order=desc&limit=2&before=${seqs[2]}`, token: tokens.operator })).body.entries as { seq: number }[]
    expect(next.map((e) => e.seq)).toEqual([seqs[2]! - 1, seqs[2]! - 2])
    expect((await call({ url: '/v1/audit/entries?order=newest', token: tokens.operator })).status).toBe(400)
    expect((await call({ url: `/v1/audit/entries?involving=${'x'.repeat(201)}`, token: tokens.operator })).status).toBe(400)
  })
})

describe('GET /v1/operator/consumers', () => {
  it('lists consumers with their standing and quota, to operators only, never with a key or its digest', async () => {
    const list = await call({ url: '/v1/operator/consumers', token: tokens.operator })
    expect(list.status).toBe(200)
    const bank = (list.body.consumers as { id: string }[]).find((c) => c.id === 'bank-hf')
    expect(bank).toEqual({ id: 'bank-hf', name: expect.any(String), status: 'active', monthlyQuota: null })
    expect(JSON.stringify(list.body)).not.toContain(tokens.bank)
    expect((await call({ url: '/v1/operator/consumers' })).status).toBe(401)
    expect((await call({ url: '/v1/operator/consumers', token: tokens.partner })).status).toBe(403)
    expect((await call({ url: '/v1/operator/consumers', token: tokens.bank })).status).toBe(403)
    expect((await call({ url: '/v1/operator/consumers?all=1', token: tokens.operator })).status).toBe(400)
  })
})

describe('GET /v1/operator/scenarios/:id', () => {
  it('gives one scenario to operators, 404 for an unknown one, and nothing to anyone else', async () => {
    const list = (await call({ url: '/v1/operator/scenarios', token: tokens.operator })).body.scenarios as { id: string }[]
    const one = await call({ url: `/v1/operator/scenarios/${list[0]!.id}`, token: tokens.operator })
    expect(one.status).toBe(200)
    expect(one.body).toEqual(list[0])
    expect(await call({ url: '/v1/operator/scenarios/scn-nosuchthing', token: tokens.operator })).toMatchObject({ status: 404, body: { code: 'ERR_SCENARIO_NOT_FOUND' } })
    expect((await call({ url: `/v1/operator/scenarios/${list[0]!.id}` })).status).toBe(401)
    expect((await call({ url: `/v1/operator/scenarios/${list[0]!.id}`, token: tokens.partner })).status).toBe(403)
  })
})
