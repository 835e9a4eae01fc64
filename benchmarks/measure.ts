/** Small timing and statistics helpers shared by the benchmarks. */

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** Nearest-rank percentile (p in 0–100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

/** Milliseconds `run` takes, and what it returned. */
export async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: Awaited<T> }> {
  const started = performance.now()
  const value = await run()
  return { ms: performance.now() - started, value }
}

/**
 * Runs `run` once unmeasured (warm-up), then `runs` times measured; returns each measured
 * run's ms and every value (the warm-up's first), for the caller to check.
 */
export async function repeat<T>(runs: number, run: () => Promise<T> | T): Promise<{ times: number[]; values: Awaited<T>[] }> {
  const values: Awaited<T>[] = [await run()]
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = await timed(run)
    times.push(t.ms)
    values.push(t.value)
  }
  return { times, values }
}

/**
 * A measurement shared by several benchmark ids (e.g. one batch run reports both a ratio and
 * milliseconds): computed on first use, then reused within the process.
 */
export function shared<T>(compute: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => (pending ??= compute())
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
