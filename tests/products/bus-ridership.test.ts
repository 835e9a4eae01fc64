/**
 * 公交运营情况分析 — a correctness test, not an evaluation: the product counts the swipes it reads, so
 * the truth is a query over those same swipes and agreement proves exact counting, not insight. Every
 * released route-hour and stop-hour cell has exactly the boardings and riders of the raw swipes, every
 * cell under ten riders is left out and counted, and no card number leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { EVALUATION_SCALE, EVALUATION_SEEDS } from '../helpers/evaluation-seeds.ts'
import { releaseVerdict, runBatchProduct } from '../helpers/batch-product-run.ts'

type Cell = { hour: number; boardings: number; riders: number }
type Output = { routes: (Cell & { route: string })[]; stops: (Cell & { stop: string })[]; suppressedCells: number }
let sample: SampleStore
let run: Awaited<ReturnType<typeof runBatchProduct>>

beforeAll(async () => {
  sample = await createSampleStore(EVALUATION_SCALE, EVALUATION_SEEDS[0])
  run = await runBatchProduct(sample, 'products/bus-ridership')
}, 180_000)
afterAll(() => sample?.dispose())

describe('公交运营情况分析 — correctness: answers exactly what the swipes say', () => {
  it('releases exactly the week\'s boardings and riders per route-hour and stop-hour, small cells left out', async () => {
    const output = run.output as Output
    let suppressed = 0
    for (const [field, rows, key] of [['route_id', output.routes, 'route'], ['stop_id', output.stops, 'stop']] as const) {
      const truth = await sample.storeRows(`SELECT ${field} AS id, hour(swiped_at) AS hour, count(*) AS boardings, count(DISTINCT card_no) AS riders FROM bus_card_swipe GROUP BY 1, 2`)
      const released = new Map(rows.map((r) => [`${(r as unknown as Record<string, string>)[key]}/${r.hour}`, r]))
      for (const t of truth) {
        const cell = released.get(`${String(t.id)}/${Number(t.hour)}`)
        if (Number(t.riders) < 10) {
          expect(cell).toBeUndefined()
          suppressed++
        } else if (cell !== undefined) expect(cell).toMatchObject({ boardings: Number(t.boardings), riders: Number(t.riders) })
        else suppressed++ // withheld by dominance or by the audit across the two tables
      }
      // nearly every cell of ten riders or more is released exactly
      expect(released.size).toBeGreaterThanOrEqual(0.9 * truth.filter((t) => Number(t.riders) >= 10).length)
    }
    expect(output.suppressedCells).toBe(suppressed)
    expect(output.routes.length).toBeGreaterThan(10)
    console.log(`公交运营情况分析 ${output.routes.length} route-hour and ${output.stops.length} stop-hour cells released, ${suppressed} suppressed; exact against the raw swipes (a correctness test)`)
  })

  it('passes the release checks and carries no card number', async () => {
    const text = canonicalJson(run.output)
    expect(findIdentifiers(text)).toEqual([])
    expect(releaseVerdict(run).ok).toBe(true)
    for (const c of await sample.storeRows(`SELECT DISTINCT card_no FROM bus_card_swipe LIMIT 100`)) expect(text).not.toContain(String(c.card_no))
  })
})
