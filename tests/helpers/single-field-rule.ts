/**
 * The best single-field rule: of every one-field feature (single-field-features.ts), the one rule
 * that scores best on a sample — for `flag` and `group-rate` tasks a threshold either way (flag the
 * entities at or below it, or at or above it), for `rank` tasks the feature itself either way up;
 * entities without a value go to the flagged side or the other, whichever scores better. A rule is
 * chosen on the tuning seeds and then applied unchanged (same feature, same threshold) to each
 * evaluation seed, so that it stands where the product stands: neither saw those seeds.
 */
import { isBetter, metricOf, type EvaluationTask } from './evaluation-task.ts'
import type { Metric } from './metrics.ts'

export type SingleFieldRule = {
  readonly feature: string
  /** Flag (or score as more positive) the entities whose value is low, or high. */
  readonly direction: 'low' | 'high'
  /** Entities without a value: flagged (ranked most positive), or not (ranked least). */
  readonly missing: 'flag' | 'pass'
  /** `flag` and `group-rate`: low flags value ≤ threshold, high flags value ≥ threshold. */
  readonly threshold?: number
}

/** What a rule is measured on: the entities of one or more seeds with their truth and features. */
export type RuleSample = {
  /** Per entity: 1 = positive, 0 = not (or the numeric truth of a Spearman task). */
  readonly truth: Float64Array
  /** `group-rate`: per entity the index of its scored group, -1 where its group is not scored. */
  readonly group?: Int32Array
  /** `group-rate`: per scored group, its true rate. */
  readonly groupTruth?: Float64Array
  readonly features: ReadonlyMap<string, Float64Array>
}

export type RuleFit = { readonly rule: SingleFieldRule; readonly value: number }

/** The rule of best metric on the sample (the first found among equals, in the features' order). */
export function findBestRule(task: EvaluationTask, sample: RuleSample): RuleFit {
  const metric = metricOf(task)
  let best: RuleFit | undefined
  for (const [feature, values] of sample.features) {
    const fit = task.kind === 'rank' ? bestScore(metric, sample, feature, values) : bestThreshold(task, metric, sample, feature, values)
    if (fit !== undefined && (best === undefined || isBetter(metric, fit.value, best.value))) best = fit
  }
  if (best === undefined) throw new TypeError('no feature to choose a rule from')
  return best
}

/** The rule's answer per entity: 1 or 0 (flagged or not), or for `rank` the score. A feature absent from the seed is missing for everyone. */
export function applyRule(task: EvaluationTask, rule: SingleFieldRule, values: Float64Array | undefined, entities: number): Float64Array {
  const x = values ?? new Float64Array(entities).fill(Number.NaN)
  if (task.kind === 'rank') return scores(x, rule.direction, rule.missing)
  return x.map((v) => (Number.isNaN(v) ? (rule.missing === 'flag' ? 1 : 0) : (rule.direction === 'low' ? v <= rule.threshold! : v >= rule.threshold!) ? 1 : 0))
}

/** Per scored group, the share of its entities flagged. */
export function groupRates(flags: ArrayLike<number>, group: Int32Array, groups: number): Float64Array {
  const flagged = new Float64Array(groups)
  const size = new Float64Array(groups)
  for (let i = 0; i < group.length; i++) {
    const g = group[i]!
    if (g < 0) continue
    size[g]!++
    flagged[g]! += flags[i]!
  }
  return flagged.map((f, g) => f / size[g]!)
}

/** The rule as a reader checks it: `power_usage.usage: sum ≤ 72.5`, `−[tax_credit_rating.score: last]` (a score, lower = more positive). */
export function describeRule(task: EvaluationTask, rule: SingleFieldRule): string {
  if (task.kind === 'rank') return `${rule.direction === 'low' ? '−' : '+'}[${rule.feature}]${rule.missing === 'flag' ? ', no value first' : ''}`
  return `${rule.feature} ${rule.direction === 'low' ? '≤' : '≥'} ${formatThreshold(rule.threshold!)}${rule.missing === 'flag' ? ', or no value' : ''}`
}

function formatThreshold(t: number): string {
  if (!Number.isFinite(t)) return t > 0 ? '∞' : '−∞'
  return Math.abs(t) >= 100 ? t.toFixed(0) : String(Number(t.toPrecision(3)))
}

function bestScore(metric: Metric, sample: RuleSample, feature: string, values: Float64Array): RuleFit | undefined {
  let best: RuleFit | undefined
  for (const missing of values.some(Number.isNaN) ? (['pass', 'flag'] as const) : (['pass'] as const)) {
    for (const direction of ['high', 'low'] as const) {
      const value = metric.prepare(sample.truth, scores(values, direction, missing))()
      if (best === undefined ? !Number.isNaN(value) : isBetter(metric, value, best.value)) best = { rule: { feature, direction, missing }, value }
    }
  }
  return best
}

/** The feature as a score, higher = more positive; missing values first or last. */
function scores(values: Float64Array, direction: 'low' | 'high', missing: 'flag' | 'pass'): Float64Array {
  const sign = direction === 'high' ? 1 : -1
  return values.map((v) => (Number.isNaN(v) ? (missing === 'flag' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY) : sign * v))
}

/**
 * Every threshold at once: the entities are flagged one run of equal values at a time, in the
 * order of the direction, and the metric is kept up to date as each entity joins (a sweep).
 */
function bestThreshold(task: EvaluationTask, metric: Metric, sample: RuleSample, feature: string, values: Float64Array): RuleFit | undefined {
  const present: number[] = []
  const absent: number[] = []
  values.forEach((v, i) => (Number.isNaN(v) ? absent : present).push(i))
  const ascending = Uint32Array.from(present).sort((a, b) => values[a]! - values[b]!)
  let best: RuleFit | undefined
  for (const missing of absent.length > 0 ? (['pass', 'flag'] as const) : (['pass'] as const)) {
    for (const direction of ['low', 'high'] as const) {
      const order = direction === 'low' ? ascending : ascending.slice().reverse()
      const sweep = task.kind === 'group-rate' ? groupRateSweep(sample) : flagSweep(sample)
      if (missing === 'flag') for (const i of absent) sweep.add(i)
      const consider = (threshold: number) => {
        const value = sweep.value()
        if (best === undefined ? !Number.isNaN(value) : isBetter(metric, value, best.value)) best = { rule: { feature, direction, missing, threshold }, value }
      }
      // nothing with a value flagged
      consider(direction === 'low' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)
      for (let from = 0; from < order.length; ) {
        const v = values[order[from]!]!
        let to = from
        while (to < order.length && values[order[to]!] === v) sweep.add(order[to++]!)
        // halfway to the next value, so that a seed with values in between is split as evenly as the data allow
        const next = to < order.length ? values[order[to]!]! : v
        consider(Number.isFinite(next) && Number.isFinite(v) ? (v + next) / 2 : v)
        from = to
      }
    }
  }
  return best
}

type Sweep = { add(entity: number): void; value(): number }

function flagSweep(sample: RuleSample): Sweep {
  let positives = 0
  for (const t of sample.truth) if (t === 1) positives++
  let hits = 0
  let flagged = 0
  return {
    add(i) {
      flagged++
      if (sample.truth[i] === 1) hits++
    },
    value: () => (flagged + positives === 0 ? 1 : (2 * hits) / (flagged + positives)),
  }
}

function groupRateSweep(sample: RuleSample): Sweep {
  const group = sample.group!
  const truth = sample.groupTruth!
  const size = new Float64Array(truth.length)
  for (const g of group) if (g >= 0) size[g]!++
  const flagged = new Float64Array(truth.length)
  // every group starts with nothing flagged: its error is its true rate
  let error = truth.reduce((a, t) => a + t, 0)
  return {
    add(i) {
      const g = group[i]!
      if (g < 0) return
      error -= Math.abs(flagged[g]! / size[g]! - truth[g]!)
      flagged[g]!++
      error += Math.abs(flagged[g]! / size[g]! - truth[g]!)
    },
    value: () => error / truth.length,
  }
}
