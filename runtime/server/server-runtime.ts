/**
 * Everything a serving process holds, opened once and closed in order: the registry, the
 * scenario store and its gate, the sandbox pool, the release ledger and keys, the audit trail.
 */
import type { FastifyInstance } from 'fastify'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import type { RuntimeConfig } from '../config.ts'
import { openAuditLog, type AuditLog } from '../audit/index.ts'
import { createSandboxPool } from '../sandbox/sandbox-pool.ts'
import { createDataGate } from '../scenarios/data-gate.ts'
import { openScenarioStore } from '../scenarios/scenario-store.ts'
import { openReleaseStore } from '../release/release-store.ts'
import { openKeys } from '../release/open-keys.ts'
import { openStore, readStoreProperties, storeAsOf } from '../store/index.ts'
import { buildServer } from './build-server.ts'
import { createProductService } from './product-service.ts'
import { openRegistry } from './registry.ts'
import { consentJwks } from '../consent/consent-issuer.ts'
import { consentKeys } from '../consent/consent.ts'

export type ServerRuntime = { readonly app: FastifyInstance; readonly audit: AuditLog; close(): Promise<void> }

export async function createServerRuntime(config: RuntimeConfig, options: { logger?: boolean | object } = {}): Promise<ServerRuntime> {
  const catalog = loadCatalog(config.catalogDir)
  const store = await openStore(config.storePath, { access: 'read-only' })
  const asOf = storeAsOf(await readStoreProperties(store).finally(() => store.close()))
  const registry = await openRegistry(config.registryPath)
  const scenarios = await openScenarioStore(config.statePath)
  const releases = await openReleaseStore(config.releasesPath)
  const keys = openKeys(config, 'production')
  const audit = openAuditLog({ path: config.auditPath, key: keys.active() })
  const pool = createSandboxPool({
    workers: 2,
    onWorkerEvent: (e) => void audit.append({ actor: 'system', action: `sandbox.worker_${e.kind}`, subject: `pid:${e.pid ?? '?'}`, detail: { reason: e.reason } }),
  })
  const gate = createDataGate({ catalog, storePath: config.storePath, viewsDir: config.viewsDir, scenarios, asOf })
  const products = createProductService({ catalog, registry, gate, pool, releases, keys, audit, asOf, consentKeys: consentKeys(consentJwks(config)) })
  const app = buildServer({ registry, releases, products, jwks: () => keys.jwks(), logger: options.logger ?? false, rateLimit: { max: config.rateLimitPerMinute, windowMs: 60_000 } })
  return {
    app,
    audit,
    async close() {
      // finish in-flight calls, then release everything in reverse order
      await app.close()
      await pool.close()
      await audit.close()
      await releases.close()
      scenarios.close()
      registry.close()
    },
  }
}
