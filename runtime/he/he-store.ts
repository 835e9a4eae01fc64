/**
 * Encrypted columns in the store, next to their tables: `he_columns` (what is encrypted, its
 * scale and bound, and whether the plaintext was dropped — the catalog's record that the field
 * is encrypted), `he_chunks` (the ciphertexts) and `he_slots` (which row each slot holds). The
 * provider side encrypts a field of a table here; the runtime reads the ciphertexts back and
 * derives each slot's group from a plaintext field, of the same table or of one it references.
 */
import { blobValue, listValue, type DuckDBBlobValue, type DuckDBConnection } from '@duckdb/node-api'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { RuntimeError } from '../errors.ts'
import { openStore } from '../store/open-store.ts'
import { quoteIdentifier } from '../store/schema.ts'
import { encryptValues, scaledValue, type EncryptedColumn } from './encrypted-column.ts'
import type { PublicKeys } from './he-keys.ts'

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS he_columns (table_id VARCHAR, field VARCHAR, scale INTEGER NOT NULL, max_value VARCHAR NOT NULL, rows BIGINT NOT NULL,
     fingerprint VARCHAR NOT NULL, order_by VARCHAR NOT NULL, plaintext_dropped BOOLEAN NOT NULL, encrypted_at TIMESTAMP NOT NULL, PRIMARY KEY (table_id, field))`,
  `CREATE TABLE IF NOT EXISTS he_chunks (table_id VARCHAR, field VARCHAR, chunk INTEGER, bytes BLOB NOT NULL, PRIMARY KEY (table_id, field, chunk))`,
  `CREATE TABLE IF NOT EXISTS he_slots (table_id VARCHAR, field VARCHAR, slot BIGINT, row_key VARCHAR NOT NULL, present BOOLEAN NOT NULL, PRIMARY KEY (table_id, field, slot))`,
]

const KEY_SEPARATOR = '\u001f'

/** The SQL text of a row's key (its key fields joined), for table alias `alias`. */
function rowKeySql(keyFields: readonly string[], alias: string): string {
  return keyFields.map((k) => `CAST(${alias}.${quoteIdentifier(k)} AS VARCHAR)`).join(` || '${KEY_SEPARATOR}' || `)
}

export type EncryptFieldOptions = {
  readonly storePath: string
  readonly catalog: Catalog
  readonly keys: PublicKeys
  readonly table: string
  readonly field: string
  /** Fixed-point scale: a power of ten (1 for integers, 100 for two decimals). */
  readonly scale: number
  /** The declared bound of one value, in the field's own unit (before scaling). */
  readonly max: number
  /** Fields of the table that order the slots (default its key): order by what products will group by. */
  readonly orderBy?: readonly string[]
  /** Remove the plaintext values from the table afterwards. */
  readonly dropPlaintext?: boolean
}

export async function encryptField(o: EncryptFieldOptions): Promise<{ rows: number; chunks: number; seconds: number }> {
  const table = o.catalog.table(o.table)
  if (table === undefined) throw new RuntimeError('ERR_CATALOG_TABLE_UNKNOWN', 'No such table in the catalog', { details: { table: o.table } })
  const field = table.fields.find((f) => f.name === o.field)
  if (field === undefined || (field.type !== 'integer' && field.type !== 'decimal')) {
    throw new RuntimeError('ERR_PARAMS_INVALID', 'Only a numeric field of the table can be encrypted', { details: { table: o.table, field: o.field } })
  }
  if (![1, 10, 100, 1000, 10_000].includes(o.scale)) throw new RuntimeError('ERR_PARAMS_INVALID', 'The scale is 1, 10, 100, 1000 or 10000')
  const orderBy = o.orderBy ?? table.key
  for (const name of orderBy) if (!table.fields.some((f) => f.name === name)) throw new RuntimeError('ERR_PARAMS_INVALID', 'Order by fields of the table', { details: { field: name } })
  const maxValue = scaledValue(o.max, o.scale, BigInt(Number.MAX_SAFE_INTEGER))
  const started = performance.now()
  const store = await openStore(o.storePath, { access: 'read-write' })
  try {
    const c = store.connection
    for (const sql of SCHEMA) await c.run(sql)
    const dropped = (await c.runAndReadAll(`SELECT plaintext_dropped FROM he_columns WHERE table_id = $1 AND field = $2`, [o.table, o.field])).getRowsJS()[0]
    if (dropped?.[0] === true) throw new RuntimeError('ERR_PARAMS_INVALID', 'The plaintext of this field was dropped: it cannot be encrypted again', { details: { table: o.table, field: o.field } })
    const rows = (
      await c.runAndReadAll(
        `SELECT ${rowKeySql(table.key, 't')}, CAST(t.${quoteIdentifier(o.field)} AS VARCHAR) FROM ${quoteIdentifier(o.table)} t ORDER BY ${[...orderBy, ...table.key].map((f) => `t.${quoteIdentifier(f)}`).join(', ')}`,
      )
    ).getRowsJS()
    const values = rows.map(([, v], i) => {
      if (v === null) return null
      try {
        return scaledValue(String(v), o.scale, maxValue)
      } catch (error) {
        // which row, never which value
        if (error instanceof RuntimeError) throw new RuntimeError(error.code, error.message, { details: { ...error.details, row: i + 1 } })
        throw error
      }
    })
    const chunks = encryptValues(o.keys, values)
    await c.run('BEGIN TRANSACTION')
    try {
      for (const t of ['he_chunks', 'he_slots', 'he_columns']) await c.run(`DELETE FROM ${t} WHERE table_id = $1 AND field = $2`, [o.table, o.field])
      for (let i = 0; i < chunks.length; i++) await c.run(`INSERT INTO he_chunks VALUES ($1, $2, $3, $4)`, [o.table, o.field, i, blobValue(chunks[i]!)])
      const appender = await c.createAppender('he_slots')
      rows.forEach(([key], i) => {
        appender.appendVarchar(o.table)
        appender.appendVarchar(o.field)
        appender.appendBigInt(BigInt(i))
        appender.appendVarchar(String(key))
        appender.appendBoolean(values[i] !== null)
        appender.endRow()
      })
      appender.closeSync()
      await c.run(`INSERT INTO he_columns VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()::TIMESTAMP)`, [
        o.table,
        o.field,
        o.scale,
        String(maxValue),
        rows.length,
        o.keys.he.fingerprint,
        orderBy.join(','),
        o.dropPlaintext === true,
      ])
      if (o.dropPlaintext === true) await c.run(`UPDATE ${quoteIdentifier(o.table)} SET ${quoteIdentifier(o.field)} = NULL`)
      await c.run('COMMIT')
    } catch (error) {
      await c.run('ROLLBACK')
      throw error
    }
    return { rows: rows.length, chunks: chunks.length, seconds: (performance.now() - started) / 1000 }
  } finally {
    store.close()
  }
}

/** The encrypted fields of a store (`table.field` → scale and whether the plaintext was dropped). */
export async function encryptedFields(c: DuckDBConnection): Promise<Map<string, { scale: number; plaintextDropped: boolean }>> {
  const exists = (await c.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'he_columns'`)).getRowsJS()[0]![0]
  if (Number(exists) === 0) return new Map()
  const rows = (await c.runAndReadAll(`SELECT table_id, field, scale, plaintext_dropped FROM he_columns`)).getRowsJS()
  return new Map(rows.map(([t, f, scale, dropped]) => [`${String(t)}.${String(f)}`, { scale: Number(scale), plaintextDropped: dropped === true }]))
}

export async function loadEncryptedColumn(c: DuckDBConnection, table: string, field: string): Promise<EncryptedColumn> {
  const meta = (await encryptedFields(c)).has(`${table}.${field}`)
    ? (await c.runAndReadAll(`SELECT scale, max_value, fingerprint FROM he_columns WHERE table_id = $1 AND field = $2`, [table, field])).getRowsJS()[0]
    : undefined
  if (meta === undefined) throw new RuntimeError('ERR_HE_UNAVAILABLE', 'No encrypted column for this field', { details: { table, field } })
  const chunks = (await c.runAndReadAll(`SELECT bytes FROM he_chunks WHERE table_id = $1 AND field = $2 ORDER BY chunk`, [table, field])).getRows().map(([b]) => (b as DuckDBBlobValue).bytes)
  const slots = (await c.runAndReadAll(`SELECT row_key, present FROM he_slots WHERE table_id = $1 AND field = $2 ORDER BY slot`, [table, field]))
    .getRowsJS()
    .map(([key, present]) => ({ key: String(key), present: present === true }))
  return { table, field, scale: Number(meta[0]), maxValue: BigInt(String(meta[1])), fingerprint: String(meta[2]), chunks, slots }
}

/**
 * Each slot's group: the value of `by.field` for the slot's row — in the encrypted table itself,
 * or in the table `by.table` whose key the encrypted table's field `by.via` references. Returns
 * the labels (index into `values`, −1 for none) and the distinct values, sorted.
 */
export async function groupLabels(
  c: DuckDBConnection,
  catalog: Catalog,
  column: Pick<EncryptedColumn, 'table' | 'field'>,
  by: { readonly table: string; readonly field: string; readonly via?: string },
  /** The scenario's row filter on the encrypted table: rows outside it belong to no group. */
  rowFilter?: { readonly field: string; readonly values: readonly string[] },
  /** The scenario's row filter on the group's table (when it is another table): rows it leaves out give no group. */
  groupFilter?: { readonly field: string; readonly values: readonly string[] },
): Promise<{ labels: Int32Array; values: string[] }> {
  const encrypted = catalog.table(column.table)!
  const groupTable = catalog.table(by.table)
  if (groupTable === undefined || !groupTable.fields.some((f) => f.name === by.field)) {
    throw new RuntimeError('ERR_PARAMS_INVALID', 'Group by a field of the catalog', { details: { table: by.table, field: by.field } })
  }
  const sameTable = by.table === column.table
  if (!sameTable && (by.via === undefined || !encrypted.fields.some((f) => f.name === by.via) || groupTable.key.length !== 1)) {
    throw new RuntimeError('ERR_PARAMS_INVALID', 'A group from another table needs the field that references its key', { details: { table: by.table } })
  }
  // parameters: $1 table, $2 field, then the value lists of the filters that apply
  const params: unknown[] = [column.table, column.field]
  const listParam = (values: readonly string[]) => {
    params.push(listValue([...values]))
    return `$${params.length}`
  }
  if (groupFilter !== undefined && !groupTable.fields.some((f) => f.name === groupFilter.field)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A row filter names a field of the table')
  const join = sameTable
    ? ''
    : `LEFT JOIN ${quoteIdentifier(by.table)} g ON g.${quoteIdentifier(groupTable.key[0]!)} = t.${quoteIdentifier(by.via!)}` +
      (groupFilter === undefined ? '' : ` AND CAST(g.${quoteIdentifier(groupFilter.field)} AS VARCHAR) IN (SELECT unnest(${listParam(groupFilter.values)}::VARCHAR[]))`)
  if (rowFilter !== undefined && !encrypted.fields.some((f) => f.name === rowFilter.field)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A row filter names a field of the table')
  const group = `CAST(${sameTable ? 't' : 'g'}.${quoteIdentifier(by.field)} AS VARCHAR)`
  const kept = rowFilter === undefined ? group : `CASE WHEN CAST(t.${quoteIdentifier(rowFilter.field)} AS VARCHAR) IN (SELECT unnest(${listParam(rowFilter.values)}::VARCHAR[])) THEN ${group} END`
  const rows = (
    await c.runAndReadAll(
      `SELECT s.slot, ${kept}
       FROM he_slots s LEFT JOIN ${quoteIdentifier(column.table)} t ON ${rowKeySql(encrypted.key, 't')} = s.row_key ${join}
       WHERE s.table_id = $1 AND s.field = $2 ORDER BY s.slot`,
      params as never,
    )
  ).getRowsJS()
  const values = [...new Set(rows.map(([, v]) => v).filter((v): v is string => v !== null).map(String))].sort()
  const index = new Map(values.map((v, i) => [v, i]))
  const labels = new Int32Array(rows.length)
  rows.forEach(([, v], i) => (labels[i] = v === null ? -1 : index.get(String(v))!))
  return { labels, values }
}
