/**
 * The server's type check of an uploaded product, on a thread of its own: TypeScript's checker is
 * synchronous and can take seconds, and a hostile partner can write types that make it take much
 * longer or grow without bound. Here it never stalls the serving event loop (banks' calls go on),
 * and a check that runs past its time or memory is ended and refused as the product's fault
 * (ERR_PRODUCT_INVALID), the thread started afresh for the next upload.
 */
import { RuntimeError } from '../errors.ts'
import { refuseTypeProblems, type TypeProblem } from './check-product-types.ts'
import { requestThread, type ThreadFailure } from './request-thread.ts'

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

export function typeCheckThread(limits: TypeCheckLimits = DEFAULT_LIMITS): TypeCheckThread {
  // a check that did not finish: the product's types, not the server, are at fault
  const why: Record<ThreadFailure, string> = {
    // out of memory ends the thread with an error; either way the check did not finish
    error: `the type check ended with an error (it may use ${limits.memoryMb} MB)`,
    exit: 'the type check ended before it finished',
    timeout: `the type check took longer than ${Math.round(limits.timeoutMs / 1000)} s`,
  }
  const thread = requestThread<{ readonly dir: string }, TypeProblem[]>(ENTRY, {
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    timeoutMs: limits.timeoutMs,
    failure: (failed) => new RuntimeError('ERR_PRODUCT_INVALID', 'The product\'s types could not be checked within the limits', { details: { problems: [{ path: 'product.ts', problem: why[failed] }] } }),
  })
  return {
    check: async (dir) => refuseTypeProblems(await thread.request({ dir })),
    close: () => thread.close(),
  }
}
