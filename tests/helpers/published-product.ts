/**
 * For server tests: an operator approves a product's declared scenario with default masks (and, for a
 * dataset with rows, row-level release to the consumer) and publishes the product the way the CLI
 * does (publishProduct); a consumer (a bank unless named) gets an API key.
 */
import type { RuntimeConfig } from '../../runtime/config.ts'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundleProduct } from '../../runtime/sandbox/bundle-product.ts'
import { createSandboxPool } from '../../runtime/sandbox/sandbox-pool.ts'
import { loadProduct } from '../../runtime/products/run-product.ts'
import { scenarioRequestOf } from '../../runtime/scenarios/dev-approval.ts'
import { withState, type State } from '../../runtime/state/state.ts'
import type { LoadedProduct } from '../../runtime/products/run-product.ts'
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
    await publishProduct(registry, sample.catalog, product, { dir, partner: options.partner, scenario, priceFen: options.priceFen })
    return { apiKey: (await registry.addConsumer(consumer.id, consumer.name)).apiKey }
  })
}

/**
 * Another version of a published product (its sources in `dir` with `version: '1.0.0'` made
 * `version`), bundled and loaded into a folder under the sample's, ready to be published through
 * `state` as the command line does — by `publish()`, at the moment the test chooses.
 */
export async function nextVersion(
  sample: SampleStore,
  state: State,
  dir: string,
  productId: string,
  version: string,
): Promise<{ readonly product: LoadedProduct; publish(): Promise<unknown> }> {
  const current = (await state.registry.published(productId))!
  const target = join(sample.dir, `${productId}-${version}`)
  mkdirSync(target, { recursive: true })
  writeFileSync(join(target, 'product.ts'), readFileSync(join(dir, 'product.ts'), 'utf8').replace("version: '1.0.0'", `version: '${version}'`))
  const pool = createSandboxPool({ workers: 1 })
  const product = await loadProduct(pool, await bundleProduct(target)).finally(() => pool.close())
  if (product.manifest.version !== version) throw new Error(`${dir}/product.ts does not declare version 1.0.0`)
  return {
    product,
    publish: async () => publishProduct(state.registry, sample.catalog, product, { dir: target, partner: current.partner, scenario: await state.scenarios.get(current.scenario), priceFen: current.priceFen }),
  }
}
