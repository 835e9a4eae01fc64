/**
 * The metrics products are evaluated by, each over items (entities, or groups of them) with a truth
 * and a prediction, and each weighted: an item of weight w counts as w copies of it. Weights all 1
 * give the metric of the sample itself; the multinomial counts of a bootstrap resample give the
 * metric of that resample without building it (bootstrap.ts). `prepare` does the work that does not
 * depend on the weights (sorting) once, so that a thousand resamples cost a thousand linear passes.
 */

export type Metric = {
  /** As printed: `F1`, `AUC`, `Spearman`, `MAE`. */
  readonly name: string
  readonly better: 'higher' | 'lower'
  /** The metric of `predicted` against `truth` (same length), as a function of per-item weights (all 1 when left out). */
  prepare(truth: ArrayLike<number>, predicted: ArrayLike<number>): (weights?: ArrayLike<number>) => number
}

/** F1 of flags (1 = flagged) against a truth of 1 = positive. */
export const F1: Metric = {
  name: 'F1',
  better: 'higher',
  prepare(truth, predicted) {
    return function f1(weights) {
      const { hits, flagged, positives } = flagCounts(truth, predicted, weights)
      return flagged + positives === 0 ? 1 : (2 * hits) / (flagged + positives)
    }
  },
}

/** Precision of flags: the share of flagged items that are positive (0 when nothing is flagged). */
export const PRECISION: Metric = {
  name: 'precision',
  better: 'higher',
  prepare(truth, predicted) {
    return function precision(weights) {
      const { hits, flagged } = flagCounts(truth, predicted, weights)
      return flagged === 0 ? 0 : hits / flagged
    }
  },
}

/** Recall of flags: the share of positive items that are flagged (1 when there is none). */
export const RECALL: Metric = {
  name: 'recall',
  better: 'higher',
  prepare(truth, predicted) {
    return function recall(weights) {
      const { hits, positives } = flagCounts(truth, predicted, weights)
      return positives === 0 ? 1 : hits / positives
    }
  },
}

/** Area under the ROC curve of scores (higher = more likely positive) against a truth of 1 = positive; ties count half. */
export const AUC: Metric = {
  name: 'AUC',
  better: 'higher',
  prepare(truth, predicted) {
    const order = ascending(predicted)
    return function areaUnderCurve(weights) {
      let below = 0
      let area = 0
      let positives = 0
      forEachTie(order, predicted, (from, to) => {
        let p = 0
        let n = 0
        for (let k = from; k < to; k++) {
          const i = order[k]!
          const w = weights === undefined ? 1 : weights[i]!
          if (truth[i] === 1) p += w
          else n += w
        }
        area += p * (below + n / 2)
        below += n
        positives += p
      })
      return positives === 0 || below === 0 ? Number.NaN : area / (positives * below)
    }
  },
}

/** Spearman's rank correlation (average ranks for ties) of a prediction with a numeric truth. */
export const SPEARMAN: Metric = {
  name: 'Spearman',
  better: 'higher',
  prepare(truth, predicted) {
    const byTruth = ascending(truth)
    const byPrediction = ascending(predicted)
    return function rankCorrelation(weights) {
      const rt = weightedRanks(byTruth, truth, weights)
      const rp = weightedRanks(byPrediction, predicted, weights)
      return weightedPearson(rt, rp, weights)
    }
  },
}

/** Mean absolute error of predicted values (e.g. occupancy rates) against true ones. */
export const MAE: Metric = {
  name: 'MAE',
  better: 'lower',
  prepare(truth, predicted) {
    return function meanAbsoluteError(weights) {
      let sum = 0
      let total = 0
      for (let i = 0; i < truth.length; i++) {
        const w = weights === undefined ? 1 : weights[i]!
        sum += w * Math.abs(predicted[i]! - truth[i]!)
        total += w
      }
      return total === 0 ? Number.NaN : sum / total
    }
  },
}

/** Precision and recall of flags (1 = flagged) against a truth of 1 = positive. */
export function precisionRecall(truth: ArrayLike<number>, predicted: ArrayLike<number>): { precision: number; recall: number; flagged: number; positives: number } {
  const { flagged, positives } = flagCounts(truth, predicted)
  return { precision: measure(PRECISION, truth, predicted), recall: measure(RECALL, truth, predicted), flagged, positives }
}

/** The metric of `predicted` against `truth` on the sample itself. */
export function measure(metric: Metric, truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return metric.prepare(truth, predicted)()
}

function flagCounts(truth: ArrayLike<number>, predicted: ArrayLike<number>, weights?: ArrayLike<number>): { hits: number; flagged: number; positives: number } {
  let hits = 0
  let flagged = 0
  let positives = 0
  for (let i = 0; i < truth.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!
    const positive = truth[i] === 1
    const flag = predicted[i] === 1
    if (positive) positives += w
    if (flag) flagged += w
    if (positive && flag) hits += w
  }
  return { hits, flagged, positives }
}

/** Item indices in ascending order of `values` (no NaN: the caller has placed missing values). */
function ascending(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  // ±Infinity − ±Infinity is NaN, which sort takes as equal: as it should
  return order.sort((a, b) => values[a]! - values[b]!)
}

/** Calls `each(from, to)` for every run of equal values in `order`. */
function forEachTie(order: Uint32Array, values: ArrayLike<number>, each: (from: number, to: number) => void): void {
  for (let from = 0; from < order.length; ) {
    let to = from + 1
    while (to < order.length && values[order[to]!] === values[order[from]!]) to++
    each(from, to)
    from = to
  }
}

/** Mid-ranks in the sample the weights describe: a run of equal values of total weight W after c items ranks (c + 1 + c + W) / 2. */
function weightedRanks(order: Uint32Array, values: ArrayLike<number>, weights?: ArrayLike<number>): Float64Array {
  const ranks = new Float64Array(order.length)
  let before = 0
  forEachTie(order, values, (from, to) => {
    let w = 0
    for (let k = from; k < to; k++) w += weights === undefined ? 1 : weights[order[k]!]!
    const rank = before + (w + 1) / 2
    for (let k = from; k < to; k++) ranks[order[k]!] = rank
    before += w
  })
  return ranks
}

function weightedPearson(x: Float64Array, y: Float64Array, weights?: ArrayLike<number>): number {
  let total = 0
  let mx = 0
  let my = 0
  for (let i = 0; i < x.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!
    total += w
    mx += w * x[i]!
    my += w * y[i]!
  }
  mx /= total
  my /= total
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < x.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!
    sxy += w * (x[i]! - mx) * (y[i]! - my)
    sxx += w * (x[i]! - mx) ** 2
    syy += w * (y[i]! - my) ** 2
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy)
}
