/**
 * For server tests: an operator approves a product's declared scenario with default masks (and, for a
 * dataset with rows, row-level release to the consumer) and publishes the product the way the CLI
 * does (publishProduct); a consumer (a bank unless named) gets an API key.
 */
import type { RuntimeConfig } from '../../runtime/config.ts'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct } from '../../runtime/products/run-product.ts'
import { scenarioRequestOf } from '../../runtime/scenarios/dev-approval.ts'
import { withState } from '../../runtime/state/state.ts'
import { publishProduct } from '../../runtime/server/publish-product.ts'
import type { SampleStore } from './sample-store.ts'

export async function approveAndPublish(
  sample: SampleStore,
  config: RuntimeConfig,
  dir: string,
  options: { readonly partner: string; readonly operator: string; readonly priceFen: number; readonly consumer?: { readonly id: string; readonly name: string } },
): Promise<{ readonly apiKey: string }> {
  const consumer = options.consumer ?? { id: 'bank-hf', name: '徽商银行' }
  const pool = createSandboxPool({ workers: 1 })
  const bundle = await bundleProduct(dir)
  const product = await loadProduct(pool, bundle).finally(() => pool.close())
  return withState(config.stateDatabase, async ({ scenarios, registry }) => {
    const filed = await scenarios.request(scenarioRequestOf(product.manifest, options.partner), sample.catalog)
    // a dataset with rows: row-level release to this consumer, with pseudonyms
    const release = product.manifest.rows === undefined ? {} : { release: { rowLevel: { consumers: [consumer.id], identifiers: false } } }
    const scenario = await scenarios.decide(filed.id, { operator: options.operator, approveRest: true, expiresOn: '2099-12-31', ...release }, sample.catalog)
    await publishProduct(registry, sample.catalog, product, { dir, partner: options.partner, scenario: scenario.id, priceFen: options.priceFen })
    return { apiKey: (await registry.addConsumer(consumer.id, consumer.name)).apiKey }
  })
}
