/**
 * DDL of the store, derived from catalog definitions: one table per definition in `main`,
 * the ground truth of synthetic stores in `ground_truth`, metadata in `indomain_meta`.
 * Identifiers are quoted; nothing here takes a value from outside the catalog.
 */
import type { FieldDefinition, TableDefinition } from '../../catalog/table-definition.ts'

export const META_SCHEMA = 'indomain_meta'
export const TRUTH_SCHEMA = 'ground_truth'

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A SQL string literal, for the places values cannot be bound (settings, ATTACH paths, DDL, view text). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

export function columnType(field: FieldDefinition): string {
  switch (field.type) {
    case 'text':
      return 'VARCHAR'
    case 'integer':
      return 'BIGINT'
    case 'decimal':
      return `DECIMAL(18, ${field.scale ?? 2})`
    case 'date':
      return 'DATE'
    case 'timestamp':
      return 'TIMESTAMP'
    case 'boolean':
      return 'BOOLEAN'
  }
}

export function createTableSql(table: TableDefinition, name = table.id): string {
  const columns = table.fields.map(
    (f) => `${quoteIdentifier(f.name)} ${columnType(f)}${f.required ? ' NOT NULL' : ''}`,
  )
  return `CREATE TABLE ${quoteIdentifier(name)} (${columns.join(', ')})`
}

export const CREATE_META_SQL = [
  `CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA}`,
  `CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.properties (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.table_loads (table_id VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL, row_count BIGINT NOT NULL, file_sha256 VARCHAR)`,
]
