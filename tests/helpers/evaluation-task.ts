/**
 * What a product's evaluation scores, which fixes its metric and the shape of the single-field rule
 * it is compared with:
 *
 * - `flag`: the product flags entities (a shell, a group rental); truth 1 = positive; F1. The rule
 *   flags the entities on one side of a threshold of one feature.
 * - `rank`: the product scores every entity (higher = more likely positive, or healthier); AUC
 *   against a 0/1 truth or Spearman against a numeric one. The rule's score is one feature itself,
 *   either way up.
 * - `group-rate`: the product releases a rate per group of entities (the occupancy of a compound);
 *   truth 1 per entity that has the property; mean absolute error over the groups. The rule flags
 *   entities by a threshold of one feature, and its rate is the share flagged in each group.
 */
import { AUC, F1, MAE, SPEARMAN, type Metric } from './metrics.ts'

export type EvaluationTask =
  | { readonly kind: 'flag' }
  | { readonly kind: 'rank'; readonly metric: typeof AUC | typeof SPEARMAN }
  | { readonly kind: 'group-rate'; /** Groups of fewer entities are not scored (the product does not release them). */ readonly minGroup: number }

export function metricOf(task: EvaluationTask): Metric {
  switch (task.kind) {
    case 'flag':
      return F1
    case 'rank':
      return task.metric
    case 'group-rate':
      return MAE
  }
}

/** Whether `a` is a better value of `metric` than `b` (NaN is never better). */
export function isBetter(metric: Metric, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false
  if (Number.isNaN(b)) return true
  return metric.better === 'higher' ? a > b : a < b
}
