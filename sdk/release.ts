/**
 * What a dataset or report releases, declared so that the runtime — not the product — computes
 * and protects every number that leaves (docs/disclosure-control.md: "the runtime computes every aggregate
 * it releases and the evidence behind it").
 *
 * A batch product names its statistical unit (`unit`: the scenario table whose key identifies a
 * contributor, a person, an enterprise, a dwelling). Its `classify` runs once per unit, in an
 * execution of its own, over that unit's rows only, and returns the unit's contributions: to
 * which cell of each declared aggregate it belongs and with which bounded values, and (datasets)
 * the unit's row. The runtime counts each cell's contributors, bounds and sums the values, applies
 * the disclosure rules (minimum count, dominance, p%, or differential privacy where the operator
 * requires it), audits the cells against what the consumer received before, and only then hands
 * the protected results to `run`, which shapes the output from them and nothing else.
 */
import type { Cell } from './context.ts'

/**
 * A dimension of an aggregate: the values a cell key may take.
 * - `values`: a closed list (codes, labels); contributions outside it are refused. Every listed
 *   value is a cell, empty ones included (zeros are released as such, and reported).
 * - `edges`: numeric bands fixed in advance, ascending: the contribution gives a number, the runtime
 *   puts it in `[edges[i], edges[i+1])` (labels `a-b`; below the first edge `<a`, from the last `>=b`).
 *   Band edges come from the manifest, never from the data.
 * - `pattern`: open text (a district code, a compound's name) matching an anchored pattern, at
 *   most `maxLength` characters; only cells that pass the rules are released.
 */
export type Dimension =
  | { readonly values: readonly string[] }
  | { readonly edges: readonly number[] }
  | { readonly pattern: string; readonly maxLength: number }

/**
 * A measure of an aggregate, over a value each contribution gives (`values[name]`), bounded:
 * - `sum` and `mean`: a unit's values in a cell are added and clamped to `[min, max]` (bounded
 *   contribution, so that the dominance and p% rules, and noise, have a scale);
 * - `min`, `max`: released only when at least the minimum count of contributors share the value;
 * - `quantile` (`q` in (0, 1)): released only when at least the minimum count lie on each side;
 * - `regression`: an ordinary least-squares fit of this value on the values named in `x` (each
 *   contribution gives them too; all bounded to `[min, max]`), released as coefficients
 *   (`name:intercept`, `name:<x>`) only when its residual degrees of freedom (units − terms) are
 *   at least 10; residuals and per-unit predictions never leave.
 * Every cell also has `count`, its number of contributing units.
 */
export type Measure =
  | { readonly sum: { readonly min: number; readonly max: number } }
  | { readonly mean: { readonly min: number; readonly max: number } }
  | { readonly min: { readonly min: number; readonly max: number } }
  | { readonly max: { readonly min: number; readonly max: number } }
  | { readonly quantile: { readonly q: number; readonly min: number; readonly max: number } }
  | { readonly regression: { readonly x: readonly string[]; readonly min: number; readonly max: number } }

/**
 * Which rows of the unit table a declared aggregate counts, per field: one of a list of values, a
 * numeric range (bounds included), or equal to a member of the call's input (one of its values when
 * that member is a list). Filters are part of the query the runtime computes and audits.
 */
export type RowFilter =
  | { readonly in: readonly (string | number)[] }
  | { readonly min?: number; readonly max?: number }
  | { readonly input: string }

/**
 * Where the runtime reads a declared aggregate from: fields of the unit table. `by` names, per
 * dimension, the field whose value is the cell's key (banded by `edges`, kept when in `values` or
 * matching `pattern`); `values` names, per measure, the numeric field it measures; `where` keeps
 * the rows it counts. A row whose field is empty or outside its dimension counts in no cell.
 */
export type AggregateSource = {
  readonly by: Readonly<Record<string, string>>
  readonly values?: Readonly<Record<string, string>>
  readonly where?: Readonly<Record<string, RowFilter>>
}

/**
 * An aggregate table: cells keyed by `by`, each with its contributors' `count` and `measures`.
 * `maxCellsPerUnit` bounds in how many cells of this table one unit may contribute (default 1).
 *
 * With `from`, the aggregate is declared: the runtime computes it from the unit table itself (in
 * the database, over the scenario's masked view), and `classify` gives nothing to it. Use it
 * whenever a cell key and a value are fields of the unit table; it is the fast path (no execution
 * per unit). Without `from`, each unit's `classify` says where it counts (the partner's logic).
 * A unit with several rows in a cell counts once; its values add (sum, mean), keep the extreme
 * (min, max) or its smallest (quantile). Regressions need `classify`.
 * @example { by: { district: { pattern: '^\\d{6}$', maxLength: 6 } }, measures: { m3: { sum: { min: 0, max: 500 } } } }
 * @example { by: { district: { pattern: '^\\d{6}$', maxLength: 6 } }, from: { by: { district: 'district_code' }, where: { living_arrangement: { in: ['独居'] } } } }
 */
export type AggregateSpec = {
  readonly by: Readonly<Record<string, Dimension>>
  readonly measures?: Readonly<Record<string, Measure>>
  readonly maxCellsPerUnit?: number
  readonly from?: AggregateSource
}

/**
 * A field of a released row: a closed list, an anchored pattern, a bounded number, a boolean, or
 * a list of codes.
 */
export type RowField =
  | { readonly values: readonly string[] }
  | { readonly pattern: string; readonly maxLength: number }
  | { readonly min: number; readonly max: number }
  | { readonly boolean: true }
  | { readonly codes: readonly string[] }

/**
 * Row-level release (datasets only): one row per unit `classify` selects, with these fields. The
 * runtime adds `unit`, the unit's pseudonym for this consumer (or, where the operator approved
 * identifiers for a public-governance consumer, its identifier), and releases rows only where the
 * scenario allows row-level release to that consumer. Rows whose `quasi` fields (quasi-identifiers:
 * a district, a month) are shared by fewer than the minimum count of rows are withheld
 * (k-anonymity).
 */
export type RowSpec = {
  readonly fields: Readonly<Record<string, RowField>>
  readonly quasi: readonly string[]
}

/** One contribution of a unit to an aggregate: its cell, and its values for the measures. */
export type Contribution = {
  readonly by: Readonly<Record<string, string | number>>
  readonly values?: Readonly<Record<string, number>>
}

/**
 * What `classify` returns for one unit: per aggregate, its contribution(s) (none when absent); and
 * for datasets with `rows`, its row, or null when the unit is not released.
 */
export type UnitContributions = {
  readonly aggregates?: Readonly<Record<string, Contribution | readonly Contribution[]>>
  readonly row?: Readonly<Record<string, Cell | readonly string[]>> | null
}

/** One released cell of an aggregate. `values` holds the measures that passed; a withheld measure is absent. */
export type ReleasedCell = {
  readonly by: Readonly<Record<string, string>>
  readonly count: number
  readonly values: Readonly<Record<string, number>>
}

/** An aggregate as released: the cells that passed, how many were withheld, and any noise. */
export type ReleasedAggregate = {
  readonly cells: readonly ReleasedCell[]
  /** Cells withheld by the rules (their keys are not shown). */
  readonly suppressed: number
  /**
   * Under differential privacy: the noise added (discrete Laplace) and its scale per measure, so
   * that a reader can put an interval around each figure; absent otherwise.
   */
  readonly noise?: { readonly mechanism: 'discrete-laplace'; readonly epsilon: number; readonly scale: Readonly<Record<string, number>> }
}

/** A released row: the unit's pseudonym for this consumer (or identifier) and the declared fields. */
export type ReleasedRow = Readonly<Record<string, Cell | readonly string[]>> & { readonly unit: string }

/**
 * Context of a `dataset` or `report` product's `run`: the protected results, and nothing else. No
 * table, no row of the scenario is reachable here: whatever `run` returns is a function of what the
 * runtime released (post-processing never discloses more than its inputs).
 */
export interface ReleasedContext {
  readonly kind: 'released'
  readonly asOf: string
  /**
   * A declared aggregate (or encrypted aggregate) as released: cells that passed the rules.
   * @example
   * ```ts
   * const { cells, suppressed } = ctx.aggregate('by_compound')
   * const rates = cells.map((c) => ({ compound: c.by.compound, rate: c.values.livedIn / c.count }))
   * ```
   */
  aggregate(name: string): ReleasedAggregate
  /** Datasets with `rows`: the released rows, and how many were withheld (k-anonymity on the quasi-identifiers). */
  rows(): { readonly rows: readonly ReleasedRow[]; readonly withheld: number }
  /** How many units `classify` ran over (the population scanned); null when the audit across releases withheld it. */
  readonly units: number | null
  log(message: string): void
}
