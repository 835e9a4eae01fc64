/**
 * Product SQL: a batch product may declare named queries. Each is checked with DuckDB's own
 * parser (`json_serialize_sql`), not with string matching: it must be exactly one SELECT whose
 * every table reference is one of the scenario's own views (or a CTE of the query) and which
 * calls no table function. It then runs on a locked-down, read-only connection to the
 * scenario's views file — where unapproved fields and other tables do not exist at all.
 */
import type { DuckDBConnection } from '@duckdb/node-api'
import { RuntimeError } from '../errors.ts'
import type { WireColumn, WireTable } from '../sandbox/wire.ts'

const MAX_SQL = 20_000
const MAX_ROWS = 5_000_000
/** Functions that read the engine's state rather than the data; refused by name from the parse tree. */
const STATE_FUNCTIONS = /^(duckdb_|pragma_|current_setting$|getenv$|getvariable$|read_|glob$|sniff_csv$|parquet_|which_secret$|current_database$|current_schema)/

type Node = Record<string, unknown>

function reject(reason: string): never {
  throw new RuntimeError('ERR_SQL_REJECTED', 'The query is not a single SELECT over the scenario\'s views', { details: { reason } })
}

/** Throws ERR_SQL_REJECTED unless `sql` is a single SELECT over `allowedTables` only. */
export async function checkProductSql(connection: DuckDBConnection, sql: string, allowedTables: ReadonlySet<string>): Promise<void> {
  if (typeof sql !== 'string' || sql.length === 0 || sql.length > MAX_SQL) reject('empty or too long')
  const parsed = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql])
  const tree = JSON.parse(String(parsed.getRowsJS()[0]![0])) as { error: boolean; statements?: Node[]; error_message?: string }
  if (tree.error) reject('not a SELECT statement')
  if (tree.statements?.length !== 1) reject('exactly one statement is allowed')
  const ctes = new Set<string>()
  collectCtes(tree.statements[0]!, ctes)
  walk(tree.statements[0]!, (node) => {
    if (node.type === 'TABLE_FUNCTION') reject('table functions are not allowed')
    if (node.type === 'BASE_TABLE') {
      const catalog = String(node.catalog_name ?? '')
      const schema = String(node.schema_name ?? '')
      const table = String(node.table_name ?? '')
      if (catalog !== '' || (schema !== '' && schema !== 'main')) reject('qualified table names are not allowed')
      if (!allowedTables.has(table) && !ctes.has(table)) reject(`table "${table}" is not one of the scenario's views`)
    }
    if (node.class === 'FUNCTION' && typeof node.function_name === 'string' && STATE_FUNCTIONS.test(node.function_name)) {
      reject(`function "${node.function_name}" is not allowed`)
    }
  })
}

function collectCtes(node: unknown, out: Set<string>): void {
  walk(node, (n) => {
    const map = (n.cte_map as { map?: { key: string }[] } | undefined)?.map
    if (Array.isArray(map)) for (const entry of map) out.add(String(entry.key))
  })
}

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit)
  } else if (node !== null && typeof node === 'object') {
    visit(node as Node)
    for (const value of Object.values(node)) walk(value, visit)
  }
}

/** Runs a checked query and returns its result as typed columns. */
export async function runProductSql(connection: DuckDBConnection, sql: string): Promise<WireTable> {
  let result
  try {
    result = await connection.runAndReadAll(sql)
  } catch (cause) {
    throw new RuntimeError('ERR_SQL_REJECTED', 'The query failed', { cause, details: { reason: 'execution failed' } })
  }
  const rowCount = result.currentRowCount
  if (rowCount > MAX_ROWS) throw new RuntimeError('ERR_SQL_REJECTED', 'The query returns too many rows', { details: { reason: 'too many rows' } })
  const names = result.columnNames()
  const types = result.columnTypes()
  const columns: Record<string, WireColumn> = {}
  const data = result.getColumnsJS()
  names.forEach((name, i) => {
    // an empty result has its columns but no column data
    const values = data[i] ?? []
    const typeName = types[i]!.toString()
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(typeName)) {
      columns[name] = { kind: 'number', values: Float64Array.from(values, (v) => (v === null ? NaN : Number(v))) }
    } else {
      const dictionary: string[] = []
      const codes = new Map<string, number>()
      columns[name] = {
        kind: 'text',
        dictionary,
        codes: Int32Array.from(values, (v) => {
          if (v === null) return -1
          const s = v instanceof Date ? v.toISOString().slice(0, typeName === 'DATE' ? 10 : 19) : String(v)
          let code = codes.get(s)
          if (code === undefined) {
            code = dictionary.length
            dictionary.push(s)
            codes.set(s, code)
          }
          return code
        }),
      }
    }
  })
  return { length: rowCount, columns }
}
