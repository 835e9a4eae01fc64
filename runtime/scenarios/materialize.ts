/**
 * Compiles an approved scenario into its views: a database file of its own holding only the
 * approved fields, masked, row-filtered — built from the store through a read-only ATTACH, with
 * keyed pseudonyms computed here and joined in. Products read this file and nothing else, so a
 * field that was not approved is not merely hidden: it is absent.
 *
 * The file records the scenario revision and the store version it was built for; the gate
 * rebuilds it when either changes. Builds are atomic (temporary file, then rename).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { FieldDefinition } from '../../catalog/table-definition.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { UNIT_COLUMN, unitIdSql, unitKind } from '../release/unit-ids.ts'
import { RuntimeError } from '../errors.ts'
import { openStore, type Store } from '../store/open-store.ts'
import { META_SCHEMA, quoteIdentifier, quoteLiteral } from '../store/schema.ts'
import { maskExpression, pseudonym } from './masks.ts'
import type { ApprovedTable } from './scenario.ts'

/** Column holding the raw lookup key of one-entity scenarios, in a table of its own beside the view. */
export const KEY_COLUMN = 'indomain_key'

/**
 * The raw keys of a view live in a separate table, row-aligned with the view (same filter, same
 * order), which is not one of the scenario's tables: product SQL can never name it, and
 * `SELECT *` on the view cannot reach it. Only the one-entity index reads it.
 */
export function keyTableName(table: string): string {
  return `indomain_keys__${table}`
}
const META_TABLE = 'indomain_view_meta'
const KEY_META_TABLE = 'indomain_key_meta'
/** The layout of a views file: files of an older layout are rebuilt (2: unit ids beside the keys; 3: which keys are unique). */
const VIEWS_FORMAT = '#views3'

export type ViewField = { readonly name: string; readonly definition: FieldDefinition; readonly mask: MaskRule }
export type ViewTable = { readonly table: string; readonly key: string | undefined; readonly fields: readonly ViewField[] }

export function viewsPath(viewsDir: string, scenarioId: string): string {
  return join(viewsDir, `${scenarioId}.duckdb`)
}

/** Whether a view's key table holds every key once (its rows are its units). */
export async function hasUniqueKeys(views: Store, table: string): Promise<boolean> {
  const row = (await views.connection.runAndReadAll(`SELECT unique_keys FROM ${KEY_META_TABLE} WHERE table_name = $1`, [table])).getRowsJS()[0]
  return row?.[0] === true
}

/** The version of the store's data: changes with every build and every import. */
export async function storeVersion(store: Store): Promise<string> {
  const r = await store.connection.runAndReadAll(
    `SELECT (SELECT value FROM ${META_SCHEMA}.properties WHERE key = 'built_at') || '/' || coalesce(CAST(max(loaded_at) AS VARCHAR), '') || '/' || count(*) FROM ${META_SCHEMA}.table_loads`,
  )
  return String(r.getRowsJS()[0]![0])
}

/** The type a masked field has in the views: masks other than keep produce text. */
export function viewFieldDefinition(definition: FieldDefinition, mask: MaskRule): FieldDefinition {
  return mask.rule === 'keep' ? definition : { ...definition, type: 'text' }
}

export function viewTables(tables: readonly ApprovedTable[], catalog: Catalog): ViewTable[] {
  return tables.map((t) => {
    const definition = catalog.table(t.table)
    if (definition === undefined) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The scenario names a table the catalog no longer has', { details: { table: t.table } })
    return {
      table: t.table,
      key: t.key,
      fields: t.fields.map((f) => {
        const field = definition.fields.find((x) => x.name === f.field)
        if (field === undefined) throw new RuntimeError('ERR_SCENARIO_INVALID', 'The scenario names a field the catalog no longer has', { details: { table: t.table, field: f.field } })
        return { name: f.field, definition: viewFieldDefinition(field, f.mask), mask: f.mask }
      }),
    }
  })
}

export type MaterializeOptions = {
  readonly storePath: string
  readonly viewsDir: string
  readonly scenarioId: string
  readonly revision: number
  readonly tables: readonly ApprovedTable[]
  readonly catalog: Catalog
  readonly secret: Buffer
  /** The installation's key for unit ids (unit-ids.ts), written beside each view's raw keys. */
  readonly unitSecret: Buffer
  readonly asOf: string
}

/** Builds the scenario's views file. Returns its path. */
export async function materializeScenario(options: MaterializeOptions): Promise<string> {
  mkdirSync(options.viewsDir, { recursive: true })
  const target = viewsPath(options.viewsDir, options.scenarioId)
  const temp = join(options.viewsDir, `.${options.scenarioId}.building-${process.pid}.duckdb`)
  const suffixes = ['', '.wal', '.wal.checkpoint', '.wal.recovery']
  for (const s of suffixes) rmSync(`${temp}${s}`, { force: true })
  const source = await openStore(options.storePath, { access: 'read-only' })
  const version = await storeVersion(source)
  source.close()
  const views = await openStore(temp, {
    access: 'read-write',
    create: true,
    // exactly the store (read-only) may be attached
    allowedPaths: suffixes.map((s) => `${options.storePath}${s}`),
  })
  try {
    const c = views.connection
    await c.run(`ATTACH ${quoteLiteral(options.storePath)} AS src (READ_ONLY)`)
    const cache = new Map<string, string>()
    for (const t of options.tables) {
      const definition = options.catalog.table(t.table)!
      const selects: string[] = []
      const joins: string[] = []
      for (const [i, f] of t.fields.entries()) {
        const field = definition.fields.find((x) => x.name === f.field)!
        const column = `s.${quoteIdentifier(f.field)}`
        if (f.mask.rule === 'pseudonym') {
          const map = `pmap_${i}`
          await buildPseudonymMap(c, map, t.table, f.field, options.secret, cache)
          joins.push(`LEFT JOIN ${map} ON ${map}.v = CAST(${column} AS VARCHAR)`)
          selects.push(`${map}.p AS ${quoteIdentifier(f.field)}`)
        } else {
          selects.push(`${maskExpression(field, f.mask, column, options.asOf)} AS ${quoteIdentifier(f.field)}`)
        }
      }
      const where = t.rowFilter === undefined ? '' : ` WHERE CAST(s.${quoteIdentifier(t.rowFilter.field)} AS VARCHAR) IN (${t.rowFilter.values.map(quoteLiteral).join(', ')})`
      // keep the store's row order so that scans and indexes are deterministic, and key rows aligned
      await c.run(
        `CREATE TABLE ${quoteIdentifier(t.table)} AS SELECT ${selects.join(', ')} FROM src.${quoteIdentifier(t.table)} s ${joins.join(' ')}${where} ORDER BY s.rowid`,
      )
      if (t.key !== undefined) {
        await c.run(
          `CREATE TABLE ${quoteIdentifier(keyTableName(t.table))} AS SELECT CAST(s.${quoteIdentifier(t.key)} AS VARCHAR) AS ${KEY_COLUMN}, ${unitIdSql(options.unitSecret, unitKind(options.catalog, t.table, t.key), `CAST(s.${quoteIdentifier(t.key)} AS VARCHAR)`)} AS ${UNIT_COLUMN} FROM src.${quoteIdentifier(t.table)} s${where} ORDER BY s.rowid`,
        )
      }
    }
    // which key tables hold each key once (a unit table keyed by its primary key): declared aggregates skip grouping by unit there
    await c.run(`CREATE TABLE ${KEY_META_TABLE} (table_name VARCHAR PRIMARY KEY, unique_keys BOOLEAN NOT NULL)`)
    for (const t of options.tables) {
      if (t.key === undefined) continue
      const keys = quoteIdentifier(keyTableName(t.table))
      await c.run(`INSERT INTO ${KEY_META_TABLE} SELECT $1, count(${KEY_COLUMN}) = count(DISTINCT ${KEY_COLUMN}) FROM ${keys}`, [t.table])
    }
    await c.run(`CREATE TABLE ${META_TABLE} (scenario_id VARCHAR, revision INTEGER, store_version VARCHAR, built_at TIMESTAMP)`)
    await c.run(`INSERT INTO ${META_TABLE} VALUES ($1, $2, $3, now()::TIMESTAMP)`, [options.scenarioId, options.revision, `${version}${VIEWS_FORMAT}`])
    for (const t of options.tables) for (const [i] of t.fields.entries()) await c.run(`DROP TABLE IF EXISTS pmap_${i}`)
    await c.run('DETACH src')
    await c.run('CHECKPOINT')
  } catch (cause) {
    views.close()
    for (const s of suffixes) rmSync(`${temp}${s}`, { force: true })
    throw new RuntimeError('ERR_STORE_BUILD_FAILED', 'The scenario views could not be built', { cause })
  }
  views.close()
  for (const s of suffixes.slice(1)) rmSync(`${target}${s}`, { force: true })
  renameSync(temp, target)
  return target
}

async function buildPseudonymMap(
  c: Store['connection'],
  name: string,
  table: string,
  field: string,
  secret: Buffer,
  cache: Map<string, string>,
): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE ${name} (v VARCHAR, p VARCHAR)`)
  const distinct = await c.runAndReadAll(
    `SELECT DISTINCT CAST(${quoteIdentifier(field)} AS VARCHAR) FROM src.${quoteIdentifier(table)} WHERE ${quoteIdentifier(field)} IS NOT NULL`,
  )
  const appender = await c.createAppender(name)
  for (const [value] of distinct.getRowsJS()) {
    const v = String(value)
    let p = cache.get(v)
    if (p === undefined) {
      p = pseudonym(secret, v)
      cache.set(v, p)
    }
    appender.appendVarchar(v)
    appender.appendVarchar(p)
    appender.endRow()
  }
  appender.closeSync()
}

/** Whether the views file exists and was built for this revision and store version. */
export async function isMaterialized(viewsFile: string, revision: number, version: string): Promise<boolean> {
  if (!existsSync(viewsFile)) return false
  try {
    const views = await openStore(viewsFile, { access: 'read-only' })
    try {
      const r = await views.connection.runAndReadAll(`SELECT revision, store_version FROM ${META_TABLE}`)
      const [rev, ver] = r.getRowsJS()[0] ?? []
      return Number(rev) === revision && String(ver) === `${version}${VIEWS_FORMAT}`
    } finally {
      views.close()
    }
  } catch {
    return false
  }
}
