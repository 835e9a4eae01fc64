/**
 * One declared aggregate, reduced from the units' contributions and protected before the product
 * sees it. Pure: same contributions, policy and noise source, same result.
 *
 * Statistical disclosure control (default):
 * - a cell's `count` is its number of contributing units; a cell with fewer than the minimum count
 *   is withheld whole (MIN_COUNT);
 * - `sum` and `mean` are withheld when a few units dominate the cell's total ((n,k) dominance) or
 *   the second largest could estimate the largest too closely (p%) — on each unit's contribution,
 *   bounded to the declared range;
 * - `min` and `max` only when at least the minimum count of units share the extreme value;
 *   `quantile` only when at least the minimum count lie on each side of it (EXTREME_VALUE);
 * - with every dimension closed (declared values or bands), every cell of the grid is released,
 *   empty ones as zeros (reported: a zero can itself tell something);
 * - a group of units all sharing one value of a dimension (class disclosure) is reported.
 *
 * Differential privacy (where the operator requires it): every cell of the closed grid is
 * released, its count and sums with discrete Laplace noise scaled to what one unit can change
 * (its cells × its bounded value) over this aggregate's share of ε; min, max and quantiles are not
 * released under it. Means are noisy sums over noisy counts (post-processing).
 */
import type { ProductManifest } from '../products/manifest.ts'
import { RuntimeError } from '../errors.ts'
import { primarySuppressions } from './disclosure-control.ts'
import { rationalScale, sampleDiscreteLaplace } from './discrete-laplace.ts'
import type { ReleasePolicy } from './release-policy.ts'
import { boundsOf, domainOf, type UnitContribution } from './unit-contributions.ts'

type AggregateSpec = NonNullable<ProductManifest['aggregates']>[string]
type Measure = NonNullable<AggregateSpec['measures']>[string]

/** A cell as the product will see it. */
export type ReleasedCell = { readonly by: Readonly<Record<string, string>>; readonly count: number; readonly values: Readonly<Record<string, number>> }

export type WithheldRule = 'MIN_COUNT' | 'DOMINANCE' | 'P_PERCENT' | 'EXTREME_VALUE' | 'RESIDUAL_DF'

/** A cell with the units behind it (host only: for the audit across releases). */
export type CellMembers<U = number> = { readonly key: string; readonly units: readonly U[] }

export type ProtectedAggregate<U = number> = {
  readonly released: {
    readonly cells: readonly ReleasedCell[]
    readonly suppressed: number
    readonly noise?: { readonly mechanism: 'discrete-laplace'; readonly epsilon: number; readonly scale: Readonly<Record<string, number>> }
  }
  /** Released cells and the units they count (empty cells included, with no units). */
  readonly members: readonly CellMembers<U>[]
  /** Cells withheld by the primary rules, with their units: what later releases must not give away. */
  readonly withheld: readonly CellMembers<U>[]
  /** What the reviewers' report says of this aggregate. */
  readonly report: {
    readonly cells: number
    readonly released: number
    readonly withheld: Readonly<Partial<Record<WithheldRule, number>>>
    readonly zeros: number
    readonly classDisclosures: number
  }
}

export type PrivacyShare = { readonly epsilon: number }

/**
 * What the rules need to know of one measure over one cell's units (each unit's value already
 * bounded): reduced here from contributions, or by DuckDB for a declared aggregate.
 * - `total` (sum, mean): the units with a value, their total, the total of magnitudes, the largest
 *   magnitudes (descending, at least two), and the total of each unit's value rounded (noise);
 * - `extreme` (min, max): the value, and how many units share it;
 * - `quantile`: the value, and how many units lie at or below it, and at or above it;
 * - `fit` (regression): the coefficients, or the rule that withholds them.
 */
export type MeasureSummary =
  | { readonly kind: 'total'; readonly n: number; readonly total: number; readonly magnitude: number; readonly top: readonly number[]; readonly rounded: number }
  | { readonly kind: 'extreme'; readonly n: number; readonly value: number; readonly sharing: number }
  | { readonly kind: 'quantile'; readonly n: number; readonly value: number; readonly below: number; readonly above: number }
  | { readonly kind: 'fit'; readonly fit: Readonly<Record<string, number>> | 'RESIDUAL_DF' }

/** One cell of an aggregate before protection: its key, its units (positions or ids), and what the rules need of each measure with values. */
export type CellSummary<U = number> = { readonly key: readonly string[]; readonly units: readonly U[]; readonly measures: Readonly<Record<string, MeasureSummary>> }

const SEPARATOR = '\u0000'
/** Largest closed grid filled with its empty cells. */
const MAX_GRID = 100_000

/** How a unit's several values in one cell combine: sums add, extremes keep the extreme, a quantile's unit keeps its smallest. */
function combine(measure: Measure, previous: number | undefined, next: number): number {
  if (previous === undefined) return next
  if ('max' in measure) return Math.max(previous, next)
  if ('min' in measure || 'quantile' in measure) return Math.min(previous, next)
  if ('regression' in measure) return previous
  return previous + next
}

/** Residual degrees of freedom a regression needs before its coefficients may leave. */
const MIN_RESIDUAL_DF = 10

/** The key of a cell as one string. */
export function cellKeyOf(key: readonly string[]): string {
  return key.join(SEPARATOR)
}

/** Each cell's units and their bounded values (a unit's several contributions to one cell combined, then clamped). */
function reduce(spec: AggregateSpec, contributions: readonly UnitContribution[]): Map<string, { key: string[]; perUnit: Map<number, Record<string, number>> }> {
  const measures = spec.measures ?? {}
  const cells = new Map<string, { key: string[]; perUnit: Map<number, Record<string, number>> }>()
  for (const c of contributions) {
    const key = cellKeyOf(c.key)
    let cell = cells.get(key)
    if (cell === undefined) {
      cell = { key: [...c.key], perUnit: new Map() }
      cells.set(key, cell)
    }
    const own = cell.perUnit.get(c.unit) ?? {}
    for (const [name, m] of Object.entries(measures)) {
      const v = c.values[name]
      if (v !== undefined) own[name] = combine(m, own[name], v)
      // a regression's regressors, kept with the unit's value (its first contribution to the cell)
      if ('regression' in m) for (const x of m.regression.x) if (c.values[x] !== undefined && own[x] === undefined) own[x] = c.values[x]
    }
    cell.perUnit.set(c.unit, own)
  }
  // a unit's total in a cell stays within the declared bounds too (several contributions to one cell)
  for (const cell of cells.values()) {
    for (const own of cell.perUnit.values()) {
      for (const [name, m] of Object.entries(measures)) {
        if (own[name] === undefined) continue
        const { min, max } = boundsOf(m)
        own[name] = Math.min(max, Math.max(min, own[name]!))
      }
    }
  }
  return cells
}

/** How many of the largest magnitudes a `total` summary keeps: the dominance rule's n, and two for the p% rule. */
export function topCount(policy: ReleasePolicy): number {
  return Math.max(2, policy.dominance.n)
}

/** What the rules need of one measure over a cell's values, or undefined when no unit gave a value. */
function summarizeMeasure(name: string, m: Measure, units: readonly Record<string, number>[], top: number): MeasureSummary | undefined {
  if ('regression' in m) return { kind: 'fit', fit: regressionValues(name, m, units) }
  const values = units.map((own) => own[name]).filter((v): v is number => v !== undefined)
  if (values.length === 0) return undefined
  if ('sum' in m || 'mean' in m) {
    const magnitudes = values.map(Math.abs).sort((a, b) => b - a)
    return {
      kind: 'total',
      n: values.length,
      total: values.reduce((a, b) => a + b, 0),
      magnitude: magnitudes.reduce((a, b) => a + b, 0),
      top: magnitudes.slice(0, top),
      rounded: values.reduce((a, b) => a + Math.round(b), 0),
    }
  }
  const sorted = [...values].sort((a, b) => a - b)
  if ('min' in m || 'max' in m) {
    const value = 'min' in m ? sorted[0]! : sorted[sorted.length - 1]!
    return { kind: 'extreme', n: values.length, value, sharing: sorted.filter((v) => v === value).length }
  }
  const value = sorted[Math.max(0, Math.ceil(m.quantile.q * sorted.length) - 1)]!
  return { kind: 'quantile', n: values.length, value, below: sorted.filter((x) => x <= value).length, above: sorted.filter((x) => x >= value).length }
}

/** The cells of an aggregate from its units' contributions, summarized for the rules. */
export function summarizeContributions(spec: AggregateSpec, contributions: readonly UnitContribution[], policy: ReleasePolicy): CellSummary[] {
  const measures = Object.entries(spec.measures ?? {})
  return [...reduce(spec, contributions).values()].map((cell) => {
    const units = [...cell.perUnit.values()]
    const summaries: Record<string, MeasureSummary> = {}
    for (const [name, m] of measures) {
      const s = summarizeMeasure(name, m, units, topCount(policy))
      if (s !== undefined) summaries[name] = s
    }
    return { key: cell.key, units: [...cell.perUnit.keys()], measures: summaries }
  })
}

/** Every cell of a closed grid (all dimensions closed), or undefined. */
function grid(spec: AggregateSpec): string[][] | undefined {
  const domains = Object.values(spec.by).map(domainOf)
  if (domains.some((d) => d === undefined)) return undefined
  let size = 1
  for (const d of domains) size *= d!.length
  if (size > MAX_GRID) return undefined
  let keys: string[][] = [[]]
  for (const d of domains) keys = keys.flatMap((k) => d!.map((v) => [...k, v]))
  return keys
}

function byOf(spec: AggregateSpec, key: readonly string[]): Record<string, string> {
  const by: Record<string, string> = {}
  Object.keys(spec.by).forEach((dim, i) => (by[dim] = key[i]!))
  return by
}

/** Groups (lines along one dimension) whose whole population sits in one cell: class disclosure. */
function classDisclosures(spec: AggregateSpec, counts: ReadonlyMap<string, { key: readonly string[]; count: number }>, minCount: number): number {
  const dims = Object.keys(spec.by).length
  if (dims < 2) return 0
  let found = 0
  for (let d = 0; d < dims; d++) {
    const lines = new Map<string, { total: number; occupied: number }>()
    for (const { key, count } of counts.values()) {
      const rest = key.filter((_, i) => i !== d).join(SEPARATOR)
      const line = lines.get(rest) ?? { total: 0, occupied: 0 }
      line.total += count
      if (count > 0) line.occupied++
      lines.set(rest, line)
    }
    for (const line of lines.values()) if (line.total >= minCount && line.occupied === 1) found++
  }
  return found
}

/**
 * Ordinary least squares of y on the regressors (with an intercept), by the normal equations:
 * the coefficients, or undefined when the design is singular.
 */
export function leastSquares(rows: readonly { readonly y: number; readonly x: readonly number[] }[]): number[] | undefined {
  const p = (rows[0]?.x.length ?? 0) + 1
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0))
  for (const { y, x } of rows) {
    const v = [1, ...x]
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) a[i]![j]! += v[i]! * v[j]!
      a[i]![p]! += v[i]! * y
    }
  }
  for (let col = 0; col < p; col++) {
    let pivot = col
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r
    if (Math.abs(a[pivot]![col]!) < 1e-9) return undefined
    ;[a[col], a[pivot]] = [a[pivot]!, a[col]!]
    for (let r = 0; r < p; r++) {
      if (r === col) continue
      const f = a[r]![col]! / a[col]![col]!
      for (let c = col; c <= p; c++) a[r]![c]! -= f * a[col]![c]!
    }
  }
  return a.map((row, i) => row[p]! / row[i]!)
}

/** A regression's coefficients over a cell's units, or the rule that withholds them. */
function regressionValues(name: string, m: Extract<Measure, { regression: unknown }>, units: readonly Record<string, number>[]): Record<string, number> | 'RESIDUAL_DF' {
  const rows = units.filter((own) => own[name] !== undefined && m.regression.x.every((x) => own[x] !== undefined)).map((own) => ({ y: own[name]!, x: m.regression.x.map((x) => own[x]!) }))
  if (rows.length - (m.regression.x.length + 1) < MIN_RESIDUAL_DF) return 'RESIDUAL_DF'
  const coefficients = leastSquares(rows)
  if (coefficients === undefined) return 'RESIDUAL_DF'
  const out: Record<string, number> = { [`${name}:intercept`]: coefficients[0]! }
  m.regression.x.forEach((x, i) => (out[`${name}:${x}`] = coefficients[i + 1]!))
  return out
}

/** The released value(s) of one measure of a cell, or the rule that withholds them. */
function measureValues(name: string, measure: Measure, s: MeasureSummary, policy: ReleasePolicy): Record<string, number> | WithheldRule {
  switch (s.kind) {
    case 'fit':
      return s.fit
    case 'total': {
      const failing = primarySuppressions([{ key: [], count: s.n, total: s.magnitude, top: s.top }], { ...policy, minCount: 0 })
      if (failing.length > 0) return failing[0]!.rule === 'P_PERCENT' ? 'P_PERCENT' : 'DOMINANCE'
      return { [name]: 'sum' in measure ? s.total : s.total / s.n }
    }
    case 'extreme':
      return s.sharing >= policy.minCount ? { [name]: s.value } : 'EXTREME_VALUE'
    case 'quantile':
      return s.below >= policy.minCount && s.above >= policy.minCount ? { [name]: s.value } : 'EXTREME_VALUE'
  }
}

/** Statistical disclosure control of one aggregate, from its units' contributions. */
export function protectAggregate(spec: AggregateSpec, contributions: readonly UnitContribution[], policy: ReleasePolicy): ProtectedAggregate {
  return protectSummaries(spec, summarizeContributions(spec, contributions, policy), policy)
}

/** Statistical disclosure control of one aggregate, from its cells' summaries. */
export function protectSummaries<U>(spec: AggregateSpec, summaries: readonly CellSummary<U>[], policy: ReleasePolicy): ProtectedAggregate<U> {
  // cells in a canonical order (the grid's, or by key), never in the order of the data
  const given = new Map<string, CellSummary<U>>(summaries.map((c) => [cellKeyOf(c.key), c]))
  const closed = grid(spec)
  const cells = new Map<string, CellSummary<U>>()
  if (closed !== undefined) {
    for (const key of closed) {
      const k = cellKeyOf(key)
      cells.set(k, given.get(k) ?? { key, units: [], measures: {} })
    }
  } else {
    for (const k of [...given.keys()].sort()) cells.set(k, given.get(k)!)
  }
  const measures = Object.entries(spec.measures ?? {})
  const released: ReleasedCell[] = []
  const members: CellMembers<U>[] = []
  const withheld: CellMembers<U>[] = []
  const withheldRules: Partial<Record<WithheldRule, number>> = {}
  const count = (rule: WithheldRule) => (withheldRules[rule] = (withheldRules[rule] ?? 0) + 1)
  let zeros = 0
  const counts = new Map<string, { key: readonly string[]; count: number }>()
  for (const [k, cell] of cells) {
    const n = cell.units.length
    counts.set(k, { key: cell.key, count: n })
    if (n > 0 && n < policy.minCount) {
      count('MIN_COUNT')
      withheld.push({ key: k, units: cell.units })
      continue
    }
    if (n === 0) zeros++
    const values: Record<string, number> = {}
    for (const [name, m] of measures) {
      const s = cell.measures[name]
      if (s === undefined) {
        // nobody gave a value: a sum is zero, the rest has no value
        if ('sum' in m) values[name] = 0
        continue
      }
      const v = measureValues(name, m, s, policy)
      if (typeof v === 'string') count(v)
      else Object.assign(values, v)
    }
    released.push({ by: byOf(spec, cell.key), count: n, values })
    members.push({ key: k, units: cell.units })
  }
  return {
    released: { cells: released, suppressed: withheld.length },
    members,
    withheld,
    report: { cells: cells.size, released: released.length, withheld: withheldRules, zeros, classDisclosures: classDisclosures(spec, counts, policy.minCount) },
  }
}

/**
 * Differentially private release of one aggregate over its closed grid: every cell's count and
 * sums with discrete Laplace noise of scale (L1 sensitivity) / ε. A unit changes at most
 * `maxCellsPerUnit` cells, each by 1 in count and by at most max(|min|, |max|) in a sum (rounded
 * up to whole units: sums are released as integers, of each unit's rounded value). ε is split
 * evenly over the count and the sum measures. Min, max and quantile measures are not released
 * under differential privacy.
 */
export function privatizeAggregate(spec: AggregateSpec, contributions: readonly UnitContribution[], share: PrivacyShare, policy: ReleasePolicy, noise?: (num: number, den: number) => number): ProtectedAggregate {
  return privatizeSummaries(spec, summarizeContributions(spec, contributions, policy), share, noise)
}

/** {@link privatizeAggregate} from the cells' summaries. */
export function privatizeSummaries<U>(spec: AggregateSpec, summaries: readonly CellSummary<U>[], share: PrivacyShare, noise: (num: number, den: number) => number = sampleDiscreteLaplace): ProtectedAggregate<U> {
  const keys = grid(spec)
  if (keys === undefined) {
    throw new RuntimeError('ERR_PRODUCT_INVALID', 'Under differential privacy every dimension of an aggregate is closed (declared values or bands)', { details: { rule: 'DP_OPEN_DIMENSION' } })
  }
  const cells = new Map(summaries.map((c) => [cellKeyOf(c.key), c]))
  const sums = Object.entries(spec.measures ?? {}).filter(([, m]) => 'sum' in m || 'mean' in m)
  const perCells = spec.maxCellsPerUnit ?? 1
  const epsilon = share.epsilon / (1 + sums.length)
  const scale: Record<string, number> = { count: perCells / epsilon }
  for (const [name, m] of sums) {
    const { min, max } = boundsOf(m)
    scale[name] = (perCells * Math.ceil(Math.max(Math.abs(min), Math.abs(max)))) / epsilon
  }
  const noisy = (value: number, b: number) => {
    const { num, den } = rationalScale(b)
    return value + noise(num, den)
  }
  const released: ReleasedCell[] = keys.map((key) => {
    const cell = cells.get(cellKeyOf(key))
    const count = noisy(cell?.units.length ?? 0, scale.count!)
    const values: Record<string, number> = {}
    for (const [name, m] of sums) {
      const s = cell?.measures[name]
      const sum = noisy(s?.kind === 'total' ? s.rounded : 0, scale[name]!)
      values[name] = 'sum' in m ? sum : count > 0 ? sum / count : 0
    }
    return { by: byOf(spec, key), count, values }
  })
  return {
    released: { cells: released, suppressed: 0, noise: { mechanism: 'discrete-laplace', epsilon: share.epsilon, scale } },
    members: [],
    withheld: [],
    report: { cells: keys.length, released: keys.length, withheld: {}, zeros: 0, classDisclosures: 0 },
  }
}
