/**
 * The thread side of request-thread.ts: answers each request posted to this worker thread with
 * `{ ok: true, value }`, or with the runtime error it failed with (code, fixed message, details);
 * any other failure as ERR_INTERNAL with `failedMessage`.
 */
import { parentPort } from 'node:worker_threads'
import { isRuntimeError } from '../errors.ts'

export function answerRequests<Q, T>(handle: (request: Q) => Promise<T>, failedMessage: string): void {
  parentPort!.on('message', (request: Q) => {
    handle(request)
      .then((value) => parentPort!.postMessage({ ok: true, value }))
      .catch((error: unknown) =>
        parentPort!.postMessage(
          isRuntimeError(error)
            ? { ok: false, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: { ...error.details } }) }
            : { ok: false, code: 'ERR_INTERNAL', message: failedMessage },
        ),
      )
  })
}
