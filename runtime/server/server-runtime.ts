/**
 * Everything a serving process holds, opened once and closed in order: the state, the scenario
 * gate, the sandbox pool, the keys, the audit trail, the services and the server.
 */
import type { FastifyInstance } from 'fastify'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import type { RuntimeConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { openAuditTrail, type AuditTrail } from '../audit/index.ts'
import { createSandboxPool, type SandboxPoolOptions } from '../sandbox/sandbox-pool.ts'
import { sandboxLanes } from '../sandbox/sandbox-lanes.ts'
import { createDataGate } from '../scenarios/data-gate.ts'
import { openKeys } from '../release/open-keys.ts'
import { openStore, readStoreProperties, storeAsOf } from '../store/index.ts'
import { openState, type State } from '../state/state.ts'
import { consentJwks } from '../consent/consent-issuer.ts'
import { consentKeys } from '../consent/consent.ts'
import { buildServer, closeServer } from './build-server.ts'
import { createCallers } from './callers.ts'
import { platformTokenVerifier } from './platform-tokens.ts'
import { createProductDevelopment } from './product-development.ts'
import { createProductService } from './product-service.ts'
import { openHeRuntime } from '../he/open-he-runtime.ts'
import { createReleaseCommit } from '../pipeline/index.ts'
import { startReleaseCommitThread } from '../pipeline/release-commit-thread.ts'

export type ServerRuntime = {
  readonly app: FastifyInstance
  readonly audit: AuditTrail
  readonly state: State
  /** Loads every published product and builds their indexes; GET /v1/ready answers 200 after it. */
  warm(): Promise<{ readonly failed: readonly string[] }>
  close(): Promise<void>
}

export async function createServerRuntime(config: RuntimeConfig, options: { logger?: boolean | object; catalog?: Catalog; requestSummaryMs?: number } = {}): Promise<ServerRuntime> {
  // the serving process never holds what opens the homomorphic secret key
  if (config.hePassphrase !== undefined) {
    throw new RuntimeError('ERR_CONFIG_INVALID', 'The serving runtime must not be given INDOMAIN_HE_PASSPHRASE: only the decryption service holds the homomorphic secret key')
  }
  const catalog = options.catalog ?? loadCatalog(config.catalogDir)
  const store = await openStore(config.storePath, { access: 'read-only' })
  const asOf = storeAsOf(await readStoreProperties(store).finally(() => store.close()))
  const state = await openState(config.stateDatabase)
  const keys = openKeys(config, 'production')
  const audit = openAuditTrail(state.database, { key: keys.active() })
  const onWorkerEvent: SandboxPoolOptions['onWorkerEvent'] = (e) => void audit.append({ actor: 'system', action: `sandbox.worker_${e.kind}`, subject: `pid:${e.pid ?? '?'}`, detail: { reason: e.reason } })
  // lanes: one-entity calls never wait behind a batch run or a partner's unreviewed upload
  const batchLane = createSandboxPool({ workers: 1, onWorkerEvent })
  const pool = sandboxLanes({ calls: createSandboxPool({ workers: config.sandboxWorkers, onWorkerEvent }), batch: batchLane })
  const gate = createDataGate({ catalog, storePath: config.storePath, viewsDir: config.viewsDir, scenarios: state.scenarios, asOf })
  const he = await openHeRuntime(config, catalog, keys)
  // on the embedded state the calls' group commits run on a thread of their own (node:sqlite is synchronous)
  const commitThread = state.database.kind === 'sqlite' ? await startReleaseCommitThread({ location: config.stateDatabase, key: keys.active() }) : undefined
  const commit = commitThread ?? createReleaseCommit({ state: state.database, releases: state.releases, audit, standing: { registry: state.registry, scenarios: state.scenarios } })
  const products = createProductService({ catalog, registry: state.registry, scenarios: state.scenarios, gate, pool, releases: state.releases, keys, audit, commit, asOf, consentKeys: consentKeys(consentJwks(config)), failureHold: { after: config.failureHoldAfter, windowHours: config.failureWindowHours }, ...(he === undefined ? {} : { he }) })
  const development = createProductDevelopment({ config, catalog, state, pool: batchLane, trail: audit })
  const callers = createCallers({ registry: state.registry, principals: state.principals, verify: platformTokenVerifier(() => keys.jwks()), audit })
  let ready = false
  const app = buildServer({
    readiness: () => ready,
    state,
    catalog,
    products,
    development,
    keys,
    audit,
    callers,
    logger: options.logger ?? false,
    ...(options.requestSummaryMs === undefined ? {} : { requestSummaryMs: options.requestSummaryMs }),
    rateLimit: { max: config.rateLimitPerMinute, windowMs: 60_000 },
  })
  return {
    app,
    audit,
    state,
    async warm() {
      await state.database.warmUp()
      const outcome = (await products.warm?.()) ?? { failed: [] }
      ready = true
      return outcome
    },
    async close() {
      // finish in-flight calls (within the drain deadline), then release everything in reverse order
      await closeServer(app, config.shutdownDrainMs)
      await pool.close()
      await development.close()
      await commit.settled()
      await commitThread?.close()
      await audit.close()
      await state.close()
    },
  }
}
