/**
 * A worker thread that answers one request at a time, off the serving event loop: started on first
 * use (it never keeps the process alive), each request posted and its one reply awaited. A thread
 * that fails or ends while it works fails that request (never leaves it hanging) and the next
 * request starts a fresh thread; with `timeoutMs`, a request still running then ends the thread.
 * The thread's side is thread-requests.ts.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'
import { createExclusive } from '../store/exclusive.ts'

export type RequestThread<Q, T> = {
  request(message: Q): Promise<T>
  close(): Promise<void>
}

/** Why a request got no answer: the thread failed, ended, or ran past its time. */
export type ThreadFailure = 'error' | 'exit' | 'timeout'

type Reply<T> = { ok: true; value: T } | { ok: false; code: string; message: string; details?: Record<string, unknown> }

export function requestThread<Q, T>(
  entry: URL,
  options: {
    readonly workerData?: unknown
    readonly resourceLimits?: ResourceLimits
    readonly timeoutMs?: number
    /** The error a request fails with when the thread gave no answer. */
    readonly failure: (why: ThreadFailure, cause?: Error) => RuntimeError
  },
): RequestThread<Q, T> {
  let worker: Worker | undefined
  const exclusive = createExclusive()
  const started = (): Worker => {
    if (worker === undefined) {
      const w = new Worker(entry, { workerData: options.workerData, ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }) })
      w.unref()
      w.once('exit', () => {
        if (worker === w) worker = undefined
      })
      worker = w
    }
    return worker
  }
  const answered = (message: Q) =>
    new Promise<T>((resolve, reject) => {
      const w = started()
      const done = () => {
        clearTimeout(timer)
        w.off('message', onMessage)
        w.off('error', onError)
        w.off('exit', onExit)
      }
      const onMessage = (reply: Reply<T>) => {
        done()
        if (reply.ok) resolve(reply.value)
        else reject(new RuntimeError(reply.code as RuntimeErrorCode, reply.message, reply.details === undefined ? undefined : { details: reply.details }))
      }
      const onError = (error: Error) => {
        done()
        reject(options.failure('error', error))
      }
      // a thread that ends without an error (terminated, out of memory) must not leave the request hanging
      const onExit = () => {
        done()
        reject(options.failure('exit'))
      }
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              done()
              // the next request starts a thread of its own, not this one on its way out
              if (worker === w) worker = undefined
              void w.terminate()
              reject(options.failure('timeout'))
            }, options.timeoutMs)
      w.once('message', onMessage)
      w.once('error', onError)
      w.once('exit', onExit)
      w.postMessage(message)
    })
  return {
    request: (message) => exclusive(() => answered(message)),
    async close() {
      await worker?.terminate()
      worker = undefined
    },
  }
}
