/**
 * Serving one-entity products: published versions are bundled from their registered folder and
 * must still hash to the reviewed code hash; each scenario's entity index is held warm and rebuilt
 * when its views or its revision change; a call checks its input and consent, then runs through
 * the pipeline (runtime/pipeline: gate, sandbox, release checks, signing, then the release commit
 * with its audit entry, quota and volume guard). A call reads the consumer, the product and the
 * scenario from recent reads (state/recent-reads.ts); the release commit reads them again, and a
 * call whose product version or scenario revision changed meanwhile runs once more, afresh.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import { identifierProblem } from '../../catalog/identifiers/index.ts'
import { cityMonth } from '../city-calendar.ts'
import { isRuntimeError, paramsInvalid, RuntimeError } from '../errors.ts'
import type { AuditTrail } from '../audit/index.ts'
import type { EntityIndex } from '../entity/entity-index.ts'
import { bundleProduct } from '../sandbox/bundle-product.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import { checkInput, loadProductForRuns, type LoadedProduct } from '../products/run-product.ts'
import { checkConsent, type ConsentKeys } from '../consent/consent.ts'
import type { DataGate } from '../scenarios/data-gate.ts'
import type { KeyStore } from '../release/key-store.ts'
import { defaultPolicy } from '../release/release-policy.ts'
import type { ReleaseStore } from '../release/release-store.ts'
import type { Consumer, PublishedProduct, Registry } from './registry.ts'
import type { HeRuntime } from '../he/encrypted-tables.ts'
import { createQuotaMeter } from './quota-meter.ts'
import { accountingFailures, executeRun, type FailureAccounting, type PipelineDeps, type RunRequest } from '../pipeline/index.ts'
import { ChangedMeanwhileError, type ReleaseCommit } from '../pipeline/index.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import type { ScenarioStore } from '../scenarios/scenario-store.ts'
import { recentReads } from '../state/recent-reads.ts'
import { assertCanServe } from './version-review.ts'

export type ProductServiceDeps = {
  readonly catalog: Catalog
  readonly registry: Registry
  readonly gate: DataGate
  readonly pool: SandboxPool
  readonly releases: ReleaseStore
  readonly keys: KeyStore
  readonly audit: AuditTrail
  /** Records releases with their audit entries and guards, group-committed. */
  readonly commit: ReleaseCommit
  readonly scenarios: Pick<ScenarioStore, 'get'>
  readonly asOf: string
  /** Public keys of the trusted consent issuers. */
  readonly consentKeys: ConsentKeys
  /** Homomorphic aggregates (when the custodian gave this runtime public keys). */
  readonly he?: HeRuntime
  /** Failures of a version on production data after which it is held, within a window of hours. */
  readonly failureHold: { readonly after: number; readonly windowHours: number }
}

/** A signed one-entity answer, and the seq of its entry in the audit trail. */
export type InvokeResult = { readonly releaseId: string; readonly release: string; readonly result: unknown; readonly auditSeq: number }

export type ProductService = {
  /**
   * Bundles and loads every published product and builds the entity index of each one-entity
   * product's scenario, so that no first call waits for them. Resolves with what could not be
   * made ready (a product whose code changed, a revoked scenario): those answer their callers
   * with their own typed errors, as they would anyway.
   */
  warm?(): Promise<{ readonly failed: readonly string[] }>
  /** With `version`, that version: the published one, or a retired one still callable. */
  invoke(consumer: Consumer, productId: string, input: unknown, consent?: string, version?: string): Promise<InvokeResult>
  /** A dataset or report: run over the scenario's data, checked, and queued for two operators' review. */
  run(
    consumer: Consumer,
    productId: string,
    input: unknown,
  ): Promise<{ readonly releaseId: string; readonly status: 'pending' | 'released'; readonly auditSeq: number; readonly privacy?: { readonly epsilon: number; readonly remaining: number } }>
}

export function createProductService(deps: ProductServiceDeps): ProductService {
  const quotas = createQuotaMeter(deps.releases)
  const loaded = new Map<string, Promise<LoadedProduct>>()
  const indexes = new Map<string, { readonly revision: number; readonly index: Promise<EntityIndex> }>()
  const scenarioReads = recentReads<Scenario>()

  const productFor = (p: PublishedProduct): Promise<LoadedProduct> => {
    const key = `${p.id}@${p.version}`
    let pending = loaded.get(key)
    if (pending === undefined) {
      pending = (async () => {
        const bundle = await bundleProduct(p.dir)
        // what runs is what was reviewed: the bundle must still hash to the registered code hash
        if (bundle.codeHash !== p.codeHash) throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product\'s code changed since it was reviewed')
        return loadProductForRuns(deps.pool, bundle)
      })()
      pending.catch(() => loaded.delete(key))
      loaded.set(key, pending)
    }
    return pending
  }

  /** The scenario's warm index, rebuilt when its views changed or it was built for another revision. */
  const indexFor = async (scenario: Scenario): Promise<EntityIndex> => {
    const held = indexes.get(scenario.id)
    if (held !== undefined && held.revision === scenario.revision) {
      const index = await held.index.catch(() => undefined)
      if (index !== undefined && !index.isStale()) return index
    }
    if (indexes.get(scenario.id) === held) {
      // the gate builds the views of the scenario's current revision, which is this one or newer
      const index = deps.gate.entityIndex(scenario.id)
      const building = { revision: scenario.revision, index }
      index.catch(() => indexes.get(scenario.id) === building && indexes.delete(scenario.id))
      indexes.set(scenario.id, building)
    }
    return indexes.get(scenario.id)!.index
  }

  const pipeline: PipelineDeps = {
    pool: deps.pool,
    gate: deps.gate,
    catalog: deps.catalog,
    releases: deps.releases,
    keys: deps.keys,
    asOf: deps.asOf,
    commit: deps.commit.commit,
    ...(deps.he === undefined ? {} : { he: deps.he }),
  }

  /** The failures of a published version are audited, counted and, at the configured number within the window, hold it. */
  const accounting = (consumer: Consumer, published: PublishedProduct): FailureAccounting => ({
    audit: (event) => deps.audit.append(event),
    async count(code) {
      const failures = await deps.releases.recordFailure({ product: published.id, version: published.version, consumer: consumer.id, code }, deps.failureHold.windowHours)
      if (failures >= deps.failureHold.after && (await deps.registry.holdProduct(published.id))) {
        await deps.audit.append({ actor: 'system', action: 'product.held', subject: `${published.id}@${published.version}`, detail: { reason: 'FAILURES', failures, windowHours: deps.failureHold.windowHours } })
      }
    },
  })

  /**
   * One execution of a published product for a consumer, through the pipeline; its failures
   * accounted, those of making ready what it serves from (its entity index) included.
   */
  const execute = (consumer: Consumer, published: PublishedProduct, product: LoadedProduct, input: unknown, serving?: () => Promise<Pick<RunRequest, 'index' | 'scenario' | 'standing' | 'quota'>>) =>
    accountingFailures(accounting(consumer, published), { consumer: consumer.id, subject: `${published.id}@${published.version}` }, async () =>
      executeRun(pipeline, {
        product,
        scenarioId: published.scenario,
        partner: published.partner,
        consumer: consumer.id,
        input,
        policy: defaultPolicy(product.manifest.kind),
        priceFen: published.priceFen,
        ...(await serving?.()),
      }),
    )

  const publishedOf = async (productId: string): Promise<PublishedProduct> => {
    const published = await deps.registry.published(productId)
    if (published === undefined) throw new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No such published product')
    return published
  }

  /** The version a consumer named: the published one, or a retired one the operators keep callable. */
  const callableOf = async (productId: string, version: string): Promise<PublishedProduct> => {
    const named = await deps.registry.callable(productId, version)
    if (named === undefined) throw new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No such published product')
    return named
  }

  /** One attempt of a call; `call.consented` carries over to a second attempt (a consent's use is counted once per call). */
  const invokeOnce = async (consumer: Consumer, productId: string, input: unknown, consent: string | undefined, call: { consented: boolean; readonly version: string | undefined }): Promise<InvokeResult> => {
    const published = call.version === undefined ? await publishedOf(productId) : await callableOf(productId, call.version)
    const product = await productFor(published)
    if (product.manifest.kind !== 'api') throw paramsInvalid('Datasets and reports are run (POST /v1/products/{id}/runs), not invoked', 'path:/id')
    checkInput(product, input)
    const field = product.manifest.entityKey!
    const key = (input as Record<string, unknown>)[field]
    const kind = product.manifest.input.properties[field]?.['x-identifier']
    // a wrong check digit is the caller's typo, said before anything is looked up: the answer
    // depends on the value sent alone, so it tells nothing of the data
    const problem = (kind === 'uscc' || kind === 'resident_id') && typeof key === 'string' ? identifierProblem(kind, key) : undefined
    if (problem !== undefined) throw paramsInvalid(problem, `input:/${field}`)
    // a product about a person needs that person's consent for this product and consumer
    if (!call.consented && kind === 'resident_id') {
      await checkConsent(consent, {
        keys: deps.consentKeys,
        residentId: String(key),
        product: published.id,
        consumer: consumer.id,
        use: (jti) => deps.releases.useConsent(jti),
      }).catch(async (error: unknown) => {
        await deps.audit.append({ actor: consumer.id, action: 'consent.refused', subject: `${published.id}@${published.version}`, detail: { reason: (error as { reason?: string }).reason ?? 'UNKNOWN' } })
        throw error
      })
      // consent is for the product (any version) and the consumer: a second attempt does not use it again
      call.consented = true
    }
    const scenario = await scenarioReads.get(published.scenario, () => deps.scenarios.get(published.scenario))
    const ran = await execute(consumer, published, product, input, async () => {
      // a scenario decided again since publication (another key) is the partner's to fix, said on the call
      assertCanServe(product.manifest, scenario)
      return {
        index: await indexFor(scenario),
        scenario,
        // checked again where the release is recorded, with the quota's unit taken there
        standing: { consumer: consumer.id, product: { id: published.id, version: published.version, ...(call.version === undefined ? {} : { named: true }) }, scenario: { id: scenario.id, revision: scenario.revision } },
        ...(consumer.monthlyQuota === null ? {} : { quota: { consumer: consumer.id, month: cityMonth(), quota: consumer.monthlyQuota } }),
      }
    })
    if (ran.outcome.status !== 'released') throw new RuntimeError('ERR_INTERNAL', 'A one-entity release was queued')
    // the consumer learns where its release sits in the trail: a signed head at or after it proves it is there
    return { releaseId: ran.outcome.releaseId, release: ran.outcome.token, result: ran.output, auditSeq: ran.auditSeq! }
  }

  return {
    async warm() {
      const failed: string[] = []
      for (const published of await deps.registry.list()) {
        try {
          const product = await productFor(published)
          if (product.manifest.kind === 'api') await indexFor(await deps.scenarios.get(published.scenario))
        } catch {
          failed.push(`${published.id}@${published.version}`)
        }
      }
      return { failed }
    },
    async run(consumer, productId, input) {
      const published = await publishedOf(productId)
      const product = await productFor(published)
      if (product.manifest.kind === 'api') throw paramsInvalid('A one-entity product is invoked (POST /v1/products/{id}/invoke), not run', 'path:/id')
      checkInput(product, input)
      const giveBack = await quotas.reserve(consumer)
      try {
        const ran = await execute(consumer, published, product, input)
        // under differential privacy the consumer sees, with each release, what it spent and what remains
        return { releaseId: ran.outcome.releaseId, status: ran.outcome.status, auditSeq: ran.auditSeq!, ...(ran.privacy === undefined ? {} : { privacy: ran.privacy }) }
      } catch (error) {
        giveBack()
        if (isRuntimeError(error) && error.code === 'ERR_PRIVACY_BUDGET_EXHAUSTED') {
          await deps.audit.append({ actor: consumer.id, action: 'privacy.budget_exhausted', subject: `${published.id}@${published.version}`, detail: { scenario: published.scenario } })
        }
        throw error
      }
    },

    async invoke(consumer, productId, input, consent, version) {
      // what the call reads may have changed before it commits (a new version, a new scenario
      // revision): then it runs once more on fresh reads
      const call = { consented: false, version }
      try {
        return await invokeOnce(consumer, productId, input, consent, call)
      } catch (error) {
        if (!(error instanceof ChangedMeanwhileError)) throw error
        deps.registry.forget()
        scenarioReads.clear()
        return invokeOnce(consumer, productId, input, consent, call)
      }
    },
  }
}
