/** The evaluation thread of grouped-sum-thread.ts: public keys only, one request at a time. */
import { parentPort, workerData } from 'node:worker_threads'
import { isRuntimeError } from '../errors.ts'
import { encryptedGroupSums, type GroupedSumRequest } from './grouped-sum.ts'
import { loadPublicKeys } from './he-keys.ts'

const keys = loadPublicKeys((workerData as { publicKeysPath: string }).publicKeysPath)

parentPort!.on('message', (request: GroupedSumRequest) => {
  void keys
    .then((k) => parentPort!.postMessage({ ok: true, sum: encryptedGroupSums(k, request) }))
    .catch((error: unknown) =>
      parentPort!.postMessage(
        isRuntimeError(error)
          ? { ok: false, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: { ...error.details } }) }
          : { ok: false, code: 'ERR_INTERNAL', message: 'The homomorphic evaluation failed' },
      ),
    )
})
