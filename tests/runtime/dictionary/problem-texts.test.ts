/**
 * The server's rule texts have their Chinese: the texts are taken from where they are really made —
 * the front door's schema validation (bad bodies sent to a live server), the version review's
 * checks and what a product needs of its scenario, the scenario decision's rules, the identifier
 * checks — and each must come out in Chinese, names and numbers kept. A text nobody wrote a pattern
 * for (a compiler's message about a partner's code) stays the server's (control), and English asks
 * for the server's words as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { identifierProblem } from '../../../catalog/identifiers/index.ts'
import { problemText } from '../../../runtime/dictionary/index.ts'
import type { ProductManifest } from '../../../runtime/products/manifest.ts'
import { decideFields, decideKeys, decideReleaseRules } from '../../../runtime/scenarios/scenario-rules.ts'
import type { Scenario, ScenarioDecisionInput } from '../../../runtime/scenarios/scenario.ts'
import { servingProblems, versionChecks } from '../../../runtime/server/version-review.ts'
import type { ProductVersion } from '../../../runtime/state/product-versions.ts'
import { createBareServer, type BareServer } from '../../helpers/bare-server.ts'

const HAN = /\p{Script=Han}/u
/** The Chinese of a text, or the text itself marked as untranslated (so a failure shows it). */
const chinese = (text: string) => problemText(text, 'zh') ?? `untranslated: ${text}`
let server: BareServer
const texts = new Set<string>()

/** The problems' texts of an answer to a bad body. */
async function schemaProblems(method: 'POST' | 'PUT', url: string, payload: unknown): Promise<void> {
  const body = (await server.app.inject({ method, url, payload: payload as object })).json() as { problems?: { problem: string }[] }
  expect(body.problems?.length, `${url} ${JSON.stringify(payload)}`).toBeGreaterThan(0)
  for (const p of body.problems!) texts.add(p.problem)
}

/** The problems of a rule that throws them. */
function ruleProblems(work: () => unknown): void {
  try {
    work()
  } catch (error) {
    for (const p of ((error as { details?: { problems?: (string | { problem: string })[] } }).details?.problems ?? [])) texts.add(typeof p === 'string' ? p.slice(p.indexOf(': ') + 2) : p.problem)
    return
  }
  throw new Error('the rule did not refuse')
}

beforeAll(async () => {
  server = await createBareServer()
  const scenarios = '/v1/partner/scenarios'
  await schemaProblems('POST', scenarios, { product: 'x-y', category: '产业发展', tables: {} })
  await schemaProblems('POST', scenarios, { product: 'x-y', purpose: 'ab', category: '产业发展', tables: {} })
  await schemaProblems('POST', scenarios, { product: 'x-y', purpose: 'abcdef', category: '其他', tables: {} })
  await schemaProblems('POST', scenarios, { product: 'X Y', purpose: 'abcdef', category: '产业发展', tables: {} })
  await schemaProblems('POST', scenarios, { product: 'x-y', purpose: 'abcdef', category: '产业发展', tables: {}, extra: 1 })
  await schemaProblems('POST', scenarios, { product: 'x-y', purpose: 'x'.repeat(1001), category: '产业发展', tables: {} })
  await schemaProblems('PUT', '/v1/operator/price-caps/credit', { capFen: 'forty' })
  await schemaProblems('PUT', '/v1/operator/price-caps/credit', { capFen: -1 })
  await schemaProblems('POST', '/v1/operator/consumers', { id: 'bank-a', name: 'A', monthlyQuota: 0 })
})

afterAll(() => server.close())

describe('the server\'s rule texts in Chinese', () => {
  it('the front door\'s schema validation', () => {
    expect(texts.size).toBeGreaterThan(5)
    for (const text of texts) expect(chinese(text)).toMatch(HAN)
  })

  it('what a product needs of its scenario, and a version\'s review checks', () => {
    const scenario = {
      id: 'scn-1',
      status: 'approved',
      category: '公共治理',
      expiresOn: '2099-12-31',
      keys: { tax_arrears: 'taxpayer_name' },
      fields: [{ table: 'tax_arrears', field: 'status', decision: 'approved', mask: { rule: 'keep' } }],
    } as unknown as Scenario
    const manifest = { id: 'p', version: '1.0.0', kind: 'api', category: '产业发展', output: {}, scenario: { tables: { tax_arrears: { key: 'taxpayer_uscc', fields: { status: '', arrears_amount: '' } }, enterprise_basic: { fields: { status: '' } } } } } as unknown as ProductManifest
    const problems = servingProblems(manifest, scenario)
    expect(problems.length).toBe(4)
    for (const p of problems) expect(chinese(p.problem)).toMatch(HAN)
    const version = (devRun: unknown) => ({ product: 'p', version: '1.0.0', codeHash: 'a', devRun }) as unknown as ProductVersion
    const runs = [null, { ok: false, error: { code: 'ERR_SANDBOX_TIMEOUT' } }, { ok: true, checks: { refused: [{ code: 'DIRECT_IDENTIFIER' }, { code: 'PERSONAL_VALUE' }] } }, { ok: true, checks: null }]
    for (const run of runs) {
      for (const sc of [scenario, null]) {
        for (const rebundled of [{ codeHash: 'b' }, { failed: 'the stored sources do not bundle (ERR_BUNDLE_FAILED)' }]) {
          for (const c of versionChecks({ version: version(run), rebundled, manifest: sc === null ? null : manifest, scenario: sc, today: '2026-12-08' })) {
            if (!c.ok) expect(chinese(c.detail!)).toMatch(HAN)
          }
        }
      }
    }
  })

  it('a scenario decision\'s rules and the identifier checks', () => {
    const catalog = loadCatalog()
    const scenario = {
      id: 'scn-1',
      status: 'pending',
      category: '产业发展',
      keys: {},
      release: {},
      fields: [{ table: 'enterprise_basic', field: 'uscc', justification: '查询键', decision: 'pending' }],
    } as unknown as Scenario
    const decision = (d: Partial<ScenarioDecisionInput>) => ({ operator: 'op', expiresOn: '2099-12-31', ...d }) as ScenarioDecisionInput
    ruleProblems(() => decideKeys(scenario, decision({ keys: { bus_route: 'route_id' } }), catalog))
    ruleProblems(() => decideKeys(scenario, decision({ keys: { enterprise_basic: 'nothing_here' } }), catalog))
    ruleProblems(() => decideKeys(scenario, decision({ keys: { enterprise_basic: 'registered_capital' } }), catalog))
    ruleProblems(() => decideFields(scenario, decision({ expiresOn: '2001-01-01' }), catalog))
    ruleProblems(() => decideFields(scenario, decision({ approve: { 'enterprise_basic.uscc': { rule: 'keep' } } }), catalog))
    ruleProblems(() => decideFields(scenario, decision({ deny: { 'enterprise_basic.uscc': ' ' } }), catalog))
    ruleProblems(() => decideReleaseRules(scenario, [], decision({ release: { privacy: { epsilon: 99, budget: 1, periodDays: 0 } } })))
    for (const text of texts) expect(chinese(text)).toMatch(HAN)
    for (const [kind, code] of [['uscc', '91350100M000100Y44'], ['uscc', '91350100M000100Y53'], ['uscc', 'nonsense'], ['resident_id', '110105194912310021'], ['resident_id', '110105199902300011'], ['resident_id', 'x']] as const) {
      const text = identifierProblem(kind, code)!
      expect(chinese(text)).toMatch(HAN)
    }
  })

  it('a text no pattern knows stays the server\'s; English is the server\'s words (control)', () => {
    const compiler = "Type 'string' is not assignable to type 'number'."
    expect(problemText(compiler, 'zh')).toBeUndefined()
    expect(problemText(`not approved in the scenario; ${compiler}`, 'zh')).toBeUndefined()
    expect(problemText('not approved in the scenario', 'en')).toBe('not approved in the scenario')
    expect(problemText('must NOT have fewer than 4 characters', 'zh')).toBe('不能少于 4 个字符')
  })
})
