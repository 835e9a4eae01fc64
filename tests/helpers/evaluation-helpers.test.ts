/**
 * The evaluation harness's own parts on small data whose answers are known: weighted metrics equal
 * the metrics of the sample the weights describe, resamples are deterministic, the rule search finds
 * a planted threshold (and where missing values belong), and calibration reads bands in order.
 */
import { describe, expect, it } from 'vitest'
import { AUC, F1, MAE, PRECISION, RECALL, SPEARMAN, measure, precisionRecall, type Metric } from './metrics.ts'
import { percentileInterval, resampleWeights } from './bootstrap.ts'
import { applyRule, describeRule, findBestRule, groupRates } from './single-field-rule.ts'
import { brierScore, calibrateBands, expectedCalibrationError } from './calibration.ts'

/** The sample that integer weights describe, written out. */
function expand(truth: number[], predicted: number[], weights: number[]): [number[], number[]] {
  const t: number[] = []
  const p: number[] = []
  weights.forEach((w, i) => {
    for (let k = 0; k < w; k++) {
      t.push(truth[i]!)
      p.push(predicted[i]!)
    }
  })
  return [t, p]
}

describe('metrics', () => {
  it('AUC: 1 when every positive outranks every negative, 0 reversed, ties half', () => {
    expect(measure(AUC, [0, 0, 1, 1], [1, 2, 3, 4])).toBe(1)
    expect(measure(AUC, [0, 0, 1, 1], [4, 3, 2, 1])).toBe(0)
    expect(measure(AUC, [0, 1], [5, 5])).toBe(0.5)
    expect(measure(AUC, [0, 1, 0, 1], [1, 2, 3, 4])).toBe(0.75)
  })

  it('Spearman: ±1 for monotone, mid-ranks for ties', () => {
    expect(measure(SPEARMAN, [1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12)
    expect(measure(SPEARMAN, [1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12)
    // ranks of [1, 1, 2, 3] are [1.5, 1.5, 3, 4]: Pearson of those with [1, 2, 3, 4]
    expect(measure(SPEARMAN, [1, 2, 3, 4], [1, 1, 2, 3])).toBeCloseTo(0.9486832980505138, 12)
  })

  it('F1, precision and recall of flags; MAE of rates', () => {
    expect(measure(F1, [1, 1, 0, 0], [1, 0, 1, 0])).toBe(0.5)
    expect(precisionRecall([1, 1, 1, 0], [1, 0, 0, 1])).toEqual({ precision: 0.5, recall: 1 / 3, flagged: 2, positives: 3 })
    expect(measure(MAE, [0.5, 0.2], [0.4, 0.4])).toBeCloseTo(0.15, 12)
  })

  it.each([AUC, SPEARMAN, F1, PRECISION, RECALL, MAE] as Metric[])('$name with weights equals $name of the sample the weights describe', (metric) => {
    const truth = metric === SPEARMAN || metric === MAE ? [0.3, 0.1, 0.9, 0.5, 0.5, 0.7] : [0, 1, 1, 0, 1, 0]
    const predicted = [F1, PRECISION, RECALL].includes(metric) ? [1, 1, 0, 0, 1, 1] : [0.2, 0.8, 0.5, 0.5, 0.9, 0.1]
    const weights = [2, 0, 1, 3, 1, 2]
    const [t, p] = expand(truth, predicted, weights)
    expect(metric.prepare(truth, predicted)(weights)).toBeCloseTo(measure(metric, t, p), 12)
  })
})

describe('bootstrap', () => {
  it('draws the same resamples for the same label, each of the sample size', () => {
    const a = [...resampleWeights(50, 'x', 20)].map((w) => [...w])
    const b = [...resampleWeights(50, 'x', 20)].map((w) => [...w])
    expect(a).toEqual(b)
    expect([...resampleWeights(50, 'y', 1)].map((w) => [...w])[0]).not.toEqual(a[0])
    for (const w of a) expect(w.reduce((x, y) => x + y, 0)).toBe(50)
  })

  it('gives a percentile interval around the figure of a large enough sample', () => {
    const truth = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1 : 0))
    const score = truth.map((t, i) => t + ((i * 7919) % 101) / 60)
    const auc = AUC.prepare(truth, score)
    const values = [...resampleWeights(truth.length, 'auc')].map((w) => auc(w))
    const [low, high] = percentileInterval(values)
    expect(low).toBeLessThan(auc())
    expect(high).toBeGreaterThan(auc())
    expect(high - low).toBeLessThan(0.2)
  })
})

describe('the best single-field rule', () => {
  const truth = Float64Array.from({ length: 200 }, (_, i) => (i < 20 ? 1 : 0))
  // `power` separates: positives use under 100, the rest 500 or more; `noise` does not
  const power = Float64Array.from(truth, (t, i) => (t === 1 ? i * 3 : 500 + i))
  const noise = Float64Array.from(truth, (_, i) => (i * 37) % 200)

  it('finds a planted threshold, halfway between the classes, and applies it unchanged', () => {
    const fit = findBestRule({ kind: 'flag' }, { truth, features: new Map([['noise', noise], ['power', power]]) })
    expect(fit.value).toBe(1)
    expect(fit.rule).toEqual({ feature: 'power', direction: 'low', missing: 'pass', threshold: (57 + 520) / 2 })
    expect(describeRule({ kind: 'flag' }, fit.rule)).toBe('power ≤ 289')
    expect([...applyRule({ kind: 'flag' }, fit.rule, Float64Array.from([0, 288, 290, Number.NaN]), 4)]).toEqual([1, 1, 0, 0])
  })

  it('sends entities without a value to the side that scores better', () => {
    const withGaps = Float64Array.from(power, (v, i) => (i < 20 ? Number.NaN : v))
    const fit = findBestRule({ kind: 'flag' }, { truth, features: new Map([['power', withGaps]]) })
    expect(fit.value).toBe(1)
    expect(fit.rule.missing).toBe('flag')
  })

  it('ranks by the feature either way up', () => {
    const fit = findBestRule({ kind: 'rank', metric: AUC }, { truth, features: new Map([['noise', noise], ['power', power]]) })
    expect(fit).toEqual({ rule: { feature: 'power', direction: 'low', missing: 'pass' }, value: 1 })
  })

  it('for group rates, the threshold whose shares flagged are closest to the true rates', () => {
    // two groups of ten: the first has 3 positives, the second 8; `use` is high exactly for them
    const t = Float64Array.from({ length: 20 }, (_, i) => (i < 3 || (i >= 10 && i < 18) ? 1 : 0))
    const use = Float64Array.from(t, (x, i) => (x === 1 ? 100 + i : i))
    const group = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1))
    const sample = { truth: t, features: new Map([['use', use]]), group, groupTruth: Float64Array.from([0.3, 0.8]) }
    const fit = findBestRule({ kind: 'group-rate', minGroup: 10 }, sample)
    expect(fit.value).toBeCloseTo(0, 12)
    expect([...groupRates(applyRule({ kind: 'group-rate', minGroup: 10 }, fit.rule, use, 20), group, 2)]).toEqual([0.3, 0.8])
  })
})

describe('calibration', () => {
  it('reads the bad rate per band in order, judging only bands large enough', () => {
    const items = [
      ...Array.from({ length: 40 }, (_, i) => ({ band: 'A', bad: i < 2 })),
      ...Array.from({ length: 40 }, (_, i) => ({ band: 'B', bad: i < 8 })),
      ...Array.from({ length: 5 }, () => ({ band: 'C', bad: false })),
      ...Array.from({ length: 40 }, (_, i) => ({ band: 'D', bad: i < 20 })),
    ]
    const table = calibrateBands(['A', 'B', 'C', 'D'], items)
    expect(table.bands.map((b) => b.rate)).toEqual([0.05, 0.2, 0, 0.5])
    expect(table.monotone).toBe(true)
    expect(calibrateBands(['D', 'C', 'B', 'A'], items).monotone).toBe(false)
  })

  it('Brier score and expected calibration error of probabilities', () => {
    expect(brierScore([1, 0, 0.5], [true, false, true])).toBeCloseTo(0.25 / 3, 12)
    // all at 0.25, a quarter of them true: calibrated
    const outcomes = [true, false, false, false]
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], outcomes)).toBeCloseTo(0, 12)
    expect(expectedCalibrationError([0.9, 0.9, 0.9, 0.9], outcomes)).toBeCloseTo(0.65, 12)
  })
})
