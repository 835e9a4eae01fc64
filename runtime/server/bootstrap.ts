/**
 * The embedded default, for `indomain start`: on first start, the example products in
 * `products/` get their scenarios requested and approved (by the bootstrap operator, with the
 * catalog's default masks — or a product's proposed mask where it is stricter — recorded in the
 * audit trail as such) and are published, and a demo
 * consumer is created whose API key is written to `data/demo-consumer.key` (mode 0600). A real
 * deployment does none of this: operators decide scenarios and publish products themselves.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { RuntimeConfig } from '../config.ts'
import { openAuditTrail } from '../audit/index.ts'
import { openKeys } from '../release/open-keys.ts'
import { bundleProduct } from '../sandbox/bundle-product.ts'
import { createSandboxPool } from '../sandbox/sandbox-pool.ts'
import { loadProduct } from '../products/run-product.ts'
import { proposedMasks, scenarioRequestOf } from '../scenarios/dev-approval.ts'
import { openState } from '../state/state.ts'
import { publishProduct } from './publish-product.ts'
import { makeUscc } from '../../catalog/identifiers/uscc.ts'

export const DEMO_CONSUMER = 'demo-bank'
const BOOTSTRAP_OPERATOR = 'bootstrap-operator'
/** The example products' provider, registered under a name that says it is the demo's. */
const EXAMPLE_PARTNER = { id: 'example-partner', name: '示例合作方（演示数据）', uscc: makeUscc('9', '1', '340100', 'MA2DEM01'), contact: 'demo@indomain.invalid', confidentialityAcknowledged: true }

export async function bootstrapExamples(config: RuntimeConfig, catalog: Catalog, productsDir: string): Promise<{ published: string[]; apiKey: string }> {
  const state = await openState(config.stateDatabase)
  const { registry, scenarios } = state
  const pool = createSandboxPool({ workers: 1 })
  const audit = openAuditTrail(state.database, { key: openKeys(config, 'production').active() })
  const published: string[] = []
  try {
    if ((await state.principals.get('partner', EXAMPLE_PARTNER.id)) === undefined) {
      const { id, ...registration } = EXAMPLE_PARTNER
      await state.principals.registerPartner(id, registration)
    }
    for (const entry of readdirSync(productsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !existsSync(join(productsDir, entry.name, 'product.ts'))) continue
      const dir = join(productsDir, entry.name)
      const bundle = await bundleProduct(dir)
      const product = await loadProduct(pool, bundle)
      const m = product.manifest
      const current = await registry.published(m.id)
      if (current !== undefined && current.codeHash === bundle.codeHash) {
        published.push(m.id)
        continue
      }
      const filed = await scenarios.request(scenarioRequestOf(m, EXAMPLE_PARTNER.id), catalog)
      const approved = await scenarios.decide(filed.id, { operator: BOOTSTRAP_OPERATOR, approve: proposedMasks(m, catalog), approveRest: true, expiresOn: `${new Date().getUTCFullYear() + 1}-12-31` }, catalog)
      await audit.append({ actor: BOOTSTRAP_OPERATOR, action: 'scenario.approved', subject: approved.id, detail: { product: m.id, bootstrap: true } })
      await publishProduct(registry, catalog, product, { dir, partner: EXAMPLE_PARTNER.id, scenario: approved, priceFen: 50 })
      await audit.append({ actor: BOOTSTRAP_OPERATOR, action: 'product.published', subject: `${m.id}@${m.version}`, detail: { codeHash: bundle.codeHash, bootstrap: true } })
      published.push(m.id)
    }
    const keyFile = join(config.dataDir, 'demo-consumer.key')
    let apiKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : ''
    if (apiKey === '' || (await registry.authenticate(apiKey)) === undefined) {
      apiKey = (await registry.addConsumer(`${DEMO_CONSUMER}-${Date.now().toString(36)}`, '演示银行')).apiKey
      writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 })
      await audit.append({ actor: BOOTSTRAP_OPERATOR, action: 'consumer.added', subject: DEMO_CONSUMER, detail: { bootstrap: true } })
    }
    return { published, apiKey }
  } finally {
    await audit.close()
    await pool.close()
    await state.close()
  }
}
