/**
 * The release commit on a thread of its own, for the embedded state: `node:sqlite` is synchronous,
 * so the group commits of calls' releases — the guards' reads, the ledger rows, the audit entries,
 * the commit and its fsync — run here, on their own connection to the state file, and the serving
 * process's event loop only sends each call's entry and receives its outcome (one message each
 * way). Messages: { id, entry } and, last, { id, close: true }.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { SigningKey } from '../release/key-store.ts'
import { openAuditTrail } from '../audit/index.ts'
import { isRuntimeError } from '../errors.ts'
import { openState } from '../state/state.ts'
import { ChangedMeanwhileError, createReleaseCommit, type CommittedRelease, type ReleaseEntry } from './release-commit.ts'

export type CommitThreadData = { readonly location: string; readonly key: SigningKey }
export type CommitThreadRequest = { readonly id: number; readonly entry: ReleaseEntry } | { readonly id: number; readonly close: true }
/** An outcome as it crosses threads: a failure's error as its parts. */
export type WireOutcome =
  | Exclude<CommittedRelease, { status: 'failed' }>
  | { readonly status: 'failed'; readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown>; readonly changed: boolean } }
export type CommitThreadAnswer = { readonly id: number; readonly outcome?: WireOutcome; readonly error?: { readonly message: string; readonly code?: string } }

const port = parentPort!
const { location, key } = workerData as CommitThreadData

try {
  const state = await openState(location)
  const audit = openAuditTrail(state.database, { key })
  const commit = createReleaseCommit({ state: state.database, releases: state.releases, audit, standing: { registry: state.registry, scenarios: state.scenarios } })
  const wire = (outcome: CommittedRelease): WireOutcome =>
    outcome.status !== 'failed'
      ? outcome
      : { status: 'failed', error: { code: outcome.error.code, message: outcome.error.message, ...(outcome.error.details === undefined ? {} : { details: outcome.error.details }), changed: outcome.error instanceof ChangedMeanwhileError } }
  port.on('message', (request: CommitThreadRequest) => {
    if ('close' in request) {
      void (async () => {
        await commit.settled()
        await audit.close()
        await state.close()
        port.postMessage({ id: request.id } satisfies CommitThreadAnswer)
        port.close()
      })()
      return
    }
    commit.commit(request.entry).then(
      (outcome) => port.postMessage({ id: request.id, outcome: wire(outcome) } satisfies CommitThreadAnswer),
      (error: unknown) => port.postMessage({ id: request.id, error: { message: (error as Error).message, ...(isRuntimeError(error) ? { code: error.code } : {}) } } satisfies CommitThreadAnswer),
    )
  })
  port.postMessage({ ready: true })
} catch (error) {
  port.postMessage({ ready: false, error: { message: (error as Error).message, ...(isRuntimeError(error) ? { code: error.code } : {}) } })
}
