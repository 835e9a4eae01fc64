/**
 * Builds a store from the synthetic world, atomically: everything is written to a temporary
 * file next to the target, checkpointed and closed, and only then renamed over the old store.
 * A failed or interrupted build leaves the previous store as it was.
 */
import type { DuckDBAppender } from '@duckdb/node-api'
import { existsSync, renameSync, rmSync, statSync, mkdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { generateSyntheticData } from '../../catalog/synthetic/generate.ts'
import type { CellValue, RowWriter, TableSink } from '../../catalog/synthetic/table-sink.ts'
import { TRUTH_TABLES } from '../../catalog/synthetic/truth-tables.ts'
import { AS_OF } from '../../catalog/synthetic/calendar.ts'
import { RuntimeError } from '../errors.ts'
import { openStore, type Store } from './open-store.ts'
import { CREATE_META_SQL, META_SCHEMA, TRUTH_SCHEMA, createTableSql, quoteIdentifier } from './schema.ts'

export type BuildProgress = {
  readonly step: string
  readonly stepsDone: number
  readonly stepsTotal: number
  readonly rowsWritten: number
}

export type BuildStoreOptions = {
  readonly catalog: Catalog
  readonly path: string
  readonly scale: number
  readonly seed: string | number
  readonly onProgress?: (progress: BuildProgress) => void
}

export type BuildStoreResult = {
  readonly path: string
  readonly seconds: number
  readonly bytes: number
  readonly rows: ReadonlyMap<string, number>
}

export const GENERATOR_VERSION = '2'

export async function buildStore(options: BuildStoreOptions): Promise<BuildStoreResult> {
  const started = performance.now()
  const target = options.path
  mkdirSync(dirname(target), { recursive: true })
  const temp = join(dirname(target), `.${basename(target)}.building-${process.pid}`)
  removeDatabaseFiles(temp)
  let store: Store | undefined
  const rows = new Map<string, number>()
  try {
    store = await openStore(temp, { access: 'read-write', create: true })
    for (const sql of CREATE_META_SQL) await store.connection.run(sql)
    await store.connection.run(`CREATE SCHEMA ${TRUTH_SCHEMA}`)
    for (const table of options.catalog.tables) await store.connection.run(createTableSql(table))
    for (const [name, columns] of Object.entries(TRUTH_TABLES)) {
      const ddl = columns.map((c) => `${quoteIdentifier(c.name)} ${c.type === 'text' ? 'VARCHAR' : c.type === 'integer' ? 'BIGINT' : 'DOUBLE'}`)
      await store.connection.run(`CREATE TABLE ${TRUTH_SCHEMA}.${quoteIdentifier(name)} (${ddl.join(', ')})`)
    }

    let stepsDone = 0
    let stepsTotal = 1
    const sink = await createAppenderSink(store, options.catalog, rows, (table, total) =>
      options.onProgress?.({ step: table, stepsDone, stepsTotal, rowsWritten: total }),
    )
    generateSyntheticData({ seed: options.seed, scale: options.scale }, sink, (s) => {
      stepsDone = s.done
      stepsTotal = s.total
      options.onProgress?.({ step: s.step, stepsDone, stepsTotal, rowsWritten: sink.totalRows() })
    })
    sink.closeAll()
    await writeMeta(store, options, rows)
    await store.connection.run('CHECKPOINT')
    store.close()
    store = undefined
    foldWriteAheadLog(target)
    renameSync(temp, target)
    return {
      path: target,
      seconds: (performance.now() - started) / 1000,
      bytes: statSync(target).size,
      rows,
    }
  } catch (cause) {
    store?.close()
    removeDatabaseFiles(temp)
    if (cause instanceof RuntimeError) throw cause
    throw new RuntimeError('ERR_STORE_BUILD_FAILED', 'Building the store failed; the previous store is unchanged', { cause })
  }
}

/** An old store closed uncleanly keeps changes in its WAL; a WAL left beside the new file would be replayed into it. */
function foldWriteAheadLog(target: string): void {
  if (existsSync(`${target}.wal`)) rmSync(`${target}.wal`)
}

function removeDatabaseFiles(path: string): void {
  for (const p of [path, `${path}.wal`]) if (existsSync(p)) rmSync(p)
}

async function writeMeta(store: Store, options: BuildStoreOptions, rows: ReadonlyMap<string, number>): Promise<void> {
  const properties: [string, string][] = [
    ['origin', 'synthetic'],
    ['seed', String(options.seed)],
    ['scale', String(options.scale)],
    ['generator_version', GENERATOR_VERSION],
    ['catalog_hash', options.catalog.hash],
    ['as_of', AS_OF],
    ['built_at', new Date().toISOString()],
  ]
  for (const [key, value] of properties) {
    await store.connection.run(`INSERT INTO ${META_SCHEMA}.properties VALUES ($1, $2)`, [key, value])
  }
  const now = new Date().toISOString()
  for (const [table, count] of rows) {
    await store.connection.run(`INSERT INTO ${META_SCHEMA}.table_loads VALUES ($1, $2::TIMESTAMP, 'synthetic', $3, NULL)`, [table, now, count])
  }
}

type AppenderSink = TableSink & { closeAll(): void; totalRows(): number }

/**
 * Rows go straight into DuckDB appenders (about two million rows a second here); each value is
 * appended with the method of its catalog type and cast by DuckDB. The appenders are created
 * up front because the generator is synchronous.
 */
async function createAppenderSink(
  store: Store,
  catalog: Catalog,
  rows: Map<string, number>,
  onRows: (table: string, total: number) => void,
): Promise<AppenderSink> {
  const appenders = new Map<string, DuckDBAppender>()
  for (const table of catalog.tables) appenders.set(table.id, await store.connection.createAppender(table.id))
  for (const name of Object.keys(TRUTH_TABLES)) {
    appenders.set(`${TRUTH_SCHEMA}.${name}`, await store.connection.createAppender(name, TRUTH_SCHEMA))
  }
  let total = 0
  const writerFor = (key: string, fields: readonly { name: string; type: string }[], columns: readonly string[]): RowWriter => {
    const position = new Map(columns.map((c, i) => [c, i]))
    const sources = fields.map((f) => position.get(f.name) ?? -1)
    const types = fields.map((f) => f.type)
    const appender = appenders.get(key)!
    let count = rows.get(key) ?? 0
    return {
      row(values: readonly CellValue[]) {
        for (let j = 0; j < sources.length; j++) {
          const s = sources[j]!
          const v = s < 0 ? null : values[s]
          if (v === null || v === undefined) appender.appendNull()
          else if (typeof v === 'string') appender.appendVarchar(v)
          else if (typeof v === 'boolean') appender.appendBoolean(v)
          else if (types[j] === 'integer') appender.appendInteger(v)
          else appender.appendDouble(v)
        }
        appender.endRow()
        count++
        total++
        rows.set(key, count)
        if ((total & 0xffff) === 0) onRows(key, total)
      },
    }
  }
  return {
    open(table, columns) {
      const definition = catalog.table(table)
      if (definition === undefined) {
        throw new RuntimeError('ERR_STORE_SCHEMA_MISMATCH', 'The generator wrote a table the catalog does not define', { details: { table } })
      }
      const missing = definition.fields.filter((f) => f.required && !columns.includes(f.name))
      if (missing.length > 0) {
        throw new RuntimeError('ERR_STORE_SCHEMA_MISMATCH', 'The catalog requires fields the synthetic generator does not produce', {
          details: { table, fields: missing.map((f) => f.name) },
        })
      }
      return writerFor(table, definition.fields, columns)
    },
    openTruth(name) {
      const columns = TRUTH_TABLES[name]
      return writerFor(`${TRUTH_SCHEMA}.${name}`, columns, columns.map((c) => c.name))
    },
    closeAll() {
      for (const appender of appenders.values()) appender.closeSync()
      appenders.clear()
    },
    totalRows: () => total,
  }
}
