/** The evaluation thread of grouped-sum-thread.ts: public keys only, one request at a time. */
import { workerData } from 'node:worker_threads'
import { answerRequests } from '../sandbox/thread-requests.ts'
import { encryptedGroupSums, type GroupedSumRequest } from './grouped-sum.ts'
import { loadPublicKeys } from './he-keys.ts'

const keys = loadPublicKeys((workerData as { publicKeysPath: string }).publicKeysPath)

answerRequests(async (request: GroupedSumRequest) => encryptedGroupSums(await keys, request), 'The homomorphic evaluation failed')
