/**
 * The one-entity path: the scenario's approved columns held in memory and indexed by entity
 * key, so that a call finds its rows in microseconds without SQL. Built from the store (later:
 * from the scenario's masked views) and rebuilt when the store changes.
 *
 * Memory: text is dictionary-coded (Int32 per value), numbers Float64; the key index is in
 * compressed-row form (offsets + row ids, 8 bytes per row); one Int32 scratch per table as long as
 * its largest text dictionary, for sending an entity's rows dictionary-coded (entity-wire.ts).
 */
import { statSync } from 'node:fs'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { RuntimeError } from '../errors.ts'
import type { Store } from '../store/open-store.ts'
import { cellValue, readColumns } from '../store/read-columns.ts'
import type { WireColumn, WireTable } from '../sandbox/wire.ts'
import type { EntityRows } from '../products/run-product.ts'
import type { GuardedValues } from '../release/api-output-rules.ts'
import { encodeColumn, UNSEEN, type EntityWire, type EntityWireColumn, type EntityWireTable } from './entity-wire.ts'

export type EntityTableSpec = {
  readonly table: string
  /** The field holding the entity key in this table. */
  readonly key: string
  /** Fields handed to the product (the key field is included only if listed). */
  readonly fields: readonly string[]
  /** Fields (among `fields`) whose values may not appear in an answer (api-output-rules.ts). */
  readonly guarded?: readonly string[]
}

type IndexedTable = {
  readonly spec: EntityTableSpec
  readonly data: WireTable
  readonly keyIds: Map<string, number>
  readonly offsets: Int32Array
  readonly rowIds: Int32Array
  /** One slot per entry of the largest text dictionary, for re-coding an entity's values (entity-wire.ts). */
  readonly scratch: Int32Array
}

export type EntityIndex = {
  /** The rows of every table for one key (empty lists where the entity has none). */
  lookup(key: string): EntityRows
  /** The same rows in the form they travel to the sandbox in (columns, dictionary-coded). */
  lookupWire(key: string): EntityWire
  /** The values of the entity's guarded fields: texts (masked) and numbers, for the answer check. */
  guardedValues(key: string): GuardedValues
  /** Whether any table has a row for the key. */
  has(key: string): boolean
  /** Up to `n` keys of the table that knows the most entities, in stored order (dev runs on synthetic data). */
  sampleKeys(n: number): string[]
  /** True when the store file changed since the index was built. */
  isStale(): boolean
  readonly rows: number
}

export async function loadEntityIndex(store: Store, catalog: Pick<Catalog, 'table'>, specs: readonly EntityTableSpec[]): Promise<EntityIndex> {
  const data = new Map<string, WireTable>()
  for (const spec of specs) {
    const definition = catalog.table(spec.table)
    if (definition === undefined) {
      throw new RuntimeError('ERR_SCENARIO_FIELD_UNKNOWN', 'The scenario names a table the catalog does not have', { details: { table: spec.table } })
    }
    const wanted = [...new Set([spec.key, ...spec.fields])]
    const fields = wanted.map((name) => {
      const f = definition.fields.find((x) => x.name === name)
      if (f === undefined) {
        throw new RuntimeError('ERR_SCENARIO_FIELD_UNKNOWN', 'The scenario names a field the catalog does not have', { details: { table: spec.table, field: name } })
      }
      return f
    })
    data.set(spec.table, await readColumns(store, definition, fields))
  }
  const mtime = statSync(store.path).mtimeMs
  return buildEntityIndex(specs, data, () => statSync(store.path).mtimeMs !== mtime)
}

/** An index over columns already in memory (`data` holds each table's key and fields). */
export function buildEntityIndex(specs: readonly EntityTableSpec[], data: ReadonlyMap<string, WireTable>, isStale: () => boolean): EntityIndex {
  const tables = specs.map((spec) => indexTable(spec, data.get(spec.table)!))
  return {
    lookup(key) {
      const out: Record<string, { columns: readonly string[]; rows: unknown[][] }> = {}
      for (const t of tables) out[t.spec.table] = { columns: t.spec.fields, rows: rowsOf(t, key) }
      return out
    },
    lookupWire(key) {
      const out: Record<string, EntityWireTable> = {}
      for (const t of tables) out[t.spec.table] = wireOf(t, key)
      return out
    },
    guardedValues(key) {
      const texts = new Set<string>()
      const numbers = new Set<number>()
      for (const t of tables) {
        const id = t.keyIds.get(key)
        if (id === undefined || t.spec.guarded === undefined) continue
        for (const f of t.spec.guarded) {
          const column = t.data.columns[f]
          if (column === undefined) continue
          for (let j = t.offsets[id]!; j < t.offsets[id + 1]!; j++) {
            const i = t.rowIds[j]!
            if (column.kind === 'text') {
              const c = column.codes[i]!
              if (c >= 0) texts.add(column.dictionary[c]!)
            } else if (column.kind === 'number') {
              const v = column.values[i]!
              if (!Number.isNaN(v)) numbers.add(v)
            }
          }
        }
      }
      return { texts, numbers }
    },
    has: (key) => tables.some((t) => t.keyIds.has(key)),
    sampleKeys(n) {
      // the table that knows the most entities (e.g. the registry rather than a court list)
      const widest = tables.reduce<IndexedTable | undefined>((best, t) => (best === undefined || t.keyIds.size > best.keyIds.size ? t : best), undefined)
      return [...(widest?.keyIds.keys() ?? [])].slice(0, n)
    },
    isStale,
    rows: tables.reduce((n, t) => n + t.data.length, 0),
  }
}

function indexTable(spec: EntityTableSpec, data: WireTable): IndexedTable {
  const keyColumn = data.columns[spec.key] as Extract<WireColumn, { kind: 'text' }>
  if (keyColumn === undefined || keyColumn.kind !== 'text') {
    throw new RuntimeError('ERR_SCENARIO_FIELD_UNKNOWN', 'The key field of a scenario table must be text', { details: { table: spec.table, field: spec.key } })
  }
  // dictionary code == key id: count rows per key, prefix-sum, then place row ids
  const keys = keyColumn.dictionary.length
  const offsets = new Int32Array(keys + 1)
  for (let i = 0; i < data.length; i++) {
    const c = keyColumn.codes[i]!
    if (c >= 0) offsets[c + 1]!++
  }
  for (let k = 0; k < keys; k++) offsets[k + 1]! += offsets[k]!
  const cursor = offsets.slice(0, keys)
  const rowIds = new Int32Array(offsets[keys]!)
  for (let i = 0; i < data.length; i++) {
    const c = keyColumn.codes[i]!
    if (c >= 0) rowIds[cursor[c]!++] = i
  }
  const keyIds = new Map<string, number>()
  keyColumn.dictionary.forEach((k, i) => keyIds.set(k, i))
  // encoding is synchronous and restores every slot it used, so one scratch serves every field
  let largest = 0
  for (const f of spec.fields) {
    const column = data.columns[f]
    if (column?.kind === 'text') largest = Math.max(largest, column.dictionary.length)
  }
  return { spec, data, keyIds, offsets, rowIds, scratch: new Int32Array(largest).fill(UNSEEN) }
}

function wireOf(t: IndexedTable, key: string): EntityWireTable {
  const id = t.keyIds.get(key)
  const from = id === undefined ? 0 : t.offsets[id]!
  const to = id === undefined ? 0 : t.offsets[id + 1]!
  const values: Record<string, EntityWireColumn> = {}
  for (const f of t.spec.fields) values[f] = encodeColumn(t.data.columns[f]!, t.rowIds, from, to, t.scratch)
  return { columns: t.spec.fields, length: to - from, values }
}

function rowsOf(t: IndexedTable, key: string): unknown[][] {
  const id = t.keyIds.get(key)
  if (id === undefined) return []
  const columns = t.spec.fields.map((f) => t.data.columns[f]!)
  const rows: unknown[][] = []
  for (let j = t.offsets[id]!; j < t.offsets[id + 1]!; j++) {
    const i = t.rowIds[j]!
    rows.push(columns.map((c) => cellValue(c, i)))
  }
  return rows
}
