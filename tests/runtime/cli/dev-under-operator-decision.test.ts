/**
 * A dev run follows the operator's actual decision on the product's scenario when there is one:
 * a denied field is absent from the rows the product sees (and reading it is a typed denial), an
 * approved mask is applied, and the output says `under scenario scn-… as decided on …`; a revoked
 * decision refuses the run as production would. With no decision the declared fields are all there
 * under a dev approval, and the output says so (control). Both through `indomain dev` (the real
 * command line, over the operators' state database) and the server's dev-run (inject), where only
 * the partner's own decisions count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UNDER_DEV_APPROVAL } from '../../../runtime/scenarios/dev-approval.ts'
import type { ScenarioDecisionInput } from '../../../runtime/scenarios/scenario.ts'
import { withState } from '../../../runtime/state/state.ts'
import { createPartnerServer, type PartnerServer } from '../../helpers/partner-server.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
const PRODUCT = 'decision-probe'
const TABLES = { enterprise_basic: { key: 'uscc', fields: { status: '经营状态', industry_code: '所属行业', established_on: '成立年份' } } }
/** Shows which fields its rows carry and the founding date as seen; `probe: 'columns'` reads industry_code column-wise. */
const SOURCE = `import { defineProduct, t } from 'indomain/sdk'

export default defineProduct({
  id: '${PRODUCT}', version: '1.0.0', kind: 'api', title: '决定探针', category: '产业发展', description: 'Shows which fields a dev run sees.',
  entityKey: 'uscc',
  scenario: { purpose: '核对企业经营状态与行业', tables: ${JSON.stringify(TABLES)} },
  input: t.object({ uscc: t.uscc(), probe: t.string({ maxLength: 10 }) }),
  output: t.object({
    fields: t.array(t.string({ pattern: '^[a-z_]{1,40}$' }), { maxItems: 20 }),
    established: t.nullable(t.string({ pattern: '^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$' })),
    industries: t.integer({ minimum: 0, maximum: 100000 }),
  }),
  run(ctx, input) {
    const rows = ctx.rows('enterprise_basic')
    const first = rows[0]
    const industries = input.probe === 'columns' ? new Set(ctx.columns('enterprise_basic').text('industry_code').codes).size : 0
    return { fields: first === undefined ? [] : Object.keys(first).sort(), established: first?.established_on === undefined ? null : String(first.established_on), industries }
  },
})
`
/** The operator's decision: industry_code denied, the founding date shown as its year, the rest as the catalog says. */
const DECISION: Omit<ScenarioDecisionInput, 'operator'> = {
  approve: { 'enterprise_basic.established_on': { rule: 'generalize', to: 'year' } },
  deny: { 'enterprise_basic.industry_code': '行业不属于最小必要范围' },
  approveRest: true,
  expiresOn: '2099-12-31',
}
const TODAY = () => new Date().toISOString().slice(0, 10)

type DevOutput = { output: { fields: string[]; established: string | null; industries: number }; under: string; scenario: string }

/** The environment without a state location of its own: the operators' state is the data folder's state.sqlite. */
const OWN_STATE_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'INDOMAIN_DATABASE_URL' && name !== 'INDOMAIN_STATE'))

const root = mkdtempSync(join(tmpdir(), 'indomain-dev-decision-'))
const productDir = join(root, 'product')
let platform: PartnerServer

/** `indomain dev` with `dataDir` as the installation's data folder (its state.sqlite, the operators' state). */
function dev(dataDir: string, probe: string) {
  const r = spawnSync(process.execPath, [BIN, 'dev', productDir, '--db', platform.sample.path, '--pick', '1', '--input', JSON.stringify({ probe })], {
    encoding: 'utf8',
    env: { ...OWN_STATE_ENV, INDOMAIN_DATA_DIR: dataDir },
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A data folder whose operators' state holds the decision (with `also`) on `product`'s scenario. */
async function decidedDataDir(name: string, product: string, also: Partial<ScenarioDecisionInput> = {}): Promise<{ dir: string; scenario: string }> {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  const scenario = await withState(join(dir, 'state.sqlite'), async ({ scenarios }) => {
    const filed = await scenarios.request({ partner: 'probe-lab', product, purpose: '核对企业经营状态与行业', category: '产业发展', tables: TABLES }, platform.sample.catalog)
    return (await scenarios.decide(filed.id, { ...DECISION, ...also, operator: 'op-zhang' }, platform.sample.catalog)).id
  })
  return { dir, scenario }
}

beforeAll(async () => {
  platform = await createPartnerServer('dev-decision')
  mkdirSync(productDir, { recursive: true })
  writeFileSync(join(productDir, 'product.ts'), SOURCE)
}, 120_000)

afterAll(async () => {
  await platform?.close()
  rmSync(root, { recursive: true, force: true })
})

describe('indomain dev under the operators\' decision', () => {
  it('without a decision: every declared field, the date as kept, under a dev approval, and says so (control)', () => {
    const fresh = join(root, 'no-decision')
    const r = dev(fresh, 'rows')
    expect(r.code, r.err).toBe(0)
    const printed = JSON.parse(r.out) as DevOutput
    expect(printed.output.fields).toEqual(expect.arrayContaining(['established_on', 'industry_code', 'status']))
    expect(printed.output.established).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(printed.under).toBe(UNDER_DEV_APPROVAL)
    expect(r.err).toContain(`dev run under ${UNDER_DEV_APPROVAL}`)
    const columns = dev(fresh, 'columns')
    expect(columns.code, columns.err).toBe(0)
    expect((JSON.parse(columns.out) as DevOutput).output.industries).toBeGreaterThan(0)
  })

  it('with a decision: the denied field is absent, the mask applied, and the output names the scenario and the day', async () => {
    const { dir, scenario } = await decidedDataDir('decided', PRODUCT)
    const r = dev(dir, 'rows')
    expect(r.code, r.err).toBe(0)
    const printed = JSON.parse(r.out) as DevOutput
    expect(printed.output.fields).toContain('status')
    expect(printed.output.fields).toContain('established_on')
    expect(printed.output.fields).not.toContain('industry_code')
    expect(printed.output.established).toMatch(/^\d{4}$/)
    expect(printed.under).toBe(`scenario ${scenario} as decided on ${TODAY()}`)
    expect(r.err).toContain(`dev run under scenario ${scenario} as decided on ${TODAY()}`)
    // the run happened in the dev state: the operators' state holds their one scenario still
    expect(printed.scenario).not.toBe(scenario)
    expect(await withState(join(dir, 'state.sqlite'), async ({ scenarios }) => (await scenarios.list()).map((s) => s.id))).toEqual([scenario])
  })

  it('attack: reading the denied field column-wise is refused with ERR_VIEW_COLUMN_DENIED', async () => {
    const { dir } = await decidedDataDir('decided-attack', PRODUCT)
    const r = dev(dir, 'columns')
    expect(r.code).toBe(3)
    expect(r.out).toBe('')
    expect(JSON.parse(r.err.split('\n').find((line) => line.startsWith('{'))!)).toMatchObject({ code: 'ERR_VIEW_COLUMN_DENIED' })
  })

  it('applies the decision\'s row filter: a filter no enterprise passes leaves no entity to run for', async () => {
    const { dir } = await decidedDataDir('filtered', PRODUCT, { rowFilters: { enterprise_basic: { field: 'status', values: ['不存在的状态'] } } })
    const r = dev(dir, 'rows')
    expect(r.code).toBe(1)
    expect(r.err).toContain('ERR_ENTITY_NOT_FOUND')
  })

  it('a decision on another product changes nothing (control); a revoked decision refuses the run as production would', async () => {
    const other = await decidedDataDir('other-product', 'another-product')
    const r = dev(other.dir, 'rows')
    expect(r.code, r.err).toBe(0)
    expect((JSON.parse(r.out) as DevOutput).output.fields).toContain('industry_code')
    const { dir, scenario } = await decidedDataDir('revoked', PRODUCT)
    await withState(join(dir, 'state.sqlite'), ({ scenarios }) => scenarios.revoke(scenario, 'op-zhang', '用途变更'))
    const revoked = dev(dir, 'rows')
    expect(revoked.code).toBe(3)
    expect(revoked.err).toContain('ERR_SCENARIO_REVOKED')
  })
})

describe('the server\'s dev-run under the partner\'s decision', () => {
  const url = `/v1/partner/products/${PRODUCT}/versions/1.0.0`
  let partner: string
  let rival: string
  const devRun = (probe: string) => platform.call({ method: 'POST', url: `${url}/dev-run`, token: partner, body: { pick: 1, input: { probe } } })
  const file = async (token: string) => (await platform.call({ method: 'POST', url: '/v1/partner/scenarios', token, body: { product: PRODUCT, purpose: '核对企业经营状态与行业', category: '产业发展', tables: TABLES } })).body.id as string
  const decide = (scenario: string, decision: Record<string, unknown>) => platform.call({ method: 'POST', url: `/v1/operator/scenarios/${scenario}/decision`, token: platform.operator, body: decision })

  beforeAll(async () => {
    partner = await platform.partner('probe-lab', 'MA2T3X4Y')
    rival = await platform.partner('rival-lab', 'MA2T3X4W')
    const uploaded = await platform.call({ method: 'PUT', url, token: partner, body: { files: { 'product.ts': SOURCE } } })
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201)
  })

  it('without a decision: every declared field, under a dev approval (control)', async () => {
    const run = await devRun('rows')
    expect(run.body, JSON.stringify(run.body)).toMatchObject({ ok: true, under: UNDER_DEV_APPROVAL })
    expect(run.body.output.fields).toContain('industry_code')
  })

  it('with the operator\'s decision: the denied field absent, the mask applied, the scenario named; reading the field is a typed denial', async () => {
    const scenario = await file(partner)
    expect((await decide(scenario, DECISION)).body.status).toBe('approved')
    const run = await devRun('rows')
    expect(run.body, JSON.stringify(run.body)).toMatchObject({ ok: true, under: `scenario ${scenario} as decided on ${TODAY()}` })
    expect(run.body.output.fields).toContain('status')
    expect(run.body.output.fields).not.toContain('industry_code')
    expect(run.body.output.established).toMatch(/^\d{4}$/)
    const attack = await devRun('columns')
    expect(attack.body).toMatchObject({ ok: false, error: { code: 'ERR_VIEW_COLUMN_DENIED' }, under: `scenario ${scenario} as decided on ${TODAY()}` })
  })

  it('attack: another partner\'s later, wider decision on the same product id does not govern this partner\'s dev run', async () => {
    const theirs = await file(rival)
    expect((await decide(theirs, { approveRest: true, expiresOn: '2099-12-31' })).body.status).toBe('approved')
    const run = await devRun('rows')
    expect(run.body.ok).toBe(true)
    expect(run.body.under).not.toContain(theirs)
    expect(run.body.output.fields).not.toContain('industry_code')
  })

  it('a later decision of the partner\'s own governs the next run (control)', async () => {
    const wider = await file(partner)
    expect((await decide(wider, { approveRest: true, expiresOn: '2099-12-31' })).body.status).toBe('approved')
    const run = await devRun('columns')
    expect(run.body, JSON.stringify(run.body)).toMatchObject({ ok: true, under: `scenario ${wider} as decided on ${TODAY()}` })
    expect(run.body.output.industries).toBeGreaterThan(0)
  })
})
