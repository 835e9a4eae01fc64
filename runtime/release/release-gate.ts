/**
 * The release gate: what every output passes before it leaves. Checks (with what a batch run
 * found on the way), then either signs at once (one-entity results), or queues for two-person
 * review (datasets and reports, or any output a policy flags). A refusal carries every reason and
 * is never signed. The decision is recorded by the pipeline's release commit, where the stateful
 * guards (the volume guard, the quota) have their say.
 */
import { RuntimeError } from '../errors.ts'
import type { ValueSchema } from '../products/manifest.ts'
import { checkRelease, type ReleaseReason } from './check-release.ts'
import type { GuardedValues } from './api-output-rules.ts'
import { checkItems, type ReportItem } from './release-report.ts'
import type { ReleaseCells } from './cell-audit.ts'
import type { KeyStore } from './key-store.ts'
import type { ReleasePolicy } from './release-policy.ts'
import { newReleaseId, type EntityLookup, type NewRelease, type ReleaseRecord, type ReleaseStore } from './release-store.ts'
import { canonicalJson, hashJson, hashText, RELEASE_ISSUER, signRelease, type ReleaseClaims } from './signing.ts'

export type ReleaseRequest = {
  readonly product: { readonly id: string; readonly version: string; readonly codeHash: string; readonly kind: 'api' | 'dataset' | 'report'; readonly output: ValueSchema }
  readonly partner: string
  readonly scenario: string
  readonly consumer: string
  readonly input: unknown
  readonly output: unknown
  readonly policy: ReleasePolicy
  /** One-entity products: the key the call was about. */
  readonly entityKey?: string
  /** One-entity products: the entity's values that may not appear in the answer (api-output-rules.ts). */
  readonly guarded?: GuardedValues
  /** Datasets and reports: what the run found and did on the way (report-items for the reviewers, reasons to refuse, approved identifiers, the cells to remember). */
  readonly batch?: {
    readonly report: readonly ReportItem[]
    readonly reasons: readonly ReleaseReason[]
    readonly allowedIdentifiers: readonly string[]
    readonly cells?: ReleaseCells
  }
  /** The price of this call in 分 at the moment it is made (metering); 0 when absent. */
  readonly priceFen?: number
  /** The release's id, when the run already named it (e.g. in a decryption approval); a new one otherwise. */
  readonly releaseId?: string
}

export type ReleaseOutcome =
  | { readonly status: 'released'; readonly releaseId: string; readonly token: string; readonly claims: ReleaseClaims }
  | { readonly status: 'pending'; readonly releaseId: string; readonly record: ReleaseRecord }

/**
 * What the gate decided, not yet recorded: the pipeline records it with its audit entry and the
 * guards that are checked at commit (pipeline/release-commit.ts).
 */
export type ReleaseDecision = (
  | { readonly status: 'released'; readonly token: string; readonly claims: ReleaseClaims }
  | { readonly status: 'pending' }
  | { readonly status: 'refused'; readonly reasons: readonly ReleaseReason[] }
) & {
  readonly releaseId: string
  /** The ledger row to record. */
  readonly release: NewRelease
  /** One-entity calls: the volume guard's lookup, admitted or refused at commit. */
  readonly lookup?: EntityLookup
  /** The row recorded instead when a guard at commit refuses: this refusal (unsigned, free), the guard's reasons appended to its own. */
  readonly refusal: NewRelease
}

export type ReleaseContext = { readonly store: Pick<ReleaseStore, 'recordCells'>; readonly keys: KeyStore; readonly now?: () => number }

/** Thrown for a refusal: the reasons as codes (with thresholds and paths, never values). */
export class ReleaseRefusedError extends RuntimeError {
  readonly reasons: readonly ReleaseReason[]
  constructor(releaseId: string, reasons: readonly ReleaseReason[]) {
    super('ERR_RELEASE_REFUSED', 'The output failed the release checks', { details: { release: releaseId, reasons } })
    this.name = 'ReleaseRefusedError'
    this.reasons = reasons
  }
}

function requestOf(r: ReleaseRequest): unknown {
  return { product: r.product.id, version: r.product.version, scenario: r.scenario, consumer: r.consumer, input: r.input }
}

/**
 * Checks an output and decides its release: refused (with every reason), queued for review, or
 * signed at once. Records nothing but a batch's cells (which count as received from now on); the
 * decision is recorded by the pipeline's release commit.
 */
export async function decideRelease(ctx: ReleaseContext, r: ReleaseRequest): Promise<ReleaseDecision> {
  const text = canonicalJson(r.output)
  const releaseId = r.releaseId ?? newReleaseId()
  const verdict = checkRelease({
    text,
    output: r.output,
    schema: r.product.output,
    policy: r.policy,
    ...(r.entityKey === undefined ? {} : { entityKey: r.entityKey }),
    ...(r.product.kind === 'api' ? { answer: { guarded: r.guarded ?? { texts: new Set<string>(), numbers: new Set<number>() } } } : {}),
    ...(r.batch === undefined || r.batch.allowedIdentifiers.length === 0 ? {} : { allowedIdentifiers: new Set(r.batch.allowedIdentifiers) }),
    guardReasons: r.batch?.reasons ?? [],
  })
  const base = {
    releaseId,
    consumer: r.consumer,
    product: r.product.id,
    version: r.product.version,
    codeHash: r.product.codeHash,
    ttlSeconds: r.policy.ttlSeconds,
    partner: r.partner,
    scenario: r.scenario,
    kind: r.product.kind,
    requestHash: hashJson(requestOf(r)),
    resultHash: hashText(text),
    reviewersNeeded: r.policy.reviewers,
    priceFen: r.priceFen ?? 0,
  }
  const lookup = r.entityKey === undefined ? undefined : { consumer: r.consumer, product: r.product.id, entityKey: r.entityKey, limit: r.policy.volume.maxEntities, periodDays: r.policy.volume.periodDays }
  // a refused call is not charged; a guard's refusal at commit joins the checks' own
  const prior = verdict.ok ? [] : verdict.reasons
  const passed = verdict.passed
  const refusal: NewRelease = { ...base, priceFen: 0, status: 'refused', reasons: prior, report: { passed: passed.filter((check) => check !== 'GUARDS') } }
  const decided = { releaseId, refusal, ...(lookup === undefined ? {} : { lookup }) }
  if (!verdict.ok) return { ...decided, status: 'refused', reasons: verdict.reasons, release: { ...base, priceFen: 0, status: 'refused', reasons: verdict.reasons, report: { passed } } }
  // the reviewers' report: the checks of the exact bytes, then what the run did on the way
  const report = { passed, bytes: text.length, items: [...checkItems(passed), ...(r.batch?.report ?? [])] }
  // the cells the consumer will hold, remembered now (a queued release counts as received: two
  // pending releases must not together give away what each alone does not)
  if (r.batch?.cells !== undefined) await ctx.store.recordCells(r.consumer, releaseId, r.batch.cells)
  if (r.policy.review === 'queue') return { ...decided, status: 'pending', release: { ...base, status: 'pending', reasons: [], report, result: r.output } }
  const claims = buildClaims(ctx, base, r.output, passed, [])
  const token = signRelease(claims, ctx.keys.active())
  return { ...decided, status: 'released', token, claims, release: { ...base, status: 'released', reasons: [], report, token } }
}

function buildClaims(
  ctx: ReleaseContext,
  base: { releaseId: string; consumer: string; product: string; version: string; codeHash: string; ttlSeconds: number; scenario: string; requestHash: string; resultHash: string },
  result: unknown,
  passed: readonly string[],
  suppressed: { rule: string; count: number }[],
): ReleaseClaims {
  const now = Math.floor((ctx.now?.() ?? Date.now()) / 1000)
  return {
    jti: base.releaseId,
    iss: RELEASE_ISSUER,
    aud: base.consumer,
    iat: now,
    exp: now + base.ttlSeconds,
    env: ctx.keys.use,
    product: { id: base.product, version: base.version, codeHash: base.codeHash },
    scenario: base.scenario,
    consumer: base.consumer,
    requestHash: base.requestHash,
    resultHash: base.resultHash,
    checks: { passed, ...(suppressed.length === 0 ? {} : { suppressed }) },
    result,
  }
}

/**
 * A reviewer approves or rejects a queued release. The release is signed when the last needed
 * approval arrives; a rejection is final and nothing is signed.
 */
export async function reviewRelease(
  ctx: { readonly store: ReleaseStore; readonly keys: KeyStore; readonly now?: () => number },
  releaseId: string,
  operator: string,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<{ record: ReleaseRecord; token?: string }> {
  const record = await ctx.store.decide(releaseId, operator, decision, reason)
  const approvals = record.decisions.filter((d) => d.decision === 'approve').length
  if (record.status !== 'pending' || approvals < record.reviewersNeeded) return { record }
  const result = await ctx.store.resultOf(releaseId)
  const passed = (record.report.passed as string[] | undefined) ?? []
  const suppressed = (record.report.suppressed as { rule: string; count: number }[] | undefined) ?? []
  const claims = buildClaims(ctx, record, result, [...passed, 'REVIEW'], suppressed)
  const token = signRelease(claims, ctx.keys.active())
  await ctx.store.complete(releaseId, token)
  return { record: await ctx.store.get(releaseId), token }
}
