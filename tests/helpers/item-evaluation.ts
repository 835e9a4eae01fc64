/**
 * A product's evaluation against the best single-field rule (as product-evaluation.ts) where the
 * items scored are not entities of the product's scenario tables, so that the test computes their
 * one-field features itself (item-features.ts): rental listings, each about a home its address code
 * links to (two listings may name one home, one may name none), or townships, each a group of homes.
 * Same seeds, rule search, bootstrap intervals, margin and printed report as evaluateProduct:
 *
 * 1. On the tuning seeds, the items' features give the best single-field rule (single-field-rule.ts).
 * 2. On each evaluation seed, the product answers (`predict`, through the runtime) and the rule is
 *    applied unchanged; both are scored with the task's metric, with a bootstrap interval for the
 *    product's figure and a paired one for its margin. An item the product does not answer about is
 *    not flagged (`flag`), or not scored, for the product nor for the rule (`rank`: a township the
 *    runtime withheld).
 * 3. Bands: the bad rate per band over all evaluation seeds (calibration.ts).
 */
import { calibrateBands } from './calibration.ts'
import { percentileInterval, resampleWeights } from './bootstrap.ts'
import { EVALUATION_SEEDS, TUNING_SEEDS, withSeedStore } from './evaluation-seeds.ts'
import { metricOf, type EvaluationTask } from './evaluation-task.ts'
import { formatEvaluation } from './evaluation-report.ts'
import { precisionRecall, type Metric } from './metrics.ts'
import type { PopulationRow, ProductEvaluation, ProductEvaluationSpec, SeedEvaluation } from './product-evaluation.ts'
import type { SampleStore } from './sample-store.ts'
import { applyRule, findBestRule, type RuleFit, type RuleSample } from './single-field-rule.ts'

/** One seed's items in a fixed order, with the truth and each one-field feature per item (NaN: none). */
export type SeedItems = { readonly rows: readonly PopulationRow[]; readonly features: ReadonlyMap<string, Float64Array> }

export type ItemEvaluationSpec = Omit<ProductEvaluationSpec, 'population' | 'task' | 'probability'> & {
  readonly task: Exclude<EvaluationTask, { kind: 'group-rate' }>
  /** What the items are, for the reader of the report's spec (e.g. `rental listings of ground_truth.rental_listing`). */
  readonly items: string
  /** One seed's items and their features, by SQL on the raw store. */
  load(sample: SampleStore, seed: string): Promise<SeedItems>
}

export async function evaluateItems(spec: ItemEvaluationSpec, options: { readonly seeds?: readonly string[] } = {}): Promise<ProductEvaluation> {
  const metric = metricOf(spec.task)
  const tuning: SeedItems[] = []
  for (const seed of TUNING_SEEDS) await withSeedStore(seed, async (sample) => void tuning.push(checked(spec, await spec.load(sample, seed))))
  const tuned = findBestRule(spec.task, pool(tuning))
  const seeds: SeedEvaluation[] = []
  const banded: { band: string; bad: boolean }[] = []
  for (const seed of options.seeds ?? EVALUATION_SEEDS) {
    await withSeedStore(seed, async (sample) => {
      const items = checked(spec, await spec.load(sample, seed))
      const predictions = await spec.predict(sample, seed, items.rows)
      seeds.push(measure(spec, metric, seed, items, predictions, tuned))
      for (const row of items.rows) {
        const band = predictions.get(row.entity)?.band
        if (spec.bands !== undefined && band !== undefined) banded.push({ band, bad: spec.bands.bad(row.truth) })
      }
    })
  }
  const bands = spec.bands === undefined ? undefined : calibrateBands(spec.bands.order, banded)
  const evaluation = { spec: { ...spec, population: spec.items }, metric, tuned, seeds, bands, passes: seeds.every((s) => s.passes) }
  return { ...evaluation, report: formatEvaluation(evaluation) }
}

function checked(spec: ItemEvaluationSpec, items: SeedItems): SeedItems {
  if (new Set(items.rows.map((r) => r.entity)).size !== items.rows.length) throw new TypeError(`${spec.title}: an item is named twice`)
  for (const [name, values] of items.features) if (values.length !== items.rows.length) throw new TypeError(`${spec.title}: feature ${name} does not cover the items`)
  return items
}

/** The tuning seeds as one sample, a feature missing (NaN) on a seed that has none of it. */
function pool(seeds: readonly SeedItems[]): RuleSample {
  const truth = Float64Array.from(seeds.flatMap((s) => s.rows.map((r) => r.truth)))
  const features = new Map<string, Float64Array>()
  let offset = 0
  for (const s of seeds) {
    for (const [name, values] of s.features) {
      if (!features.has(name)) features.set(name, new Float64Array(truth.length).fill(Number.NaN))
      features.get(name)!.set(values, offset)
    }
    offset += s.rows.length
  }
  return { truth, features }
}

function measure(spec: ItemEvaluationSpec, metric: Metric, seed: string, items: SeedItems, predictions: ReadonlyMap<string, { readonly value: number }>, tuned: RuleFit): SeedEvaluation {
  const known = new Set(items.rows.map((r) => r.entity))
  const strays = [...predictions.keys()].filter((e) => !known.has(e))
  // a flag about something that is no item is a false positive; a score of one is a mistake of the test's
  if (spec.task.kind === 'rank' && strays.length > 0) throw new TypeError(`${spec.title}: answers about ${strays.slice(0, 3).join(', ')}, which are no items`)
  const rule = applyRule(spec.task, tuned.rule, items.features.get(tuned.rule.feature), items.rows.length)
  const scored = items.rows.map((r, i) => i).filter((i) => spec.task.kind === 'flag' || predictions.has(items.rows[i]!.entity))
  const extra = spec.task.kind === 'flag' ? strays.filter((e) => predictions.get(e)!.value === 1).length : 0
  const truth = Float64Array.from([...scored.map((i) => items.rows[i]!.truth), ...new Array<number>(extra).fill(0)])
  const product = Float64Array.from([...scored.map((i) => predictions.get(items.rows[i]!.entity)?.value ?? 0), ...new Array<number>(extra).fill(1)])
  const baseline = Float64Array.from([...scored.map((i) => rule[i]!), ...new Array<number>(extra).fill(0)])
  const own: RuleSample = { truth: truth.subarray(0, scored.length), features: new Map([...items.features].map(([name, v]) => [name, Float64Array.from(scored, (i) => v[i]!)])) }
  const productOf = metric.prepare(truth, product)
  const ruleOf = metric.prepare(truth, baseline)
  const difference = (p: number, b: number) => (spec.margin.kind === 'above' ? p - b : p / b)
  const resampled: number[] = []
  const margins: number[] = []
  for (const weights of resampleWeights(truth.length, `${spec.product}/${metric.name}/${seed}`)) {
    const p = productOf(weights)
    resampled.push(p)
    margins.push(difference(p, ruleOf(weights)))
  }
  const value = productOf()
  const margin = difference(value, ruleOf())
  const flags = spec.task.kind === 'flag' ? precisionRecall(truth, product) : undefined
  const binary = truth.every((t) => t === 0 || t === 1)
  return {
    seed,
    items: truth.length,
    ...(binary ? { positives: truth.reduce((a, t) => a + t, 0) } : {}),
    product: value,
    interval: percentileInterval(resampled),
    ...(flags === undefined ? {} : { precision: flags.precision, recall: flags.recall }),
    baseline: ruleOf(),
    margin,
    marginInterval: percentileInterval(margins),
    passes: spec.margin.kind === 'above' ? margin >= spec.margin.by : margin <= spec.margin.atMost,
    oracle: findBestRule(spec.task, own),
  }
}
