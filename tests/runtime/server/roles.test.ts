/**
 * The whole life of a product over HTTP (inject), role by role: an operator onboards a partner
 * with a token; the partner registers, requests its scenario, uploads its sources, dev-runs them
 * on sample data and submits the version; the operator decides the scenario field by field,
 * reviews the version and caps its price; the partner publishes; a consumer calls it; the partner
 * sees its earnings, the operator the month's statements, an auditor the trail. Then the exit
 * process: suspension, reinstatement, revocation. Every wrong caller on the way is refused.
 */
import { cityMonth } from '../../../runtime/city-calendar.ts'
import { auditText as trailText } from '../../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../../runtime/config.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import { verifyRelease } from '../../../runtime/release/signing.ts'
import { bundleProduct } from '../../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct } from '../../../runtime/products/run-product.ts'
import { scenarioRequestOf } from '../../../runtime/scenarios/dev-approval.ts'
import { issuePlatformToken } from '../../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../../runtime/server/server-runtime.ts'
import { makeUscc } from '../../../catalog/identifiers/uscc.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const PRODUCT = 'enterprise-credit-score'
const SOURCES = { 'product.ts': readFileSync(`products/${PRODUCT}/product.ts`, 'utf8') }
let sample: SampleStore
let server: ServerRuntime
let operator: string
let partner: string
let scenarioRequest: Record<string, unknown>
let uscc: string
const config = () => loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'roles test passphrase' })

type Call = { method?: 'GET' | 'POST' | 'PUT'; url: string; token?: string | null; body?: unknown }
const call = async ({ method = 'GET', url, token = null, body }: Call) => {
  const r = await server.app.inject({ method, url, headers: token === null ? {} : { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: r.statusCode, body: r.json() as Record<string, any> }
}
const auditText = () => trailText(config().stateDatabase)

beforeAll(async () => {
  sample = await createSampleStore(2000, 'roles')
  const c = config()
  // the dev sample is synthetic too: reuse the test's store instead of building another
  mkdirSync(c.devDir, { recursive: true })
  copyFileSync(sample.path, join(c.devDir, 'sample.duckdb'))
  const pool = createSandboxPool({ workers: 1 })
  const product = await loadProduct(pool, await bundleProduct(`products/${PRODUCT}`)).finally(() => pool.close())
  const { partner: _, ...request } = scenarioRequestOf(product.manifest, 'x')
  scenarioRequest = request
  uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
  server = await createServerRuntime(c)
  // the first operator's token is issued on the command line (indomain token issue)
  operator = issuePlatformToken(openKeys(c, 'production').active(), { role: 'operator', id: 'op-zhang', ttlSeconds: 3600 })
}, 120_000)

afterAll(async () => {
  await server.close()
  sample.dispose()
})

describe('a product\'s life over HTTP, role by role', () => {
  it('an operator onboards a partner, who registers with its identity and a confidentiality acknowledgement', async () => {
    const issued = await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: 'acme-data' } })
    expect(issued.status).toBe(201)
    partner = issued.body.token
    // not registered yet: nothing but registration
    expect((await call({ url: '/v1/partner/scenarios', token: partner })).status).toBe(403)
    const identity = { name: '合肥数智科技有限公司', uscc: makeUscc('9', '1', '340100', 'MA2T3X4Y'), contact: 'dpo@acme.example', confidentialityAcknowledged: true }
    expect((await call({ method: 'POST', url: '/v1/partner/register', token: partner, body: { ...identity, confidentialityAcknowledged: false } })).body.code).toBe('ERR_PARAMS_INVALID')
    expect((await call({ method: 'POST', url: '/v1/partner/register', token: partner, body: { ...identity, uscc: '913401001234567890' } })).body.code).toBe('ERR_PARAMS_INVALID')
    const registered = await call({ method: 'POST', url: '/v1/partner/register', token: partner, body: identity })
    expect(registered.status).toBe(201)
    expect(registered.body).toMatchObject({ id: 'acme-data', role: 'partner', status: 'active', acknowledgedAt: expect.any(String) })
    expect((await call({ method: 'POST', url: '/v1/partner/register', token: partner, body: identity })).status).toBe(409)
  })

  it('the partner uploads sources: bundled on the server with its code hash; bad uploads are refused and leave nothing', async () => {
    const bad = [
      { files: { 'product.ts': SOURCES['product.ts'], '../escape.ts': 'export {}' } },
      { files: { 'helper.ts': 'export const a = 1' } },
      { files: { 'product.ts': `import { readFileSync } from 'node:fs'\nexport const leak = readFileSync\n${SOURCES['product.ts']}` } },
    ]
    const codes = []
    for (const body of bad) codes.push((await call({ method: 'PUT', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0`, token: partner, body })).body.code)
    expect(codes).toEqual(['ERR_PARAMS_INVALID', 'ERR_PARAMS_INVALID', 'ERR_BUNDLE_FORBIDDEN_IMPORT'])
    // the manifest must be the product and version uploaded to
    expect((await call({ method: 'PUT', url: `/v1/partner/products/other-product/versions/1.0.0`, token: partner, body: { files: SOURCES } })).body.code).toBe('ERR_PARAMS_INVALID')
    expect(existsSync(join(config().uploadsDir, 'acme-data', 'other-product'))).toBe(false)
    const uploaded = await call({ method: 'PUT', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0`, token: partner, body: { files: SOURCES } })
    expect(uploaded.status).toBe(201)
    expect(uploaded.body).toMatchObject({ product: PRODUCT, version: '1.0.0', status: 'uploaded', codeHash: (await bundleProduct(join(config().uploadsDir, 'acme-data', PRODUCT, '1.0.0'))).codeHash })
    // where the server keeps the sources is never shown, to the partner or to operators
    const listed = [uploaded.body, (await call({ url: '/v1/partner/products', token: partner })).body, (await call({ url: '/v1/operator/versions', token: operator })).body]
    for (const body of listed) expect(JSON.stringify(body)).not.toContain(config().uploadsDir)
    expect(uploaded.body).not.toHaveProperty('dir')
  })

  it('dev-runs the version on sample data under a dev approval; submitting needs the operator\'s scenario approval', async () => {
    const run = await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/dev-run`, token: partner, body: { pick: 3 } })
    expect(run.status).toBe(200)
    expect(run.body).toMatchObject({ ok: true, output: { score: expect.any(Number) }, checks: { passed: expect.arrayContaining(['SCHEMA', 'IDENTIFIERS']) } })
    const filed = await call({ method: 'POST', url: '/v1/partner/scenarios', token: partner, body: scenarioRequest })
    expect(filed.status).toBe(201)
    const scenario = filed.body.id as string
    const early = await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/submit`, token: partner, body: { scenario } })
    expect(early.body.code).toBe('ERR_SCENARIO_NOT_APPROVED')
    // the operator decides field by field: one field denied with a reason, the rest with default masks
    const decided = await call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/decision`, token: operator, body: { approveRest: true, expiresOn: '2099-12-31' } })
    expect(decided.status, JSON.stringify(decided.body)).toBe(200)
    expect(decided.body.status).toBe('approved')
    // a free public-interest approval cannot carry a charged product
    const free = (await call({ method: 'POST', url: '/v1/partner/scenarios', token: partner, body: { ...scenarioRequest, category: '公共治理' } })).body.id as string
    await call({ method: 'POST', url: `/v1/operator/scenarios/${free}/decision`, token: operator, body: { approveRest: true, expiresOn: '2099-12-31' } })
    expect((await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/submit`, token: partner, body: { scenario: free } })).body.code).toBe('ERR_SCENARIO_NOT_APPROVED')
    const submitted = await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/submit`, token: partner, body: { scenario } })
    expect(submitted.body).toMatchObject({ status: 'submitted', scenario })
    // a submitted version is frozen: no re-upload, no second submission, no publication before review
    expect((await call({ method: 'PUT', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0`, token: partner, body: { files: SOURCES } })).status).toBe(409)
    expect((await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/submit`, token: partner, body: { scenario } })).status).toBe(409)
    expect((await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/publish`, token: partner, body: { pricePerCallFen: 10 } })).status).toBe(409)
  })

  it('keeps partners apart and roles in their lanes', async () => {
    const other = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: 'other-lab' } })).body.token as string
    await call({ method: 'POST', url: '/v1/partner/register', token: other, body: { name: '另一家公司', uscc: makeUscc('9', '1', '340100', 'MA2T3X4W'), contact: 'x@y.example', confidentialityAcknowledged: true } })
    // partner B cannot see, run, submit or take over partner A's product
    expect((await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/dev-run`, token: other, body: {} })).status).toBe(404)
    expect((await call({ method: 'PUT', url: `/v1/partner/products/${PRODUCT}/versions/2.0.0`, token: other, body: { files: SOURCES } })).status).toBe(409)
    expect(((await call({ url: '/v1/partner/products', token: other })).body.versions as unknown[]).length).toBe(0)
    expect(((await call({ url: '/v1/partner/scenarios', token: other })).body.scenarios as unknown[]).length).toBe(0)
    // a partner on operator and auditor routes, an operator on partner routes: forbidden
    expect((await call({ url: '/v1/operator/versions', token: partner })).status).toBe(403)
    expect((await call({ url: '/v1/audit/verify', token: partner })).status).toBe(403)
    expect((await call({ url: '/v1/partner/products', token: operator })).status).toBe(403)
    expect((await call({ method: 'POST', url: '/v1/operator/tokens', token: partner, body: { role: 'partner', subject: 'acme-data' } })).status).toBe(403)
    expect(auditText()).toContain('"action":"authz.denied"')
  })

  it('the operator reviews the version and caps its price; the partner publishes it within the cap', async () => {
    expect((await call({ method: 'POST', url: `/v1/operator/products/${PRODUCT}/versions/1.0.0/review`, token: operator, body: { decision: 'reject' } })).body.code).toBe('ERR_PARAMS_INVALID')
    const queue = await call({ url: '/v1/operator/versions?status=submitted', token: operator })
    expect(queue.body.versions).toEqual([expect.objectContaining({ product: PRODUCT, devRun: expect.objectContaining({ ok: true }) })])
    const approved = await call({ method: 'POST', url: `/v1/operator/products/${PRODUCT}/versions/1.0.0/review`, token: operator, body: { decision: 'approve' } })
    expect(approved.body).toMatchObject({ status: 'approved', reviewer: 'op-zhang' })
    expect((await call({ method: 'PUT', url: `/v1/operator/price-caps/${PRODUCT}`, token: operator, body: { capFen: 40 } })).status).toBe(200)
    expect((await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/publish`, token: partner, body: { pricePerCallFen: 80 } })).body.code).toBe('ERR_PARAMS_INVALID')
    const published = await call({ method: 'POST', url: `/v1/partner/products/${PRODUCT}/versions/1.0.0/publish`, token: partner, body: { pricePerCallFen: 40 } })
    expect(published.body).toMatchObject({ id: PRODUCT, priceFen: 40, partner: 'acme-data', status: 'published' })
    const list = await call({ url: '/v1/products' })
    expect(list.body.products).toEqual([expect.objectContaining({ id: PRODUCT, pricePerCall: 0.4, partner: 'acme-data' })])
  })

  it('a consumer calls it; the partner sees its earnings, the operator the month\'s statements, quotas hold', async () => {
    const added = await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-hs', name: '徽商银行', monthlyQuota: 2 } })
    expect(added.status).toBe(201)
    const apiKey = added.body.apiKey as string
    const invoke = () => call({ method: 'POST', url: `/v1/products/${PRODUCT}/invoke`, token: apiKey, body: { input: { uscc } } })
    const first = await invoke()
    expect(first.status).toBe(200)
    await verifyRelease(first.body.release, { jwks: (await call({ url: '/.well-known/jwks.json' })).body as never, audience: 'bank-hs' })
    expect((await invoke()).status).toBe(200)
    const third = await invoke()
    expect(third).toMatchObject({ status: 429, body: { code: 'ERR_QUOTA_EXCEEDED' } })
    // a consumer key is no platform token
    expect((await call({ url: '/v1/partner/products', token: apiKey })).status).toBe(403)
    const month = cityMonth()
    const earnings = await call({ url: `/v1/partner/earnings?month=${month}`, token: partner })
    expect(earnings.body).toEqual({ partner: 'acme-data', lines: [{ month, product: PRODUCT, calls: 2, refused: 0, amount: 0.8 }], total: 0.8 })
    const statements = await call({ url: `/v1/operator/statements?month=${month}`, token: operator })
    expect(statements.body.consumers).toEqual([expect.objectContaining({ consumer: 'bank-hs', total: 0.8 })])
    expect(statements.body.partners).toEqual([expect.objectContaining({ partner: 'acme-data', total: 0.8 })])
  })

  it('an auditor searches the trail and verifies the chain', async () => {
    const auditor = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'auditor', subject: 'audit-office' } })).body.token as string
    const found = await call({ url: `/v1/audit/entries?action=product&subject=${PRODUCT}`, token: auditor })
    expect((found.body.entries as { action: string }[]).map((e) => e.action)).toEqual(['product.uploaded', 'product.dev_run', 'product.submitted', 'product.approved', 'product.price_capped', 'product.published'])
    const byActor = await call({ url: '/v1/audit/entries?actor=bank-hs&action=release.signed', token: auditor })
    expect(byActor.body.entries).toHaveLength(2)
    expect((await call({ url: '/v1/audit/verify', token: auditor })).body).toMatchObject({ ok: true })
    expect((await call({ url: '/v1/audit/entries?limit=100000', token: auditor })).status).toBe(400)
  })

  it('the exit process: a suspension stops the partner and its products at once; reinstating needs a new token; revocation is final and deletes dev data', async () => {
    const apiKey = (await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-exit', name: '退出测试银行' } })).body.apiKey as string
    const invoke = () => call({ method: 'POST', url: `/v1/products/${PRODUCT}/invoke`, token: apiKey, body: { input: { uscc } } })
    expect((await call({ method: 'POST', url: '/v1/operator/partners/acme-data/suspend', token: operator, body: {} })).status).toBe(400)
    expect((await call({ method: 'POST', url: '/v1/operator/partners/acme-data/suspend', token: operator, body: { reason: '违反保密承诺，暂停调查' } })).body.status).toBe('suspended')
    expect((await call({ url: '/v1/partner/products', token: partner })).status).toBe(401)
    expect((await invoke()).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
    expect((await call({ url: '/v1/products' })).body.products).toEqual([])
    // no new token while suspended
    expect((await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: 'acme-data' } })).status).toBe(409)
    await call({ method: 'POST', url: '/v1/operator/partners/acme-data/reinstate', token: operator, body: { reason: '调查结束' } })
    expect((await invoke()).status).toBe(200)
    // the old token stays dead; a new one works
    expect((await call({ url: '/v1/partner/products', token: partner })).status).toBe(401)
    // (tokens are stamped in whole seconds: a new one is issued in the next second)
    await new Promise((r) => setTimeout(r, 1100))
    partner = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: 'acme-data' } })).body.token
    expect((await call({ url: '/v1/partner/products', token: partner })).status).toBe(200)
    // an unreviewed version's upload is dev data
    await call({ method: 'PUT', url: `/v1/partner/products/${PRODUCT}/versions/1.1.0`, token: partner, body: { files: { 'product.ts': SOURCES['product.ts'].replace("version: '1.0.0'", "version: '1.1.0'") } } })
    expect(existsSync(join(config().uploadsDir, 'acme-data', PRODUCT, '1.1.0'))).toBe(true)

    const revoked = await call({ method: 'POST', url: '/v1/operator/partners/acme-data/revoke', token: operator, body: { reason: '终止合作' } })
    expect(revoked.body.status).toBe('revoked')
    expect((await call({ url: '/v1/partner/products', token: partner })).status).toBe(401)
    expect((await invoke()).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
    expect(existsSync(join(config().uploadsDir, 'acme-data', PRODUCT, '1.1.0'))).toBe(false)
    // the reviewed version's sources stay with its review record; its scenarios are revoked
    expect(existsSync(join(config().uploadsDir, 'acme-data', PRODUCT, '1.0.0'))).toBe(true)
    const scenarios = (await call({ url: '/v1/operator/scenarios', token: operator })).body.scenarios as { partner: string; status: string }[]
    expect(scenarios.filter((s) => s.partner === 'acme-data').map((s) => s.status)).toEqual(['revoked', 'revoked'])
    const versions = (await call({ url: '/v1/operator/versions', token: operator })).body.versions as { partner: string; devRun: unknown }[]
    expect(versions.filter((v) => v.partner === 'acme-data').every((v) => v.devRun === null)).toBe(true)
    expect((await call({ method: 'POST', url: '/v1/operator/partners/acme-data/reinstate', token: operator, body: { reason: 'x' } })).status).toBe(409)
    // the logs are kept
    for (const action of ['partner.suspended', 'partner.reinstated', 'partner.revoked', 'auth.failed', 'product.published']) expect(auditText()).toContain(`"action":"${action}"`)
  })
})
