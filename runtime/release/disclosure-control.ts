/**
 * Statistical disclosure control (SDC) for aggregate outputs, as output checkers in trusted
 * research environments apply it before anything leaves (DESIGN.md, step 6: "minimum cell count
 * k and dominance rules for aggregates").
 *
 * - Primary suppression: a cell is disclosive on its own when too few contributors make it up
 *   (threshold rule), when a few contributors dominate its total ((n,k) dominance rule), or when
 *   one contributor could estimate another's contribution too closely (p% rule). These are the
 *   sensitivity rules of the Eurostat/ESSnet *Handbook on Statistical Disclosure Control*
 *   (Hundepool et al., ch. 4 "Magnitude tabular data") and of τ-ARGUS, and the minimum-count
 *   and dominance checks of TRE output-checking guidance (SDAP / ONS SRS, OpenSAFELY).
 * - Secondary (complementary) suppression: a suppressed cell must not be recoverable by
 *   subtracting the released cells of its row or column from a published margin.
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
 * controlDisclosure(cells, DEFAULT_DISCLOSURE_POLICY, { dimensions: 2 })
 */
export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = Object.freeze({
  minCount: 10,
  dominance: Object.freeze({ n: 2, k: 0.9 }),
  pPercent: 0.1,
  suppressZeroCounts: false,
})

/**
 * Why a cell is withheld. `rule` is the first primary rule it fails, in the order `MIN_COUNT`,
 * `DOMINANCE`, `P_PERCENT`, or `SECONDARY` for a complementary suppression; `detail` is fixed
 * text with the thresholds, listing every rule the cell fails (e.g. `count below 10; top 2
 * contributions exceed 90% of total`), never a data value.
 *
 * @example
 * const s: Suppression = { key: ['蜀山区', '2025-01'], rule: 'MIN_COUNT', detail: 'count below 10' }
 */
export type Suppression = {
  readonly key: readonly string[]
  readonly rule: 'MIN_COUNT' | 'DOMINANCE' | 'P_PERCENT' | 'SECONDARY'
  readonly detail: string
}

/** Options of {@link secondarySuppressions} and {@link controlDisclosure}. */
export type DisclosureOptions = {
  /** Number of dimensions of the table; every cell key has exactly this many values. */
  readonly dimensions: number
}

/** The result of {@link controlDisclosure}. */
export type DisclosureResult = {
  readonly suppressed: readonly Suppression[]
  readonly released: readonly AggregateCell[]
}

/**
 * Separator of the dimension values in a cell's set key ({@link encodeCellKey}).
 *
 * @example
 * ['a', 'b'].join(CELL_KEY_SEPARATOR) === encodeCellKey(['a', 'b']) // true
 */
export const CELL_KEY_SEPARATOR = '\u0000'

/**
 * The string that identifies a cell in a `ReadonlySet<string>` of suppressed cells: its key
 * values joined with U+0000. Dimension values cannot contain U+0000 in practice (it is not valid
 * in the catalog's text columns); two cells whose keys encode alike are rejected as duplicates.
 *
 * @example
 * new Set([encodeCellKey(['蜀山区', '2025-01'])])
 */
export function encodeCellKey(key: readonly string[]): string {
  return key.join(CELL_KEY_SEPARATOR)
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

/** Lexicographic order of keys by UTF-16 code units (locale-independent, so deterministic). */
function compareKeys(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x !== y) return x < y ? -1 : 1
  }
  return a.length - b.length
}

/** Checks the shape of a table; a malformed table is a programmer error of the caller. */
function checkTable(cells: readonly AggregateCell[], dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError('secondarySuppressions expects a positive integer number of dimensions')
  }
  const seen = new Set<string>()
  for (const cell of cells) {
    if (cell.key.length !== dimensions) {
      throw new TypeError('secondarySuppressions expects every cell key to have one value per dimension')
    }
    const encoded = encodeCellKey(cell.key)
    if (seen.has(encoded)) throw new TypeError('secondarySuppressions expects distinct cell keys')
    seen.add(encoded)
  }
}

/**
 * Secondary (complementary) suppression, so that no suppressed cell can be recovered from
 * published marginal totals by subtraction.
 *
 * A *line* is a group of cells that share every dimension value but one: in a 2-D table, a row
 * or a column; in a 1-D table, all cells (a grand total is assumed published). Whenever a line
 * holds exactly one suppressed cell, its margin minus its released cells would give that cell
 * away, so the non-suppressed cell of the line with the smallest count is suppressed as well
 * (ties broken by key, code-unit order); this repeats, over all lines in a fixed order, until no
 * line holds exactly one suppressed cell. Cells with count 0 are chosen only when a line has no
 * other candidate: a structural zero is known to be zero and hides nothing. Returns only the new
 * (rule `SECONDARY`) suppressions, in the order they were made; `suppressed` holds the
 * {@link encodeCellKey} keys of the primary suppressions (keys of cells not in `cells` are ignored).
 *
 * This is the classic line-by-line heuristic, in the spirit of the hypercube method (Repsilber;
 * τ-ARGUS "HYPERCUBE"), not an optimal linear-programming solution (τ-ARGUS "OPTIMAL"/"MODULAR").
 * Its limits:
 * - it stops single-equation recovery; it does not guarantee a protection interval: an attacker
 *   solving the linear system with non-negativity constraints may still narrow a suppressed value,
 *   e.g. when the complement is much smaller than the cell it protects;
 * - a line of one cell cannot be protected (its margin is the cell): do not publish that margin;
 * - it may suppress more than an optimal pattern would (information loss);
 * - for 3 or more dimensions it protects every 1-D line, not published 2-D sub-tables.
 *
 * @throws RangeError if `options.dimensions` is not a positive integer.
 * @throws TypeError if a key does not have `dimensions` values or two cells share a key.
 * @example
 * // 2 × 2 table, cell [a, x] suppressed for a small count: one cell in its row and one in its
 * // column, then the fourth cell to close the rectangle.
 * secondarySuppressions(cells, new Set([encodeCellKey(['a', 'x'])]), { dimensions: 2 })
 */
export function secondarySuppressions(
  cells: readonly AggregateCell[],
  suppressed: ReadonlySet<string>,
  options: DisclosureOptions,
): Suppression[] {
  const { dimensions } = options
  checkTable(cells, dimensions)
  const ordered = [...cells].sort((a, b) => compareKeys(a.key, b.key))
  const isSuppressed = ordered.map((cell) => suppressed.has(encodeCellKey(cell.key)))

  // Lines: for each dimension d, the cells sharing all values but the d-th; lines in a fixed
  // order (dimension, then the shared values), members in key order.
  const lines: { readonly dimension: number; readonly members: number[] }[] = []
  for (let d = 0; d < dimensions; d++) {
    const byRest = new Map<string, number[]>()
    ordered.forEach((cell, index) => {
      const rest = encodeCellKey(cell.key.filter((_, i) => i !== d))
      const members = byRest.get(rest)
      if (members === undefined) byRest.set(rest, [index])
      else members.push(index)
    })
    const rests = [...byRest.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    for (const rest of rests) lines.push({ dimension: d, members: byRest.get(rest)! })
  }

  const out: Suppression[] = []
  let changed = true
  while (changed) {
    changed = false
    for (const { dimension, members } of lines) {
      let count = 0
      for (const index of members) if (isSuppressed[index]) count++
      if (count !== 1) continue
      let best = -1
      for (const index of members) {
        if (isSuppressed[index]) continue
        if (best < 0 || prefer(ordered[index]!, ordered[best]!)) best = index
      }
      if (best < 0) continue
      isSuppressed[best] = true
      changed = true
      out.push({ key: [...ordered[best]!.key], rule: 'SECONDARY', detail: `complement of a suppressed cell along dimension ${dimension + 1}` })
    }
  }
  return out
}

/** Whether `a` is a better complement than `b`: non-zero first, then smaller count, then key. */
function prefer(a: AggregateCell, b: AggregateCell): boolean {
  const aZero = a.count === 0
  const bZero = b.count === 0
  if (aZero !== bZero) return bZero
  if (a.count !== b.count) return a.count < b.count
  return compareKeys(a.key, b.key) < 0
}

/**
 * Disclosure control of one aggregate table: {@link primarySuppressions} under `policy`, then
 * {@link secondarySuppressions} so that margins cannot give the suppressed cells away.
 *
 * Returns every suppression (primary in the order of `cells`, then secondary in the order they
 * were made) and the cells that may be released, in the order of `cells`, with `key`, `count`
 * and `total` only: the `top` contributions are evidence for the check and never leave.
 *
 * @throws RangeError / TypeError as {@link secondarySuppressions} does, on a malformed table.
 * @example
 * const { suppressed, released } = controlDisclosure(cells, DEFAULT_DISCLOSURE_POLICY, { dimensions: 2 })
 */
export function controlDisclosure(
  cells: readonly AggregateCell[],
  policy: DisclosurePolicy,
  options: DisclosureOptions,
): DisclosureResult {
  const primary = primarySuppressions(cells, policy)
  const keys = new Set(primary.map((s) => encodeCellKey(s.key)))
  const secondary = secondarySuppressions(cells, keys, options)
  for (const s of secondary) keys.add(encodeCellKey(s.key))
  const released: AggregateCell[] = []
  for (const cell of cells) {
    if (keys.has(encodeCellKey(cell.key))) continue
    released.push(cell.total === undefined ? { key: [...cell.key], count: cell.count } : { key: [...cell.key], count: cell.count, total: cell.total })
  }
  return { suppressed: [...primary, ...secondary], released }
}
