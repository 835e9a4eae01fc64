/**
 * 不动产抵押状态核验 against a direct computation on the raw store, for every registered property
 * unit of a world the product was not written on; the output names no person and no amount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool, type SandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { invokeProduct, loadProduct, type LoadedProduct } from '../../runtime/products/run-product.ts'
import { openState, type State } from '../../runtime/state/state.ts'
import { devApproval } from '../../runtime/scenarios/dev-approval.ts'
import { createDataGate } from '../../runtime/scenarios/data-gate.ts'
import type { EntityIndex } from '../../runtime/entity/entity-index.ts'
import { canonicalJson } from '../../runtime/release/signing.ts'
import { findIdentifiers } from '../../runtime/release/scan-identifiers.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'

let sample: SampleStore
let pool: SandboxPool
let product: LoadedProduct
let index: EntityIndex
let state: State
let truth: Record<string, unknown>[]

beforeAll(async () => {
  sample = await createSampleStore(5000, 'mortgage-evaluation')
  pool = createSandboxPool({ workers: 2 })
  product = await loadProduct(pool, await bundleProduct('products/property-mortgage-check'))
  state = await openState(join(sample.dir, 'state.duckdb'))
  const scenario = await devApproval(state.scenarios, sample.catalog, product.manifest)
  index = await createDataGate({ catalog: sample.catalog, storePath: sample.path, viewsDir: join(sample.dir, 'views'), scenarios: state.scenarios, asOf: '2025-12-31' }).entityIndex(scenario.id)
  truth = await sample.storeRows(`
    SELECT e.unit_no, e.status, count(m.mortgage_no) FILTER (WHERE m.status = '有效') AS active,
           list(DISTINCT m.mortgagee_class) FILTER (WHERE m.status = '有效') AS classes
    FROM real_estate e LEFT JOIN mortgage m USING (unit_no) GROUP BY ALL`)
}, 180_000)

afterAll(async () => {
  await pool.close()
  await state.close()
  sample.dispose()
})

describe('不动产抵押状态核验', () => {
  it('answers exactly what the registers say, for every property unit', async () => {
    let agree = 0
    let mortgaged = 0
    for (const r of truth) {
      const unitNo = String(r.unit_no)
      const { output } = await invokeProduct(pool, product, 'bank-test', { unitNo }, index.lookup(unitNo), '2025-12-31')
      const o = output as { mortgaged: boolean; activeMortgages: number; mortgageeClasses: string[]; seized: boolean }
      const classes = ((r.classes as string[] | null) ?? []).map(String).sort()
      if (o.activeMortgages === Number(r.active) && o.mortgaged === Number(r.active) > 0 && JSON.stringify([...o.mortgageeClasses].sort()) === JSON.stringify(classes) && o.seized === (r.status === '查封')) agree++
      if (o.mortgaged) mortgaged++
    }
    console.log(`不动产抵押状态核验 agreement ${(agree / truth.length).toFixed(4)} over ${truth.length} units (${mortgaged} mortgaged)`)
    expect(agree).toBe(truth.length)
    expect(mortgaged).toBeGreaterThan(0)
  }, 120_000)

  it('names no person and no amount', async () => {
    const unitNo = String(truth.find((r) => Number(r.active) > 0)!.unit_no)
    const { output } = await invokeProduct(pool, product, 'bank-test', { unitNo }, index.lookup(unitNo), '2025-12-31')
    const text = canonicalJson(output)
    expect(findIdentifiers(text)).toEqual([])
    const people = await sample.storeRows(`SELECT mortgagor_name, CAST(secured_amount AS VARCHAR) AS amount FROM mortgage WHERE unit_no = $1`, [unitNo])
    for (const p of people) {
      expect(text).not.toContain(String(p.mortgagor_name))
      expect(text).not.toContain(String(p.amount))
    }
    expect(text).not.toContain(unitNo)
  })
})
