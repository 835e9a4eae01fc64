/**
 * The printed report of a product's evaluation: what is measured and what passing means, the rule it
 * is compared with, one line per evaluation seed (the product's figure with its 95% interval, the
 * rule's, the margin with its paired interval, pass or not, and the rule best on that seed itself),
 * and the calibration where the product has bands or probabilities.
 */
import { EVALUATION_SCALE, TUNING_SEEDS } from './evaluation-seeds.ts'
import type { Interval } from './bootstrap.ts'
import type { ProductEvaluation } from './product-evaluation.ts'
import { MAE } from './metrics.ts'
import { describeRule } from './single-field-rule.ts'

export function formatEvaluation(evaluation: Omit<ProductEvaluation, 'report'>): string {
  const { spec, metric, tuned, seeds } = evaluation
  const m = metric.name
  // an error of a few thousandths needs a fourth digit
  const fixed = (v: number) => format(v, metric === MAE ? 4 : 3)
  const signed = (v: number) => (Number.isNaN(v) ? '–' : `${v >= 0 ? '+' : '−'}${format(Math.abs(v), metric === MAE ? 4 : 3)}`)
  const failing = seeds.filter((s) => !s.passes).length
  const demand = spec.margin.kind === 'above' ? `${m} ≥ the rule's + ${spec.margin.by.toFixed(3)}` : `${m} ≤ ${spec.margin.atMost} × the rule's`
  const items = spec.task.kind === 'group-rate' ? 'groups' : 'entities'
  const lines = [
    `${spec.title} (${spec.product}) — ${m} on ${seeds.length} seeds of ${EVALUATION_SCALE.toLocaleString('en')} persons${seeds.some((s) => (TUNING_SEEDS as readonly string[]).includes(s.seed)) ? ' — TUNING SEEDS: the rule was chosen on them' : ', none seen in tuning'}`,
    `passes where ${demand} on every seed: ${failing === 0 ? 'PASSES' : `FAILS on ${failing} of ${seeds.length}`}`,
    `best single-field rule, chosen on ${TUNING_SEEDS.join(', ')}: ${describeRule(spec.task, tuned.rule)} — ${m} ${fixed(tuned.value)} there`,
    '',
    ...table([
      ['seed', items, 'positives', `${m} [95% CI]`, spec.task.kind === 'flag' ? 'precision [95% CI] / recall [95% CI]' : '', `rule ${m}`, 'margin [95% CI]', 'pass', 'oracle rule on the seed (saw it)'],
      ...seeds.map((s) => [
        s.seed,
        String(s.items),
        s.positives === undefined ? '' : String(s.positives),
        `${fixed(s.product)} ${interval(s.interval, fixed)}`,
        s.precision === undefined ? '' : `${fixed(s.precision)}${s.precisionInterval === undefined ? '' : ` ${interval(s.precisionInterval, fixed)}`} / ${fixed(s.recall!)}${s.recallInterval === undefined ? '' : ` ${interval(s.recallInterval, fixed)}`}`,
        fixed(s.baseline),
        spec.margin.kind === 'above' ? `${signed(s.margin)} ${interval(s.marginInterval, signed)}` : `×${format(s.margin)} ${interval(s.marginInterval, (v) => `×${format(v)}`)}`,
        s.passes ? 'yes' : 'no',
        `${fixed(s.oracle.value)} ${describeRule(spec.task, s.oracle.rule)}`,
      ]),
    ]),
  ]
  if (evaluation.bands !== undefined) {
    const b = evaluation.bands
    lines.push(
      '',
      `bad rate per band over all these seeds (bad: ${spec.bands!.label}; bands of ≥ ${b.minEntities} judged): ${b.monotone ? 'monotone' : 'NOT monotone'}`,
      ...table([['band', 'entities', 'bad', 'rate'], ...b.bands.map((x) => [x.band, String(x.entities), String(x.bad), Number.isNaN(x.rate) ? '–' : format(x.rate)])]),
    )
  }
  if (evaluation.probability !== undefined) lines.push('', `probability: Brier ${format(evaluation.probability.brier)}, expected calibration error ${format(evaluation.probability.calibrationError)}`)
  return lines.join('\n')
}

function table(rows: readonly (readonly string[])[]): string[] {
  const used = rows[0]!.map((_, c) => rows.some((r, i) => i > 0 && r[c] !== ''))
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows.map((r) => r.filter((_, c) => used[c]).map((cell, c) => cell.padEnd(widths.filter((_, k) => used[k])[c]!)).join('  ').trimEnd())
}

function format(v: number, digits = 3): string {
  return Number.isNaN(v) ? '–' : v.toFixed(digits)
}

function interval([low, high]: Interval, format: (v: number) => string): string {
  return `[${format(low)}, ${format(high)}]`
}
