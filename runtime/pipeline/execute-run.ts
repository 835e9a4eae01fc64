/**
 * The order of a product run, written once: the scenario's data through the gate (one entity
 * through the warm index; datasets and reports unit by unit, disclosure control by the runtime),
 * the sandbox, the release gate (checks, evidence, sign or queue), then the audit entry — a
 * refusal audited as `release.refused`, a release as `release.signed` or `release.queued`, durably,
 * before anything is returned. The server's invoke and run, `indomain run` and `indomain dev`,
 * and a partner's dev run are all this function with different deps.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { AuditEvent } from '../audit/index.ts'
import type { EntityIndex } from '../entity/entity-index.ts'
import type { HeRuntime } from '../he/encrypted-tables.ts'
import { runBatch } from '../products/run-batch.ts'
import type { LoadedProduct } from '../products/run-product.ts'
import { runThroughGate } from '../products/run-through-gate.ts'
import type { KeyStore } from '../release/key-store.ts'
import { releaseOutput, ReleaseRefusedError, type ReleaseOutcome, type ReleaseRequest } from '../release/release-gate.ts'
import type { ReleasePolicy } from '../release/release-policy.ts'
import { newReleaseId, type ReleaseStore } from '../release/release-store.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import type { DataGate } from '../scenarios/data-gate.ts'

export type PipelineDeps = {
  readonly pool: SandboxPool
  readonly gate: DataGate
  readonly catalog: Catalog
  readonly releases: ReleaseStore
  readonly keys: KeyStore
  /** The store's as-of date (what the views were built from). */
  readonly asOf: string
  readonly he?: HeRuntime
  /** Appends to the audit trail, durably; returns the entry's seq where the trail numbers it. */
  readonly audit: (event: AuditEvent) => Promise<{ readonly seq: number } | void>
}

export type RunRequest = {
  readonly product: LoadedProduct
  readonly scenarioId: string
  readonly partner: string
  readonly consumer: string
  readonly input: unknown
  readonly policy: ReleasePolicy
  /** One-entity products: the scenario's warm entity index. */
  readonly index?: EntityIndex
  readonly priceFen?: number
  readonly releaseId?: string
  /** Extra detail for the release's audit entry (who the partner is, for a command-line run). */
  readonly auditDetail?: Record<string, unknown>
}

export type RunOutcome = {
  readonly outcome: ReleaseOutcome
  readonly output: unknown
  readonly logs: readonly string[]
  /** The seq of the release's audit entry (where the trail numbers entries). */
  readonly auditSeq?: number
  /** Under differential privacy: what the release spent and what remains. */
  readonly privacy?: { readonly epsilon: number; readonly remaining: number }
}

export async function executeRun(deps: PipelineDeps, r: RunRequest): Promise<RunOutcome> {
  const { product } = r
  const releaseId = r.releaseId ?? newReleaseId()
  const subject = `${product.manifest.id}@${product.manifest.version}`
  const base = { scenario: r.scenarioId, codeHash: product.codeHash, ...(r.auditDetail ?? {}) }

  // the data, the sandbox: one entity through the gate, or a batch with the runtime owning disclosure control
  let output: unknown
  let logs: readonly string[]
  let extra: Pick<ReleaseRequest, 'entityKey' | 'guarded' | 'batch'> = {}
  let privacy: RunOutcome['privacy']
  if (product.manifest.kind === 'api') {
    if (r.index === undefined) throw new TypeError('a one-entity run needs its scenario\'s entity index')
    const ran = await runThroughGate({ pool: deps.pool, gate: deps.gate, product, scenarioId: r.scenarioId, input: r.input, asOf: deps.asOf, index: r.index })
    output = ran.output
    logs = ran.logs
    const key = (r.input as Record<string, unknown>)[product.manifest.entityKey!]
    if (typeof key === 'string') extra = { entityKey: key, guarded: r.index.guardedValues(key) }
  } else {
    const ran = await runBatch({
      pool: deps.pool,
      gate: deps.gate,
      catalog: deps.catalog,
      ledger: deps.releases,
      product,
      scenarioId: r.scenarioId,
      consumer: r.consumer,
      input: r.input,
      asOf: deps.asOf,
      policy: r.policy,
      releaseId,
      ...(deps.he === undefined ? {} : { he: deps.he }),
    })
    output = ran.output
    logs = ran.logs
    privacy = ran.privacy
    extra = { batch: { report: ran.report, reasons: ran.reasons, allowedIdentifiers: ran.allowedIdentifiers, ...(ran.cells === undefined ? {} : { cells: ran.cells }) } }
  }

  // the release gate: checks and evidence; signed, queued for review, or refused — and audited either way
  let outcome: ReleaseOutcome
  try {
    outcome = await releaseOutput(
      { store: deps.releases, keys: deps.keys },
      {
        product: { id: product.manifest.id, version: product.manifest.version, codeHash: product.codeHash, kind: product.manifest.kind, output: product.manifest.output },
        partner: r.partner,
        scenario: r.scenarioId,
        consumer: r.consumer,
        input: r.input,
        output,
        policy: r.policy,
        releaseId,
        ...(r.priceFen === undefined ? {} : { priceFen: r.priceFen }),
        ...extra,
      },
    )
  } catch (error) {
    if (error instanceof ReleaseRefusedError) {
      await deps.audit({ actor: r.consumer, action: 'release.refused', subject, detail: { release: error.details?.release, ...base, reasons: error.reasons.map((x) => x.code) } })
    }
    throw error
  }
  const entry = await deps.audit({
    actor: r.consumer,
    action: outcome.status === 'released' ? 'release.signed' : 'release.queued',
    subject,
    detail: { release: outcome.releaseId, ...base, ...(r.priceFen === undefined ? {} : { priceFen: r.priceFen }) },
  })
  return { outcome, output, logs, ...(entry === undefined ? {} : { auditSeq: entry.seq }), ...(privacy === undefined ? {} : { privacy }) }
}
