/**
 * Reading a store's rows in tests: every row as an object, or the single row of an aggregate query
 * with every column as a number.
 */
import type { DuckDBConnection } from '@duckdb/node-api'

export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]
}

/** The single row of an aggregate query, every column as a number. */
export async function aggregateRow<K extends string>(connection: DuckDBConnection, sql: string): Promise<Record<K, number>> {
  const [row] = await queryRows(connection, sql)
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as Record<K, number>
}
