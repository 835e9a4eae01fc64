/**
 * Differential privacy as a release mode, through the server: where the operator requires it, a
 * report's cells come with discrete Laplace noise at the stated scale and every cell of the
 * declared grid is released (no small cell withheld, no cell absent); the consumer's budget for
 * the scenario is spent atomically — six concurrent runs against a budget of three releases give
 * exactly three, the others refused with ERR_PRIVACY_BUDGET_EXHAUSTED (429) and audited — and each
 * release tells the consumer what it spent and what remains. Another consumer has its own budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyReportSource, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
const ARRANGEMENTS = "['独居', '与配偶同住', '与子女同住', '入住养老机构']"
const SOURCE = elderlyReportSource('noisy-arrangements', {
  aggregates: `{ by_arrangement: { by: { arrangement: { values: ${ARRANGEMENTS} } } } }`,
  classify: `const p = unit.rows('elderly_info')[0]; return p === undefined ? {} : { aggregates: { by_arrangement: { by: { arrangement: String(p.living_arrangement) } } } }`,
  output: 't.object({ cells: t.array(t.object({ arrangement: t.string({ pattern: \'^.{1,10}$\' }), n: t.integer({ minimum: -1000000, maximum: 1000000 }) }), { maxItems: 10 }), scale: t.number({ minimum: 0, maximum: 1000 }), epsilon: t.number({ minimum: 0, maximum: 10 }) })',
  run: "const a = ctx.aggregate('by_arrangement'); return { cells: a.cells.map((c: any) => ({ arrangement: c.by.arrangement, n: c.count })), scale: a.noise.scale.count, epsilon: a.noise.epsilon }",
})

beforeAll(async () => {
  s = await createAttackServer(2000, 'attack-dp')
  await s.publish(SOURCE, { decision: { release: { privacy: { epsilon: 1, budget: 3, periodDays: 30 } } } })
}, 120_000)
afterAll(() => s.close())

describe('differential privacy with a per-consumer budget', () => {
  it('spends the budget exactly once per release under concurrent runs, and refuses when it is spent', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, () => s.run('noisy-arrangements', { spin: 0, district: '' }, 'bank-a')))
    const accepted = runs.filter((r) => r.statusCode === 202)
    const refused = runs.filter((r) => r.statusCode === 429)
    expect(accepted).toHaveLength(3)
    expect(refused).toHaveLength(3)
    for (const r of refused) expect(r.json()).toMatchObject({ code: 'ERR_PRIVACY_BUDGET_EXHAUSTED' })
    // each release says what it spent and what remains: 2, 1, 0 in some order
    expect(accepted.map((r) => (r.json() as { privacy: { epsilon: number; remaining: number } }).privacy.remaining).sort()).toEqual([0, 1, 2])
    expect(accepted.every((r) => (r.json() as { privacy: { epsilon: number } }).privacy.epsilon === 1)).toBe(true)
    expect((await s.run('noisy-arrangements', { spin: 0, district: '' }, 'bank-a')).statusCode).toBe(429)
    expect(s.audit().filter((e) => e.action === 'privacy.budget_exhausted' && e.actor === 'bank-a').length).toBe(4)
  })

  it('releases every cell of the grid with noise at the stated scale; another consumer has its own budget', async () => {
    const r = await s.run('noisy-arrangements', { spin: 0, district: '' }, 'bank-b')
    expect(r.statusCode, r.body).toBe(202)
    const out = (await s.server.state.releases.resultOf((r.json() as { releaseId: string }).releaseId)) as { cells: { arrangement: string; n: number }[]; scale: number; epsilon: number }
    expect(out.cells.map((c) => c.arrangement).sort()).toEqual(['与子女同住', '与配偶同住', '入住养老机构', '独居'].sort())
    // ε = 1 on counts (one cell per person): scale 1
    expect(out).toMatchObject({ scale: 1, epsilon: 1 })
    // noisy, not exact: across the cells the noise is not all zero, and stays within a wide bound
    const truth = new Map((await s.sample.storeRows(`SELECT living_arrangement AS a, CAST(count(*) AS INTEGER) AS n FROM elderly_info GROUP BY 1`)).map((x) => [String(x.a), Number(x.n)]))
    for (const c of out.cells) expect(Math.abs(c.n - (truth.get(c.arrangement) ?? 0))).toBeLessThanOrEqual(30)
    const report = (await s.server.state.releases.get((r.json() as { releaseId: string }).releaseId)).report as { items: { check: string }[] }
    expect(report.items.some((i) => i.check === 'DIFFERENTIAL_PRIVACY')).toBe(true)
  })
})
