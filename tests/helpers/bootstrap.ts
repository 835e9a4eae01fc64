/**
 * Bootstrap confidence intervals over the items of one evaluation (the entities of a seed, or the
 * groups a metric is taken over): resamples of the same size drawn with replacement, given as
 * multinomial counts per item (the weights metrics.ts takes), and the 2.5th and 97.5th percentiles
 * of a statistic over them. Deterministic: the resamples are drawn from a generator seeded by a
 * label, so one evaluation prints the same interval on every run and machine, and a product and its
 * baseline are measured on the very same resamples (a paired interval for their difference).
 */

export const RESAMPLES = 1000

export type Interval = readonly [low: number, high: number]

/** `resamples` weight vectors over `n` items, the same for the same label. */
export function* resampleWeights(n: number, label: string, resamples = RESAMPLES): Generator<Uint32Array> {
  const random = seededRandom(label)
  for (let r = 0; r < resamples; r++) {
    const weights = new Uint32Array(n)
    for (let k = 0; k < n; k++) weights[Math.floor(random() * n)]!++
    yield weights
  }
}

/** The central `level` percentile interval of the values (NaN, a resample without positives say, left out). */
export function percentileInterval(values: readonly number[], level = 0.95): Interval {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return [Number.NaN, Number.NaN]
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)]
}

/** mulberry32 over an FNV-1a hash of the label. */
function seededRandom(label: string): () => number {
  let state = 0x811c9dc5
  for (let i = 0; i < label.length; i++) state = Math.imul(state ^ label.charCodeAt(i), 0x01000193) >>> 0
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
