/**
 * Where generated rows go. The generator knows nothing of the store: the runtime's builder
 * implements this over DuckDB appenders, tests over arrays.
 */
import type { TruthTableName } from './truth-tables.ts'

export type CellValue = string | number | boolean | null

export type RowWriter = {
  /** One row, its values in the order of the columns the writer was opened with. */
  row(values: readonly CellValue[]): void
}

export type TruthColumn = { readonly name: string; readonly type: 'text' | 'integer' | 'decimal' }

export type TableSink = {
  /** A catalog table; `columns` are field names of its definition. */
  open(table: string, columns: readonly string[]): RowWriter
  /** A ground-truth table of TRUTH_TABLES (kept outside the catalog: no scenario can ever approve it). */
  openTruth(name: TruthTableName): RowWriter
}
