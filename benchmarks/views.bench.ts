/**
 * The cost of the scenario gate (issue: scenarios compiled to masked views).
 * - `views.masked_vs_raw.ratio`: the same aggregate (social-insurance months per district, over
 *   one-person-one-row joins) over a scenario's materialized, masked views and over the raw store
 *   tables, at 1,000,000 persons, median of 5 after a warm-up. Goal ≤ 1.3, aim 1.1.
 * - `views.materialize.seconds`: building the scenario's views (pseudonyms included) — a record.
 * - `views.entity_lookup_us`: p99 of one-entity lookups through the gate's in-memory index.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { buildStore, openStore } from '../runtime/store/index.ts'
import { createDataGate } from '../runtime/scenarios/data-gate.ts'
import { openState } from '../runtime/state/state.ts'
import type { Benchmark } from './harness.ts'
import { percentile, repeat, median, round, shared, timed } from './measure.ts'

const SCALE = Number(process.env.INDOMAIN_BENCH_VIEWS_SCALE ?? 1_000_000)

// the same text over the masked views and over the raw store: both name the tables alike
const AGGREGATE = `
  SELECT r.district_code, count(*) AS months, count(DISTINCT p.resident_id) AS persons, sum(CASE WHEN p.payment_status = '欠缴' THEN 1 ELSE 0 END) AS arrears
  FROM social_insurance_payment p JOIN household_registration r ON r.resident_id = p.resident_id
  WHERE p.period >= '202501'
  GROUP BY 1 ORDER BY 1`

type ViewFigures = { masked: number; raw: number; materialize: number; lookupP99: number; lookupP50: number; sameShape: boolean }

const measure = shared(async (): Promise<ViewFigures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-views-'))
  try {
    const catalog = loadCatalog()
    const storePath = join(dir, 'store.duckdb')
    await buildStore({ catalog, path: storePath, scale: SCALE, seed: 'bench-views' })
    const state = await openState(join(dir, 'state.sqlite'))
    const scenarios = state.scenarios
    const filed = await scenarios.request(
      {
        partner: 'bench',
        purpose: '社保缴存能力按区县统计',
        category: '公共治理',
        tables: {
          social_insurance_payment: { fields: { resident_id: '关联人员', period: '月份', payment_status: '欠缴' } },
          household_registration: { fields: { resident_id: '关联人员', district_code: '区县' } },
        },
      },
      catalog,
    )
    const scenario = await scenarios.decide(filed.id, { operator: 'bench', approveRest: true, expiresOn: '2099-12-31' }, catalog)
    const gate = createDataGate({ catalog, storePath, viewsDir: join(dir, 'views'), scenarios, asOf: '2025-12-31' })
    const built = await timed(() => gate.views(scenario.id))
    const views = await openStore(built.value, { access: 'read-only' })
    const raw = await openStore(storePath, { access: 'read-only' })
    const maskedRun = await repeat(5, async () => (await views.connection.runAndReadAll(AGGREGATE)).getRowsJS())
    const rawRun = await repeat(5, async () => (await raw.connection.runAndReadAll(AGGREGATE)).getRowsJS())
    views.close()
    raw.close()
    // the masked aggregate must describe the same population (pseudonyms join as IDs did)
    const text = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? String(x) : x))
    const sameShape = text(maskedRun.values[0]) === text(rawRun.values[0])
    // the one-entity path: an enterprise's payment months through a keyed scenario's index
    const keyed = await scenarios.request(
      { partner: 'bench', purpose: '企业社保缴存能力评估', category: '产业发展', tables: { social_insurance_payment: { key: 'employer_uscc', fields: { period: '月份', payment_status: '欠缴' } } } },
      catalog,
    )
    await scenarios.decide(keyed.id, { operator: 'bench', approveRest: true, expiresOn: '2099-12-31' }, catalog)
    const index = await gate.entityIndex(keyed.id)
    const lookups: number[] = []
    {
      const keys = index.sampleKeys(2000)
      for (let r = 0; r < 3; r++) for (const k of keys) {
        const t = performance.now()
        index.lookup(k)
        lookups.push((performance.now() - t) * 1000)
      }
    }
    await state.close()
    return {
      masked: median(maskedRun.times),
      raw: median(rawRun.times),
      materialize: built.ms / 1000,
      lookupP99: percentile(lookups, 99),
      lookupP50: percentile(lookups, 50),
      sameShape,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

export const benchmarks: readonly Benchmark[] = [
  {
    id: 'views.masked_vs_raw.ratio',
    title: `social-insurance months per district over masked views ÷ over raw tables (${SCALE.toLocaleString('en')} persons)`,
    async run() {
      const m = await measure()
      if (!m.sameShape) throw new Error('the masked aggregate differs from the raw one: pseudonyms do not join like the IDs they replace')
      return { value: round(m.masked / m.raw), unit: 'ratio', baseline: round(m.raw, 1), ratio: round(m.masked / m.raw), goal: 1.3 }
    },
  },
  {
    id: 'views.materialize.seconds',
    title: 'building a scenario\'s masked views (pseudonyms, masks, row order) from the store',
    async run() {
      const m = await measure()
      return { value: round(m.materialize, 1), unit: 's', baseline: null, ratio: null, goal: null }
    },
  },
  {
    id: 'views.entity_lookup_us',
    title: 'one-entity lookup through the gate\'s in-memory index of the masked views (p99)',
    async run() {
      const m = await measure()
      return { value: round(m.lookupP99, 1), unit: 'µs', baseline: round(m.lookupP50, 1), ratio: null, goal: 1000 }
    },
  },
]
