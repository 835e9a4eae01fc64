/**
 * Throughput of the seeds' products on one synthetic world (1,000,000 persons by default;
 * INDOMAIN_BENCH_PRODUCTS_SCALE changes it), each through the gate and the sandbox exactly as
 * served: one-entity products in calls per second (2,000 warm calls over sample entities, 8 in
 * flight), dataset and report products in entities per second over a whole run (the views
 * already materialized; entities = the rows of the scenario's largest table). No baseline: these
 * are records, not targets.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { bundleProduct } from '../runtime/sandbox/bundle-product.ts'
import { BATCH_LIMITS } from '../runtime/sandbox/limits.ts'
import { createSandboxPool } from '../runtime/sandbox/sandbox-pool.ts'
import { invokeProduct, loadProduct } from '../runtime/products/run-product.ts'
import { runBatch } from '../runtime/products/run-batch.ts'
import { defaultPolicy } from '../runtime/release/release-policy.ts'
import { newReleaseId } from '../runtime/release/release-store.ts'
import { devApproval } from '../runtime/scenarios/dev-approval.ts'
import { createDataGate } from '../runtime/scenarios/data-gate.ts'
import { openState } from '../runtime/state/state.ts'
import { buildStore } from '../runtime/store/index.ts'
import type { Benchmark } from './harness.ts'
import { round, shared } from './measure.ts'

const SCALE = Number(process.env.INDOMAIN_BENCH_PRODUCTS_SCALE ?? 1_000_000)
const CALLS = 2_000
const IN_FLIGHT = 8

/** Products with a figure here; the encrypted one has its own benchmark (he.*). */
const API = {
  'enterprise-credit-score': (key: string) => ({ uscc: key }),
  'enterprise-tax-arrears-grade': (key: string) => ({ uscc: key }),
  'property-mortgage-check': (key: string) => ({ unitNo: key }),
  'social-insurance-lapse-check': (key: string) => ({ residentId: key, from: '202401', to: '202512' }),
  'personal-credit-score': (key: string) => ({ residentId: key }),
  'rental-listing-check': (key: string) => ({ addressCode: key, landlordName: '张伟', area: 89 }),
} as const
const BATCH = ['enterprise-shell-scan', 'group-rental-detection', 'compound-occupancy', 'elderly-alone-monitor', 'bus-ridership', 'care-service-hotspots'] as const
/** A batch product's input when it is not `{}`. */
const BATCH_INPUT: Partial<Record<(typeof BATCH)[number], unknown>> = { 'care-service-hotspots': { district: null } }

const measure = shared(async (): Promise<Map<string, number>> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-products-'))
  const pool = createSandboxPool({ workers: 2 })
  const catalog = loadCatalog()
  const storePath = join(dir, 'store.duckdb')
  await buildStore({ catalog, path: storePath, scale: SCALE, seed: 'bench-products' })
  const state = await openState(join(dir, 'state.sqlite'))
  const gate = createDataGate({ catalog, storePath, viewsDir: join(dir, 'views'), scenarios: state.scenarios, asOf: '2025-12-31' })
  const figures = new Map<string, number>()
  try {
    for (const [id, inputOf] of Object.entries(API)) {
      const product = await loadProduct(pool, await bundleProduct(`products/${id}`))
      const scenario = await devApproval(state.scenarios, catalog, product.manifest)
      const index = await gate.entityIndex(scenario.id)
      const keys = index.sampleKeys(500)
      for (const key of keys.slice(0, 100)) await invokeProduct(pool, product, inputOf(key), index.lookupWire(key), '2025-12-31')
      let next = 0
      const started = performance.now()
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < CALLS) {
            const key = keys[next++ % keys.length]!
            await invokeProduct(pool, product, inputOf(key), index.lookupWire(key), '2025-12-31')
          }
        }),
      )
      figures.set(id, CALLS / ((performance.now() - started) / 1000))
    }
    for (const id of BATCH) {
      const bundle = await bundleProduct(`products/${id}`)
      const product = await loadProduct(pool, bundle)
      pool.register(product.codeHash, bundle.code, BATCH_LIMITS)
      const scenario = await devApproval(state.scenarios, catalog, product.manifest)
      const tables = await gate.viewTables(scenario.id)
      await gate.views(scenario.id)
      const started = performance.now()
      await runBatch({ pool, gate, catalog, ledger: state.releases, product, scenarioId: scenario.id, consumer: 'dev', input: BATCH_INPUT[id] ?? {}, asOf: '2025-12-31', policy: defaultPolicy(product.manifest.kind), releaseId: newReleaseId() })
      const seconds = (performance.now() - started) / 1000
      // entities: rows of the scenario's largest table
      let rows = 0
      for (const t of tables) rows = Math.max(rows, await countOf(gate, scenario.id, t.table))
      figures.set(id, rows / seconds)
    }
    return figures
  } finally {
    await state.close()
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

async function countOf(gate: ReturnType<typeof createDataGate>, scenarioId: string, table: string): Promise<number> {
  const result = await gate.query(scenarioId, `SELECT count(*) AS n FROM ${table}`)
  const column = result.columns.n
  return column?.kind === 'number' ? column.values[0]! : 0
}

export const benchmarks: readonly Benchmark[] = [
  ...Object.keys(API).map(
    (id): Benchmark => ({
      id: `products.${id.replaceAll('-', '_')}.calls_per_s`,
      title: `${id}: warm one-entity calls per second through the index and the sandbox (${IN_FLIGHT} in flight)`,
      async run() {
        return { value: round((await measure()).get(id)!, 0), unit: 'calls/s', baseline: null, ratio: null, goal: null }
      },
    }),
  ),
  ...BATCH.map(
    (id): Benchmark => ({
      id: `products.${id.replaceAll('-', '_')}.entities_per_s`,
      title: `${id}: rows of its largest table per second over a whole run at ${SCALE.toLocaleString('en')} persons (views built)`,
      async run() {
        return { value: round((await measure()).get(id)!, 0), unit: 'rows/s', baseline: null, ratio: null, goal: null }
      },
    }),
  ),
]
