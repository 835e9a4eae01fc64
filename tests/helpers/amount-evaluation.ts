/**
 * For products that estimate an amount (a loan quota): how far the estimate is from the right
 * amount, beside the rank correlation the product evaluation measures. Per seed, the median
 * relative error |estimate − right| / max(right, floor) with a bootstrap interval (the same
 * resamples as bootstrap.ts draws, weighted); over all seeds, per band the product gives, the right
 * amounts it holds (their median and quartiles) and the estimates', so that a reader sees whether a
 * band means its amounts: the median right amount rises from band to band.
 */
import { percentileInterval, resampleWeights, type Interval } from './bootstrap.ts'
import type { Metric } from './metrics.ts'

/** One entity's right amount, the product's estimate and its band. */
export type AmountItem = { readonly truth: number; readonly estimate: number; readonly band: string }

/** The median of |estimate − truth| / max(truth, floor), as a weighted metric (bootstrap weights, as metrics.ts). */
export function medianRelativeError(floor: number): Metric {
  return {
    name: 'MRE',
    better: 'lower',
    prepare(truth, predicted) {
      const errors = Float64Array.from({ length: truth.length }, (_, i) => Math.abs(predicted[i]! - truth[i]!) / Math.max(truth[i]!, floor))
      const order = Uint32Array.from(errors.keys()).sort((a, b) => errors[a]! - errors[b]!)
      return function weightedMedian(weights) {
        let total = 0
        for (let i = 0; i < errors.length; i++) total += weights === undefined ? 1 : weights[i]!
        let seen = 0
        for (const i of order) {
          seen += weights === undefined ? 1 : weights[i]!
          if (seen >= total / 2) return errors[i]!
        }
        return Number.NaN
      }
    },
  }
}

export type SeedAmounts = { readonly seed: string; readonly items: number; readonly error: number; readonly interval: Interval }

/** The median relative error on one seed's items, with its 95% bootstrap interval. */
export function measureAmounts(seed: string, items: readonly AmountItem[], floor: number, label: string): SeedAmounts {
  const metric = medianRelativeError(floor).prepare(
    items.map((x) => x.truth),
    items.map((x) => x.estimate),
  )
  const resampled = [...resampleWeights(items.length, `${label}/${seed}`)].map((w) => metric(w))
  return { seed, items: items.length, error: metric(), interval: percentileInterval(resampled) }
}

export type BandAmounts = {
  readonly band: string
  readonly entities: number
  /** Quartiles of the right amounts and the median estimate of the band's entities. */
  readonly truth: readonly [q1: number, median: number, q3: number]
  readonly estimate: number
}

export type AmountBands = { readonly bands: readonly BandAmounts[]; readonly minEntities: number; readonly monotone: boolean }

/** Per band (`order` lowest amounts first): the right amounts it holds; monotone where the median right amount rises over the bands of ≥ minEntities. */
export function amountsByBand(order: readonly string[], items: readonly AmountItem[], minEntities = 30): AmountBands {
  const bands = order.map((band) => {
    const held = items.filter((x) => x.band === band)
    const truth = held.map((x) => x.truth).sort((a, b) => a - b)
    const estimate = held.map((x) => x.estimate).sort((a, b) => a - b)
    return { band, entities: held.length, truth: [quantile(truth, 0.25), quantile(truth, 0.5), quantile(truth, 0.75)] as const, estimate: quantile(estimate, 0.5) }
  })
  const unknown = items.find((x) => !order.includes(x.band))
  if (unknown !== undefined) throw new TypeError(`band ${unknown.band} is not in the order given`)
  const judged = bands.filter((b) => b.entities >= minEntities)
  return { bands, minEntities, monotone: judged.every((b, i) => i === 0 || b.truth[1] >= judged[i - 1]!.truth[1]) }
}

/** The printed lines: the error per seed, and the bands. */
export function formatAmounts(title: string, seeds: readonly SeedAmounts[], bands: AmountBands, floor: number, unit: string): string {
  const f = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(3))
  const a = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(1))
  return [
    `${title} — median relative error |estimate − right| / max(right, ${floor} ${unit}), 95% bootstrap interval`,
    ...seeds.map((s) => `  ${s.seed.padEnd(14)} ${String(s.items).padStart(6)}  ${f(s.error)} [${f(s.interval[0])}, ${f(s.interval[1])}]`),
    `right amounts per band, all these seeds (${unit}; bands of ≥ ${bands.minEntities} judged): ${bands.monotone ? 'median rises from band to band' : 'median does NOT rise from band to band'}`,
    ...bands.bands.map((b) => `  ${b.band.padEnd(12)} ${String(b.entities).padStart(6)}  right ${a(b.truth[0])} / ${a(b.truth[1])} / ${a(b.truth[2])}  estimate ${a(b.estimate)}`),
  ].join('\n')
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!
}
