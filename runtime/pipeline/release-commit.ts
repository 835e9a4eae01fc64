/**
 * Where a call's release becomes final: its ledger row and its audit entry, written in one
 * transaction with the guards that decide it, group-committed (state/group-commit.ts) so that the
 * calls arriving together share one transaction, one durable write and one signed audit head.
 *
 * In that transaction, for a release that would be signed, the runtime reads again what decides
 * it (what the call itself read from caches): the consumer is still active, the product version
 * is still the newest published (or a retired one the consumer named, still callable), the
 * scenario is still usable at the revision whose data the call saw. Then the volume guard admits or refuses the entity's lookup, and the consumer's monthly
 * quota gives the call a unit. A release is returned only once this has committed; a refusal by a
 * guard is recorded and audited as a refusal, never signed.
 */
import type { AuditEntry, AuditEvent, AuditTrail } from '../audit/index.ts'
import { isRuntimeError, RuntimeError } from '../errors.ts'
import type { ReleaseReason } from '../release/check-release.ts'
import type { EntityLookup, NewRelease, QuotaClaim, ReleaseRecord, ReleaseStore } from '../release/release-store.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import type { ScenarioStore } from '../scenarios/scenario-store.ts'
import type { Registry } from '../server/registry.ts'
import { assertUsable } from '../scenarios/scenario-rules.ts'
import { createGroupCommit } from '../state/group-commit.ts'
import type { StateDatabase } from '../state/state-database.ts'

/** What the call relied on, checked again at commit. */
export type ReleaseStanding = {
  readonly consumer: string
  /** `named`: the consumer named this version (a retired one is released only then, while it is kept callable). */
  readonly product: { readonly id: string; readonly version: string; readonly named?: boolean }
  readonly scenario: { readonly id: string; readonly revision: number }
}

export type ReleaseEntry = {
  /** The release as the gate decided it: signed (with its token), queued, or refused. */
  readonly release: NewRelease
  /** Its audit entry: `release.signed`, `release.queued` or `release.refused`. */
  readonly event: AuditEvent
  readonly standing?: ReleaseStanding
  /** The volume guard's lookup (one-entity calls, refused ones too: a refusal still answers about the entity). */
  readonly lookup?: EntityLookup
  /** A unit of the consumer's monthly quota, taken only if the release is signed. */
  readonly quota?: QuotaClaim
  /**
   * What is recorded instead when the volume guard refuses: this refusal and its audit event, the
   * guard's reasons appended to the refusal's own (and to the event's reason codes). Plain data,
   * like the whole entry: a group may be committed on another thread.
   */
  readonly refused?: { readonly release: NewRelease; readonly event: AuditEvent }
}

export type CommittedRelease =
  | { readonly status: 'recorded'; readonly record: ReleaseRecord; readonly entry?: AuditEntry }
  /** A guard refused at commit: recorded and audited as a refusal with these reasons. */
  | { readonly status: 'refused'; readonly record: ReleaseRecord; readonly entry?: AuditEntry; readonly reasons: readonly ReleaseReason[] }
  /** Nothing recorded: the error for the caller (a ChangedMeanwhileError when a fresh read may succeed). */
  | { readonly status: 'failed'; readonly error: RuntimeError }

/** What a call read (a product version, a scenario revision) changed before it committed: run it again with fresh reads. */
export class ChangedMeanwhileError extends RuntimeError {
  constructor() {
    super('ERR_CONFLICT', 'The product or its scenario changed during the call; call again')
    this.name = 'ChangedMeanwhileError'
  }
}

type Failed = Extract<CommittedRelease, { status: 'failed' }>

export type ReleaseCommit = {
  commit(entry: ReleaseEntry): Promise<CommittedRelease>
  /** Resolves once everything submitted so far has committed. */
  settled(): Promise<void>
}

export type ReleaseCommitDeps = {
  readonly state: StateDatabase
  readonly releases: Pick<ReleaseStore, 'recordAll' | 'admitLookups' | 'claimQuota'>
  /** Where calls are audited (absent for dev runs, which are not). */
  readonly audit?: Pick<AuditTrail, 'appendAll'>
  /** Reads what decides whether calls may still be released (entries with a standing need it). */
  readonly standing?: { readonly registry: Pick<Registry, 'standing'>; readonly scenarios: Pick<ScenarioStore, 'get'> }
}

type Alive = { readonly i: number; release: NewRelease; event: AuditEvent; reasons?: readonly ReleaseReason[] }

export function createReleaseCommit(deps: ReleaseCommitDeps): ReleaseCommit {
  /** The standing of each entry: undefined when it holds, else the failure to answer with. */
  const standingOf = async (entries: readonly ReleaseEntry[]): Promise<(Failed | undefined)[]> => {
    const standing = entries.map((e) => e.standing)
    const wanted = standing.filter((s): s is ReleaseStanding => s !== undefined)
    if (wanted.length === 0) return entries.map(() => undefined)
    if (deps.standing === undefined) throw new TypeError('a release with a standing to check needs the registry and the scenarios')
    const ids = [...new Set(wanted.map((s) => s.scenario.id))]
    const { active, newest, retiredCallable, revisions } = await deps.standing.registry.standing([...new Set(wanted.map((s) => s.consumer))], [...new Set(wanted.map((s) => s.product.id))], ids)
    const scenarios = new Map<string, Scenario | RuntimeError>()
    for (const id of ids) {
      // the revision just read: the scenario store answers from what it holds at that revision
      scenarios.set(id, await deps.standing.scenarios.get(id, revisions.get(id)).catch((error: unknown) => (isRuntimeError(error) ? error : Promise.reject(error))))
    }
    const failed = (error: RuntimeError): Failed => ({ status: 'failed', error })
    return standing.map((s): Failed | undefined => {
      if (s === undefined) return undefined
      if (!active.has(s.consumer)) return failed(new RuntimeError('ERR_AUTH_REQUIRED', 'Valid credentials are required'))
      const version = newest.get(s.product.id)
      // a retired version a consumer named is released while it is callable
      const named = s.product.named === true && retiredCallable.has(`${s.product.id}@${s.product.version}`)
      if (version === undefined && !named) return failed(new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No such published product'))
      if (version !== s.product.version && !named) return failed(new ChangedMeanwhileError())
      const scenario = scenarios.get(s.scenario.id)!
      if (scenario instanceof RuntimeError) return failed(scenario)
      try {
        assertUsable(scenario)
      } catch (error) {
        if (isRuntimeError(error)) return failed(error)
        throw error
      }
      if (scenario.revision !== s.scenario.revision) return failed(new ChangedMeanwhileError())
      return undefined
    })
  }

  const commitGroup = (entries: readonly ReleaseEntry[]): Promise<CommittedRelease[]> =>
    deps.state.outside(() =>
      deps.state.transaction(async () => {
        const standing = await standingOf(entries)
        const outcomes: (CommittedRelease | undefined)[] = [...standing]
        const alive: Alive[] = []
        const suspended: AuditEvent[] = []
        entries.forEach((e, i) => {
          const failed = standing[i]
          if (failed === undefined) alive.push({ i, release: e.release, event: e.event })
          else if (failed.error.code === 'ERR_AUTH_REQUIRED') {
            // as at the front door: a suspended consumer's call is a failed login, audited
            suspended.push({ actor: 'anonymous', action: 'auth.failed', subject: `consumer:${e.standing!.consumer}`, detail: { reason: 'CONSUMER_SUSPENDED', at: 'commit' } })
          }
        })

        // the volume guard: every one-entity call still standing, in order
        const looking = alive.filter((a) => entries[a.i]!.lookup !== undefined)
        const volume = await deps.releases.admitLookups(looking.map((a) => entries[a.i]!.lookup!))
        looking.forEach((a, k) => {
          const reasons = volume[k]!
          if (reasons.length === 0) return
          const refused = entries[a.i]!.refused
          if (refused === undefined) throw new TypeError('a release with a lookup needs what to record when the guard refuses it')
          a.release = { ...refused.release, reasons: [...refused.release.reasons, ...reasons] }
          a.event = { ...refused.event, detail: { ...refused.event.detail, reasons: a.release.reasons.map((r) => r.code) } }
          a.reasons = reasons
        })

        // the quota: a unit for each call that is signed; none left, and the call ends without a release
        const charging = alive.filter((a) => a.release.status === 'released' && entries[a.i]!.quota !== undefined)
        const granted = await deps.releases.claimQuota(charging.map((a) => entries[a.i]!.quota!))
        const overQuota = new Set(charging.filter((_, k) => !granted[k]).map((a) => a.i))
        for (const i of overQuota) {
          outcomes[i] = { status: 'failed', error: new RuntimeError('ERR_QUOTA_EXCEEDED', 'The monthly call quota is used up', { details: { quota: entries[i]!.quota!.quota } }) }
        }
        const recorded = alive.filter((a) => !overQuota.has(a.i))

        const records = await deps.releases.recordAll(recorded.map((a) => a.release))
        const audited = deps.audit === undefined ? [] : await deps.audit.appendAll([...recorded.map((a) => a.event), ...suspended])
        recorded.forEach((a, k) => {
          const entry = audited[k]
          outcomes[a.i] =
            a.reasons === undefined
              ? { status: 'recorded', record: records[k]!, ...(entry === undefined ? {} : { entry }) }
              : { status: 'refused', record: records[k]!, reasons: a.reasons, ...(entry === undefined ? {} : { entry }) }
        })
        return outcomes.map((o) => o!)
      }),
    )

  const groups = createGroupCommit(commitGroup)
  return { commit: (entry) => groups.submit(entry), settled: () => groups.settled() }
}
