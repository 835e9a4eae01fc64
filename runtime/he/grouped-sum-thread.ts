/**
 * Grouped sums over ciphertexts on a thread of their own, so that a report's homomorphic
 * evaluation (seconds at a million values) never stalls the serving process's event loop. The
 * thread loads the public and Galois keys once and takes one request at a time; it holds no
 * secret key (there is none in this process to give it).
 */
import { Worker } from 'node:worker_threads'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'
import { createExclusive } from '../store/exclusive.ts'
import type { EncryptedColumn } from './encrypted-column.ts'
import type { GroupedSum, GroupedSumRequest } from './grouped-sum.ts'

export type GroupedSumRunner = {
  sum(request: GroupedSumRequest): Promise<GroupedSum>
  close(): Promise<void>
}

const ENTRY = new URL('./grouped-sum-worker.ts', import.meta.url)

export function groupedSumThread(publicKeysPath: string): GroupedSumRunner {
  let worker: Worker | undefined
  const exclusive = createExclusive()
  const started = (): Worker => {
    if (worker === undefined) {
      worker = new Worker(ENTRY, { workerData: { publicKeysPath } })
      worker.unref()
      worker.once('exit', () => (worker = undefined))
    }
    return worker
  }
  return {
    sum: (request) =>
      exclusive(
        () =>
          new Promise<GroupedSum>((resolve, reject) => {
            const w = started()
            const column: EncryptedColumn = request.column
            const done = () => {
              w.off('message', onMessage)
              w.off('error', onError)
              w.off('exit', onExit)
            }
            const onMessage = (reply: { ok: true; sum: GroupedSum } | { ok: false; code: string; message: string; details?: Record<string, unknown> }) => {
              done()
              if (reply.ok) resolve(reply.sum)
              else reject(new RuntimeError(reply.code as RuntimeErrorCode, reply.message, reply.details === undefined ? undefined : { details: reply.details }))
            }
            const onError = (error: Error) => {
              done()
              reject(new RuntimeError('ERR_INTERNAL', 'The homomorphic evaluation thread failed', { cause: error }))
            }
            // a thread that ends without an error (terminated, out of memory) must not leave the call hanging
            const onExit = () => {
              done()
              reject(new RuntimeError('ERR_INTERNAL', 'The homomorphic evaluation thread ended'))
            }
            w.once('message', onMessage)
            w.once('error', onError)
            w.once('exit', onExit)
            w.postMessage({ column: { ...column, chunks: [...column.chunks] }, labels: request.labels, groups: request.groups, released: [...request.released] })
          }),
      ),
    async close() {
      await worker?.terminate()
      worker = undefined
    },
  }
}
