/**
 * What partner code may call. Everything here is implemented inside the sandbox by the runtime
 * (runtime/sandbox/isolate-prelude.ts mirrors these interfaces); nothing reaches the host.
 *
 * Contract, for every context:
 * - Each call (each unit, for `classify`) is an execution of its own: nothing it leaves behind is
 *   visible to the next (the product's module is evaluated anew; the shared realm is frozen).
 * - Only the tables and fields of the product's approved scenario exist. Asking for any other
 *   table throws; other fields are simply absent.
 * - Values arrive masked as the operator approved (pseudonyms, partial masks, bands).
 * - There is no clock finer than `asOf` (the day the data describes), no network, no files,
 *   no timers. `log` is bounded (64 lines of 500 characters) and goes to the audit stream only.
 */

/** One value of a row. Dates are `YYYY-MM-DD` strings, periods `YYYYMM`. */
export type Cell = string | number | boolean | null

/** One row of an approved table: approved fields only. */
export type Row = Readonly<Record<string, Cell>>

/** Context of an `api` product: the rows of the one entity the call is about. */
export interface EntityContext {
  readonly kind: 'entity'
  /** The as-of day of the data, `YYYY-MM-DD`. */
  readonly asOf: string
  /**
   * Rows of `table` about the requested entity (possibly none).
   * @example
   * ```ts
   * const arrears = ctx.rows('tax_arrears').filter((r) => r.status !== '已缴清')
   * ```
   */
  rows(table: string): readonly Row[]
  /**
   * The same rows column by column, with no row objects: cheaper where an entity has thousands of
   * rows (an employer's social-insurance months). Text comes dictionary-coded; `date` gives days.
   * @example
   * ```ts
   * const months = ctx.columns('social_insurance_payment').text('period')
   * const distinct = new Set(months.codes).size
   * ```
   */
  columns(table: string): ColumnChunk
  /** A line for the restricted audit stream (bounded; never shown to consumers). */
  log(message: string): void
}

/** Text values of a column chunk, dictionary-encoded. */
export interface TextColumn {
  /** Index into `dictionary` per row, or -1 for null. */
  readonly codes: Int32Array
  readonly dictionary: readonly string[]
  /** The value of row `i`, or null. */
  value(i: number): string | null
}

/** One entity's table (or one unit's, for `classify`), column by column. */
export interface ColumnChunk {
  readonly length: number
  /** Numeric field (integer or decimal); NaN where null. */
  number(field: string): Float64Array
  /** Date field as days since 1970-01-01; -2147483648 where null. */
  date(field: string): Int32Array
  /** Text field, dictionary-encoded. */
  text(field: string): TextColumn
  /** Whether the approved table has this field. */
  has(field: string): boolean
}

/** Null marker of `ColumnChunk.date`. */
export const NULL_DAY = -2147483648
