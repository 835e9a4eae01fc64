/**
 * The console in a real browser (headless Chromium), against a listening server with real data:
 * an operator decides a scenario field by field and sets a table's lookup key, reviews product
 * versions (one that fails its checks only through an override with a reason), two operators
 * approve one release and one rejects another; a bank sees its runs, downloads the signed release
 * and it verifies; a partner sees each field's decision and why a version was rejected; an auditor
 * verifies the chain and then sees a tampered entry flagged; everyone sees the product list and
 * the usage disclosure charts. Every screen of every role is walked in Chinese for raw codes and
 * English, and checked by axe-core in both languages; the keyboard alone is enough, and no request
 * ever leaves for another host. `npm run screenshots` also writes the README's pictures.
 */
import { auditEntries, tamperState } from '../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { AUDIT_ACTIONS } from '../../runtime/audit/audit-actions.ts'
import { cityDay } from '../../runtime/city-calendar.ts'
import { loadConfig, type RuntimeConfig } from '../../runtime/config.ts'
import { openKeys } from '../../runtime/release/open-keys.ts'
import { verifyRelease } from '../../runtime/release/signing.ts'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct } from '../../runtime/products/run-product.ts'
import { scenarioRequestOf } from '../../runtime/scenarios/dev-approval.ts'
import { issuePlatformToken } from '../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../runtime/server/server-runtime.ts'
import { CONSOLE_DIST } from '../../runtime/server/routes/console-routes.ts'
import { makeUscc } from '../../catalog/identifiers/uscc.ts'
import { approveAndPublish } from '../helpers/published-product.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { accessibilityViolations, browserAvailable, launchBrowser, SKIP_MESSAGE, visibleTextProblems } from '../helpers/console-browser.ts'

const API_PRODUCT = 'enterprise-credit-score'
const DATASET = 'enterprise-shell-scan'
/** A second API product, submitted under a scenario that does not approve what it reads: its checks fail. */
const FAILING = 'enterprise-tax-arrears-grade'
const FAILING_SOURCE = readFileSync(`products/${FAILING}/product.ts`, 'utf8')
const SCREENSHOTS = process.env.INDOMAIN_SCREENSHOTS
/** The codes the API answers with that must never be shown as they are, not even as code. */
const RAW_CODES = [...Object.keys(AUDIT_ACTIONS), 'passed', 'suppressed', 'bytes', 'dataset', 'report', 'requested', 'approved', 'pending', 'released', 'rejected', 'refused', 'not_checkable']

let sample: SampleStore
let config: RuntimeConfig
let server: ServerRuntime
let base: string
let browser: Browser
let apiKey: string
const tokens = { zhang: '', li: '', partner: '', auditor: '' }
let scenarioId: string
let keyScenarioId: string
let pendingReleases: string[] = []
/** A run the bank makes after the reviews: it waits for review to the end. */
let waitingRelease: string
/** Product id → title, as the public list says. */
const titles = new Map<string, string>()
const externalRequests: string[] = []
/** Content security policy violations Chromium reported on any page. */
const policyViolations: string[] = []

if (!browserAvailable) console.warn(SKIP_MESSAGE)
// CI sets INDOMAIN_REQUIRE_BROWSER=1: there, a missing browser fails instead of skipping
if (!browserAvailable && process.env.INDOMAIN_REQUIRE_BROWSER === '1') {
  it('has a browser to test the console in', () => {
    throw new Error(SKIP_MESSAGE)
  })
}

type Answer = { status: number; body: Record<string, any> }
async function call(method: 'GET' | 'POST' | 'PUT', path: string, credential: string | null, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(credential === null ? {} : { authorization: `Bearer ${credential}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
  const page = await context.newPage()
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) externalRequests.push(request.url())
  })
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) policyViolations.push(message.text())
  })
  return { context, page }
}

async function signIn(page: Page, credential: string): Promise<void> {
  await page.goto(`${base}/console/#/sign-in`)
  await page.getByLabel('平台令牌或 API 密钥').fill(credential)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.getByTestId('signed-in').waitFor()
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS === undefined) return
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Presses Tab until the element matching `selector` has the focus (at most 40 times). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.locator(selector).evaluate((element) => element.ownerDocument.activeElement === element)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`${selector} cannot be reached with Tab`)
}

/**
 * Versions of the failing product, uploaded and dev-run (on the partner's sample approval), then
 * submitted under a scenario of its own that approves only the key it is called with.
 */
async function submitFailing(versions: readonly string[]): Promise<void> {
  for (const version of versions) {
    const files = { 'product.ts': FAILING_SOURCE.replace("version: '1.0.0'", `version: '${version}'`) }
    expect((await call('PUT', `/v1/partner/products/${FAILING}/versions/${version}`, tokens.partner, { files })).body).toMatchObject({ version })
    expect((await call('POST', `/v1/partner/products/${FAILING}/versions/${version}/dev-run`, tokens.partner, { pick: 1 })).body).toMatchObject({ ok: true })
  }
  const narrow = await call('POST', '/v1/partner/scenarios', tokens.partner, { product: FAILING, purpose: '评估企业欠税等级，供授信参考', category: '产业发展', tables: { enterprise_basic: { key: 'uscc', fields: { uscc: '按统一社会信用代码查找企业' } } } })
  expect(narrow.status).toBe(201)
  expect((await call('POST', `/v1/operator/scenarios/${narrow.body.id}/decision`, tokens.li, { approveRest: true, expiresOn: '2099-12-31' })).body.status).toBe('approved')
  for (const version of versions) expect((await call('POST', `/v1/partner/products/${FAILING}/versions/${version}/submit`, tokens.partner, { scenario: narrow.body.id })).body).toMatchObject({ status: 'submitted' })
}

describe('the raw-code detector', () => {
  it.skipIf(!browserAvailable)('flags planted codes, JSON and English, and passes Chinese text with ids in code', async () => {
    const b = await launchBrowser()
    try {
      const page = await b.newPage()
      await page.setContent(`<main>
        <p>审核结果：review.rejected</p><p>状态 passed</p><p>{"suppressed":1}</p><code>ERR_CONFLICT</code>
        <p>检查 dev_run_ok 与 DIRECT_IDENTIFIER</p><code>review.approved</code>
        <details><summary>更多</summary><p>bytes</p></details>
        <select><option>Pending</option></select>
      </main>`)
      const found = await visibleTextProblems(page, RAW_CODES)
      for (const token of ['review.rejected', 'passed', '{"', 'ERR_CONFLICT', 'dev_run_ok', 'DIRECT_IDENTIFIER', 'review.approved', 'bytes', 'Pending']) expect(found.some((p) => p.startsWith(`${token} ·`))).toBe(true)
      await page.setContent(`<main>
        <p>用 indomain 命令验证，API 密钥</p><code>enterprise_basic.uscc</code> <code>enterprise-credit-score</code>
        <pre><code>npx indomain verify release.jws --jwks http://127.0.0.1/.well-known/jwks.json</code></pre>
        <samp>AAA</samp><button lang="en">English</button><p>评级 L3，版本 1.0.0</p>
      </main>`)
      expect(await visibleTextProblems(page, RAW_CODES)).toEqual([])
    } finally {
      await b.close()
    }
  })
})

describe.skipIf(!browserAvailable)('the operator console in a browser', () => {
  beforeAll(async () => {
    sample = await createSampleStore(6000, 'console')
    config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'console test passphrase' })
    mkdirSync(config.devDir, { recursive: true })
    copyFileSync(sample.path, join(config.devDir, 'sample.duckdb'))
    // a published dataset for the release queue (a bank is its consumer)
    apiKey = (await approveAndPublish(sample, config, `products/${DATASET}`, { partner: 'shell-lab', operator: 'op-wang', priceFen: 0 })).apiKey
    server = await createServerRuntime(config)
    await server.app.listen({ host: '127.0.0.1', port: 0 })
    const address = server.app.server.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    base = `http://127.0.0.1:${address.port}`
    const keys = openKeys(config, 'production').active()
    tokens.zhang = issuePlatformToken(keys, { role: 'operator', id: 'op-zhang', ttlSeconds: 3600 })
    tokens.li = issuePlatformToken(keys, { role: 'operator', id: 'op-li', ttlSeconds: 3600 })
    tokens.partner = (await call('POST', '/v1/operator/tokens', tokens.zhang, { role: 'partner', subject: 'acme-data' })).body.token
    tokens.auditor = (await call('POST', '/v1/operator/tokens', tokens.zhang, { role: 'auditor', subject: 'audit-office' })).body.token
    expect((await call('POST', '/v1/partner/register', tokens.partner, { name: '合肥数智科技有限公司', uscc: makeUscc('9', '1', '340100', 'MA2T3X4Y'), contact: 'dpo@acme.example', confidentialityAcknowledged: true })).status).toBe(201)
    // the partner uploads and dev-runs its product and asks for its fields, and two more it does not need
    const sources = { 'product.ts': readFileSync(`products/${API_PRODUCT}/product.ts`, 'utf8') }
    expect((await call('PUT', `/v1/partner/products/${API_PRODUCT}/versions/1.0.0`, tokens.partner, { files: sources })).status).toBe(201)
    expect((await call('POST', `/v1/partner/products/${API_PRODUCT}/versions/1.0.0/dev-run`, tokens.partner, { pick: 2 })).body.ok).toBe(true)
    const pool = createSandboxPool({ workers: 1 })
    const product = await loadProduct(pool, await bundleProduct(`products/${API_PRODUCT}`)).finally(() => pool.close())
    const { partner: _, ...request } = scenarioRequestOf(product.manifest, 'acme-data')
    const basic = request.tables.enterprise_basic!
    const filed = await call('POST', '/v1/partner/scenarios', tokens.partner, {
      ...request,
      tables: { ...request.tables, enterprise_basic: { ...basic, fields: { ...basic.fields, legal_rep_name: '核实法定代表人', legal_rep_id: '关联法定代表人的其他企业', registered_capital: '注册资本规模' } } },
    })
    expect(filed.status).toBe(201)
    scenarioId = filed.body.id
    // the bank runs the dataset twice: two releases wait for review
    for (let i = 0; i < 2; i++) {
      const run = await call('POST', `/v1/products/${DATASET}/runs`, apiKey, { input: {} })
      expect(run.status).toBe(202)
      pendingReleases.push(run.body.releaseId)
    }
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    sample?.dispose()
  })

  it('serves the console with a strict content security policy, from this server only', async () => {
    const page = await fetch(`${base}/console/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    const html = await page.text()
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/) // no inline script
    expect(html).not.toMatch(/https?:\/\//) // no asset from elsewhere
    expect((await fetch(`${base}/`, { redirect: 'manual' })).headers.get('location')).toBe('/console/')
    // path tricks do not leave the console's folder
    expect((await fetch(`${base}/console/..%2f..%2fpackage.json`)).status).toBe(404)
  })

  it('an operator signs in with the keyboard alone and decides a scenario field by field', async () => {
    const { context, page } = await newPage()
    await page.goto(`${base}/console/#/sign-in`)
    await tabTo(page, 'textarea[name="credential"]')
    await page.keyboard.insertText(tokens.zhang)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toContain('op-zhang')
    // lands on the scenario requests, and the pending one is listed
    await page.getByRole('link', { name: scenarioId }).click()
    await page.getByRole('heading', { name: new RegExp(scenarioId) }).waitFor()
    const rows = page.locator('[data-testid^="field-"]')
    await rows.first().waitFor()
    const names = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('field-'.length)))).sort()
    expect(names).toContain('enterprise_basic.legal_rep_name')
    // each field by its catalog label, with its level and identifier kind in words
    await expect.poll(() => page.getByTestId('field-enterprise_basic.legal_rep_name').textContent()).toMatch(/法定代表人.*L3.*敏感.*姓名或名称/)
    // not every field decided: the decision cannot be submitted yet
    await expect.poll(() => page.getByRole('button', { name: '提交逐字段决定' }).isDisabled()).toBe(true)
    for (const name of names) {
      if (name === 'enterprise_basic.legal_rep_name') {
        await page.getByLabel(`驳回 ${name}`, { exact: true }).check()
        await page.getByLabel(`驳回理由 ${name}`).fill('超出最小必要范围：评分不需要法定代表人姓名')
      } else {
        await page.getByLabel(`批准 ${name}`, { exact: true }).check()
      }
    }
    // a mask other than the default: registered capital only in bands (typed wrong first: said in words)
    await page.getByLabel('脱敏方式 enterprise_basic.registered_capital').selectOption('bucketize')
    await page.getByLabel('分段边界（逗号分隔） enterprise_basic.registered_capital').fill('500, 100')
    await page.getByRole('button', { name: '提交逐字段决定' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('分段边界须为递增的数字')
    await page.getByLabel('分段边界（逗号分隔） enterprise_basic.registered_capital').fill('100, 500, 1000')
    // a resident ID (a direct identifier) is never approved unmasked: the console does not offer it
    const offered = await page.getByLabel('脱敏方式 enterprise_basic.legal_rep_id').locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))
    expect(offered).toContain('pseudonym')
    expect(offered).not.toContain('keep')
    await screenshot(page, 'scenario-decision')
    await page.getByRole('button', { name: '提交逐字段决定' }).click()
    await page.getByText('决定已保存').waitFor()
    const stored = (await call('GET', '/v1/operator/scenarios', tokens.zhang)).body.scenarios.find((s: { id: string }) => s.id === scenarioId)
    expect(stored.status).toBe('approved')
    const field = (f: string) => stored.fields.find((x: { table: string; field: string }) => `${x.table}.${x.field}` === f)
    expect(field('enterprise_basic.legal_rep_name')).toMatchObject({ decision: 'denied', reason: '超出最小必要范围：评分不需要法定代表人姓名' })
    expect(field('enterprise_basic.registered_capital')).toMatchObject({ decision: 'approved', mask: { rule: 'bucketize', bounds: [100, 500, 1000] } })
    expect(field('enterprise_basic.legal_rep_id')).toMatchObject({ decision: 'approved', mask: { rule: 'pseudonym' } })
    expect(stored.fields.filter((f: { decision: string }) => f.decision === 'pending')).toEqual([])
    expect(stored.history.at(-1)).toMatchObject({ actor: 'op-zhang', action: 'approved' })
    // the history says it in words
    await expect.poll(() => page.getByTestId('scenario-history').textContent()).toContain('逐字段决定')
    await context.close()
  })

  it('an operator sets a table\'s lookup key in a scenario decision, from the table\'s text fields', async () => {
    const filed = await call('POST', '/v1/partner/scenarios', tokens.partner, {
      product: 'enterprise-status-check',
      purpose: '核验企业经营状态，供授信前核查',
      category: '产业发展',
      tables: { enterprise_basic: { fields: { uscc: '按统一社会信用代码查找企业', status: '经营状态' } } },
    })
    expect(filed.status).toBe(201)
    keyScenarioId = filed.body.id
    expect(filed.body.keys).toEqual({})
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.goto(`${base}/console/#/scenarios/${keyScenarioId}`)
    const key = page.getByTestId('key-enterprise_basic')
    await key.waitFor()
    // a key is a text field of the table, offered by its label; none is set yet
    expect(await key.inputValue()).toBe('')
    const offered = await key.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))
    expect(offered).toContain('uscc')
    expect(offered).not.toContain('registered_capital')
    await key.selectOption('uscc')
    // the key is kept as it is: the field's mask is no longer a choice
    await expect.poll(() => page.getByTestId('field-enterprise_basic.uscc').textContent()).toContain('查询键')
    for (const name of ['enterprise_basic.uscc', 'enterprise_basic.status']) await page.getByLabel(`批准 ${name}`, { exact: true }).check()
    await page.getByRole('button', { name: '提交逐字段决定' }).click()
    await page.getByText('决定已保存').waitFor()
    const stored = (await call('GET', `/v1/operator/scenarios/${keyScenarioId}`, tokens.zhang)).body
    expect(stored).toMatchObject({ status: 'approved', keys: { enterprise_basic: 'uscc' } })
    expect(stored.fields.find((f: { field: string }) => f.field === 'uscc')).toMatchObject({ decision: 'approved', mask: { rule: 'keep' } })
    await context.close()
  })

  it('an operator reviews a submitted version: manifest and dev run as tables, scenario, code hash and automatic checks', async () => {
    expect((await call('POST', `/v1/partner/products/${API_PRODUCT}/versions/1.0.0/submit`, tokens.partner, { scenario: scenarioId })).body.status).toBe('submitted')
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.getByRole('link', { name: '产品审查' }).click()
    await page.getByRole('link', { name: /企业信用/ }).click()
    const checks = page.getByTestId('version-checks')
    await checks.waitFor()
    await expect.poll(() => checks.locator('li.fail').count()).toBe(0)
    await expect.poll(() => checks.locator('li.pass').count()).toBeGreaterThanOrEqual(6)
    expect(await page.getByTestId('checks-summary').textContent()).toContain('全部自动检查通过')
    expect(await page.locator('code.hash').textContent()).toMatch(/^[0-9a-f]{64}$/)
    // the manifest and the dev run are tables and lists in words, not JSON
    expect(await page.getByTestId('manifest-fields').textContent()).toContain('企业基本信息')
    expect(await page.getByTestId('manifest').textContent()).toContain('单户查询接口')
    expect(await page.getByTestId('dev-run').textContent()).toContain('成功')
    await screenshot(page, 'version-review')
    await page.getByRole('button', { name: '批准该版本' }).click()
    await page.getByRole('status').filter({ hasText: '该版本已批准' }).waitFor()
    const version = (await call('GET', `/v1/operator/versions?status=approved`, tokens.zhang)).body.versions.find((v: { product: string }) => v.product === API_PRODUCT)
    expect(version).toMatchObject({ status: 'approved', reviewer: 'op-zhang' })
    // the partner publishes it and the bank calls it: fees for the disclosure
    expect((await call('POST', `/v1/partner/products/${API_PRODUCT}/versions/1.0.0/publish`, tokens.partner, { pricePerCallFen: 40 })).status).toBe(200)
    for (const p of (await call('GET', '/v1/products', null)).body.products as { id: string; title: string }[]) titles.set(p.id, p.title)
    expect(titles.get(API_PRODUCT)).toMatch(/\p{Script=Han}/u)
    const uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
    for (let i = 0; i < 3; i++) expect((await call('POST', `/v1/products/${API_PRODUCT}/invoke`, apiKey, { input: { uscc } })).status).toBe(200)
    // two more banks call it once each: three consumers in a day, enough for the public daily figures
    for (const [id, name] of [['bank-js', '江苏银行合肥分行'], ['bank-nj', '南京银行合肥分行']]) {
      const added = await call('POST', '/v1/operator/consumers', tokens.zhang, { id, name })
      expect((await call('POST', `/v1/products/${API_PRODUCT}/invoke`, added.body.apiKey, { input: { uscc } })).status).toBe(200)
    }
    await context.close()
  })

  it('a version failing its checks shows them first and is approved only through an override with a reason; another is rejected with one', async () => {
    await submitFailing(['1.0.0', '1.0.1'])
    // without the override the server refuses, naming each failing check
    const plain = await call('POST', `/v1/operator/products/${FAILING}/versions/1.0.0/review`, tokens.zhang, { decision: 'approve' })
    expect(plain.status).toBe(409)
    expect(plain.body.code).toBe('ERR_REVIEW_CHECKS_FAILED')
    expect(plain.body.problems.map((p: { path: string }) => p.path)).toContain('check:fields_approved')
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.goto(`${base}/console/#/versions/${FAILING}/1.0.0`)
    const summary = page.getByTestId('checks-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toMatch(/\d+ 项自动检查未通过.*所读字段均已授权/)
    // the failing checks come first, and no plain approval is offered
    expect(await page.getByTestId('version-checks').locator('li').first().getAttribute('class')).toBe('fail')
    expect(await page.getByRole('button', { name: '批准该版本' }).count()).toBe(0)
    await page.getByRole('button', { name: '拒绝该版本' }).click()
    await page.getByRole('textbox', { name: '理由' }).fill('所读字段超出已批准的场景，请另行申请场景')
    await page.getByRole('button', { name: '确认 · 拒绝该版本' }).click()
    await page.getByRole('status').filter({ hasText: '该版本已拒绝' }).waitFor()

    await page.goto(`${base}/console/#/versions/${FAILING}/1.0.1`)
    await page.getByTestId('override-checks').click()
    // the override says what it records, and needs a reason one can stand behind
    expect(await page.locator('.reason-form .note.warn').textContent()).toContain('记入审计日志')
    await page.getByRole('button', { name: '确认 · 带理由越过检查' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('请填写理由')
    await page.getByRole('textbox', { name: '理由' }).fill('同意')
    await page.getByRole('button', { name: '确认 · 带理由越过检查' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('理由至少 4 个字')
    await page.getByRole('textbox', { name: '理由' }).fill('经电话核实，所读字段将在新场景获批后方可上架')
    await screenshot(page, 'version-override')
    await page.getByRole('button', { name: '确认 · 带理由越过检查' }).click()
    await page.getByRole('status').filter({ hasText: '已越过检查批准' }).waitFor()
    const versions = (await call('GET', '/v1/operator/versions', tokens.zhang)).body.versions.filter((v: { product: string }) => v.product === FAILING)
    expect(versions.find((v: { version: string }) => v.version === '1.0.0')).toMatchObject({ status: 'rejected', reason: '所读字段超出已批准的场景，请另行申请场景' })
    expect(versions.find((v: { version: string }) => v.version === '1.0.1')).toMatchObject({ status: 'approved', reviewer: 'op-zhang' })
    const approval = auditEntries(config.stateDatabase).filter((e) => e.action === 'product.approved' && e.subject === `${FAILING}@1.0.1`)
    expect(approval).toEqual([expect.objectContaining({ actor: 'op-zhang', detail: expect.objectContaining({ reason: '经电话核实，所读字段将在新场景获批后方可上架', overriddenChecks: expect.arrayContaining(['fields_approved']) }) })])
    await context.close()
  })

  it('two operators approve one release; the first cannot approve twice; the second approval signs it', async () => {
    const [first] = pendingReleases
    const a = await newPage()
    await signIn(a.page, tokens.zhang)
    await a.page.getByRole('link', { name: '出域审核' }).click()
    for (const id of pendingReleases) await a.page.getByRole('link', { name: id }).waitFor()
    await screenshot(a.page, 'release-queue')
    await a.page.getByRole('link', { name: first! }).click()
    await a.page.getByTestId('release-report').waitFor()
    // the report is a table of named checks, the queued output a table of rows
    expect(await a.page.getByTestId('report-items').textContent()).toMatch(/输出中没有直接标识.*通过/)
    expect(await a.page.getByTestId('release-report').textContent()).toMatch(/输出大小[\d,]+ 字节/)
    await a.page.getByTestId('release-output').locator('table').first().waitFor()
    expect(await a.page.locator('main').textContent()).not.toContain('{"')
    await screenshot(a.page, 'release-review')
    // approved with the keyboard
    await a.page.getByRole('button', { name: '同意出域' }).focus()
    await a.page.keyboard.press('Enter')
    await a.page.getByText('已记录，等待另一名运营人员审核').waitFor()
    await expect.poll(() => a.page.getByRole('button', { name: '同意出域' }).count()).toBe(0)
    // nor through the API: each reviewer decides once
    expect((await call('POST', `/v1/operator/releases/${first}/review`, tokens.zhang, { decision: 'approve' })).body.code).toBe('ERR_CONFLICT')
    expect((await call('GET', `/v1/releases/${first}`, apiKey)).body.status).toBe('pending')
    await a.context.close()

    const b = await newPage()
    await signIn(b.page, tokens.li)
    await b.page.goto(`${base}/console/#/releases/${first}`)
    await b.page.getByRole('button', { name: '同意出域' }).click()
    await b.page.getByText('双人审核完成，结果已签名出域').waitFor()
    await expect.poll(() => b.page.getByTestId('release-decisions').textContent()).toMatch(/同意.*同意/)
    const collected = await call('GET', `/v1/releases/${first}`, apiKey)
    expect(collected.body.status).toBe('released')
    const jwks = (await call('GET', '/.well-known/jwks.json', null)).body
    await expect(verifyRelease(collected.body.release, { jwks: jwks as never, audience: 'bank-hf' })).resolves.toBeDefined()
    await b.context.close()
  })

  it('an operator rejects another release with a reason; it never leaves', async () => {
    const second = pendingReleases[1]!
    const { context, page } = await newPage()
    await signIn(page, tokens.li)
    await page.goto(`${base}/console/#/releases/${second}`)
    await page.getByRole('button', { name: '拒绝出域' }).click()
    // a rejection needs a reason
    await page.getByRole('button', { name: '确认 · 拒绝出域' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('请填写理由')
    await page.getByLabel('理由').fill('名单含已注销企业，需先核对')
    await page.getByRole('button', { name: '确认 · 拒绝出域' }).click()
    await page.getByText('已拒绝，结果不会出域').waitFor()
    const record = (await call('GET', `/v1/operator/releases/${second}`, tokens.zhang)).body
    expect(record.status).toBe('rejected')
    expect(record.decisions).toEqual([expect.objectContaining({ operator: 'op-li', decision: 'reject', reason: '名单含已注销企业，需先核对' })])
    expect((await call('GET', `/v1/releases/${second}`, apiKey)).body).toMatchObject({ status: 'rejected', release: null })
    await context.close()
  })

  it('a bank sees its runs and their status, downloads the reviewed release as a file, and it verifies; the verify page says how', async () => {
    const run = await call('POST', `/v1/products/${DATASET}/runs`, apiKey, { input: {} })
    expect(run.status).toBe(202)
    waitingRelease = run.body.releaseId
    const [signed, rejected] = pendingReleases as [string, string]
    const { context, page } = await newPage()
    await signIn(page, apiKey)
    // the bank lands on its runs, products by their titles, statuses in words
    await page.getByRole('heading', { name: '我的数据集与报告' }).waitFor()
    const runs = page.getByTestId('runs')
    await runs.waitFor()
    expect(await page.getByTestId(`run-${waitingRelease}`).textContent()).toMatch(/待出域审核.*等待两名运营人员审核/)
    expect(await page.getByTestId(`run-${rejected}`).textContent()).toContain('审核拒绝')
    expect(await page.getByTestId(`run-${signed}`).textContent()).toContain(titles.get(DATASET) ?? '企业')
    expect(await page.getByTestId(`run-${waitingRelease}`).getByRole('button').count()).toBe(0)
    await page.getByLabel('状态').selectOption('pending')
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1)
    await page.getByLabel('状态').selectOption('')
    await screenshot(page, 'consumer-runs')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${signed}`).click()])
    expect(download.suggestedFilename()).toBe(`${signed}.jws`)
    const token = readFileSync((await download.path())!, 'utf8').trim()
    const jwks = (await call('GET', '/.well-known/jwks.json', null)).body
    const claims = await verifyRelease(token, { jwks: jwks as never, audience: 'bank-hf' })
    expect(claims).toMatchObject({ jti: signed, consumer: 'bank-hf', product: { id: DATASET } })
    // how to verify it without the console: the key set's address, the command, what a verifier checks
    await page.getByRole('link', { name: '验证出域结果' }).first().click()
    expect(await page.getByTestId('jwks-url').textContent()).toBe(`${base}/.well-known/jwks.json`)
    expect(await page.getByTestId('verify-command').textContent()).toBe(`npx indomain verify release.jws --jwks ${base}/.well-known/jwks.json --consumer bank-hf`)
    expect(await page.getByTestId('verifier-checks').locator('tbody tr').count()).toBeGreaterThanOrEqual(10)
    expect(await page.getByTestId('verifier-checks').textContent()).toContain('签名不正确')
    await screenshot(page, 'verify')
    await context.close()
  })

  it('an auditor searches the trail, verifies the chain, and sees a tampered entry flagged', async () => {
    const { context, page } = await newPage()
    await signIn(page, tokens.auditor)
    await page.getByRole('heading', { name: '审计日志' }).waitFor()
    await page.getByRole('button', { name: '校验哈希链' }).click()
    await expect.poll(() => page.getByTestId('chain-verdict').textContent()).toContain('哈希链完整')
    // everything about the dataset: its signed release among them, and nothing about other products
    await page.getByLabel('合作方 / 产品 / 使用方').fill(DATASET)
    await page.getByRole('button', { name: '检索' }).click()
    const table = page.getByTestId('audit-entries')
    await table.waitFor()
    const shown = await table.locator('tbody tr').allTextContents()
    expect(shown.some((row) => row.includes('结果签名出域'))).toBe(true)
    expect(shown.every((row) => row.includes(DATASET))).toBe(true)
    // actions are chosen by name too
    await page.getByLabel('合作方 / 产品 / 使用方').fill('')
    await page.getByLabel('动作').selectOption({ label: '出域审核拒绝' })
    await page.getByRole('button', { name: '检索' }).click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1)
    expect(await table.locator('tbody tr').first().textContent()).toContain('名单含已注销企业，需先核对')
    await page.getByLabel('动作').selectOption('')
    await page.getByRole('button', { name: '检索' }).click()
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(1)
    await screenshot(page, 'audit-trail')

    // someone with write access to the database edits the reason of the rejection
    const rejected = auditEntries(config.stateDatabase).find((e) => e.action === 'review.rejected')
    expect(rejected).toBeDefined()
    const seq = rejected!.seq
    tamperState(config.stateDatabase, `UPDATE audit_entries SET entry = replace(entry, '名单含已注销企业，需先核对', '已核对，无问题') WHERE seq = ?`, seq)

    await page.getByRole('button', { name: '校验哈希链' }).click()
    const verdict = page.getByTestId('chain-verdict')
    await expect.poll(() => verdict.textContent()).toContain('哈希链被破坏')
    expect(await verdict.textContent()).toContain(`第 ${seq} 条`)
    expect(await verdict.textContent()).toContain('条目内容被修改')
    await page.getByRole('button', { name: '查看该条目' }).click()
    const flagged = page.locator(`tr[data-seq="${seq}"]`)
    await flagged.waitFor()
    expect(await flagged.getAttribute('class')).toContain('tampered')
    expect(await flagged.textContent()).toContain('异常')
    await screenshot(page, 'audit-tampered')
    await context.close()
  })

  it('everyone sees the product list and the usage disclosure as charts, products by title, withheld figures said so, in Chinese or English', async () => {
    const { context, page } = await newPage()
    await page.goto(`${base}/console/`)
    await page.getByRole('heading', { name: '产品清单公示' }).waitFor()
    const products = page.locator('tbody tr')
    await expect.poll(() => products.count()).toBe(2)
    expect(await products.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(titles.get(API_PRODUCT)!), expect.stringContaining(titles.get(DATASET)!)]))
    expect(await page.getByTestId(`product-${API_PRODUCT}`).textContent()).toContain('0.40')
    await screenshot(page, 'products')
    // consumers look for products by name, provider or source, and by category
    await page.getByLabel('搜索产品、提供方或数据来源').fill('空壳')
    await expect.poll(() => products.count()).toBe(1)
    expect(await products.first().textContent()).toContain(DATASET)
    await page.getByLabel('搜索产品、提供方或数据来源').fill('')
    await page.getByLabel('场景类别').selectOption('产业发展')
    await expect.poll(() => products.count()).toBe(1)
    expect(await products.first().textContent()).toContain(API_PRODUCT)
    await page.getByRole('link', { name: '使用情况披露' }).click()
    for (const id of ['chart-calls', 'chart-fees']) await page.getByTestId(id).locator('canvas').waitFor()
    // every refusal so far comes from one bank: nothing to draw, and the page says why
    await page.getByTestId('chart-refusals').waitFor()
    expect(await page.getByTestId('chart-refusals').locator('canvas').count()).toBe(0)
    expect(await page.getByTestId('chart-refusals').textContent()).toContain('全部数字来自太少的使用方，已隐去')
    // the numbers behind the pictures, products by title: today's 5 calls of the API product from three
    // banks, its fees (5 × 0.40 元); the dataset's one bank and the one rejection are withheld
    const today = cityDay()
    const withheld = '已隐去（少于3家）'
    const header = await page.getByTestId('chart-calls').locator('thead th').allTextContents()
    const todayCells = await page.getByTestId('chart-calls').locator('tbody tr').filter({ hasText: today }).locator('td').allTextContents()
    expect(todayCells[header.indexOf(titles.get(API_PRODUCT)!) - 1]).toBe('5')
    expect(todayCells[header.indexOf(titles.get(DATASET)!) - 1]).toBe(withheld)
    const feeHeader = await page.getByTestId('chart-fees').locator('thead th').allTextContents()
    const feeCells = await page.getByTestId('chart-fees').locator('tbody tr').first().locator('td').allTextContents()
    expect(feeCells[feeHeader.indexOf(titles.get(API_PRODUCT)!) - 1]).toBe('2.00')
    expect(feeCells[feeHeader.indexOf(titles.get(DATASET)!) - 1]).toBe(withheld)
    // the month's table: the dataset's calls come from one bank, so only that count of banks is shown
    const monthly = page.locator(`main > section > table tbody tr[data-product="${DATASET}"]`)
    expect((await monthly.locator('td').allTextContents()).slice(2)).toEqual([withheld, withheld, '1'])
    expect(await page.getByTestId('chart-refusals').locator('tbody tr').filter({ hasText: '审核人员拒绝出域' }).locator('td').textContent()).toBe(withheld)
    expect(await page.getByTestId('chart-refusals').textContent()).toContain('来自少于 3 家使用方的数字已隐去')
    expect(await page.locator('main').textContent()).not.toContain('<3')
    // no consumer is named on the public page
    expect(await page.locator('main').textContent()).not.toMatch(/bank-hf|徽商银行/)
    await screenshot(page, 'disclosure')
    await page.getByRole('button', { name: 'English', exact: true }).click()
    await page.getByRole('heading', { name: 'Usage disclosure' }).waitFor()
    expect(await page.getByTestId('chart-calls').locator('figcaption').textContent()).toBe('Calls per product per day')
    await context.close()
  })

  it('an operator sets a price cap in 元 and sees the cap in force at once', async () => {
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.goto(`${base}/console/#/products`)
    const cell = page.getByTestId(`cap-${API_PRODUCT}`)
    await expect.poll(() => cell.textContent()).toContain('未设上限')
    const input = cell.getByLabel(`价格上限（元/次） · ${titles.get(API_PRODUCT)}`)
    await input.fill('五毛')
    await cell.getByRole('button', { name: '设置上限' }).click()
    await expect.poll(() => cell.getByRole('alert').textContent()).toContain('须为金额（元），最多两位小数')
    await input.fill('0.5')
    await cell.getByRole('button', { name: '设置上限' }).click()
    await expect.poll(() => cell.textContent()).toContain('当前上限 0.50 元')
    expect(await cell.getByRole('status').textContent()).toContain('已设置为 0.50 元')
    expect(await input.inputValue()).toBe('0.50')
    expect((await call('GET', '/v1/operator/price-caps', tokens.zhang)).body.caps).toEqual([expect.objectContaining({ product: API_PRODUCT, capFen: 50, setBy: 'op-zhang' })])
    await context.close()
  })

  it('a consumer sees its calls and charges, a partner its earnings under 我的收益, products by title, each at the price of the call', async () => {
    const { context, page } = await newPage()
    await signIn(page, apiKey)
    expect(await page.getByTestId('signed-in').textContent()).toContain('bank-hf')
    await page.getByRole('link', { name: '用量与费用' }).click()
    await page.getByRole('heading', { name: '用量与费用' }).waitFor()
    const line = page.locator(`tbody tr[data-product="${API_PRODUCT}"]`)
    await line.waitFor()
    expect(await line.textContent()).toContain(titles.get(API_PRODUCT))
    expect((await line.locator('td').allTextContents()).slice(-3)).toEqual(['3', '0', '1.20'])
    await page.getByRole('button', { name: '退出' }).click()
    await signIn(page, tokens.partner)
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toContain('合肥数智科技有限公司')
    await page.getByRole('link', { name: '我的收益' }).click()
    await page.getByRole('heading', { name: '我的收益' }).waitFor()
    await expect.poll(() => page.locator('tfoot td').textContent()).toBe('2.00')
    expect(await page.getByTestId('usage').locator('thead').textContent()).toContain('收益（元）')
    // the partner's earnings show only its own product
    expect(await page.locator(`tbody tr[data-product="${DATASET}"]`).count()).toBe(0)
    await context.close()
  })

  it('a partner sees each field\'s decision, why a request was denied, and why a version was rejected', async () => {
    const denied = await call('POST', '/v1/partner/scenarios', tokens.partner, {
      product: 'enterprise-people-check',
      purpose: '核验企业法定代表人身份',
      category: '产业发展',
      tables: { enterprise_basic: { key: 'uscc', fields: { uscc: '查找企业', legal_rep_id: '核验身份' } } },
    })
    expect((await call('POST', `/v1/operator/scenarios/${denied.body.id}/deny`, tokens.li, { reason: '用途不明确，请说明授信环节' })).status).toBe(200)
    const { context, page } = await newPage()
    await signIn(page, tokens.partner)
    // the partner lands on its scenarios
    await page.getByRole('heading', { name: '我的场景' }).waitFor()
    const mine = page.getByTestId(`my-scenario-${scenarioId}`)
    await mine.waitFor()
    const row = (field: string) => mine.getByTestId(`decided-enterprise_basic.${field}`)
    await expect.poll(() => row('legal_rep_name').textContent()).toMatch(/已驳回.*超出最小必要范围：评分不需要法定代表人姓名/)
    expect(await row('registered_capital').textContent()).toMatch(/已批准.*分段 \[100, 500, 1000\]/)
    expect(await row('legal_rep_id').textContent()).toMatch(/已批准.*假名化/)
    expect(await mine.textContent()).toContain('查询键')
    expect(await page.getByTestId(`my-scenario-${denied.body.id}`).getByTestId('standing-reason').textContent()).toBe('已驳回：用途不明确，请说明授信环节')
    await screenshot(page, 'partner-scenarios')
    await page.getByRole('link', { name: '我的产品' }).click()
    const rejectedVersion = page.getByTestId(`my-version-${FAILING}@1.0.0`)
    await rejectedVersion.waitFor()
    expect(await rejectedVersion.textContent()).toMatch(/审查未通过.*所读字段超出已批准的场景，请另行申请场景/)
    expect(await page.getByTestId(`my-version-${FAILING}@1.0.1`).textContent()).toContain('审查通过')
    expect(await page.getByTestId('my-published').textContent()).toContain('0.40')
    await context.close()
  })

  it('refuses a bad credential at sign-in in words, keeps screens behind their role, and never calls another host', async () => {
    const { context, page } = await newPage()
    await page.goto(`${base}/console/#/sign-in`)
    await page.getByRole('button', { name: '登录', exact: true }).click()
    expect(await page.getByRole('alert').textContent()).toContain('平台令牌或 API 密钥：必填')
    await page.getByLabel('平台令牌或 API 密钥').fill('not a credential')
    await page.getByRole('button', { name: '登录', exact: true }).click()
    expect(await page.getByRole('alert').textContent()).toContain('无法识别该凭证')
    // a forged token (right shape, wrong signature) is refused by the server, said by its name
    const [header, payload] = tokens.zhang.split('.')
    await page.getByLabel('平台令牌或 API 密钥').fill(`${header}.${payload}.${'A'.repeat(86)}`)
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('身份验证未通过')
    expect(await page.getByRole('alert').getAttribute('data-code')).toBe('ERR_AUTH_REQUIRED')
    expect(await page.getByRole('alert').textContent()).toMatch(/请求编号/)
    // an auditor has no operator screens, and a consumer's key no audit trail
    await signIn(page, tokens.auditor)
    expect(await page.getByRole('link', { name: '出域审核' }).count()).toBe(0)
    await page.goto(`${base}/console/#/releases`)
    await page.getByRole('heading', { name: '登录' }).waitFor()
    expect(externalRequests).toEqual([])
    expect(policyViolations).toEqual([])
    await context.close()
  })

  it('an operator suspends a partner with a reason (its product and tokens stop), then reinstates it', async () => {
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.getByRole('link', { name: '合作方管理' }).click()
    const row = page.getByTestId('partner-acme-data')
    await row.getByRole('button', { name: '暂停 acme-data', exact: true }).click()
    await row.getByLabel('理由').fill('数据安全评估未通过，暂停服务')
    await row.getByRole('button', { name: '确认 · 暂停' }).click()
    await expect.poll(() => row.textContent()).toContain('已暂停')
    // the suspend button is gone with the change: the keyboard focus is on the outcome, not lost
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('合肥数智科技有限公司 · 已暂停')
    await screenshot(page, 'partners')
    // its token is dead and its product is off the public list
    expect((await call('GET', '/v1/partner', tokens.partner)).status).toBe(401)
    expect((await call('GET', '/v1/products', null)).body.products.map((p: { id: string }) => p.id)).not.toContain(API_PRODUCT)
    await row.getByRole('button', { name: '恢复 acme-data', exact: true }).click()
    await row.getByLabel('理由').fill('整改完成')
    await row.getByRole('button', { name: '确认 · 恢复' }).click()
    await expect.poll(() => row.textContent()).toContain('正常')
    expect((await call('GET', '/v1/products', null)).body.products.map((p: { id: string }) => p.id)).toContain(API_PRODUCT)
    await context.close()
  })

  it('an operator onboards from the console: a partner token, a consumer with its key shown once, its suspension; then the month\'s statements', async () => {
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.getByRole('link', { name: '账户与令牌' }).click()
    const tokenForm = page.getByRole('form', { name: '签发平台令牌' })
    // the form checks what it can before sending, in words
    await tokenForm.getByLabel('持有人标识').fill('Data Lab')
    await tokenForm.getByLabel('有效时长（小时）').fill('0')
    await tokenForm.getByRole('button', { name: '签发平台令牌' }).click()
    expect(await tokenForm.getByRole('alert').textContent()).toMatch(/持有人标识：只能用小写字母、数字和连字符.*有效时长（小时）：须为 1 到 720 之间的整数/)
    await tokenForm.getByLabel('持有人标识').fill('data-lab')
    await tokenForm.getByLabel('有效时长（小时）').fill('12')
    await tokenForm.getByRole('button', { name: '签发平台令牌' }).click()
    const token = await tokenForm.getByTestId('shown-once').inputValue()
    // the secret keeps the holder it was issued to, whatever the form says next, and no second one is minted over it
    await tokenForm.getByLabel('持有人标识').fill('someone-else')
    expect(await tokenForm.locator('.note.warn label').textContent()).toContain('合作方 · data-lab')
    expect(await tokenForm.getByRole('button', { name: '签发平台令牌' }).isDisabled()).toBe(true)
    await tokenForm.getByRole('button', { name: '已交付，移出屏幕' }).click()
    expect(await tokenForm.getByTestId('shown-once').count()).toBe(0)
    // the token works for its holder: it can register as a partner
    expect((await call('POST', '/v1/partner/register', token, { name: '合肥数据实验室有限公司', uscc: makeUscc('9', '1', '340100', 'MA2T3X5A'), contact: 'dpo@lab.example', confidentialityAcknowledged: true })).status).toBe(201)
    // operators are not made here
    expect(await tokenForm.getByLabel('角色').locator('option').allTextContents()).toEqual(['合作方', '审计人员'])

    const consumerForm = page.getByRole('form', { name: '新增数据使用方' })
    await consumerForm.getByRole('button', { name: '新增数据使用方' }).click()
    expect(await consumerForm.getByRole('alert').textContent()).toMatch(/使用方标识：必填.*使用方名称：必填/)
    await consumerForm.getByLabel('使用方标识').fill('bank-wh')
    await consumerForm.getByLabel('使用方名称').fill('芜湖扬子农商银行')
    await consumerForm.getByLabel('月度调用额度').fill('500')
    await consumerForm.getByRole('button', { name: '新增数据使用方' }).click()
    const key = await consumerForm.getByTestId('shown-once').inputValue()
    expect(key).toMatch(/^idk_/)
    // pressing Enter again does not send the form again and lose the key on screen
    await consumerForm.getByLabel('使用方标识').press('Enter')
    expect(await consumerForm.getByTestId('shown-once').inputValue()).toBe(key)
    expect(await consumerForm.getByRole('alert').count()).toBe(0)
    await consumerForm.getByRole('button', { name: '已交付，移出屏幕' }).click()
    expect((await call('GET', '/v1/usage', key)).body.consumer).toBe('bank-wh')
    const row = page.getByTestId('consumer-bank-wh')
    expect(await row.textContent()).toMatch(/芜湖扬子农商银行.*bank-wh.*500/)
    await row.getByRole('button', { name: '暂停 bank-wh', exact: true }).click()
    await row.getByLabel('理由').fill('账户疑似泄露，暂停使用')
    await row.getByRole('button', { name: '确认 · 暂停' }).click()
    await expect.poll(() => row.textContent()).toContain('已暂停')
    expect((await call('GET', '/v1/usage', key)).status).toBeGreaterThanOrEqual(401)
    await row.getByRole('button', { name: '恢复 bank-wh', exact: true }).click()
    await row.getByLabel('理由').fill('已更换密钥保管人')
    await row.getByRole('button', { name: '确认 · 恢复' }).click()
    await expect.poll(() => row.textContent()).toContain('正常')
    expect((await call('GET', '/v1/usage', key)).status).toBe(200)
    await screenshot(page, 'accounts')

    await page.getByRole('link', { name: '结算' }).click()
    const consumers = page.getByTestId('statements-consumers')
    await consumers.waitFor()
    // the bank, by name, owes 3 × 0.40 元; the credit score's partner earns 5 × 0.40
    const bank = consumers.locator('tbody tr[data-holder="bank-hf"]')
    await expect.poll(() => bank.first().textContent()).toContain('徽商银行')
    expect(await bank.filter({ hasText: titles.get(API_PRODUCT)! }).locator('td').allTextContents()).toEqual([titles.get(API_PRODUCT), '3', '0', '1.20'])
    expect(await page.getByTestId('statements-partners').textContent()).toMatch(/合肥数智科技有限公司.*2\.00/)
    await screenshot(page, 'statements')
    await context.close()
  })

  it('re-deciding an approved scenario keeps the masks nobody touched, and a stale form cannot overwrite a newer decision', async () => {
    const a = await newPage()
    const b = await newPage()
    for (const [tab, token] of [[a, tokens.zhang], [b, tokens.li]] as const) {
      await signIn(tab.page, token)
      await tab.page.goto(`${base}/console/#/scenarios/${scenarioId}`)
      await tab.page.locator('[data-testid^="field-"]').first().waitFor()
    }
    // op-li extends the approval and saves; op-zhang's open form is now one revision behind
    await b.page.getByLabel('有效期至').fill('2099-06-30')
    await b.page.getByRole('button', { name: '提交逐字段决定' }).click()
    await b.page.getByText('决定已保存').waitFor()
    const after = (await call('GET', '/v1/operator/scenarios', tokens.zhang)).body.scenarios.find((s: { id: string }) => s.id === scenarioId)
    expect(after.expiresOn).toBe('2099-06-30')
    const field = (f: string) => after.fields.find((x: { table: string; field: string }) => `${x.table}.${x.field}` === f)
    expect(field('enterprise_basic.registered_capital').mask).toEqual({ rule: 'bucketize', bounds: [100, 500, 1000] })
    expect(field('enterprise_basic.legal_rep_name')).toMatchObject({ decision: 'denied', reason: '超出最小必要范围：评分不需要法定代表人姓名' })
    await a.page.getByLabel(`批准 enterprise_basic.legal_rep_name`, { exact: true }).check()
    await a.page.getByRole('button', { name: '提交逐字段决定' }).click()
    await expect.poll(() => a.page.getByRole('alert').textContent()).toContain('与当前状态冲突')
    const still = (await call('GET', '/v1/operator/scenarios', tokens.zhang)).body.scenarios.find((s: { id: string }) => s.id === scenarioId)
    expect(still.revision).toBe(after.revision)
    expect(still.fields.find((x: { field: string }) => x.field === 'legal_rep_name').decision).toBe('denied')
    await a.context.close()
    await b.context.close()
  })

  /** A new token for the partner: the first died with its suspension (reinstating does not revive tokens). */
  const freshPartnerToken = async () => (await call('POST', '/v1/operator/tokens', tokens.zhang, { role: 'partner', subject: 'acme-data' })).body.token as string

  /** Every screen of every role, with what shows it is loaded; the audit trail once searched. */
  const screensOf = (partnerToken: string): { role: string; credential: string | null; screens: [string, string][] }[] => [
    { role: 'public', credential: null, screens: [['/products', 'tbody tr'], ['/disclosure', '[data-testid="chart-calls"] canvas'], ['/verify', '[data-testid="verifier-checks"]'], ['/sign-in', 'textarea']] },
    {
      role: 'operator',
      credential: tokens.zhang,
      screens: [
        ['/products', '[data-testid^="cap-"] p'],
        ['/scenarios', 'h1'],
        [`/scenarios/${scenarioId}`, '[data-testid^="field-"]'],
        [`/scenarios/${keyScenarioId}`, '[data-testid^="field-"]'],
        ['/versions', 'h1'],
        [`/versions/${API_PRODUCT}/1.0.0`, '[data-testid="version-checks"] li'],
        [`/versions/${FAILING}/1.0.1`, '[data-testid="checks-summary"]'],
        ['/releases', 'tbody tr'],
        [`/releases/${pendingReleases[0]}`, '[data-testid="release-report"]'],
        [`/releases/${waitingRelease}`, '[data-testid="release-output"] table'],
        ['/partners', '[data-testid="partner-acme-data"]'],
        ['/accounts', '[data-testid="consumer-bank-hf"]'],
        ['/statements', '[data-testid="statements-consumers"]'],
        ['/audit', 'audit-search'],
      ],
    },
    { role: 'auditor', credential: tokens.auditor, screens: [['/audit', 'audit-search']] },
    { role: 'partner', credential: partnerToken, screens: [['/my/scenarios', '[data-testid^="decided-"]'], ['/my/products', '[data-testid="my-versions"]'], ['/usage', 'tfoot']] },
    { role: 'consumer', credential: apiKey, screens: [['/runs', '[data-testid="runs"]'], ['/usage', 'tfoot'], ['/verify', '[data-testid="verify-command"]']] },
  ]

  // one test per language, each with room for axe-core's analysis of every screen on a loaded
  // machine: the test is about what axe and the raw-code walk find, not about how fast
  for (const language of ['zh', 'en'] as const) {
    it(`every screen of every role ${language === 'zh' ? 'speaks Chinese (no raw codes, no English beyond proper names) and ' : ''}meets WCAG 2.1 AA as axe-core checks it, in ${language === 'zh' ? 'Chinese' : 'English'}`, { timeout: 480_000 }, async () => {
      const found: string[] = []
      let walked = 0
      for (const { role, credential, screens } of screensOf(await freshPartnerToken())) {
        const { context, page } = await newPage()
        if (credential !== null) await signIn(page, credential)
        else await page.goto(`${base}/console/`)
        if (language === 'en') await page.getByRole('button', { name: 'English', exact: true }).click()
        for (const [path, ready] of screens) {
          await page.goto(`${base}/console/#${path}`)
          if (ready === 'audit-search') {
            await page.getByRole('button', { name: language === 'zh' ? '检索' : 'Search' }).click()
            await page.getByTestId('audit-entries').locator('tbody tr').first().waitFor()
          } else await page.locator(ready).first().waitFor()
          for (const v of await accessibilityViolations(page)) found.push(`${language} ${role} ${path}: ${v}`)
          if (language === 'zh') for (const p of await visibleTextProblems(page, RAW_CODES)) found.push(`${role} ${path}: ${p}`)
          walked++
        }
        await context.close()
      }
      expect(walked).toBeGreaterThanOrEqual(24)
      expect(found).toEqual([])
    })
  }

  it('shows what partners write as text: markup in a scenario request never runs', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    const filed = await call('POST', '/v1/partner/scenarios', await freshPartnerToken(), {
      product: 'markup-probe',
      purpose: `核验企业经营状况 ${attack}`,
      category: '产业发展',
      tables: { enterprise_basic: { key: 'uscc', fields: { status: `经营状态 ${attack}` } } },
    })
    expect(filed.status).toBe(201)
    const { context, page } = await newPage()
    await signIn(page, tokens.zhang)
    await page.getByRole('link', { name: filed.body.id }).waitFor()
    expect(await page.locator('main').textContent()).toContain(attack)
    await page.getByRole('link', { name: filed.body.id }).click()
    await page.getByTestId('field-enterprise_basic.status').waitFor()
    expect(await page.getByTestId('field-enterprise_basic.status').textContent()).toContain(attack)
    expect(await page.evaluate('window.__pwned')).toBeUndefined()
    expect(await page.locator('main img, main script').count()).toBe(0)
    await context.close()
  })
})

// the console must be built for these tests (npm test builds it first)
if (browserAvailable) {
  it('has a built console to test', () => {
    expect(readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8')).toContain('/console/assets/')
  })
}
