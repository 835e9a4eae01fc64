/**
 * No trap between a partner's request and a bank's call, over HTTP (inject), on the README's own
 * path: a scenario filed without a key for its table used to pass the review in one click, publish,
 * and then fail every consumer call with a bare 400 blamed on the bank. Now the review shows the
 * failing check and refuses a plain approval; an override needs a reason and is audited; publishing
 * refuses a product its scenario cannot serve, with the cause; the operator sets the key in the
 * decision and the product serves; a newer version retires the older from the public list; and a
 * scenario that loses its key after publication answers the bank with the partner's error, whose
 * cause is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { auditEntries, tamperState } from '../../helpers/audit-trail.ts'
import { bundleProduct } from '../../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct } from '../../../runtime/products/run-product.ts'
import { scenarioRequestOf } from '../../../runtime/scenarios/dev-approval.ts'
import { createPartnerServer, type PartnerCall, type PartnerServer } from '../../helpers/partner-server.ts'

const PRODUCT = 'enterprise-credit-score'
const SOURCE = readFileSync(`products/${PRODUCT}/product.ts`, 'utf8')
const sourcesOf = (version: string) => ({ 'product.ts': SOURCE.replace("version: '1.0.0'", `version: '${version}'`) })
let s: PartnerServer
let operator: string
let partner: string
let apiKey: string
let keylessRequest: Record<string, unknown>
let keyedTables: Record<string, string>
let scenario: string
let uscc: string

/** A call with a credential, or without one (`token` left out). */
const call = ({ token = null, ...request }: Omit<PartnerCall, 'token'> & { token?: string | null }) => s.call({ ...request, token })
const version = (v: string) => `/v1/partner/products/${PRODUCT}/versions/${v}`
const review = (v: string, body: Record<string, unknown>) => call({ method: 'POST', url: `/v1/operator/products/${PRODUCT}/versions/${v}/review`, token: operator, body })
const stateOf = async (v: string) => ((await call({ url: '/v1/operator/versions', token: operator })).body.versions as { product: string; version: string; status: string }[]).find((x) => x.product === PRODUCT && x.version === v)?.status
const trail = () => auditEntries(s.config.stateDatabase)
const invoke = () => call({ method: 'POST', url: `/v1/products/${PRODUCT}/invoke`, token: apiKey, body: { input: { uscc } } })

/** Uploads, dev-runs (under the operator's decision of the scenario) and submits a version; the dev run's answer. */
async function submitted(v: string): Promise<Record<string, any>> {
  expect((await call({ method: 'PUT', url: version(v), token: partner, body: { files: sourcesOf(v) } })).status).toBe(201)
  const devRun = (await call({ method: 'POST', url: `${version(v)}/dev-run`, token: partner, body: { pick: 1 } })).body
  expect((await call({ method: 'POST', url: `${version(v)}/submit`, token: partner, body: { scenario } })).body.status).toBe('submitted')
  return devRun
}

beforeAll(async () => {
  s = await createPartnerServer('first-hour')
  const pool = createSandboxPool({ workers: 1 })
  const product = await loadProduct(pool, await bundleProduct(`products/${PRODUCT}`)).finally(() => pool.close())
  const { partner: _, ...request } = scenarioRequestOf(product.manifest, 'x')
  const tables = request.tables as Record<string, { key?: string; fields: Record<string, string> }>
  keyedTables = Object.fromEntries(Object.entries(tables).map(([t, v]) => [t, v.key!]))
  // the README's example: tables with their fields, and no key
  keylessRequest = { ...request, tables: Object.fromEntries(Object.entries(tables).map(([t, v]) => [t, { fields: v.fields }])) }
  uscc = String((await s.sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
  operator = s.operator
  partner = await s.partner('acme-data', 'MA2T3X4Y')
  apiKey = (await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-hs', name: '徽商银行' } })).body.apiKey
}, 120_000)

afterAll(async () => {
  await s?.close()
})

describe('from a keyless scenario to a bank\'s call', () => {
  it('the review shows the missing key as a failing check, and a plain approval is refused with each failing check; nothing changes', async () => {
    scenario = (await call({ method: 'POST', url: '/v1/partner/scenarios', token: partner, body: keylessRequest })).body.id
    expect((await call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/decision`, token: operator, body: { approveRest: true, expiresOn: '2099-12-31' } })).body.status).toBe('approved')
    // the dev run is under the operator's decision: it fails there already, before any bank calls
    const devRun = await submitted('1.0.0')
    expect(devRun).toMatchObject({ ok: false, error: { code: 'ERR_PRODUCT_CANNOT_SERVE', problems: expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^scenario:\/tables\/\w+\/key$/) })]) } })
    const file = (await call({ url: `/v1/operator/products/${PRODUCT}/versions/1.0.0`, token: operator })).body
    const fields = (file.checks as { check: string; ok: boolean; detail?: string }[]).find((c) => c.check === 'fields_approved')!
    expect(fields).toMatchObject({ ok: false, detail: expect.stringContaining('/key') })
    const plain = await review('1.0.0', { decision: 'approve' })
    expect(plain.status).toBe(409)
    expect(plain.body).toMatchObject({ code: 'ERR_REVIEW_CHECKS_FAILED', message: expect.stringContaining('override'), problems: expect.arrayContaining([{ path: 'check:fields_approved', problem: expect.stringContaining('key') }]) })
    // an override without a reason, or with blanks for one, is no override
    for (const body of [{ decision: 'approve', override: true }, { decision: 'approve', override: true, reason: '   ' }]) {
      const refused = await review('1.0.0', body)
      expect(refused.status).toBe(400)
      expect(refused.body.problems).toEqual([{ path: 'body:/reason', problem: expect.stringContaining('reason') }])
    }
    expect(await stateOf('1.0.0')).toBe('submitted')
    expect(trail().filter((e) => e.action === 'product.approved')).toEqual([])
  })

  it('an override with a reason approves it, and the audit trail names the overridden checks and the reason', async () => {
    const approved = await review('1.0.0', { decision: 'approve', override: true, reason: '键字段将在场景复审时补充' })
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body).toMatchObject({ status: 'approved', reviewer: 'op-zhang', reason: '键字段将在场景复审时补充' })
    const entry = trail().find((e) => e.action === 'product.approved')!
    expect(entry.detail).toMatchObject({ overriddenChecks: expect.arrayContaining(['fields_approved']), reason: '键字段将在场景复审时补充' })
  })

  it('publishing refuses a product its scenario cannot serve, naming each missing key; the public list stays empty', async () => {
    const refused = await call({ method: 'POST', url: `${version('1.0.0')}/publish`, token: partner, body: { pricePerCallFen: 40 } })
    expect(refused.status).toBe(503)
    expect(refused.body.code).toBe('ERR_PRODUCT_CANNOT_SERVE')
    expect((refused.body.problems as { path: string }[]).map((p) => p.path).sort()).toEqual(Object.keys(keyedTables).map((t) => `scenario:/tables/${t}/key`).sort())
    expect((await call({ url: '/v1/products' })).body.products).toEqual([])
    expect(trail().filter((e) => e.action === 'product.published')).toEqual([])
    // the bank finds no product, not a broken one
    expect((await invoke()).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
  })

  it('the operator\'s decision cannot set a key that is no key: another table, a field the catalog lacks, a number field; the scenario is unchanged', async () => {
    const before = (await call({ url: `/v1/operator/scenarios/${scenario}`, token: operator })).body
    const [table] = Object.keys(keyedTables)
    const decide = (keys: Record<string, string>) => call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/decision`, token: operator, body: { approveRest: true, expiresOn: '2099-12-31', keys } })
    const attempts = [{ bus_route: 'route_id' }, { [table!]: 'no_such_field' }, { [table!]: 'registered_capital' }, { [table!]: "uscc'; drop table scenarios; --" }]
    for (const keys of attempts) {
      const refused = await decide(keys)
      expect(refused.status, JSON.stringify(keys)).toBe(400)
      expect(refused.body.code, JSON.stringify(keys)).toMatch(/^ERR_(SCENARIO_INVALID|PARAMS_INVALID)$/)
      expect(refused.body.problems?.length, JSON.stringify(keys)).toBeGreaterThan(0)
    }
    const after = (await call({ url: `/v1/operator/scenarios/${scenario}`, token: operator })).body
    expect(after).toMatchObject({ revision: before.revision, keys: before.keys })
  })

  it('once the operator sets each table\'s key, the same approved version publishes and the bank\'s call is answered (control)', async () => {
    const decided = await call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/decision`, token: operator, body: { approveRest: true, expiresOn: '2099-12-31', keys: keyedTables } })
    expect(decided.status, JSON.stringify(decided.body)).toBe(200)
    expect(decided.body.keys).toEqual(keyedTables)
    expect(trail().filter((e) => e.action === 'scenario.approved').at(-1)!.detail).toMatchObject({ keys: keyedTables })
    const file = (await call({ url: `/v1/operator/products/${PRODUCT}/versions/1.0.0`, token: operator })).body
    // the scenario now approves what the product reads (its dev run, recorded before, stays failed)
    expect((file.checks as { check: string; ok: boolean }[]).find((c) => c.check === 'fields_approved')?.ok).toBe(true)
    expect((await call({ method: 'POST', url: `${version('1.0.0')}/publish`, token: partner, body: { pricePerCallFen: 40 } })).status).toBe(200)
    const answered = await invoke()
    expect(answered.status, JSON.stringify(answered.body)).toBe(200)
    expect(answered.body.result).toMatchObject({ score: expect.any(Number) })
  })

  it('a version whose checks pass is approved without an override, and none is recorded (control)', async () => {
    expect((await submitted('1.1.0')).ok).toBe(true)
    const approved = await review('1.1.0', { decision: 'approve' })
    expect(approved.body.status).toBe('approved')
    expect(trail().filter((e) => e.action === 'product.approved').at(-1)!.detail).not.toHaveProperty('overriddenChecks')
  })

  it('publishing 1.1.0 retires 1.0.0 from the public list; a suspension and reinstatement do not bring it back', async () => {
    expect((await call({ method: 'POST', url: `${version('1.1.0')}/publish`, token: partner, body: { pricePerCallFen: 40 } })).status).toBe(200)
    const listed = () => call({ url: '/v1/products' }).then((r) => (r.body.products as { id: string; version: string }[]).filter((p) => p.id === PRODUCT).map((p) => p.version))
    expect(await listed()).toEqual(['1.1.0'])
    // the provider by its registered name (产品清单公示)
    expect((await call({ url: '/v1/products' })).body.products.find((p: { id: string }) => p.id === PRODUCT)).toMatchObject({ partner: 'acme-data', partnerName: '合肥数智科技有限公司' })
    const mine = (await call({ url: '/v1/partner/products', token: partner })).body.published as { version: string; status: string }[]
    expect(mine.map((p) => [p.version, p.status]).sort()).toEqual([['1.0.0', 'retired'], ['1.1.0', 'published']])
    expect((await invoke()).status).toBe(200)
    await call({ method: 'POST', url: '/v1/operator/partners/acme-data/suspend', token: operator, body: { reason: '核查中' } })
    expect(await listed()).toEqual([])
    await call({ method: 'POST', url: '/v1/operator/partners/acme-data/reinstate', token: operator, body: { reason: '核查完毕' } })
    expect(await listed()).toEqual(['1.1.0'])
    // the suspension killed the partner's tokens: a new one, stamped in a later second
    await new Promise((resolve) => setTimeout(resolve, 1100))
    partner = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: 'acme-data' } })).body.token
  })

  it('a retired version is callable by consumers that name it only while the operator keeps it so; the public list shows the new one only', async () => {
    const claims = (release: string) => JSON.parse(Buffer.from(release.split('.')[1]!, 'base64url').toString('utf8')) as { product: { version: string } }
    const pinned = (v: string) => call({ method: 'POST', url: `/v1/products/${PRODUCT}/invoke`, token: apiKey, body: { input: { uscc }, version: v } })
    const keep = (v: string, until: string | null) => call({ method: 'PUT', url: `/v1/operator/products/${PRODUCT}/versions/${v}/callable-until`, token: operator, body: { until } })
    expect((await pinned('1.0.0')).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
    // only a retired version, only today or later, only one that exists
    expect(await keep('1.1.0', '2099-12-31')).toMatchObject({ status: 409, body: { code: 'ERR_CONFLICT' } })
    expect(await keep('1.0.0', '2001-01-01')).toMatchObject({ status: 400, body: { problems: [{ path: 'body:/until', problem: expect.any(String) }] } })
    expect(await keep('1.0.0', '2099-02-31')).toMatchObject({ status: 400, body: { problems: [{ path: 'body:/until', problem: expect.any(String) }] } })
    expect((await keep('9.9.9', '2099-12-31')).status).toBe(409)
    const kept = await keep('1.0.0', '2099-12-31')
    expect(kept.body).toMatchObject({ version: '1.0.0', status: 'retired', callableUntil: '2099-12-31' })
    expect(trail().filter((e) => e.action === 'product.kept_callable').at(-1)).toMatchObject({ actor: 'op-zhang', subject: `${PRODUCT}@1.0.0`, detail: { until: '2099-12-31' } })
    const old = await pinned('1.0.0')
    expect(old.status, JSON.stringify(old.body)).toBe(200)
    expect(claims(old.body.release).product.version).toBe('1.0.0')
    // unnamed, or naming the new one: the new one (control)
    expect(claims((await invoke()).body.release).product.version).toBe('1.1.0')
    expect(claims((await pinned('1.1.0')).body.release).product.version).toBe('1.1.0')
    expect((await call({ url: '/v1/products' })).body.products.filter((p: { id: string }) => p.id === PRODUCT).map((p: { version: string }) => p.version)).toEqual(['1.1.0'])
    // a suspension stops the kept version with the product, a reinstatement brings it back (control)
    await call({ method: 'POST', url: '/v1/operator/partners/acme-data/suspend', token: operator, body: { reason: '核查中' } })
    expect((await pinned('1.0.0')).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
    // off the public list, the disclosure still names it by its title
    expect((await call({ url: '/v1/products' })).body.products.some((p: { id: string }) => p.id === PRODUCT)).toBe(false)
    expect((await call({ url: '/v1/disclosure' })).body.productTitles).toEqual({ [PRODUCT]: '企业信用贷' })
    expect((await call({ url: '/v1/disclosure/activity' })).body.productTitles).toEqual({ [PRODUCT]: '企业信用贷' })
    await call({ method: 'POST', url: '/v1/operator/partners/acme-data/reinstate', token: operator, body: { reason: '核查完毕' } })
    expect((await pinned('1.0.0')).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    partner = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: 'acme-data' } })).body.token
    // a version that was never published, and the kept one once the operator ends it
    expect((await pinned('1.2.0')).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
    expect((await keep('1.0.0', null)).body.callableUntil).toBeNull()
    expect((await pinned('1.0.0')).body.code).toBe('ERR_PRODUCT_NOT_FOUND')
  })

  it('a scenario that lost its keys after publication answers the bank with the partner\'s error, its cause in the trail', async () => {
    // nothing in the API unsets a key: the change is made in the database itself
    tamperState(s.config.stateDatabase, `UPDATE scenarios SET keys = '{}', revision = revision + 1 WHERE id = ?`, scenario)
    const failed = await invoke()
    expect(failed.status).toBe(503)
    expect(failed.body).toMatchObject({ code: 'ERR_PRODUCT_CANNOT_SERVE', message: expect.stringContaining('scenario'), problems: expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^scenario:\/tables\/.+\/key$/) })]) })
    const entry = trail().filter((e) => e.action === 'product.failed').at(-1)!
    expect(entry.detail).toMatchObject({ code: 'ERR_PRODUCT_CANNOT_SERVE', problems: expect.any(Array) })
  })

  it('an override never approves sources that no longer bundle to the recorded code hash', async () => {
    await submitted('1.2.0')
    writeFileSync(join(s.config.uploadsDir, 'acme-data', PRODUCT, '1.2.0', 'product.ts'), sourcesOf('1.2.0')['product.ts'].replace(/title: '([^']*)'/, "title: '$1（提交后修改）'"))
    const refused = await review('1.2.0', { decision: 'approve', override: true, reason: '我确认越过全部检查' })
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ code: 'ERR_REVIEW_CHECKS_FAILED', problems: expect.arrayContaining([expect.objectContaining({ path: 'check:code_hash' })]) })
    expect(await stateOf('1.2.0')).toBe('submitted')
    // rejecting it needs no override (control)
    expect((await review('1.2.0', { decision: 'reject', reason: '源码在提交后被修改' })).body.status).toBe('rejected')
  })
})

describe('names instead of ids', () => {
  it('a bank\'s usage carries its own registered name, and only its own', async () => {
    const usage = await call({ url: '/v1/usage', token: apiKey })
    expect(usage.body).toMatchObject({ consumer: 'bank-hs', consumerName: '徽商银行' })
    const other = (await call({ method: 'POST', url: '/v1/operator/consumers', token: operator, body: { id: 'bank-other', name: '另一家银行' } })).body.apiKey as string
    expect((await call({ url: '/v1/usage', token: other })).body).toMatchObject({ consumer: 'bank-other', consumerName: '另一家银行' })
  })
})

describe('an auditor reads the trail with names', () => {
  it('an auditor (and an operator) gets the partners\' and consumers\' names; a partner or a bank does not', async () => {
    const auditor = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'auditor', subject: 'audit-office' } })).body.token as string
    for (const token of [auditor, operator]) {
      const parties = await call({ url: '/v1/audit/parties', token })
      expect(parties.status).toBe(200)
      expect(parties.body.partners).toEqual(expect.arrayContaining([{ id: 'acme-data', name: '合肥数智科技有限公司' }]))
      expect(parties.body.consumers).toEqual(expect.arrayContaining([{ id: 'bank-hs', name: '徽商银行' }]))
    }
    expect((await call({ url: '/v1/audit/parties', token: partner })).status).toBe(403)
    expect((await call({ url: '/v1/audit/parties', token: apiKey })).status).toBe(403)
    expect((await call({ url: '/v1/audit/parties' })).status).toBe(401)
  })
})

describe('an operator\'s mistakes say what is wrong where, repeating nothing they sent', () => {
  it('a decision on an old revision, a blank denial, a key on a table the scenario does not read, an unknown route', async () => {
    const decide = (body: Record<string, unknown>) => call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/decision`, token: operator, body: { approveRest: true, expiresOn: '2099-12-31', ...body } })
    const stale = await decide({ revision: 0 })
    expect(stale).toMatchObject({ status: 409, body: { code: 'ERR_CONFLICT', message: expect.stringContaining('reload'), problems: [{ path: 'body:/revision', problem: expect.any(String) }] } })
    const blank = await call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/deny`, token: operator, body: { reason: '   ' } })
    expect(blank).toMatchObject({ status: 400, body: { code: 'ERR_SCENARIO_INVALID', problems: [{ path: 'body:/reason', problem: expect.any(String) }] } })
    const hostile = await decide({ keys: { evil_table_x9: 'uscc' } })
    expect(hostile.status).toBe(400)
    expect(hostile.body.problems).toEqual([{ path: 'body:/keys', problem: expect.stringContaining('table') }])
    expect(JSON.stringify(hostile.body)).not.toContain('evil_table_x9')
    // rules that name a field (they serve the command line too) point into the body over HTTP
    const paths = (r: { body: Record<string, any> }) => (r.body.problems as { path: string }[]).map((p) => p.path).sort()
    expect(paths(await decide({ expiresOn: '2001-01-01' }))).toEqual(['body:/expiresOn'])
    expect(paths(await decide({ release: { privacy: { epsilon: 99, budget: 1, periodDays: 30 } } }))).toEqual(['body:/release/privacy/budget', 'body:/release/privacy/epsilon'])
    // another key: the old key's raw approval does not stay raw (it was raw only as the key)
    const probe = (await call({ method: 'POST', url: '/v1/partner/scenarios', token: partner, body: { product: 'rekey-probe', purpose: '核验企业存续状态', category: '产业发展', tables: { enterprise_basic: { key: 'uscc', fields: { uscc: '查询键', status: '是否存续' } } } } })).body.id as string
    const decideProbe = (body: Record<string, unknown>) => call({ method: 'POST', url: `/v1/operator/scenarios/${probe}/decision`, token: operator, body: { expiresOn: '2099-12-31', ...body } })
    expect((await decideProbe({ approveRest: true })).body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'uscc', mask: { rule: 'keep' } })]))
    const rekeyed = await decideProbe({ keys: { enterprise_basic: 'name' } })
    expect(rekeyed.status).toBe(400)
    expect(rekeyed.body.problems).toEqual(expect.arrayContaining([{ path: 'enterprise_basic.uscc', problem: expect.stringContaining('pseudonymized') }]))
    // approved again with its default mask, the new key is taken (control)
    const retaken = await decideProbe({ approveRest: true, keys: { enterprise_basic: 'name' } })
    expect(retaken.body).toMatchObject({ keys: { enterprise_basic: 'name' } })
    expect(retaken.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'uscc', mask: { rule: 'pseudonym' } })]))
    const unknownRoute = await call({ url: '/v1/no-such-route' })
    expect(unknownRoute).toMatchObject({ status: 404, body: { code: 'ERR_NOT_FOUND', message: expect.stringContaining('/docs') } })
    // the scenario is as it was decided (control: it still serves)
    expect((await call({ url: `/v1/operator/scenarios/${scenario}`, token: operator })).body.status).toBe('approved')
  })
})
