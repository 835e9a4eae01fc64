/**
 * Data that crosses into a sandbox worker: entity rows (JSON text) and batch tables (typed
 * columns). Plain data only; structured-cloned over the worker's IPC channel.
 */

export type WireColumn =
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'date'; readonly days: Int32Array }
  | { readonly kind: 'text'; readonly codes: Int32Array; readonly dictionary: readonly string[] }

export type WireTable = { readonly length: number; readonly columns: Readonly<Record<string, WireColumn>> }

/** Rows per chunk handed into the isolate. */
export const CHUNK_ROWS = 65_536

/**
 * One chunk of a table as the prelude expects it: ArrayBuffers of exactly the chunk's bytes
 * (isolated-vm copies a typed array's whole underlying buffer, so a view would copy the column)
 * and dictionaries.
 */
export function sliceChunk(table: WireTable, index: number): { length: number; columns: Record<string, unknown> } | null {
  const start = index * CHUNK_ROWS
  if (start >= table.length && !(index === 0 && table.length === 0)) return null
  if (table.length === 0) return index === 0 ? { length: 0, columns: {} } : null
  const end = Math.min(table.length, start + CHUNK_ROWS)
  const columns: Record<string, unknown> = {}
  for (const [name, c] of Object.entries(table.columns)) {
    if (c.kind === 'number') columns[name] = { kind: 'number', data: c.values.slice(start, end).buffer }
    else if (c.kind === 'date') columns[name] = { kind: 'date', data: c.days.slice(start, end).buffer }
    else columns[name] = { kind: 'text', data: c.codes.slice(start, end).buffer, dictionary: c.dictionary }
  }
  return { length: end - start, columns }
}
