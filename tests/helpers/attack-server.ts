/**
 * For attack tests on the real path: a serving runtime on a sample store, with a hostile
 * partner's product sources published under an operator's approval of their declared scenario,
 * consumers with API keys, calls over HTTP (fastify inject) and the audit trail read back.
 */
import { auditText, verifyTrail } from './audit-trail.ts'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { join } from 'node:path'
import { loadConfig, type RuntimeConfig } from '../../runtime/config.ts'
import { createServerRuntime, type ServerRuntime } from '../../runtime/server/server-runtime.ts'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool, type SandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct } from '../../runtime/products/run-product.ts'
import { proposedMasks, scenarioRequestOf } from '../../runtime/scenarios/dev-approval.ts'
import type { ScenarioDecisionInput } from '../../runtime/scenarios/scenario.ts'
import { publishProduct } from '../../runtime/server/publish-product.ts'
import { issueConsent } from '../../runtime/consent/consent.ts'
import { openDevConsentIssuer } from '../../runtime/consent/consent-issuer.ts'
import { createSampleStore, type SampleStore } from './sample-store.ts'
import { issuePlatformToken } from '../../runtime/server/platform-tokens.ts'
import { openKeys } from '../../runtime/release/open-keys.ts'

export type AuditLine = { readonly seq: number; readonly actor: string; readonly action: string; readonly subject: string; readonly detail: Record<string, unknown> }

export type Published = { readonly id: string; readonly scenario: string; readonly codeHash: string; readonly dir: string }

export type AttackServer = {
  readonly sample: SampleStore
  readonly server: ServerRuntime
  readonly config: RuntimeConfig
  /** Publishes a product source under its declared scenario, approved with defaults (and `decision`). */
  publish(source: string, options?: { readonly decision?: Partial<ScenarioDecisionInput>; readonly priceFen?: number }): Promise<Published>
  /** The API key of a consumer, created on first use. */
  consumerKey(id: string): Promise<string>
  invoke(product: string, input: unknown, consumer?: string, consent?: string): Promise<LightMyRequestResponse>
  run(product: string, input: unknown, consumer?: string): Promise<LightMyRequestResponse>
  /** Runs a batch product through the server (expecting 202) and reads the released result. */
  released<T>(product: string, input: unknown, consumer?: string): Promise<T>
  /** A consent for one call about `residentId`. */
  consent(residentId: string, product: string, consumer?: string): string
  /** The audit trail's entries, oldest first. */
  audit(): AuditLine[]
  /** A platform token for an operator (as `indomain token issue` makes the first one). */
  operatorToken(id: string): string
  close(): Promise<void>
}

export async function createAttackServer(scale: number, seed: string, env: Readonly<Record<string, string>> = {}): Promise<AttackServer> {
  const sample = await createSampleStore(scale, seed)
  const config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'attack server passphrase', ...env })
  const server = await createServerRuntime(config)
  // one key per consumer, made once even when concurrent calls ask for it together
  const keys = new Map<string, Promise<string>>()
  const consumerKey = (id: string): Promise<string> => {
    let key = keys.get(id)
    if (key === undefined) {
      key = server.state.registry.addConsumer(id, `测试机构 ${id}`).then((c) => c.apiKey)
      keys.set(id, key)
    }
    return key
  }
  const run = async (product: string, input: unknown, consumer = 'bank-a'): Promise<LightMyRequestResponse> => {
    const key = await consumerKey(consumer)
    return server.app.inject({ method: 'POST', url: `/v1/products/${product}/runs`, headers: { authorization: `Bearer ${key}` }, payload: { input } as object })
  }
  let loader: SandboxPool | undefined
  return {
    sample,
    server,
    config,
    async publish(source, options = {}) {
      const dir = mkdtempSync(join(sample.dir, 'product-'))
      writeFileSync(join(dir, 'product.ts'), source)
      // one sandbox pool reads the manifests of all the products this server publishes, as the
      // runtime's bootstrap does (each product still in an isolate of its own); the server runs
      // them in its own pool
      loader ??= createSandboxPool({ workers: 1 })
      const product = await loadProduct(loader, await bundleProduct(dir))
      const { scenarios, registry } = server.state
      const filed = await scenarios.request(scenarioRequestOf(product.manifest, 'hostile-lab'), sample.catalog)
      const decided = await scenarios.decide(
        filed.id,
        { operator: 'op-zhang', approve: proposedMasks(product.manifest, sample.catalog), approveRest: true, expiresOn: '2099-12-31', ...options.decision },
        sample.catalog,
      )
      await publishProduct(registry, sample.catalog, product, { dir, partner: 'hostile-lab', scenario: decided, priceFen: options.priceFen ?? 10 })
      return { id: product.manifest.id, scenario: decided.id, codeHash: product.codeHash, dir }
    },
    consumerKey,
    async invoke(product, input, consumer = 'bank-a', consent) {
      const key = await consumerKey(consumer)
      return server.app.inject({
        method: 'POST',
        url: `/v1/products/${product}/invoke`,
        headers: { authorization: `Bearer ${key}` },
        payload: { input, ...(consent === undefined ? {} : { consent }) } as object,
      })
    },
    run,
    async released<T>(product: string, input: unknown, consumer = 'bank-a'): Promise<T> {
      const r = await run(product, input, consumer)
      expect(r.statusCode, r.body).toBe(202)
      return (await server.state.releases.resultOf((r.json() as { releaseId: string }).releaseId)) as T
    },
    consent: (residentId, product, consumer = 'bank-a') =>
      issueConsent(openDevConsentIssuer(config).active(), { residentId, product, consumer, purpose: '测试', days: 30, uses: 1 }),
    audit: () =>
      auditText(config.stateDatabase)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as AuditLine & { type?: string })
        .filter((e) => e.type !== 'checkpoint' && typeof e.action === 'string'),
    operatorToken: (id) => issuePlatformToken(openKeys(config, 'production').active(), { role: 'operator', id, ttlSeconds: 3600 }),
    async close() {
      await loader?.close()
      await server.close()
      sample.dispose()
    },
  }
}

/**
 * An API product about one enterprise (input `{ uscc }`): its registry row and its employees'
 * social-insurance enrollments, `body` as the body of `run(ctx, input)`, `output` a schema expression.
 */
export function enterpriseAnswerSource(id: string, body: string, output = "t.object({ value: t.string({ pattern: '^.{0,64}$' }) })"): string {
  return `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: '${id}', version: '1.0.0', kind: 'api', title: '企业探针', category: '产业发展', description: 'attack fixture',
  entityKey: 'uscc',
  scenario: {
    purpose: '测试企业画像的最小必要原则',
    tables: {
      enterprise_basic: { key: 'uscc', fields: { uscc: '键', name: '名称', status: '状态', legal_rep_name: '法人', phone: '电话' } },
      social_insurance_enrollment: { key: 'employer_uscc', fields: { resident_id: '职工', name: '姓名', phone: '电话', contribution_base: '缴费基数', status: '状态' } },
    },
  },
  input: t.object({ uscc: t.uscc() }),
  output: ${output},
  run(ctx: any, input: any): any { ${body} },
})
`
}

/** An API product about one person (input `{ id }`, consent needed): its household registration row. */
export function personAnswerSource(id: string, body: string, output = "t.object({ value: t.string({ pattern: '^.{0,64}$' }) })"): string {
  return `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: '${id}', version: '1.0.0', kind: 'api', title: '个人探针', category: '产业发展', description: 'attack fixture',
  entityKey: 'id',
  scenario: { purpose: '测试个人画像的最小必要原则', tables: { household_registration: { key: 'resident_id', fields: { sex: '性别', education: '学历', name: '姓名' } } } },
  input: t.object({ id: t.residentId() }),
  output: ${output},
  run(ctx: any, input: any): any { ${body} },
})
`
}

/** A refusal's HTTP body and the release.refused audit entries of one product, for assertions. */
export function refusalOf(response: { statusCode: number; json(): unknown }): { status: number; code: string; reasons: string[] } {
  const body = response.json() as { code: string; reasons?: string[] }
  return { status: response.statusCode, code: body.code, reasons: body.reasons ?? [] }
}

/**
 * A report about elderly people by district (unit: the person), `classify` given as the body of
 * `classify(unit, input)` and `run` as the body of `run(ctx, input)`; input `{ spin, district }`.
 */
export function elderlyReportSource(
  id: string,
  options: { readonly classify: string; readonly run?: string; readonly aggregates?: string; readonly output?: string; readonly top?: string; readonly fields?: string; readonly input?: string; readonly kind?: string; readonly extra?: string },
): string {
  return `import { defineProduct, t } from 'indomain/sdk'
${options.top ?? ''}
export default defineProduct({
  id: '${id}', version: '1.0.0', kind: '${options.kind ?? 'report'}', title: '老年人统计', category: '公益事业', description: 'attack fixture',
  scenario: { purpose: '按区县统计老年人', tables: { elderly_info: { key: 'resident_id', fields: { ${options.fields ?? "district_code: '区县', living_arrangement: '居住状况', sex: '性别', birth_date: '年龄段'"} } } } },
  unit: 'elderly_info',
  aggregates: ${options.aggregates ?? "{ by_district: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 } } } }"},
  input: ${options.input ?? "t.object({ spin: t.integer({ minimum: 0, maximum: 1e9 }), district: t.string({ pattern: '^\\\\d{0,6}$' }) })"},
  ${options.extra ?? ''}
  output: ${options.output ?? "t.object({ cells: t.array(t.object({ district: t.string({ pattern: '^\\\\d{6}$' }), n: t.integer({ minimum: 0 }) }), { maxItems: 1000 }), suppressed: t.integer({ minimum: 0 }) })"},
  classify(unit: any, input: any): any { ${options.classify} },
  run(ctx: any, input: any): any { ${options.run ?? "const a = ctx.aggregate('by_district'); return { cells: a.cells.map((c: any) => ({ district: c.by.district, n: c.count })), suppressed: a.suppressed }"} },
})
`
}

/** The elderly by district and living arrangement, from the raw store (to choose an attack's target). */
export async function elderlyGroups(sample: SampleStore): Promise<{ district: string; arrangement: string; n: number }[]> {
  return (await sample.storeRows(`SELECT district_code AS d, living_arrangement AS a, CAST(count(*) AS INTEGER) AS n FROM elderly_info GROUP BY 1, 2 ORDER BY 1, 2`)).map((r) => ({
    district: String(r.d),
    arrangement: String(r.a),
    n: Number(r.n),
  }))
}

/**
 * A district where one living arrangement holds a small group (1..9 people) beside at least two
 * large ones (10 or more each): the raw material of differencing and tracker attacks.
 */
export async function smallBesideLarge(sample: SampleStore): Promise<{ district: string; small: string; large: string[]; others: string[] }> {
  for (const [district, list] of Map.groupBy(await elderlyGroups(sample), (g) => g.district)) {
    const tiny = list.find((g) => g.n >= 1 && g.n <= 9)
    const large = list.filter((g) => g !== tiny && g.n >= 10).map((g) => g.arrangement)
    if (tiny !== undefined && large.length >= 2) {
      return { district, small: tiny.arrangement, large, others: list.filter((g) => g !== tiny).map((g) => g.arrangement) }
    }
  }
  throw new Error('no district in the sample has a small living arrangement beside two large ones')
}

/**
 * A report counting the elderly of one district whose living arrangement is one of those the input
 * names: one cell, `n` (null when the runtime withheld it).
 */
export function elderlyCountSource(id: string): string {
  return elderlyReportSource(id, {
    input: "t.object({ district: t.string({ pattern: '^\\\\d{6}$' }), arrangements: t.array(t.enum(['独居', '与配偶同住', '与子女同住', '入住养老机构']), { maxItems: 4 }) })",
    aggregates: "{ total: { by: { group: { values: ['all'] } } } }",
    classify: `const p = unit.rows('elderly_info')[0]
      return p !== undefined && p.district_code === input.district && input.arrangements.includes(p.living_arrangement) ? { aggregates: { total: { by: { group: 'all' } } } } : {}`,
    output: 't.object({ n: t.nullable(t.integer({ minimum: 0 })) })',
    run: "const c = ctx.aggregate('total').cells[0]; return { n: c === undefined ? null : c.count }",
  })
}
