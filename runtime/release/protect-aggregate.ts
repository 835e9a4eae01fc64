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
export type CellMembers = { readonly key: string; readonly units: readonly number[] }

export type ProtectedAggregate = {
  readonly released: {
    readonly cells: readonly ReleasedCell[]
    readonly suppressed: number
    readonly noise?: { readonly mechanism: 'discrete-laplace'; readonly epsilon: number; readonly scale: Readonly<Record<string, number>> }
  }
  /** Released cells and the units they count (empty cells included, with no units). */
  readonly members: readonly CellMembers[]
  /** Cells withheld by the primary rules, with their units: what later releases must not give away. */
  readonly withheld: readonly CellMembers[]
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

type Reduced = { key: string[]; perUnit: Map<number, Record<string, number>> }

const SEPARATOR = '\u0000'
/** Largest closed grid filled with its empty cells. */
const MAX_GRID = 100_000

function combine(measure: Measure, previous: number | undefined, next: number): number {
  if (previous === undefined) return next
  if ('min' in measure) return Math.min(previous, next)
  if ('max' in measure) return Math.max(previous, next)
  if ('quantile' in measure || 'regression' in measure) return previous
  return previous + next
}

/** Residual degrees of freedom a regression needs before its coefficients may leave. */
const MIN_RESIDUAL_DF = 10

function reduce(spec: AggregateSpec, contributions: readonly UnitContribution[]): Map<string, Reduced> {
  const measures = spec.measures ?? {}
  const cells = new Map<string, Reduced>()
  for (const c of contributions) {
    const key = c.key.join(SEPARATOR)
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
function regressionValues(name: string, m: Extract<Measure, { regression: unknown }>, units: readonly Record<string, number>[]): Record<string, number> | WithheldRule {
  const rows = units.filter((own) => own[name] !== undefined && m.regression.x.every((x) => own[x] !== undefined)).map((own) => ({ y: own[name]!, x: m.regression.x.map((x) => own[x]!) }))
  if (rows.length - (m.regression.x.length + 1) < MIN_RESIDUAL_DF) return 'RESIDUAL_DF'
  const coefficients = leastSquares(rows)
  if (coefficients === undefined) return 'RESIDUAL_DF'
  const out: Record<string, number> = { [`${name}:intercept`]: coefficients[0]! }
  m.regression.x.forEach((x, i) => (out[`${name}:${x}`] = coefficients[i + 1]!))
  return out
}

/** The value of one measure over a cell's units, or the rule that withholds it. */
function measureValue(measure: Measure, values: readonly number[], policy: ReleasePolicy): number | WithheldRule {
  if ('sum' in measure || 'mean' in measure) {
    const total = values.reduce((a, b) => a + b, 0)
    const magnitudes = values.map(Math.abs)
    const top = [...magnitudes].sort((a, b) => b - a).slice(0, Math.max(2, policy.dominance.n))
    const failing = primarySuppressions([{ key: [], count: values.length, total: magnitudes.reduce((a, b) => a + b, 0), top }], { ...policy, minCount: 0 })
    if (failing.length > 0) return failing[0]!.rule === 'P_PERCENT' ? 'P_PERCENT' : 'DOMINANCE'
    return 'sum' in measure ? total : total / values.length
  }
  const sorted = [...values].sort((a, b) => a - b)
  if ('min' in measure || 'max' in measure) {
    const extreme = 'min' in measure ? sorted[0]! : sorted[sorted.length - 1]!
    const sharing = sorted.filter((v) => v === extreme).length
    return sharing >= policy.minCount ? extreme : 'EXTREME_VALUE'
  }
  if (!('quantile' in measure)) return 'EXTREME_VALUE'
  const q = measure.quantile.q
  const v = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!
  const below = sorted.filter((x) => x <= v).length
  const above = sorted.filter((x) => x >= v).length
  return below >= policy.minCount && above >= policy.minCount ? v : 'EXTREME_VALUE'
}

/** Statistical disclosure control of one aggregate. */
export function protectAggregate(spec: AggregateSpec, contributions: readonly UnitContribution[], policy: ReleasePolicy): ProtectedAggregate {
  const cells = reduce(spec, contributions)
  for (const key of grid(spec) ?? []) {
    const k = key.join(SEPARATOR)
    if (!cells.has(k)) cells.set(k, { key, perUnit: new Map() })
  }
  const measures = Object.entries(spec.measures ?? {})
  const released: ReleasedCell[] = []
  const members: CellMembers[] = []
  const withheld: CellMembers[] = []
  const withheldRules: Partial<Record<WithheldRule, number>> = {}
  const count = (rule: WithheldRule) => (withheldRules[rule] = (withheldRules[rule] ?? 0) + 1)
  let zeros = 0
  const counts = new Map<string, { key: readonly string[]; count: number }>()
  for (const [k, cell] of cells) {
    const n = cell.perUnit.size
    counts.set(k, { key: cell.key, count: n })
    const units = [...cell.perUnit.keys()]
    if (n > 0 && n < policy.minCount) {
      count('MIN_COUNT')
      withheld.push({ key: k, units })
      continue
    }
    if (n === 0) zeros++
    const values: Record<string, number> = {}
    for (const [name, m] of measures) {
      if (n === 0) {
        if ('sum' in m) values[name] = 0
        continue
      }
      if ('regression' in m) {
        const fit = regressionValues(name, m, [...cell.perUnit.values()])
        if (typeof fit === 'string') count(fit)
        else Object.assign(values, fit)
        continue
      }
      const per = [...cell.perUnit.values()].map((own) => own[name]).filter((v): v is number => v !== undefined)
      if (per.length === 0) {
        if ('sum' in m) values[name] = 0
        continue
      }
      const v = measureValue(m, per, policy)
      if (typeof v === 'number') values[name] = v
      else count(v)
    }
    released.push({ by: byOf(spec, cell.key), count: n, values })
    members.push({ key: k, units })
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
 * up to whole units: sums are released as integers). ε is split evenly over the count and the sum
 * measures. Min, max and quantile measures are not released under differential privacy.
 */
export function privatizeAggregate(spec: AggregateSpec, contributions: readonly UnitContribution[], share: PrivacyShare, noise: (num: number, den: number) => number = sampleDiscreteLaplace): ProtectedAggregate {
  const keys = grid(spec)
  if (keys === undefined) {
    throw new RuntimeError('ERR_PRODUCT_INVALID', 'Under differential privacy every dimension of an aggregate is closed (declared values or bands)', { details: { rule: 'DP_OPEN_DIMENSION' } })
  }
  const cells = reduce(spec, contributions)
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
    const cell = cells.get(key.join(SEPARATOR))
    const count = noisy(cell?.perUnit.size ?? 0, scale.count!)
    const values: Record<string, number> = {}
    for (const [name, m] of sums) {
      let total = 0
      for (const own of cell?.perUnit.values() ?? []) total += Math.round(own[name] ?? 0)
      const sum = noisy(total, scale[name]!)
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
