/**
 * The governance state's schema, as numbered migrations run in order by Kysely's migrator (which
 * records what ran and takes a lock, so that replicas starting together migrate once). A migration
 * once released is never edited: a change is a new one. Both backends run the same migrations;
 * where their SQL differs (auto-numbered ids, binary columns) the backend's kind decides.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import type { Migration, MigrationProvider } from 'kysely/migration'
import { cityDaySql } from '../city-calendar.ts'

export type BackendKind = 'sqlite' | 'postgres'

/** An auto-numbered primary key that orders rows as they were written. */
function withSerialId<T extends string>(table: CreateTableBuilder<T, never>, kind: BackendKind): CreateTableBuilder<T, 'id'> {
  return kind === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey())
}

const required = (c: ColumnDefinitionBuilder) => c.notNull()

function initial(kind: BackendKind): Migration {
  const binary = kind === 'sqlite' ? sql`blob` : sql`bytea`
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('principals')
        .addColumn('role', 'text', required)
        .addColumn('id', 'text', required)
        .addColumn('name', 'text', required)
        .addColumn('status', 'text', required)
        .addColumn('tokens_valid_after', 'bigint', required)
        .addColumn('uscc', 'text')
        .addColumn('contact', 'text')
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('created_at', 'bigint', required)
        .addPrimaryKeyConstraint('principals_pk', ['role', 'id'])
        .execute()

      await db.schema
        .createTable('scenarios')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner', 'text', required)
        .addColumn('product', 'text')
        .addColumn('purpose', 'text', required)
        .addColumn('category', 'text', required)
        .addColumn('status', 'text', required)
        .addColumn('keys', 'text', required)
        .addColumn('row_filters', 'text', required)
        .addColumn('release_rules', 'text', required)
        .addColumn('expires_on', 'text')
        .addColumn('secret', 'text', required)
        .addColumn('revision', 'integer', required)
        .addColumn('created_at', 'bigint', required)
        .execute()
      await db.schema
        .createTable('scenario_fields')
        .addColumn('scenario_id', 'text', required)
        .addColumn('table_id', 'text', required)
        .addColumn('field', 'text', required)
        .addColumn('justification', 'text', required)
        .addColumn('decision', 'text', required)
        .addColumn('mask', 'text')
        .addColumn('reason', 'text')
        .addPrimaryKeyConstraint('scenario_fields_pk', ['scenario_id', 'table_id', 'field'])
        .execute()
      await withSerialId(db.schema.createTable('scenario_history'), kind)
        .addColumn('scenario_id', 'text', required)
        .addColumn('happened_at', 'bigint', required)
        .addColumn('actor', 'text', required)
        .addColumn('action', 'text', required)
        .addColumn('detail', 'text', required)
        .execute()
      await db.schema.createIndex('scenario_history_by_scenario').on('scenario_history').columns(['scenario_id', 'id']).execute()
      await db.schema
        .createTable('runtime_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', required)
        .execute()

      await db.schema
        .createTable('product_versions')
        .addColumn('product', 'text', required)
        .addColumn('version', 'text', required)
        .addColumn('partner', 'text', required)
        .addColumn('status', 'text', required)
        .addColumn('code_hash', 'text', required)
        .addColumn('title', 'text', required)
        .addColumn('kind', 'text', required)
        .addColumn('category', 'text', required)
        .addColumn('dir', 'text', required)
        .addColumn('scenario', 'text')
        .addColumn('dev_run', 'text')
        .addColumn('reviewer', 'text')
        .addColumn('reason', 'text')
        .addColumn('uploaded_at', 'bigint', required)
        .addColumn('decided_at', 'bigint')
        .addPrimaryKeyConstraint('product_versions_pk', ['product', 'version'])
        .execute()

      await db.schema
        .createTable('price_caps')
        .addColumn('product', 'text', (c) => c.primaryKey())
        .addColumn('cap_fen', 'integer', required)
        .addColumn('set_by', 'text', required)
        .addColumn('set_at', 'bigint', required)
        .execute()
      await db.schema
        .createTable('consumers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', required)
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', required)
        .addColumn('monthly_quota', 'integer')
        .addColumn('created_at', 'bigint', required)
        .execute()
      await db.schema
        .createTable('products')
        .addColumn('id', 'text', required)
        .addColumn('version', 'text', required)
        .addColumn('title', 'text', required)
        .addColumn('category', 'text', required)
        .addColumn('dir', 'text', required)
        .addColumn('code_hash', 'text', required)
        .addColumn('partner', 'text', required)
        .addColumn('scenario', 'text', required)
        .addColumn('price_fen', 'integer', required)
        .addColumn('sources', 'text', required)
        .addColumn('status', 'text', required)
        .addColumn('published_at', 'bigint', required)
        .addPrimaryKeyConstraint('products_pk', ['id', 'version'])
        .execute()

      await db.schema
        .createTable('releases')
        .addColumn('release_id', 'text', (c) => c.primaryKey())
        .addColumn('consumer', 'text', required)
        .addColumn('product', 'text', required)
        .addColumn('version', 'text', required)
        .addColumn('code_hash', 'text', required)
        .addColumn('ttl_seconds', 'integer', required)
        .addColumn('partner', 'text', required)
        .addColumn('scenario', 'text', required)
        .addColumn('kind', 'text', required)
        .addColumn('status', 'text', required)
        .addColumn('request_hash', 'text', required)
        .addColumn('result_hash', 'text', required)
        .addColumn('created_at', 'bigint', required)
        .addColumn('created_day', 'text', required)
        .addColumn('reasons', 'text', required)
        .addColumn('report', 'text', required)
        .addColumn('result', 'text')
        .addColumn('token', 'text')
        .addColumn('reviewers_needed', 'integer', required)
        .addColumn('price_fen', 'integer', required)
        .execute()
      await db.schema.createIndex('releases_by_status').on('releases').columns(['status', 'created_at']).execute()
      await db.schema.createIndex('releases_by_day').on('releases').columns(['created_day', 'product']).execute()
      await db.schema.createIndex('releases_by_consumer').on('releases').columns(['consumer', 'created_day']).execute()
      await db.schema
        .createTable('release_reason_codes')
        .addColumn('release_id', 'text', required)
        .addColumn('code', 'text', required)
        .addColumn('created_day', 'text', required)
        .addColumn('consumer', 'text', required)
        .addPrimaryKeyConstraint('release_reason_codes_pk', ['release_id', 'code'])
        .execute()
      await db.schema.createIndex('release_reason_codes_by_day').on('release_reason_codes').column('created_day').execute()
      await withSerialId(db.schema.createTable('released_cells'), kind)
        .addColumn('consumer', 'text', required)
        .addColumn('kind', 'text', required)
        .addColumn('release_id', 'text', required)
        .addColumn('cell', 'text', required)
        .addColumn('role', 'text', required)
        .addColumn('units', binary, required)
        .execute()
      await db.schema.createIndex('released_cells_by_consumer').on('released_cells').columns(['consumer', 'kind', 'id']).execute()
      await db.schema
        .createTable('privacy_spent')
        .addColumn('consumer', 'text', required)
        .addColumn('scenario', 'text', required)
        .addColumn('epsilon', 'double precision', required)
        .addColumn('spent_at', 'bigint', required)
        .execute()
      await db.schema.createIndex('privacy_spent_by_consumer').on('privacy_spent').columns(['consumer', 'scenario', 'spent_at']).execute()
      await db.schema
        .createTable('entity_lookups')
        .addColumn('consumer', 'text', required)
        .addColumn('product', 'text', required)
        .addColumn('entity_hash', 'text', required)
        .addColumn('looked_up_at', 'bigint', required)
        .addPrimaryKeyConstraint('entity_lookups_pk', ['consumer', 'product', 'entity_hash'])
        .execute()
      await db.schema.createIndex('entity_lookups_by_time').on('entity_lookups').columns(['consumer', 'product', 'looked_up_at']).execute()
      await db.schema
        .createTable('consent_uses')
        .addColumn('jti', 'text', (c) => c.primaryKey())
        .addColumn('uses', 'integer', required)
        .addColumn('first_used_at', 'bigint', required)
        .execute()
      await db.schema
        .createTable('quota_uses')
        .addColumn('consumer', 'text', required)
        .addColumn('month', 'text', required)
        .addColumn('used', 'integer', required)
        .addPrimaryKeyConstraint('quota_uses_pk', ['consumer', 'month'])
        .execute()
      await withSerialId(db.schema.createTable('product_failures'), kind)
        .addColumn('product', 'text', required)
        .addColumn('version', 'text', required)
        .addColumn('consumer', 'text', required)
        .addColumn('code', 'text', required)
        .addColumn('failed_at', 'bigint', required)
        .execute()
      await db.schema.createIndex('product_failures_by_version').on('product_failures').columns(['product', 'version', 'failed_at']).execute()
      await withSerialId(db.schema.createTable('review_decisions'), kind)
        .addColumn('release_id', 'text', required)
        .addColumn('operator', 'text', required)
        .addColumn('decision', 'text', required)
        .addColumn('reason', 'text')
        .addColumn('decided_at', 'bigint', required)
        // each reviewer decides once, whichever replica the decisions reach
        .addUniqueConstraint('review_decisions_once', ['release_id', 'operator'])
        .execute()
    },
  }
}

/**
 * The audit trail and its head log: one hash chain for every process and replica (seq is the
 * primary key, so two writers can never both write an entry under one number), each entry kept
 * as the exact JSON line that is hashed and exported; a signed head for every group commit.
 */
const auditTrail: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_entries')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', required)
      .addColumn('actor', 'text', required)
      .addColumn('action', 'text', required)
      .addColumn('subject', 'text', required)
      .addColumn('entry', 'text', required)
      .execute()
    await db.schema.createIndex('audit_entries_by_actor').on('audit_entries').columns(['actor', 'seq']).execute()
    await db.schema.createIndex('audit_entries_by_action').on('audit_entries').columns(['action', 'seq']).execute()
    await db.schema
      .createTable('audit_heads')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('hash', 'text', required)
      .addColumn('at', 'text', required)
      .addColumn('signature', 'text', required)
      .execute()
  },
}

/**
 * The ledger's days are the city's (city-calendar.ts): days recorded before were UTC days, so each
 * release's day is computed again from its instant, and its refusal codes take their release's day.
 * Quota counts keep the months they were counted in.
 */
function cityDays(kind: BackendKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql.raw(`UPDATE releases SET created_day = ${cityDaySql(kind, 'created_at')}`).execute(db)
      await sql`UPDATE release_reason_codes SET created_day = COALESCE((SELECT r.created_day FROM releases r WHERE r.release_id = release_reason_codes.release_id), created_day)`.execute(db)
    },
  }
}

/**
 * One version of a product serves and is on the public list, the one published last; the ones
 * before it are retired, and a retired one may stay callable, by consumers that name it, until a
 * day an operator chooses.
 */
const callableUntil: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('products').addColumn('callable_until', 'text').execute()
    await sql`UPDATE products SET status = 'retired' WHERE status IN ('published', 'held') AND EXISTS (SELECT 1 FROM products newer WHERE newer.id = products.id AND newer.status IN ('published', 'held') AND newer.published_at > products.published_at)`.execute(db)
  },
}

/** The migrations for a backend, by name (names sort in the order they run). */
export function stateMigrations(kind: BackendKind): MigrationProvider {
  return {
    async getMigrations() {
      return { '0001-governance-state': initial(kind), '0002-audit-trail': auditTrail, '0003-city-days': cityDays(kind), '0004-callable-until': callableUntil }
    },
  }
}
