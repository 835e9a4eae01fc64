/**
 * Statistical disclosure control (SDC) for aggregate outputs, as output checkers in trusted
 * research environments apply it before anything leaves (docs/disclosure-control.md: "minimum cell count
 * k and dominance rules for aggregates").
 *
 * - Primary suppression: a cell is disclosive on its own when too few contributors make it up
 *   (threshold rule), when a few contributors dominate its total ((n,k) dominance rule), or when
 *   one contributor could estimate another's contribution too closely (p% rule). These are the
 *   sensitivity rules of the Eurostat/ESSnet *Handbook on Statistical Disclosure Control*
 *   (Hundepool et al., ch. 4 "Magnitude tabular data") and of τ-ARGUS, and the minimum-count
 *   and dominance checks of TRE output-checking guidance (SDAP / ONS SRS, OpenSAFELY).
 * - Secondary suppression is the runtime's, across every cell a consumer holds: the audit across
 *   releases (cell-audit.ts) and protection intervals (protection-intervals.ts).
 *
 * Everything here is pure and deterministic: same cells and policy, same suppressions, same
 * order. Details are fixed text with thresholds, never data values.
 */

/**
 * One cell of an aggregate table, as the release gate knows it from the data (never from what
 * the product claims about its own output).
 *
 * - `key`: the dimension values that locate the cell, e.g. `[district, month]`.
 * - `count`: number of contributors (people or enterprises) in the cell.
 * - `total`: the magnitude reported for the cell (a sum), if it reports one.
 * - `top`: the largest individual contributions to `total`, in descending order; when `total`
 *   is set, at least `min(max(n, 2), count)` of them (n of the dominance rule). Contributions are
 *   non-negative magnitudes.
 *
 * @example
 * const cell: AggregateCell = { key: ['蜀山区', '2025-01'], count: 12, total: 5400, top: [900, 800] }
 */
export type AggregateCell = {
  readonly key: readonly string[]
  readonly count: number
  readonly total?: number
  readonly top?: readonly number[]
}

/**
 * Thresholds of the primary suppression rules.
 *
 * - `minCount`: threshold rule; a cell with `0 < count < minCount` contributors is suppressed.
 * - `dominance`: the (n,k) dominance rule; a cell is suppressed when its n largest contributions
 *   sum to more than k of its total.
 * - `pPercent`: the p% rule (as a fraction, 0.10 for 10%); a cell is suppressed when
 *   `total − x1 − x2 < p · x1` (x1, x2 the two largest contributions).
 * - `suppressZeroCounts`: whether a cell with no contributors is suppressed too. Off by default:
 *   a zero is treated as a structural zero (nobody can be in it, or its emptiness is public), which
 *   SDC practice releases. Turn it on where an empty cell would itself reveal something about a
 *   group (e.g. "no enterprise in this district owes tax").
 *
 * Any object with these fields works, e.g. the `ReleasePolicy` of a product.
 *
 * @example
 * const policy: DisclosurePolicy = { ...DEFAULT_DISCLOSURE_POLICY, minCount: 20 }
 */
export type DisclosurePolicy = {
  readonly minCount: number
  readonly dominance: { readonly n: number; readonly k: number }
  readonly pPercent: number
  readonly suppressZeroCounts?: boolean
}

/**
 * The default thresholds: at least 10 contributors per cell, (2, 0.9) dominance (the two largest
 * contributions may not exceed 90% of the total) and the 10% p-rule. These are the usual values
 * of TRE output checking (minimum 10) and of the SDC handbook's worked examples for business data
 * (dominance n = 2, p = 10%).
 *
 * @example
 * primarySuppressions(cells, DEFAULT_DISCLOSURE_POLICY)
 */
export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = Object.freeze({
  minCount: 10,
  dominance: Object.freeze({ n: 2, k: 0.9 }),
  pPercent: 0.1,
  suppressZeroCounts: false,
})

/**
 * Why a cell is withheld. `rule` is the first primary rule it fails, in the order `MIN_COUNT`,
 * `DOMINANCE`, `P_PERCENT`; `detail` is fixed
 * text with the thresholds, listing every rule the cell fails (e.g. `count below 10; top 2
 * contributions exceed 90% of total`), never a data value.
 *
 * @example
 * const s: Suppression = { key: ['蜀山区', '2025-01'], rule: 'MIN_COUNT', detail: 'count below 10' }
 */
export type Suppression = {
  readonly key: readonly string[]
  readonly rule: 'MIN_COUNT' | 'DOMINANCE' | 'P_PERCENT'
  readonly detail: string
}

/** Fixed-text rendering of a fraction as a percentage: 0.9 → "90%". */
function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`
}

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0
}

/**
 * The failing primary rules of one cell, each as [rule, detail]. Fails closed: a count or a
 * magnitude that cannot be evaluated is treated as failing the rule it belongs to.
 */
function failingRules(cell: AggregateCell, policy: DisclosurePolicy): [Suppression['rule'], string][] {
  const failing: [Suppression['rule'], string][] = []
  const { count, total } = cell
  if (!Number.isInteger(count) || count < 0) {
    failing.push(['MIN_COUNT', 'count is not a non-negative integer'])
  } else if (count === 0 ? policy.suppressZeroCounts === true : count < policy.minCount) {
    failing.push(['MIN_COUNT', `count below ${policy.minCount}`])
  }
  if (total === undefined) return failing

  const { n, k } = policy.dominance
  // The contributions are sorted here rather than trusted to be sorted.
  const top = [...(cell.top ?? [])].sort((a, b) => b - a)
  const contributors = Number.isInteger(count) && count >= 0 ? count : Infinity
  const needed = Math.min(Math.max(n, 2), contributors)
  if (!isNonNegative(total) || top.length < needed || !top.every(isNonNegative)) {
    // Without the largest contributions neither magnitude rule can be evaluated: fail closed.
    failing.push(['DOMINANCE', 'largest contributions missing or invalid'])
    return failing
  }
  let largestN = 0
  for (let i = 0; i < n && i < top.length; i++) largestN += top[i]!
  // (n,k) dominance: the n largest contributions must not exceed k of the cell total.
  if (largestN > k * total) failing.push(['DOMINANCE', `top ${n} contributions exceed ${percent(k)} of total`])
  // p% rule: the second largest contributor, subtracting its own value from the total, learns
  // x1 + remainder; the remainder must be at least p·x1 for that estimate to be off by p%.
  const x1 = top[0] ?? 0
  const x2 = top[1] ?? 0
  if (total - x1 - x2 < policy.pPercent * x1) failing.push(['P_PERCENT', `remainder below ${percent(policy.pPercent)} of largest contribution`])
  return failing
}

/**
 * Primary suppression: every cell that is disclosive on its own, one {@link Suppression} per
 * cell, in the order of `cells`.
 *
 * Rules, in this order (the first failing one is the `rule`; `detail` lists all failing ones):
 * 1. `MIN_COUNT`, the threshold rule: `count < minCount` contributors. A cell with count 0 is a
 *    structural zero and is released, unless `policy.suppressZeroCounts` is set.
 * 2. `DOMINANCE`, the (n,k) dominance rule: the n largest contributions sum to more than
 *    `k × total` (a few contributors dominate, so the total approximates their values).
 * 3. `P_PERCENT`, the p% rule: `total − x1 − x2 < p × x1`, i.e. the second largest contributor
 *    could estimate the largest to within p% (Hundepool et al., *Statistical Disclosure Control*,
 *    §4.2; τ-ARGUS).
 *
 * Rules 2 and 3 apply to cells with a `total` and fail closed (rule `DOMINANCE`) when the `top`
 * contributions needed to evaluate them are missing, negative or not finite; an invalid count
 * fails `MIN_COUNT`.
 *
 * @example
 * primarySuppressions([{ key: ['A'], count: 3 }], DEFAULT_DISCLOSURE_POLICY)
 * // [{ key: ['A'], rule: 'MIN_COUNT', detail: 'count below 10' }]
 */
export function primarySuppressions(cells: readonly AggregateCell[], policy: DisclosurePolicy): Suppression[] {
  const out: Suppression[] = []
  for (const cell of cells) {
    const failing = failingRules(cell, policy)
    const first = failing[0]
    if (first === undefined) continue
    out.push({ key: [...cell.key], rule: first[0], detail: failing.map((f) => f[1]).join('; ') })
  }
  return out
}
