/** What a store holds: its build properties and the row count of each catalog table. */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { Store } from './open-store.ts'
import { META_SCHEMA, quoteIdentifier } from './schema.ts'

export type StoreInfo = {
  readonly properties: ReadonlyMap<string, string>
  /** Row count per catalog table; absent when the store lacks the table. */
  readonly rowCounts: ReadonlyMap<string, number>
}

/** The store's build properties alone (as_of, origin, built_at, …), without counting rows. */
export async function readStoreProperties(store: Store): Promise<ReadonlyMap<string, string>> {
  const properties = new Map<string, string>()
  const props = await store.connection.runAndReadAll(`SELECT key, value FROM ${META_SCHEMA}.properties ORDER BY key`)
  for (const [key, value] of props.getRowsJS()) properties.set(String(key), String(value))
  return properties
}

/** The day the store's data is as of: its `as_of` property, today when the store has none. */
export function storeAsOf(properties: ReadonlyMap<string, string>): string {
  return properties.get('as_of') ?? new Date().toISOString().slice(0, 10)
}

export async function readStoreInfo(store: Store, catalog: Catalog): Promise<StoreInfo> {
  const properties = await readStoreProperties(store)
  const present = await store.connection.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'`,
  )
  const existing = new Set(present.getRowsJS().map(([name]) => String(name)))
  const rowCounts = new Map<string, number>()
  for (const table of catalog.tables) {
    if (!existing.has(table.id)) continue
    const result = await store.connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(table.id)}`)
    rowCounts.set(table.id, Number(result.getRowsJS()[0]![0]))
  }
  return { properties, rowCounts }
}
