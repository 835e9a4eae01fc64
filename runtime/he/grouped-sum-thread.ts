/**
 * Grouped sums over ciphertexts on a thread of their own, so that a report's homomorphic
 * evaluation (seconds at a million values) never stalls the serving process's event loop. The
 * thread loads the public and Galois keys once and takes one request at a time; it holds no
 * secret key (there is none in this process to give it).
 */
import { RuntimeError } from '../errors.ts'
import { requestThread } from '../sandbox/request-thread.ts'
import type { GroupedSum, GroupedSumRequest } from './grouped-sum.ts'

export type GroupedSumRunner = {
  sum(request: GroupedSumRequest): Promise<GroupedSum>
  close(): Promise<void>
}

const ENTRY = new URL('./grouped-sum-worker.ts', import.meta.url)

export function groupedSumThread(publicKeysPath: string): GroupedSumRunner {
  const thread = requestThread<GroupedSumRequest, GroupedSum>(ENTRY, {
    workerData: { publicKeysPath },
    failure: (why, cause) =>
      why === 'error'
        ? new RuntimeError('ERR_INTERNAL', 'The homomorphic evaluation thread failed', { cause })
        : new RuntimeError('ERR_INTERNAL', 'The homomorphic evaluation thread ended'),
  })
  return {
    // the column's chunks as a plain list (a structured clone of what the thread needs, nothing more)
    sum: (request) => thread.request({ column: { ...request.column, chunks: [...request.column.chunks] }, labels: request.labels, groups: request.groups, released: [...request.released] }),
    close: () => thread.close(),
  }
}
