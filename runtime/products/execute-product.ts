/**
 * One product run from the command line, the way the server runs it: bundled here, then the same
 * pipeline (runtime/pipeline: the scenario's views through the gate, the sandbox, the release
 * checks, signing or the review queue, the audit entry).
 * `indomain dev` runs it with a dev approval and dev keys; `indomain run` with an operator's
 * approval and the production keys.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { RuntimeConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { bundleProduct } from '../sandbox/bundle-product.ts'
import { createSandboxPool } from '../sandbox/sandbox-pool.ts'
import { SandboxError } from '../sandbox/sandbox-error.ts'
import { loadProductForRuns, type LoadedProduct } from './run-product.ts'
import { checkScenarioAgainstCatalog } from './scenario-data.ts'
import type { ScenarioStore } from '../scenarios/scenario-store.ts'
import { openState } from '../state/state.ts'
import { createDataGate } from '../scenarios/data-gate.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import { openAuditTrail } from '../audit/index.ts'
import { accountingFailures, createReleaseCommit, executeRun, type PipelineDeps } from '../pipeline/index.ts'
import { defaultPolicy } from '../release/release-policy.ts'
import { openKeys } from '../release/open-keys.ts'
import { openHeRuntime } from '../he/open-he-runtime.ts'
import type { KeyUse } from '../release/key-store.ts'
import { openStore, readStoreProperties, storeAsOf } from '../store/index.ts'

export type ExecuteOptions = {
  readonly config: RuntimeConfig
  readonly catalog: Catalog
  readonly productDir: string
  readonly storePath: string
  readonly stateDatabase: string
  readonly viewsDir: string
  readonly keys: KeyUse
  /** Finds the scenario the run uses (a dev approval, or the operator's approval of this product). */
  readonly scenario: (scenarios: ScenarioStore, product: LoadedProduct) => Promise<Scenario>
  readonly consumer: string
  readonly partner: string
  readonly input: unknown
  /** On a synthetic store: call the product for the n-th entity of its first table. */
  readonly pick?: number
  /** Queue batch outputs for review (production), or sign them at once (dev). */
  readonly review: boolean
  /** Audits the run in the installation's trail, durably, before the result is returned (production runs). */
  readonly audited?: boolean
  /** Shows the partner's diagnostics (dev only: the partner's own code on synthetic data). */
  readonly onDiagnostics?: (logs: readonly string[], message?: string, stack?: string) => void
}

export async function executeProduct(o: ExecuteOptions): Promise<Record<string, unknown>> {
  const bundle = await bundleProduct(o.productDir)
  const pool = createSandboxPool({ workers: 1 })
  const state = await openState(o.stateDatabase)
  const { scenarios, releases } = state
  const trail = o.audited === true ? openAuditTrail(state.database, { key: openKeys(o.config, 'production').active() }) : undefined
  try {
    const product = await loadProductForRuns(pool, bundle)
    const store = await openStore(o.storePath, { access: 'read-only' })
    const properties = await readStoreProperties(store).finally(() => store.close())
    const asOf = storeAsOf(properties)
    checkScenarioAgainstCatalog(product.manifest, o.catalog)
    const scenario = await o.scenario(scenarios, product)
    const gate = createDataGate({ catalog: o.catalog, storePath: o.storePath, viewsDir: o.viewsDir, scenarios, asOf })
    let input = o.input
    const index = product.manifest.kind === 'api' ? await gate.entityIndex(scenario.id) : undefined
    if (index !== undefined && o.pick !== undefined) {
      if (properties.get('origin') !== 'synthetic') throw new RuntimeError('ERR_PARAMS_INVALID', '--pick works only on a synthetic store')
      const picked = index.sampleKeys(o.pick)[o.pick - 1]
      if (picked === undefined) throw new RuntimeError('ERR_ENTITY_NOT_FOUND', 'The store has fewer entities than --pick asks for')
      input = { ...(input as Record<string, unknown>), [product.manifest.entityKey!]: picked }
    }
    const he = product.manifest.encrypted === undefined ? undefined : await openHeRuntime(o.config, o.catalog, openKeys(o.config, o.keys), o.storePath)
    const policy = defaultPolicy(product.manifest.kind)
    const pipeline: PipelineDeps = {
      pool,
      gate,
      catalog: o.catalog,
      releases,
      keys: openKeys(o.config, o.keys),
      asOf,
      commit: createReleaseCommit({ state: state.database, releases, ...(trail === undefined ? {} : { audit: trail }) }).commit,
      ...(he === undefined ? {} : { he }),
    }
    const ran = await accountingFailures({ audit: async (event) => trail?.append(event) }, { consumer: o.consumer, subject: `${product.manifest.id}@${product.manifest.version}` }, () =>
      executeRun(pipeline, {
        product,
        scenarioId: scenario.id,
        partner: o.partner,
        consumer: o.consumer,
        input,
        policy: o.review ? policy : { ...policy, review: 'none' },
        auditDetail: { partner: o.partner },
        ...(index === undefined ? {} : { index }),
      }),
    )
    o.onDiagnostics?.(ran.logs)
    const outcome = ran.outcome
    const release =
      outcome.status === 'released'
        ? { id: outcome.releaseId, status: 'released', env: o.keys, checks: outcome.claims.checks, token: outcome.token }
        : { id: outcome.releaseId, status: 'pending', review: 'waiting for two operators (indomain review)' }
    return { product: product.manifest.id, version: product.manifest.version, codeHash: product.codeHash, scenario: scenario.id, asOf, input, output: ran.output, release }
  } catch (error) {
    if (error instanceof SandboxError) o.onDiagnostics?.(error.diagnostics.logs, error.diagnostics.message, error.diagnostics.stack)
    throw error
  } finally {
    await trail?.close()
    await state.close()
    await pool.close()
  }
}
