/** Attack on timing: the approval is revoked while a batch runs, or has expired; nothing is released. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioFixture, type ScenarioFixture } from '../helpers/scenario-fixture.ts'
import { createGatedHarness, type GatedHarness } from '../helpers/gated-products.ts'
import { runThroughGate } from '../../runtime/products/run-through-gate.ts'

let f: ScenarioFixture
let h: GatedHarness
const BATCH = `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'elderly-count', version: '1.0.0', kind: 'dataset', title: '统计', category: '公益事业', description: 'count',
  scenario: { purpose: 'count elderly living alone', tables: { elderly_info: { fields: { living_arrangement: '居住状况' } } } },
  input: t.object({ spin: t.integer() }),
  output: t.object({ alone: t.integer() }),
  run(ctx, input) {
    let alone = 0
    ctx.scan('elderly_info', (c) => { const a = c.text('living_arrangement'); for (let i = 0; i < c.length; i++) if (a.value(i) === '独居') alone++ })
    let x = 0
    for (let i = 0; i < input.spin; i++) x += i
    return { alone: alone + (x < 0 ? 1 : 0) }
  },
})`

beforeAll(async () => {
  f = await createScenarioFixture(800, 'revoke')
  h = createGatedHarness(f)
})
afterAll(async () => {
  await h.close()
  f.close()
})

describe('attack: using an approval that is revoked mid-batch or expired', () => {
  it('a batch whose scenario is revoked while it runs releases nothing (ERR_SCENARIO_REVOKED)', async () => {
    const p = await h.load(BATCH)
    const s = await h.approve(p)
    expect(await h.run(p, s, { spin: 0 })).toMatchObject({ ok: true })
    const running = h.run(p, s, { spin: 2e8 })
    await new Promise((r) => setTimeout(r, 60))
    await f.scenarios.revoke(s.id, 'op-2', '发现违规使用')
    expect(await running).toMatchObject({ ok: false, code: 'ERR_SCENARIO_REVOKED' })
    expect(await h.run(p, s, { spin: 0 })).toMatchObject({ ok: false, code: 'ERR_SCENARIO_REVOKED' })
  })

  it('an expired approval is refused before any data is read', async () => {
    const p = await h.load(BATCH)
    const s = await h.approve(p)
    // the same scenario, seen on a day after its expiry
    const { createDataGate } = await import('../../runtime/scenarios/data-gate.ts')
    const expired = createDataGate({ catalog: f.catalog, storePath: f.path, viewsDir: `${f.dir}/views`, scenarios: f.scenarios, asOf: '2025-12-31', today: () => '2100-01-01' })
    await expect(expired.batchTables(s.id, ['elderly_info'])).rejects.toMatchObject({ code: 'ERR_SCENARIO_EXPIRED' })
    await expect(runThroughGate({ pool: h.pool, gate: expired, product: p, scenarioId: s.id, consumer: 'c', input: { spin: 0 }, asOf: '2025-12-31' })).rejects.toMatchObject({ code: 'ERR_SCENARIO_EXPIRED' })
  })
})
