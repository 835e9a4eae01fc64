/**
 * The server's type check of an uploaded product, on a thread of its own: TypeScript's checker is
 * synchronous and can take seconds, and a hostile partner can write types that make it take much
 * longer or grow without bound. Here it never stalls the serving event loop (banks' calls go on),
 * and a check that runs past its time or memory is ended and refused as the product's fault
 * (ERR_PRODUCT_INVALID), the thread started afresh for the next upload.
 */
import { Worker } from 'node:worker_threads'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'
import { createExclusive } from '../store/exclusive.ts'
import { refuseTypeProblems, type TypeProblem } from './check-product-types.ts'

export type TypeCheckThread = {
  /** Refuses a product with a type error: ERR_PRODUCT_INVALID naming each `file:line`, as checkProductTypes does. */
  check(productDir: string): Promise<void>
  close(): Promise<void>
}

export type TypeCheckLimits = {
  /** A check still running after this long is ended. */
  readonly timeoutMs: number
  /** The thread's heap; a check that needs more is ended. */
  readonly memoryMb: number
}

const ENTRY = new URL('./type-check-worker.ts', import.meta.url)
const DEFAULT_LIMITS: TypeCheckLimits = { timeoutMs: 60_000, memoryMb: 512 }

type Reply = { ok: true; problems: TypeProblem[] } | { ok: false; code: string; message: string; details?: Record<string, unknown> }

/** The refusal of a check that did not finish: the product's types, not the server, are at fault. */
const unfinished = (why: string) => new RuntimeError('ERR_PRODUCT_INVALID', 'The product\'s types could not be checked within the limits', { details: { problems: [{ path: 'product.ts', problem: why }] } })

export function typeCheckThread(limits: TypeCheckLimits = DEFAULT_LIMITS): TypeCheckThread {
  let worker: Worker | undefined
  const exclusive = createExclusive()
  const started = (): Worker => {
    if (worker === undefined) {
      const w = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb } })
      w.unref()
      w.once('exit', () => {
        if (worker === w) worker = undefined
      })
      worker = w
    }
    return worker
  }
  const checked = (dir: string) =>
    new Promise<TypeProblem[]>((resolve, reject) => {
      const w = started()
      const done = () => {
        clearTimeout(timer)
        w.off('message', onMessage)
        w.off('error', onError)
        w.off('exit', onExit)
      }
      const onMessage = (reply: Reply) => {
        done()
        if (reply.ok) resolve(reply.problems)
        else reject(new RuntimeError(reply.code as RuntimeErrorCode, reply.message, reply.details === undefined ? undefined : { details: reply.details }))
      }
      // out of memory ends the thread with an error; either way the check did not finish
      const onError = () => {
        done()
        reject(unfinished(`the type check ended with an error (it may use ${limits.memoryMb} MB)`))
      }
      const onExit = () => {
        done()
        reject(unfinished('the type check ended before it finished'))
      }
      const timer = setTimeout(() => {
        done()
        // the next check starts a thread of its own, not this one on its way out
        if (worker === w) worker = undefined
        void w.terminate()
        reject(unfinished(`the type check took longer than ${Math.round(limits.timeoutMs / 1000)} s`))
      }, limits.timeoutMs)
      w.once('message', onMessage)
      w.once('error', onError)
      w.once('exit', onExit)
      w.postMessage({ dir })
    })
  return {
    check: (dir) =>
      exclusive(async () => refuseTypeProblems(await checked(dir))),
    async close() {
      await worker?.terminate()
    },
  }
}
