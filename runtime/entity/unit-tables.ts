/**
 * A scenario's tables grouped by statistical unit, for a batch product's `classify`: the units are
 * the distinct keys of the unit table (in the order they first appear), and every table's rows are
 * put in unit order, with where each unit's rows begin. Rows whose key is no unit are left out (a
 * meter of an address outside the unit table belongs to no contributor). The keys themselves stay
 * here, on the host: the isolate sees units by position only.
 */
import { RuntimeError } from '../errors.ts'
import type { UnitTables, WireColumn, WireTable } from '../sandbox/wire.ts'

export type UnitGrouping = {
  readonly units: UnitTables
  /** The raw key of each unit, by position. */
  readonly keys: readonly string[]
  /** The id of each unit (unit-ids.ts), by position. */
  readonly ids: Float64Array
}

/**
 * Groups `tables` (each with its raw key column `keyColumn` and the unit table with its unit ids
 * `idColumn`, neither handed on) by the keys of `unitTable`.
 */
export function groupByUnit(tables: ReadonlyMap<string, WireTable>, unitTable: string, keyColumn: string, idColumn: string): UnitGrouping {
  const unit = tables.get(unitTable)
  if (unit === undefined) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The unit table is not in the approved scenario', { details: { table: unitTable } })
  const unitKeys = textColumnOf(unit, unitTable, keyColumn)
  const idColumnOf = unit.columns[idColumn]
  if (idColumnOf === undefined || idColumnOf.kind !== 'number') throw new RuntimeError('ERR_INTERNAL', 'The unit table is read without its unit ids')
  const ordinal = new Map<string, number>()
  const keys: string[] = []
  const idList: number[] = []
  for (let i = 0; i < unit.length; i++) {
    const code = unitKeys.codes[i]!
    if (code < 0) continue
    const key = unitKeys.dictionary[code]!
    if (!ordinal.has(key)) {
      ordinal.set(key, keys.length)
      keys.push(key)
      idList.push(idColumnOf.values[i]!)
    }
  }
  const grouped = new Map<string, { data: WireTable; offsets: Int32Array }>()
  for (const [name, table] of tables) grouped.set(name, groupTable(table, textColumnOf(table, name, keyColumn), ordinal, keys.length, [keyColumn, idColumn]))
  return { units: { units: keys.length, tables: grouped }, keys, ids: Float64Array.from(idList) }
}

function textColumnOf(table: WireTable, name: string, keyColumn: string): Extract<WireColumn, { kind: 'text' }> {
  const column = table.columns[keyColumn]
  if (column === undefined || column.kind !== 'text') {
    throw new RuntimeError('ERR_SCENARIO_INVALID', 'A scenario table of a batch product with units needs a text key field', { details: { table: name } })
  }
  return column
}

/** One table's rows in unit order (a counting sort by unit), without the key column. */
function groupTable(table: WireTable, keys: Extract<WireColumn, { kind: 'text' }>, ordinal: ReadonlyMap<string, number>, units: number, hostColumns: readonly string[]): { data: WireTable; offsets: Int32Array } {
  // the unit of each dictionary entry, then of each row
  const unitOfCode = Int32Array.from(keys.dictionary, (k) => ordinal.get(k) ?? -1)
  const offsets = new Int32Array(units + 1)
  for (let i = 0; i < table.length; i++) {
    const code = keys.codes[i]!
    const u = code < 0 ? -1 : unitOfCode[code]!
    if (u >= 0) offsets[u + 1]!++
  }
  for (let u = 0; u < units; u++) offsets[u + 1]! += offsets[u]!
  const order = new Int32Array(offsets[units]!)
  const cursor = offsets.slice(0, units)
  for (let i = 0; i < table.length; i++) {
    const code = keys.codes[i]!
    const u = code < 0 ? -1 : unitOfCode[code]!
    if (u >= 0) order[cursor[u]!++] = i
  }
  const columns: Record<string, WireColumn> = {}
  for (const [field, c] of Object.entries(table.columns)) {
    if (hostColumns.includes(field)) continue
    if (c.kind === 'number') columns[field] = { kind: 'number', values: Float64Array.from(order, (i) => c.values[i]!) }
    else if (c.kind === 'date') columns[field] = { kind: 'date', days: Int32Array.from(order, (i) => c.days[i]!) }
    else columns[field] = { kind: 'text', codes: Int32Array.from(order, (i) => c.codes[i]!), dictionary: c.dictionary }
  }
  return { data: { length: order.length, columns }, offsets }
}
