/**
 * A dataset or report run the runtime's way (run-batch.ts): `classify` per unit in the sandbox,
 * the aggregates reduced and protected by the runtime, `run` over the released results. The cells
 * agree with the store; small cells are withheld by the runtime, whatever the product does; a
 * contribution outside the declaration ends the run; the report says what was done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createScenarioFixture, type ScenarioFixture } from '../../helpers/scenario-fixture.ts'
import { elderlyReportSource } from '../../helpers/attack-server.ts'
import { runBatch } from '../../../runtime/products/run-batch.ts'
import { bundleProduct } from '../../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool, type SandboxPool } from '../../../runtime/sandbox/sandbox-pool.ts'
import { loadProductForRuns, type LoadedProduct } from '../../../runtime/products/run-product.ts'
import { scenarioRequestOf } from '../../../runtime/scenarios/dev-approval.ts'
import { defaultPolicy } from '../../../runtime/release/release-policy.ts'

let f: ScenarioFixture
let pool: SandboxPool
let alone: Map<string, number>

const BY_DISTRICT = `const p = unit.rows('elderly_info')[0]
  return p === undefined || p.living_arrangement !== '独居' ? {} : { aggregates: { by_district: { by: { district: String(p.district_code) } } } }`

async function load(source: string): Promise<LoadedProduct> {
  const dir = mkdtempSync(join(f.dir, 'product-'))
  writeFileSync(join(dir, 'product.ts'), source)
  return loadProductForRuns(pool, await bundleProduct(dir))
}

async function run(product: LoadedProduct, consumer = 'bureau-a', input: unknown = { spin: 0, district: '' }) {
  const filed = await f.scenarios.request(scenarioRequestOf(product.manifest, 'partner-a'), f.catalog)
  const s = await f.scenarios.decide(filed.id, { operator: 'op-1', approveRest: true, expiresOn: '2099-12-31' }, f.catalog)
  return runBatch({ pool, gate: f.gate, catalog: f.catalog, ledger: f.releases, product, scenarioId: s.id, consumer, input, asOf: '2025-12-31', policy: defaultPolicy('report'), releaseId: `rel-${Math.random().toString(36).slice(2)}` })
}

beforeAll(async () => {
  f = await createScenarioFixture(3000, 'run-batch')
  pool = createSandboxPool({ workers: 1 })
  alone = new Map((await f.storeRows(`SELECT district_code AS d, count(*) AS n FROM elderly_info WHERE living_arrangement = '独居' GROUP BY 1`)).map((r) => [String(r.d), Number(r.n)]))
}, 120_000)
afterAll(async () => {
  await pool.close()
  await f.close()
})

describe('a batch run, the runtime computing and protecting every cell', () => {
  it("counts each cell's units itself, releases the cells of ten or more and withholds the rest", async () => {
    const ran = await run(await load(elderlyReportSource('alone-count', { classify: BY_DISTRICT })))
    const output = ran.output as { cells: { district: string; n: number }[]; suppressed: number }
    const expected = [...alone].filter(([, n]) => n >= 10)
    expect(new Map(output.cells.map((c) => [c.district, c.n]))).toEqual(new Map(expected))
    expect(output.suppressed).toBe(alone.size - expected.length)
    expect(ran.report.map((i) => i.check)).toEqual(expect.arrayContaining(['RUNTIME_AGGREGATES', 'MIN_COUNT', 'CROSS_RELEASE_AUDIT', 'INEQUALITY_INFERENCE']))
    expect(ran.cells?.kind).toBe('household_registration.resident_id')
  })

  it('a contribution outside the declaration ends the run (ERR_SANDBOX_INVALID_OUTPUT): an undeclared aggregate, dimension value or measure', async () => {
    for (const classify of [
      `return { aggregates: { other: { by: { district: '341502' } } } }`,
      `return { aggregates: { by_district: { by: { district: 'not-a-code' } } } }`,
      `return { aggregates: { by_district: { by: { district: '341502' }, values: { income: 1 } } } }`,
      `return { aggregates: { by_district: [{ by: { district: '341502' } }, { by: { district: '341503' } }] } }`,
      `return { row: { x: 1 } }`,
    ]) {
      await expect(run(await load(elderlyReportSource('bad-contribution', { classify }))), classify).rejects.toMatchObject({ code: 'ERR_SANDBOX_INVALID_OUTPUT' })
    }
  })

  it("bounds a unit's value to the declared range, so no cell's sum exceeds its units times the bound", async () => {
    const aggregates = "{ by_district: { by: { district: { pattern: '^\\\\d{6}$', maxLength: 6 } }, measures: { m: { sum: { min: 0, max: 100 } } } } }"
    const classify = `const p = unit.rows('elderly_info')[0]
      if (p === undefined) return {}
      return { aggregates: { by_district: { by: { district: String(p.district_code) }, values: { m: p.sex === '男' ? 1e6 : 1 } } } }`
    const out = `t.object({ cells: t.array(t.object({ district: t.string({ pattern: '^\\\\d{6}$' }), n: t.integer({ minimum: 0 }), m: t.nullable(t.number()) }), { maxItems: 1000 }), suppressed: t.integer({ minimum: 0 }) })`
    const runBody = "const a = ctx.aggregate('by_district'); return { cells: a.cells.map((c: any) => ({ district: c.by.district, n: c.count, m: c.values.m ?? null })), suppressed: a.suppressed }"
    const ran = await run(await load(elderlyReportSource('clamped', { classify, aggregates, output: out, run: runBody })))
    const cells = (ran.output as { cells: { n: number; m: number | null }[] }).cells
    expect(cells.length).toBeGreaterThan(0)
    expect(cells.some((c) => c.m !== null)).toBe(true)
    for (const c of cells) if (c.m !== null) expect(c.m).toBeLessThanOrEqual(c.n * 100)
  })

  it('a dataset with rows for a consumer the operator did not approve is refused (ROW_LEVEL_NOT_APPROVED), its rows never reaching run', async () => {
    const source = `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'rows-unapproved', version: '1.0.0', kind: 'dataset', title: '名单', category: '公益事业', description: 'x',
  scenario: { purpose: '按名单核查独居老人', tables: { elderly_info: { key: 'resident_id', fields: { living_arrangement: '居住状况' } } } },
  unit: 'elderly_info',
  rows: { fields: { alone: { boolean: true } }, quasi: [] },
  input: t.object({}),
  output: t.object({ n: t.integer({ minimum: 0 }) }),
  classify(unit) { return { row: { alone: unit.rows('elderly_info')[0]?.living_arrangement === '独居' } } },
  run(ctx) { return { n: ctx.rows().rows.length } },
})`
    const ran = await run(await load(source), 'bank-x', {})
    expect(ran.reasons).toEqual([{ code: 'ROW_LEVEL_NOT_APPROVED' }])
    expect(ran.output).toEqual({ n: 0 })
  })
})
