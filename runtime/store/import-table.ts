/**
 * A department's delivery (CSV or Parquet) replaces one catalog table, or is rejected with a
 * data-quality report and the stored table untouched. The file is read through the locked-down
 * store, which may read exactly that one file; it is staged in a temporary table, checked
 * against the definition (types, required fields, closed values, patterns, identifier check
 * digits, duplicate keys), and only a file without problems replaces the table, in one transaction.
 *
 * A city's deliveries are never clean, so what is wrong but usable is a warning, not a rejection:
 * a reference to a person or an enterprise whose check digit fails (≤ 1% of its values; it will
 * match nothing), a record repeated under another record number, a district whose last month is
 * missing, a reading a hundred times its account's usual (a wrong unit). The same checks run over
 * a table already in the store (`assessStoredTable`, `indomain catalog quality`).
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { FieldDefinition } from '../../catalog/table-definition.ts'
import { isValidIdentifier } from '../../catalog/identifiers/index.ts'
import { RuntimeError } from '../errors.ts'
import { openStore, type Store } from './open-store.ts'
import { META_SCHEMA, columnType, quoteIdentifier, quoteLiteral } from './schema.ts'

export type FieldQuality = {
  readonly field: string
  readonly nulls: number
  readonly invalid: number
  readonly problems: readonly string[]
}

export type ImportReport = {
  readonly table: string
  readonly file: string
  readonly rows: number
  readonly duplicateKeys: number
  readonly fields: readonly FieldQuality[]
  /** Problems that reject the file; empty when accepted. */
  readonly problems: readonly string[]
  /** What is wrong but usable: reported, and the file accepted all the same. */
  readonly warnings: readonly string[]
  readonly accepted: boolean
}

/** Past this share of a reference's values failing their check, the delivery is rejected. */
export const MISTYPED_REFERENCE_TOLERANCE = 0.01
/** A reading this many times its account's median is reported as a probable wrong unit. */
const OUTLIER_FACTOR = 100

export type ImportTableOptions = {
  readonly catalog: Catalog
  readonly storePath: string
  readonly table: string
  readonly file: string
}

const STAGING = 'indomain_import_staging'
const CHECKED_IDENTIFIERS = new Set(['resident_id', 'uscc', 'phone', 'bank_card', 'plate'])

export async function importTable(options: ImportTableOptions): Promise<ImportReport> {
  const definition = options.catalog.table(options.table)
  if (definition === undefined) {
    throw new RuntimeError('ERR_CATALOG_TABLE_UNKNOWN', 'No such table in the catalog', { details: { table: options.table } })
  }
  const file = resolve(options.file)
  const format = extname(file).toLowerCase()
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new RuntimeError('ERR_IMPORT_UNREADABLE', 'The file does not exist', { details: { file: options.file } })
  }
  if (format !== '.csv' && format !== '.parquet') {
    throw new RuntimeError('ERR_IMPORT_UNREADABLE', 'Only .csv and .parquet deliveries are accepted', { details: { file: options.file } })
  }
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex')
  const store = await openStore(options.storePath, { access: 'read-write', allowedPaths: [file] })
  try {
    await stage(store, `SELECT COLUMNS(*)::VARCHAR FROM ${reader(file, format)}`)
    const report = await assess(store, definition.id, definition.fields, definition.key, options.file)
    if (report.accepted) await replace(store, definition.id, definition.fields, sha256)
    return report
  } finally {
    store.close()
  }
}

/** The data-quality report of a table as it is in the store: the checks of an import, nothing replaced. */
export async function assessStoredTable(options: { readonly catalog: Catalog; readonly storePath: string; readonly table: string }): Promise<ImportReport> {
  const definition = options.catalog.table(options.table)
  if (definition === undefined) {
    throw new RuntimeError('ERR_CATALOG_TABLE_UNKNOWN', 'No such table in the catalog', { details: { table: options.table } })
  }
  const store = await openStore(options.storePath, { access: 'read-only' })
  try {
    await stage(store, `SELECT COLUMNS(*)::VARCHAR FROM ${quoteIdentifier(definition.id)}`)
    return await assess(store, definition.id, definition.fields, definition.key, 'store')
  } finally {
    store.close()
  }
}

function reader(file: string, format: string): string {
  const path = quoteLiteral(file)
  return format === '.csv' ? `read_csv(${path}, header = true, all_varchar = true, strict_mode = true)` : `read_parquet(${path})`
}

async function stage(store: Store, select: string): Promise<void> {
  try {
    // every column as text: types are checked field by field below, so a bad value is reported, not guessed
    await store.connection.run(`CREATE TEMP TABLE ${STAGING} AS ${select}`)
  } catch (cause) {
    throw new RuntimeError('ERR_IMPORT_UNREADABLE', 'The file could not be read as a table', { cause })
  }
}

async function scalar(store: Store, sql: string, values?: (string | number)[]): Promise<number> {
  const result = await store.connection.runAndReadAll(sql, values)
  return Number(result.getRowsJS()[0]![0] ?? 0)
}

async function assess(
  store: Store,
  table: string,
  fields: readonly FieldDefinition[],
  key: readonly string[],
  file: string,
): Promise<ImportReport> {
  const columnsResult = await store.connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = '${STAGING}' ORDER BY column_index`,
  )
  const columns = columnsResult.getRowsJS().map(([c]) => String(c))
  const present = new Set(columns)
  const known = new Set(fields.map((f) => f.name))
  const problems: string[] = []
  for (const c of columns) if (!known.has(c)) problems.push(`column "${c}" is not a field of ${table}`)
  const rows = await scalar(store, `SELECT count(*) FROM ${STAGING}`)
  if (rows === 0) problems.push('the file has no rows')

  const quality: FieldQuality[] = []
  const warnings: string[] = []
  for (const f of fields) {
    const col = quoteIdentifier(f.name)
    const fieldProblems: string[] = []
    if (!present.has(f.name)) {
      if (f.required) fieldProblems.push('required column missing')
      quality.push({ field: f.name, nulls: rows, invalid: 0, problems: fieldProblems })
      problems.push(...fieldProblems.map((p) => `${f.name}: ${p}`))
      continue
    }
    const nulls = await scalar(store, `SELECT count(*) FILTER (WHERE ${col} IS NULL OR trim(${col}) = '') FROM ${STAGING}`)
    let invalid = await scalar(
      store,
      `SELECT count(*) FILTER (WHERE ${col} IS NOT NULL AND trim(${col}) <> '' AND TRY_CAST(${col} AS ${columnType(f)}) IS NULL) FROM ${STAGING}`,
    )
    if (invalid > 0) fieldProblems.push(`${invalid} value(s) are not ${f.type}`)
    if (f.required && nulls > 0) fieldProblems.push(`${nulls} required value(s) missing`)
    if (f.values !== undefined) {
      const outside = await countOutside(store, col, f.values)
      if (outside > 0) fieldProblems.push(`${outside} value(s) outside {${f.values.join('/')}}`)
      invalid += outside
    }
    if (f.pattern !== undefined) {
      const mismatched = await scalar(
        store,
        `SELECT count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT regexp_full_match(${col}, $1)) FROM ${STAGING}`,
        [f.pattern],
      )
      if (mismatched > 0) fieldProblems.push(`${mismatched} value(s) do not match ${f.pattern}`)
      invalid += mismatched
    }
    if (CHECKED_IDENTIFIERS.has(f.identifier)) {
      const { bad, values } = await countInvalidIdentifiers(store, col, f)
      const message = `${bad} ${f.identifier} value(s) fail their check digit or format`
      // a mistyped key loses its record; a few mistyped references only match nothing
      if (bad > 0 && (key.includes(f.name) || bad > MISTYPED_REFERENCE_TOLERANCE * values)) fieldProblems.push(message)
      else if (bad > 0) warnings.push(`${f.name}: ${message} (they will match nothing)`)
      invalid += bad
    }
    quality.push({ field: f.name, nulls, invalid, problems: fieldProblems })
    problems.push(...fieldProblems.map((p) => `${f.name}: ${p}`))
  }
  let duplicateKeys = 0
  if (key.every((k) => present.has(k)) && rows > 0) {
    const keyList = key.map(quoteIdentifier).join(', ')
    duplicateKeys = await scalar(
      store,
      `SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${STAGING} GROUP BY ${keyList} HAVING count(*) > 1)`,
    )
    if (duplicateKeys > 0) problems.push(`${duplicateKeys} duplicate key(s) on (${key.join(', ')})`)
  }
  if (rows > 0 && key.every((k) => present.has(k))) warnings.push(...(await deliveryWarnings(store, fields.filter((f) => present.has(f.name)), key)))
  return { table, file, rows, duplicateKeys, fields: quality, problems, warnings, accepted: problems.length === 0 }
}

/** What a city's deliveries carry: records filed twice, a district's late month, wrong units. */
async function deliveryWarnings(store: Store, fields: readonly FieldDefinition[], key: readonly string[]): Promise<string[]> {
  const warnings: string[] = []
  const names = new Set(fields.map((f) => f.name))
  if (key.length === 1) {
    const rest = fields.filter((f) => f.name !== key[0]).map((f) => quoteIdentifier(f.name))
    const repeated = rest.length === 0 ? 0 : await scalar(store, `SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${STAGING} GROUP BY ${rest.join(', ')} HAVING count(*) > 1)`)
    if (repeated > 0) warnings.push(`${repeated} record(s) repeat another in every field but ${key[0]} (filed twice?)`)
  }
  if (names.has('period') && names.has('address_code')) {
    const late = await store.connection.runAndReadAll(`
      WITH periods AS (SELECT DISTINCT period FROM ${STAGING} WHERE regexp_full_match(period, '[0-9]{6}')),
      last AS (SELECT max(period) AS period FROM periods),
      previous AS (SELECT max(p.period) AS period FROM periods p, last WHERE p.period < last.period),
      delivered AS (SELECT DISTINCT left(s.address_code, 6) AS district FROM ${STAGING} s, last WHERE s.period = last.period)
      SELECT left(s.address_code, 6) AS district, any_value(last.period) AS period, count(DISTINCT s.address_code) AS accounts
      FROM ${STAGING} s, last, previous
      WHERE s.period = previous.period AND left(s.address_code, 6) NOT IN (SELECT district FROM delivered)
      GROUP BY 1 ORDER BY 1`)
    for (const [district, period, accounts] of late.getRowsJS()) warnings.push(`period ${String(period)} missing for district ${String(district)} (${String(accounts)} account(s) delivered the month before)`)
  }
  const account = key.filter((k) => k !== 'period')
  if (key.includes('period') && account.length > 0) {
    const partition = account.map(quoteIdentifier).join(', ')
    for (const f of fields.filter((x) => (x.type === 'decimal' || x.type === 'integer') && !key.includes(x.name))) {
      const value = `TRY_CAST(${quoteIdentifier(f.name)} AS DOUBLE)`
      const outliers = await scalar(
        store,
        `SELECT count(*) FROM (SELECT ${value} AS v, median(${value}) OVER (PARTITION BY ${partition}) AS typical FROM ${STAGING}) WHERE typical > 0 AND v > ${OUTLIER_FACTOR} * typical`,
      )
      if (outliers > 0) warnings.push(`${f.name}: ${outliers} value(s) over ${OUTLIER_FACTOR} times their account's median (a wrong unit?)`)
    }
  }
  return warnings
}

async function countOutside(store: Store, col: string, values: readonly string[]): Promise<number> {
  const placeholders = values.map((_, i) => `$${i + 1}`).join(', ')
  return scalar(store, `SELECT count(*) FILTER (WHERE ${col} IS NOT NULL AND ${col} NOT IN (${placeholders})) FROM ${STAGING}`, [...values])
}

/** Check digits are verified by the same code the generator and the release checks use. */
async function countInvalidIdentifiers(store: Store, col: string, f: FieldDefinition): Promise<{ bad: number; values: number }> {
  const result = await store.connection.runAndReadAll(`SELECT DISTINCT ${col} FROM ${STAGING} WHERE ${col} IS NOT NULL`)
  const rows = result.getRowsJS()
  let bad = 0
  for (const [value] of rows) if (!isValidIdentifier(f.identifier, String(value))) bad++
  return { bad, values: rows.length }
}

async function replace(store: Store, table: string, fields: readonly FieldDefinition[], sha256: string): Promise<void> {
  const present = await store.connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = '${STAGING}'`,
  )
  const columns = new Set(present.getRowsJS().map(([c]) => String(c)))
  const targets = fields.filter((f) => columns.has(f.name))
  const insert =
    `INSERT INTO ${quoteIdentifier(table)} (${targets.map((f) => quoteIdentifier(f.name)).join(', ')}) ` +
    `SELECT ${targets.map((f) => `CAST(NULLIF(trim(${quoteIdentifier(f.name)}), '') AS ${columnType(f)})`).join(', ')} FROM ${STAGING}`
  await store.connection.run('BEGIN TRANSACTION')
  try {
    await store.connection.run(`DELETE FROM ${quoteIdentifier(table)}`)
    await store.connection.run(insert)
    await store.connection.run(
      `INSERT INTO ${META_SCHEMA}.table_loads SELECT $1, now()::TIMESTAMP, 'import', count(*), $2 FROM ${quoteIdentifier(table)}`,
      [table, sha256],
    )
    await store.connection.run('COMMIT')
  } catch (cause) {
    await store.connection.run('ROLLBACK')
    throw new RuntimeError('ERR_IMPORT_INVALID', 'The file could not be written; the stored table is unchanged', { cause })
  }
}
