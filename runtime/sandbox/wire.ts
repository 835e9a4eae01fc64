/**
 * Data that crosses into a sandbox worker: entity rows (JSON text) and, for `classify`, a
 * scenario's tables grouped by unit (typed columns). Plain data only; structured-cloned over the
 * worker's IPC channel.
 */

export type WireColumn =
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'date'; readonly days: Int32Array }
  | { readonly kind: 'text'; readonly codes: Int32Array; readonly dictionary: readonly string[] }

export type WireTable = { readonly length: number; readonly columns: Readonly<Record<string, WireColumn>> }

/**
 * A scenario's data grouped by statistical unit, for `classify`: per table, its rows in unit order
 * (`data`) and where each unit's rows begin (`offsets`, `units + 1` entries, the last one
 * `data.length`). Unit `i` is the i-th key of the unit table; the keys stay with the host.
 */
export type UnitTables = {
  readonly units: number
  readonly tables: ReadonlyMap<string, { readonly data: WireTable; readonly offsets: Int32Array }>
}

/** Units per chunk handed into the isolate. */
export const UNITS_PER_CHUNK = 2048

/** Per table and field: its kind and, for text, its dictionary, as JSON (sent once per classification). */
export function unitMeta(units: UnitTables): string {
  const meta: Record<string, Record<string, { kind: string; dictionary?: readonly string[] }>> = {}
  for (const [name, { data }] of units.tables) {
    const fields: Record<string, { kind: string; dictionary?: readonly string[] }> = {}
    for (const [field, c] of Object.entries(data.columns)) fields[field] = c.kind === 'text' ? { kind: 'text', dictionary: c.dictionary } : { kind: c.kind }
    meta[name] = fields
  }
  return JSON.stringify(meta)
}

/**
 * Chunk `index` of units as the prelude expects it: per table, the rows of those units (ArrayBuffers
 * of exactly their bytes: isolated-vm copies a typed array's whole underlying buffer, so a view
 * would copy the column) and the offsets rebased to them; null past the last unit.
 */
export function sliceUnits(units: UnitTables, index: number): { units: number; tables: Record<string, unknown> } | null {
  const first = index * UNITS_PER_CHUNK
  if (first >= units.units) return null
  const last = Math.min(units.units, first + UNITS_PER_CHUNK)
  const tables: Record<string, unknown> = {}
  for (const [name, { data, offsets }] of units.tables) {
    const start = offsets[first]!
    const end = offsets[last]!
    const rebased = new Int32Array(last - first + 1)
    for (let u = first; u <= last; u++) rebased[u - first] = offsets[u]! - start
    const columns: Record<string, unknown> = {}
    for (const [field, c] of Object.entries(data.columns)) {
      if (c.kind === 'number') columns[field] = { kind: 'number', data: c.values.slice(start, end).buffer }
      else if (c.kind === 'date') columns[field] = { kind: 'date', data: c.days.slice(start, end).buffer }
      else columns[field] = { kind: 'text', data: c.codes.slice(start, end).buffer }
    }
    tables[name] = { offsets: rebased.buffer, columns }
  }
  return { units: last - first, tables }
}
