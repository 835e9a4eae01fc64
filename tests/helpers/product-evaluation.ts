/**
 * A product's evaluation on ground truth, against the best single-field rule:
 *
 * 1. On the tuning seeds, the one-field features of the product's population (single-field-features.ts,
 *    from the tables and fields its scenario reads) give the best single-field rule (single-field-rule.ts).
 * 2. On each evaluation seed, the product answers (the test's `predict`, through the runtime) and
 *    the rule is applied unchanged; both are scored against the truth with the task's metric, with a
 *    bootstrap interval over the seed's items (bootstrap.ts) for the product's figure and for its
 *    margin over the rule. The rule chosen on that seed itself (the oracle) is reported for information.
 * 3. Where the product outputs bands, the bad rate per band over all evaluation seeds (calibration.ts);
 *    where it outputs a probability, its Brier score and calibration error.
 *
 * A seed passes when the product beats the rule by the margin; the evaluation passes when every seed does.
 */
import type { Product } from 'indomain/sdk'
import { brierScore, calibrateBands, expectedCalibrationError, type BandCalibration } from './calibration.ts'
import { percentileInterval, resampleWeights, type Interval } from './bootstrap.ts'
import { EVALUATION_SEEDS, TUNING_SEEDS, withSeedStore } from './evaluation-seeds.ts'
import { metricOf, type EvaluationTask } from './evaluation-task.ts'
import { formatEvaluation } from './evaluation-report.ts'
import { AUC, PRECISION, RECALL, type Metric } from './metrics.ts'
import type { SampleStore } from './sample-store.ts'
import { featureSources, loadSingleFieldFeatures, type FeatureSource } from './single-field-features.ts'
import { applyRule, findBestRule, groupRates, type RuleFit, type RuleSample } from './single-field-rule.ts'

/** One entity the product is about: its truth (1/0, or a number for Spearman) and, for `group-rate`, its group. */
export type PopulationRow = { readonly entity: string; readonly truth: number; readonly group?: string }

/** A product's answer about one entity (or group): a flag (1), a score (higher = more positive) or a rate; and its band, if it has bands. */
export type Prediction = { readonly value: number; readonly band?: string }

/** How much better than the rule a product must be: `above` — metric ≥ rule's + by; `ratio` — metric ≤ atMost × rule's (an error). */
export type Margin = { readonly kind: 'above'; readonly by: number } | { readonly kind: 'ratio'; readonly atMost: number }

export type ProductEvaluationSpec = {
  readonly title: string
  /** The product's folder, e.g. `products/enterprise-shell-scan`. */
  readonly product: string
  readonly task: EvaluationTask
  /** SQL on a raw store: one row per entity the product is about, with columns `entity`, `truth` and, for `group-rate`, `grp`. */
  readonly population: string
  readonly margin: Margin
  /** The product's answers on one evaluation seed: per entity (for `flag`, those flagged), or per group for `group-rate`. */
  predict(sample: SampleStore, seed: string, population: readonly PopulationRow[]): Promise<ReadonlyMap<string, Prediction>>
  /** Bands in order, best first, and which truths count as bad (`label` says which, in the report): the observed bad rate per band. */
  readonly bands?: { readonly order: readonly string[]; readonly bad: (truth: number) => boolean; readonly label: string }
  /** The prediction is the probability that the truth is 1: Brier score and calibration error. */
  readonly probability?: boolean
}

export type SeedEvaluation = {
  readonly seed: string
  /** Items scored (entities, or groups), and positives among them where the truth is 1 or 0 (`flag`, AUC). */
  readonly items: number
  readonly positives?: number
  readonly product: number
  readonly interval: Interval
  /** `flag`: the product's precision and recall, and their bootstrap intervals. */
  readonly precision?: number
  readonly recall?: number
  readonly precisionInterval?: Interval
  readonly recallInterval?: Interval
  /** The tuned rule on this seed. */
  readonly baseline: number
  /** product − baseline (`above`) or product ÷ baseline (`ratio`), with its paired bootstrap interval. */
  readonly margin: number
  readonly marginInterval: Interval
  readonly passes: boolean
  /** The rule that would have been best on this seed itself (information only: it saw the seed). */
  readonly oracle: RuleFit
}

export type ProductEvaluation = {
  readonly spec: ProductEvaluationSpec
  readonly metric: Metric
  /** The rule chosen on the tuning seeds, and its metric there. */
  readonly tuned: RuleFit
  readonly seeds: readonly SeedEvaluation[]
  readonly bands?: BandCalibration
  readonly probability?: { readonly brier: number; readonly calibrationError: number }
  /** Every seed passes. */
  readonly passes: boolean
  /** The printed report: a table of the seeds, the rule, the calibration. */
  readonly report: string
}

export type EvaluationOptions = {
  /**
   * The seeds to measure on: the evaluation seeds, unless a product is being developed — then the
   * tuning seeds, where the rule is scored on the very seeds it was chosen on (its figure is
   * optimistic, the product's margin understated) and the evaluation seeds stay unseen.
   */
  readonly seeds?: readonly string[]
}

export async function evaluateProduct(spec: ProductEvaluationSpec, options: EvaluationOptions = {}): Promise<ProductEvaluation> {
  const metric = metricOf(spec.task)
  const product = ((await import(new URL(`../../${spec.product}/product.ts`, import.meta.url).href)) as { default: Product }).default
  let sources: FeatureSource[] | undefined
  const tuning: SeedData[] = []
  for (const seed of TUNING_SEEDS) {
    await withSeedStore(seed, async (sample) => {
      sources ??= featureSources(product.scenario, sample.catalog)
      tuning.push(await loadSeed(spec, sample, sources, seed))
    })
  }
  const tuned = findBestRule(spec.task, poolSeeds(spec.task, tuning))
  const seeds: SeedEvaluation[] = []
  const banded: { band: string; bad: boolean }[] = []
  const probabilities: { p: number; outcome: boolean }[] = []
  for (const seed of options.seeds ?? EVALUATION_SEEDS) {
    await withSeedStore(seed, async (sample) => {
      const data = await loadSeed(spec, sample, sources!, seed)
      const predictions = await spec.predict(sample, seed, data.rows)
      const scored = scoreSeed(spec, data, predictions, tuned)
      seeds.push(measureSeed(spec, metric, seed, scored))
      for (const [i, row] of data.rows.entries()) {
        const prediction = predictions.get(row.entity)
        if (spec.bands !== undefined && prediction?.band !== undefined) banded.push({ band: prediction.band, bad: spec.bands.bad(row.truth) })
        if (spec.probability === true && prediction !== undefined) probabilities.push({ p: prediction.value, outcome: data.truth[i] === 1 })
      }
    })
  }
  const bands = spec.bands === undefined ? undefined : calibrateBands(spec.bands.order, banded)
  const probability =
    spec.probability === true
      ? { brier: brierScore(probabilities.map((x) => x.p), probabilities.map((x) => x.outcome)), calibrationError: expectedCalibrationError(probabilities.map((x) => x.p), probabilities.map((x) => x.outcome)) }
      : undefined
  const evaluation = { spec, metric, tuned, seeds, bands, probability, passes: seeds.every((s) => s.passes) }
  return { ...evaluation, report: formatEvaluation(evaluation) }
}

/** One seed's population with its truth and features, the groups it is scored over for `group-rate`. */
type SeedData = {
  readonly seed: string
  readonly rows: readonly PopulationRow[]
  readonly truth: Float64Array
  readonly features: ReadonlyMap<string, Float64Array>
}

async function loadSeed(spec: ProductEvaluationSpec, sample: SampleStore, sources: readonly FeatureSource[], seed: string): Promise<SeedData> {
  // in the order of the entities, so that resamples (drawn by position) are the same on every run
  const rows = (await sample.storeRows(spec.population))
    .map((r) => ({ entity: String(r.entity), truth: Number(r.truth), ...(r.grp === undefined || r.grp === null ? {} : { group: String(r.grp) }) }))
    .sort((a, b) => (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0))
  if (new Set(rows.map((r) => r.entity)).size !== rows.length) throw new TypeError(`${spec.title}: the population names an entity twice`)
  const { features } = await loadSingleFieldFeatures(
    sample,
    sources,
    rows.map((r) => r.entity),
  )
  return { seed, rows, truth: Float64Array.from(rows, (r) => r.truth), features }
}

/** For `group-rate`: each entity's scored group (-1 for none) and each group's true rate. */
function scoredGroups(rows: readonly PopulationRow[], scored: (group: string, size: number) => boolean, prefix = ''): { group: Int32Array; groupTruth: Float64Array; names: string[] } {
  const members = new Map<string, number[]>()
  rows.forEach((r, i) => {
    if (r.group === undefined) return
    const key = prefix + r.group
    if (!members.has(key)) members.set(key, [])
    members.get(key)!.push(i)
  })
  const group = new Int32Array(rows.length).fill(-1)
  const names: string[] = []
  const truth: number[] = []
  for (const [name, list] of members) {
    if (!scored(name.slice(prefix.length), list.length)) continue
    for (const i of list) group[i] = names.length
    names.push(name.slice(prefix.length))
    truth.push(list.reduce((a, i) => a + rows[i]!.truth, 0) / list.length)
  }
  return { group, groupTruth: Float64Array.from(truth), names }
}

/** The tuning seeds as one sample: entities one after another, a feature missing where a seed has none of it. */
function poolSeeds(task: EvaluationTask, seeds: readonly SeedData[]): RuleSample {
  const total = seeds.reduce((a, s) => a + s.rows.length, 0)
  const names = [...new Set(seeds.flatMap((s) => [...s.features.keys()]))]
  const features = new Map(names.map((name) => [name, new Float64Array(total).fill(Number.NaN)]))
  const truth = new Float64Array(total)
  const group = new Int32Array(total).fill(-1)
  const groupTruth: number[] = []
  let offset = 0
  for (const s of seeds) {
    truth.set(s.truth, offset)
    for (const [name, values] of s.features) features.get(name)!.set(values, offset)
    if (task.kind === 'group-rate') {
      const g = scoredGroups(s.rows, (_, size) => size >= task.minGroup)
      g.group.forEach((x, i) => (group[offset + i] = x < 0 ? -1 : x + groupTruth.length))
      groupTruth.push(...g.groupTruth)
    }
    offset += s.rows.length
  }
  return task.kind === 'group-rate' ? { truth, features, group, groupTruth: Float64Array.from(groupTruth) } : { truth, features }
}

/** One evaluation seed's items: truth, the product's answer and the tuned rule's, per entity or scored group. */
type ScoredSeed = { readonly truth: Float64Array; readonly product: Float64Array; readonly baseline: Float64Array; readonly oracle: RuleFit }

function scoreSeed(spec: ProductEvaluationSpec, data: SeedData, predictions: ReadonlyMap<string, Prediction>, tuned: RuleFit): ScoredSeed {
  const n = data.rows.length
  const rule = applyRule(spec.task, tuned.rule, data.features.get(tuned.rule.feature), n)
  switch (spec.task.kind) {
    case 'flag': {
      // a flag outside the population is a false positive of the product's
      const known = new Set(data.rows.map((r) => r.entity))
      const outside = [...predictions.keys()].filter((e) => !known.has(e) && predictions.get(e)!.value === 1).length
      const product = Float64Array.from([...data.rows.map((r) => predictions.get(r.entity)?.value ?? 0), ...new Array<number>(outside).fill(1)])
      const grow = (a: Float64Array) => Float64Array.from([...a, ...new Array<number>(outside).fill(0)])
      return { truth: grow(data.truth), product, baseline: grow(rule), oracle: findBestRule(spec.task, data) }
    }
    case 'rank': {
      const product = Float64Array.from(data.rows, (r) => {
        const p = predictions.get(r.entity)
        if (p === undefined) throw new TypeError(`${spec.title}: no answer about ${r.entity}`)
        return p.value
      })
      return { truth: data.truth, product, baseline: rule, oracle: findBestRule(spec.task, data) }
    }
    case 'group-rate': {
      // the groups the product released are the ones scored, for it and for the rule
      const { group, groupTruth, names } = scoredGroups(data.rows, (name) => predictions.has(name))
      const released = [...predictions.keys()].filter((g) => !names.includes(g))
      if (released.length > 0) throw new TypeError(`${spec.title}: groups released that the population does not hold: ${released.slice(0, 3).join(', ')}`)
      const sample = { truth: data.truth, features: data.features, group, groupTruth }
      return { truth: groupTruth, product: Float64Array.from(names, (g) => predictions.get(g)!.value), baseline: groupRates(rule, group, names.length), oracle: findBestRule(spec.task, sample) }
    }
  }
}

function measureSeed(spec: ProductEvaluationSpec, metric: Metric, seed: string, scored: ScoredSeed): SeedEvaluation {
  const product = metric.prepare(scored.truth, scored.product)
  const baseline = metric.prepare(scored.truth, scored.baseline)
  // for flags, precision and recall on the same resamples
  const parts = spec.task.kind === 'flag' ? [PRECISION.prepare(scored.truth, scored.product), RECALL.prepare(scored.truth, scored.product)] : []
  const marginOf = (p: number, b: number) => (spec.margin.kind === 'above' ? p - b : p / b)
  const resampled: number[] = []
  const margins: number[] = []
  const partsResampled = parts.map(() => [] as number[])
  for (const weights of resampleWeights(scored.truth.length, `${spec.product}/${seed}`)) {
    const p = product(weights)
    resampled.push(p)
    margins.push(marginOf(p, baseline(weights)))
    parts.forEach((part, i) => partsResampled[i]!.push(part(weights)))
  }
  const value = product()
  const rule = baseline()
  const margin = marginOf(value, rule)
  return {
    seed,
    items: scored.truth.length,
    ...(spec.task.kind === 'flag' || (spec.task.kind === 'rank' && spec.task.metric === AUC) ? { positives: scored.truth.reduce((a, t) => a + (t === 1 ? 1 : 0), 0) } : {}),
    product: value,
    interval: percentileInterval(resampled),
    ...(parts.length === 0
      ? {}
      : { precision: parts[0]!(), recall: parts[1]!(), precisionInterval: percentileInterval(partsResampled[0]!), recallInterval: percentileInterval(partsResampled[1]!) }),
    baseline: rule,
    margin,
    marginInterval: percentileInterval(margins),
    passes: spec.margin.kind === 'above' ? margin >= spec.margin.by : margin <= spec.margin.atMost,
    oracle: scored.oracle,
  }
}
