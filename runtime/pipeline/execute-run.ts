/**
 * The order of a product run, written once: the scenario's data through the gate (one entity
 * through the warm index; datasets and reports unit by unit, disclosure control by the runtime),
 * the sandbox, the release gate (checks, evidence, sign or queue), then the release commit: the
 * ledger row and the audit entry in one transaction with the guards that decide them — a refusal
 * audited as `release.refused`, a release as `release.signed` or `release.queued`, durably, before
 * anything is returned. The server's invoke and run, `indomain run` and `indomain dev`,
 * and a partner's dev run are all this function with different deps.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { AuditEvent } from '../audit/index.ts'
import type { ReleaseReason } from '../release/check-release.ts'
import type { EntityIndex } from '../entity/entity-index.ts'
import type { HeRuntime } from '../he/encrypted-tables.ts'
import { runBatch } from '../products/run-batch.ts'
import type { LoadedProduct } from '../products/run-product.ts'
import { runThroughGate } from '../products/run-through-gate.ts'
import type { KeyStore } from '../release/key-store.ts'
import { decideRelease, ReleaseRefusedError, type ReleaseOutcome, type ReleaseRequest } from '../release/release-gate.ts'
import type { ReleasePolicy } from '../release/release-policy.ts'
import { newReleaseId, type QuotaClaim, type ReleaseStore } from '../release/release-store.ts'
import type { ReleaseCommit, ReleaseStanding } from './release-commit.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import type { DataGate } from '../scenarios/data-gate.ts'
import type { Scenario } from '../scenarios/scenario.ts'

export type PipelineDeps = {
  readonly pool: SandboxPool
  readonly gate: DataGate
  readonly catalog: Catalog
  readonly releases: ReleaseStore
  readonly keys: KeyStore
  /** The store's as-of date (what the views were built from). */
  readonly asOf: string
  readonly he?: HeRuntime
  /** Records a release with its audit entry and guards (pipeline/release-commit.ts). */
  readonly commit: ReleaseCommit['commit']
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
  /** One-entity products: the scenario as the caller read it (with `standing`, checked again at commit). */
  readonly scenario?: Scenario
  readonly priceFen?: number
  readonly releaseId?: string
  /** Extra detail for the release's audit entry (who the partner is, for a command-line run). */
  readonly auditDetail?: Record<string, unknown>
  /** What the call read from caches (consumer, product version, scenario revision), checked again at commit. */
  readonly standing?: ReleaseStanding
  /** A unit of the consumer's monthly quota, taken at commit if the release is signed. */
  readonly quota?: QuotaClaim
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
    // a scenario the caller read is trusted for the run only because its standing is checked again at commit
    if (r.scenario !== undefined && r.standing === undefined) throw new TypeError('a run with a scenario the caller read needs the standing to check at commit')
    const ran = await runThroughGate({ pool: deps.pool, gate: deps.gate, product, scenarioId: r.scenarioId, input: r.input, asOf: deps.asOf, index: r.index, ...(r.scenario === undefined ? {} : { scenario: r.scenario }) })
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

  // the release gate: checks and evidence; signed, queued for review, or refused — and committed
  // with its audit entry either way
  const released = await releaseThroughGate(
    deps,
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
    { subject, detail: base, ...(r.standing === undefined ? {} : { standing: r.standing }), ...(r.quota === undefined ? {} : { quota: r.quota }) },
  )
  return { outcome: released.outcome, output, logs, ...(released.auditSeq === undefined ? {} : { auditSeq: released.auditSeq }), ...(privacy === undefined ? {} : { privacy }) }
}

/**
 * The release step of a run: the gate decides, the release commit records the decision with its
 * audit entry (`release.signed`, `.queued` or `.refused`, the consumer as actor) and the guards.
 * Throws ReleaseRefusedError for a refusal (the gate's or a guard's), and a guard's failure.
 */
export async function releaseThroughGate(
  deps: Pick<PipelineDeps, 'releases' | 'keys' | 'commit'>,
  request: ReleaseRequest & { readonly releaseId: string },
  audited: { readonly subject: string; readonly detail: Record<string, unknown>; readonly standing?: ReleaseStanding; readonly quota?: QuotaClaim },
): Promise<{ readonly outcome: ReleaseOutcome; readonly auditSeq?: number }> {
  const { releaseId } = request
  const decision = await decideRelease({ store: deps.releases, keys: deps.keys }, request)
  const refusal = (reasons: readonly ReleaseReason[]): AuditEvent => ({ actor: request.consumer, action: 'release.refused', subject: audited.subject, detail: { release: releaseId, ...audited.detail, reasons: reasons.map((x) => x.code) } })
  const event: AuditEvent =
    decision.status === 'refused'
      ? refusal(decision.reasons)
      : {
          actor: request.consumer,
          action: decision.status === 'released' ? 'release.signed' : 'release.queued',
          subject: audited.subject,
          detail: { release: releaseId, ...audited.detail, ...(request.priceFen === undefined ? {} : { priceFen: request.priceFen }) },
        }
  const committed = await deps.commit({
    release: decision.release,
    event,
    ...(audited.standing === undefined ? {} : { standing: audited.standing }),
    ...(decision.lookup === undefined ? {} : { lookup: decision.lookup }),
    ...(audited.quota === undefined ? {} : { quota: audited.quota }),
    refused: { release: decision.refusal, event: refusal(decision.refusal.reasons) },
  })
  if (committed.status === 'failed') throw committed.error
  if (committed.status === 'refused') throw new ReleaseRefusedError(releaseId, committed.record.reasons)
  if (decision.status === 'refused') throw new ReleaseRefusedError(releaseId, decision.reasons)
  const outcome: ReleaseOutcome = decision.status === 'released' ? { status: 'released', releaseId, token: decision.token, claims: decision.claims } : { status: 'pending', releaseId, record: committed.record }
  return { outcome, ...(committed.entry === undefined ? {} : { auditSeq: committed.entry.seq }) }
}
