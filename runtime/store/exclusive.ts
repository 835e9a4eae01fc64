/**
 * One DuckDB connection serves concurrent callers, and transactions must not interleave on it:
 * `exclusive(work)` runs `work` after everything queued before it, whether that succeeded or not.
 */
export function createExclusive(): <T>(work: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve()
  return function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = chain.then(work, work)
    chain = run.catch(() => undefined)
    return run
  }
}
