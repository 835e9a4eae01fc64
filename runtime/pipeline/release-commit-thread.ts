/**
 * The serving side of the release commit's thread (release-commit-worker.ts): a ReleaseCommit
 * whose group commits run on their own thread and connection, so that on the embedded state no
 * ledger or audit write, commit or fsync of a call runs on the event loop. (PostgreSQL's client is
 * asynchronous: there the release commit runs in the serving thread.)
 */
import { Worker } from 'node:worker_threads'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'
import type { SigningKey } from '../release/key-store.ts'
import { ChangedMeanwhileError, type CommittedRelease, type ReleaseCommit } from './release-commit.ts'
import type { CommitThreadAnswer, CommitThreadData, WireOutcome } from './release-commit-worker.ts'

export type ReleaseCommitThread = ReleaseCommit & { close(): Promise<void> }

function outcomeOf(wire: WireOutcome): CommittedRelease {
  if (wire.status !== 'failed') return wire
  if (wire.error.changed) return { status: 'failed', error: new ChangedMeanwhileError() }
  return { status: 'failed', error: new RuntimeError(wire.error.code as RuntimeErrorCode, wire.error.message, wire.error.details === undefined ? {} : { details: wire.error.details }) }
}

/** Starts the thread on the state file at `location`; resolves once it has opened the state, rejects if it cannot. */
export function startReleaseCommitThread(data: { readonly location: string; readonly key: SigningKey }): Promise<ReleaseCommitThread> {
  const worker = new Worker(new URL('./release-commit-worker.ts', import.meta.url), { workerData: { location: data.location, key: data.key } satisfies CommitThreadData })
  // each message sent and not yet answered (a commit's answer comes once its group committed)
  const waiting = new Map<number, PromiseWithResolvers<CommitThreadAnswer>>()
  let next = 1
  let stopped: Error | undefined
  const fail = (error: Error) => {
    stopped ??= error
    for (const w of waiting.values()) w.reject(new RuntimeError('ERR_STATE_UNAVAILABLE', 'The release commit\'s thread stopped', { cause: error }))
    waiting.clear()
  }
  worker.on('error', fail)
  worker.on('exit', () => fail(new Error('the release commit\'s thread has stopped')))
  const send = (message: object): Promise<CommitThreadAnswer> => {
    if (stopped !== undefined) return Promise.reject(new RuntimeError('ERR_STATE_UNAVAILABLE', 'The release commit\'s thread stopped', { cause: stopped }))
    const id = next++
    // the thread holds the process open only while it has work
    if (waiting.size === 0) worker.ref()
    const answer = Promise.withResolvers<CommitThreadAnswer>()
    waiting.set(id, answer)
    worker.postMessage({ id, ...message })
    return answer.promise
  }
  const answered = (answer: CommitThreadAnswer) => {
    const w = waiting.get(answer.id)
    if (w === undefined) return
    waiting.delete(answer.id)
    if (waiting.size === 0) worker.unref()
    if (answer.error !== undefined) w.reject(new RuntimeError((answer.error.code ?? 'ERR_STATE_UNAVAILABLE') as RuntimeErrorCode, answer.error.message))
    else w.resolve(answer)
  }
  return new Promise((resolve, reject) => {
    worker.once('message', (first: { ready: boolean; error?: { message: string; code?: string } }) => {
      if (!first.ready) {
        void worker.terminate()
        return reject(new RuntimeError((first.error?.code ?? 'ERR_STATE_UNAVAILABLE') as RuntimeErrorCode, first.error?.message ?? 'The state cannot be opened'))
      }
      worker.on('message', answered)
      worker.unref()
      resolve({
        async commit(entry) {
          return outcomeOf((await send({ entry })).outcome!)
        },
        async settled() {
          await Promise.allSettled([...waiting.values()].map((w) => w.promise))
        },
        async close() {
          if (stopped !== undefined) return
          const gone = new Promise((r) => worker.once('exit', r))
          await send({ close: true }).catch(() => undefined)
          worker.ref()
          await gone
        },
      })
    })
    worker.once('error', reject)
  })
}
