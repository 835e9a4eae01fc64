/**
 * Whether a product's bands and probabilities mean what they say. A band (a grade, a score band)
 * means its order: the observed bad rate rises from the best band to the worst. A probability means
 * its value: the Brier score (mean squared error against the 0/1 outcome) and the expected
 * calibration error (over ten equal-width bins, the gap between mean probability and observed rate,
 * weighted by the bin's share).
 */

export type BandRate = { readonly band: string; readonly entities: number; readonly bad: number; readonly rate: number }

export type BandCalibration = {
  /** Every band in order, best first, with the entities it holds and how many of them are bad. */
  readonly bands: readonly BandRate[]
  /** Bands of at least this many entities are judged; a smaller band's rate says little. */
  readonly minEntities: number
  /** Each judged band's bad rate is at least that of the judged band before it. */
  readonly monotone: boolean
}

/** The observed bad rate per band, `order` best first. */
export function calibrateBands(order: readonly string[], items: readonly { readonly band: string; readonly bad: boolean }[], minEntities = 30): BandCalibration {
  const counts = new Map(order.map((band) => [band, { entities: 0, bad: 0 }]))
  for (const item of items) {
    const c = counts.get(item.band)
    if (c === undefined) throw new TypeError(`band ${item.band} is not in the order given`)
    c.entities++
    if (item.bad) c.bad++
  }
  const bands = order.map((band) => {
    const c = counts.get(band)!
    return { band, entities: c.entities, bad: c.bad, rate: c.entities === 0 ? Number.NaN : c.bad / c.entities }
  })
  const judged = bands.filter((b) => b.entities >= minEntities)
  return { bands, minEntities, monotone: judged.every((b, i) => i === 0 || b.rate >= judged[i - 1]!.rate) }
}

/** Mean squared difference between each probability and its 0/1 outcome. */
export function brierScore(probabilities: readonly number[], outcomes: readonly boolean[]): number {
  return probabilities.reduce((sum, p, i) => sum + (p - (outcomes[i] ? 1 : 0)) ** 2, 0) / probabilities.length
}

/** Σ over equal-width bins of (share of items) × |mean probability − observed rate|. */
export function expectedCalibrationError(probabilities: readonly number[], outcomes: readonly boolean[], bins = 10): number {
  const sum = new Float64Array(bins)
  const hits = new Float64Array(bins)
  const count = new Float64Array(bins)
  probabilities.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.floor(p * bins))
    sum[b]! += p
    hits[b]! += outcomes[i] ? 1 : 0
    count[b]!++
  })
  let error = 0
  for (let b = 0; b < bins; b++) if (count[b]! > 0) error += (count[b]! / probabilities.length) * Math.abs(sum[b]! / count[b]! - hits[b]! / count[b]!)
  return error
}
