/**
 * For product evaluations: a one-entity product loaded in a sandbox pool, its declared scenario
 * approved for dev (as `indomain dev` does), and the scenario's entity index built through the gate.
 */
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool, type SandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { invokeProduct, loadProduct, type LoadedProduct, type RunResult } from '../../runtime/products/run-product.ts'
import { openState } from '../../runtime/state/state.ts'
import { devApproval } from '../../runtime/scenarios/dev-approval.ts'
import { createDataGate } from '../../runtime/scenarios/data-gate.ts'
import type { EntityIndex } from '../../runtime/entity/entity-index.ts'
import type { SampleStore } from './sample-store.ts'

export type ApiProductFixture = {
  readonly pool: SandboxPool
  readonly product: LoadedProduct
  readonly index: EntityIndex
  /** One call about `key` (its rows from the index), as consumer `bank-test`. */
  invoke(key: string, input: unknown): Promise<RunResult>
  close(): Promise<void>
}

export async function openApiProduct(sample: SampleStore, productDir: string): Promise<ApiProductFixture> {
  const pool = createSandboxPool({ workers: 2 })
  const product = await loadProduct(pool, await bundleProduct(productDir))
  const state = await openState(join(sample.dir, 'state.sqlite'))
  const scenario = await devApproval(state.scenarios, sample.catalog, product.manifest)
  const index = await createDataGate({ catalog: sample.catalog, storePath: sample.path, viewsDir: join(sample.dir, 'views'), scenarios: state.scenarios, asOf: '2025-12-31' }).entityIndex(scenario.id)
  return {
    pool,
    product,
    index,
    invoke: (key, input) => invokeProduct(pool, product, input, index.lookupWire(key), '2025-12-31'),
    async close() {
      await pool.close()
      await state.close()
    },
  }
}

/** One call about each of `keys`, on a fixture opened for them and closed after: the outputs in the keys' order, and the product. */
export async function invokeEach(sample: SampleStore, productDir: string, keys: readonly string[], input: (key: string) => unknown): Promise<{ product: LoadedProduct; outputs: unknown[] }> {
  const fixture = await openApiProduct(sample, productDir)
  try {
    const outputs = await Promise.all(keys.map(async (key) => (await fixture.invoke(key, input(key))).output))
    return { product: fixture.product, outputs }
  } finally {
    await fixture.close()
  }
}
