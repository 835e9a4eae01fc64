/** The thread of type-check-thread.ts: one product folder at a time, its type problems answered. */
import { parentPort } from 'node:worker_threads'
import { isRuntimeError } from '../errors.ts'
import { typeProblemsOf } from './check-product-types.ts'

parentPort!.on('message', (request: { readonly dir: string }) => {
  typeProblemsOf(request.dir)
    .then((problems) => parentPort!.postMessage({ ok: true, problems }))
    .catch((error: unknown) =>
      parentPort!.postMessage(
        isRuntimeError(error)
          ? { ok: false, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: { ...error.details } }) }
          : { ok: false, code: 'ERR_INTERNAL', message: 'The type check failed' },
      ),
    )
})
