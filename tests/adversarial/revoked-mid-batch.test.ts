/**
 * Attack on timing: the approval is revoked while a batch runs, or has expired; nothing is
 * released. Through the server (the run ends with the revocation's code, and no release is
 * recorded), and the runtime's batch path on an expired approval (refused before any data is read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, type AttackServer, type Published } from '../helpers/attack-server.ts'
import { createDataGate } from '../../runtime/scenarios/data-gate.ts'
import { runBatch } from '../../runtime/products/run-batch.ts'
import { defaultPolicy } from '../../runtime/release/release-policy.ts'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { loadProductForRuns } from '../../runtime/products/run-product.ts'

let s: AttackServer
let published: Published
// each unit spins for `spin` steps: a run long enough to be revoked under
const CLASSIFY = `let x = 0; for (let i = 0; i < input.spin; i++) x += i
  const p = unit.rows('elderly_info')[0]
  return p === undefined || x < 0 ? {} : { aggregates: { by_district: { by: { district: String(p.district_code) } } } }`

beforeAll(async () => {
  s = await createAttackServer(800, 'revoke')
  published = await s.publish(elderlyReportSource('elderly-count', { classify: CLASSIFY }))
}, 120_000)
afterAll(() => s.close())

describe('attack: using an approval that is revoked mid-batch or expired', () => {
  it('a batch whose scenario is revoked while it runs releases nothing (ERR_SCENARIO_REVOKED)', async () => {
    // positive control: the run goes through (queued for review)
    expect((await s.run('elderly-count', { spin: 0, district: '' })).statusCode).toBe(202)
    const running = s.run('elderly-count', { spin: 5_000_000, district: '' })
    await new Promise((r) => setTimeout(r, 150))
    await s.server.state.scenarios.revoke(published.scenario, 'op-2', '发现违规使用')
    const response = await running
    expect(response.json()).toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
    expect((await s.run('elderly-count', { spin: 0, district: '' })).json()).toMatchObject({ code: 'ERR_SCENARIO_REVOKED' })
    const queued = (await s.server.state.releases.list()).filter((r) => r.product === 'elderly-count')
    expect(queued).toHaveLength(1)
  })

  it('an expired approval is refused before any data is read', async () => {
    const fresh = await s.publish(elderlyReportSource('elderly-count-2', { classify: CLASSIFY }))
    // the same scenario, seen on a day after its expiry
    const expired = createDataGate({ catalog: s.sample.catalog, storePath: s.sample.path, viewsDir: s.config.viewsDir, scenarios: s.server.state.scenarios, asOf: '2025-12-31', today: () => '2100-01-01' })
    const pool = createSandboxPool({ workers: 1 })
    try {
      const product = await loadProductForRuns(pool, await bundleProduct(fresh.dir))
      await expect(
        runBatch({ pool, gate: expired, catalog: s.sample.catalog, ledger: s.server.state.releases, product, scenarioId: fresh.scenario, consumer: 'bank-a', input: { spin: 0, district: '' }, asOf: '2025-12-31', policy: defaultPolicy('report'), releaseId: 'rel-expired' }),
      ).rejects.toMatchObject({ code: 'ERR_SCENARIO_EXPIRED' })
    } finally {
      await pool.close()
    }
  })
})
