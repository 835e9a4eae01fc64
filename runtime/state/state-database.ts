/**
 * The governance state's database: the embedded default (one `node:sqlite` file in WAL mode, which
 * a command can use beside a running server) or PostgreSQL (`postgres://…`, through `pg`'s pool),
 * behind one query layer (Kysely) and one migration history. What the stores need from it is
 * narrow: queries, `transaction(work)`, and `lock(tx, key)` to make a read-check-write step atomic
 * across every process and replica that shares the database.
 */
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { RuntimeError } from '../errors.ts'
import { stateMigrations, type BackendKind } from './migrations.ts'
import { NodeSqliteDialect, openSqliteDatabase } from './node-sqlite-dialect.ts'
import { walSync } from './wal-sync.ts'
import { batchText, queuedText, roundTripPool, type BatchItem } from './postgres-round-trips.ts'
import type { StateSchema } from './state-schema.ts'

export type { BackendKind, BatchItem }
export type StateTransaction = Transaction<StateSchema>

export type StateDatabase = {
  readonly kind: BackendKind
  /**
   * The database for queries; inside `transaction(work)` it is that transaction, so that what a
   * store reads in a caller's transaction sees the caller's writes (and, on the embedded file, does
   * not wait for the connection the transaction holds).
   */
  readonly db: Kysely<StateSchema>
  /** Where the state is, without credentials (logs, readiness). */
  readonly location: string
  /**
   * Runs `work` in one transaction: all of it commits, or none of it. Called inside another
   * transaction's work, it joins that transaction: a governance action wraps the store's change
   * and the audit trail's entry in one transaction, and the stores need not know. Resolves once
   * the commit is on disk, power loss included: PostgreSQL's commits are (synchronous_commit); the
   * embedded file's are made so by an fsync off the event loop (wal-sync.ts).
   */
  transaction<T>(work: (tx: StateTransaction) => Promise<T>): Promise<T>
  /** Opens what serving will use before the first call needs it (PostgreSQL: the pool's connections). */
  warmUp(): Promise<void>
  /** The transaction the calling code runs in, if any (the audit trail appends into it). */
  current(): StateTransaction | undefined
  /** Runs `work` outside any transaction of the caller (work scheduled for later, such as a group commit, joins none). */
  outside<T>(work: () => T): T
  /**
   * Inside a transaction: holds `key` until the transaction ends, so that read-check-write steps on
   * the same key (one consumer's quota, one consumer's budget) run one at a time on every replica.
   * PostgreSQL takes a transaction-scoped advisory lock; an SQLite transaction holds the file's
   * write lock from its start already.
   */
  lock(tx: StateTransaction, key: string): Promise<void>
  /**
   * Runs `items` (compiled queries, and locks as `lock` takes them) in order on `q` (a transaction,
   * or the database: then one implicit transaction) and resolves with each one's rows (a lock's:
   * none). PostgreSQL receives them, with what the transaction queued before them, in one round
   * trip (postgres-round-trips.ts); the embedded file runs them one after another.
   */
  batch(q: StateTransaction | Kysely<StateSchema>, items: readonly BatchItem[]): Promise<unknown[][]>
  /**
   * Inside a transaction: a write whose result nobody reads. PostgreSQL sends it with the
   * transaction's next statement, batch or commit; the embedded file runs it at once. Either way
   * it commits with the transaction, and a write that fails fails the transaction.
   */
  write(tx: StateTransaction, query: CompiledQuery): Promise<void>
  close(): Promise<void>
}

export type StateDatabaseOptions = {
  /** PostgreSQL connections per process (default 10). */
  readonly poolSize?: number
}

type Ambient = { readonly tx: StateTransaction; open: boolean }

/** Transactions that nested calls join, and a `db` that is the transaction inside one. */
function ambient(base: Kysely<StateSchema>, durable: () => Promise<void>): Pick<StateDatabase, 'db' | 'transaction' | 'current' | 'outside'> {
  const running = new AsyncLocalStorage<Ambient>()
  // a callback scheduled inside a transaction (a timer, a queued flush) may run after it ended
  const current = (): StateTransaction | undefined => {
    const a = running.getStore()
    return a?.open === true ? a.tx : undefined
  }
  return {
    get db() {
      return current() ?? base
    },
    current,
    outside: (work) => running.exit(work),
    async transaction(work) {
      const joined = current()
      if (joined !== undefined) return work(joined)
      const result = await base.transaction().execute(async (tx) => {
        const a: Ambient = { tx, open: true }
        try {
          return await running.run(a, () => work(tx))
        } finally {
          a.open = false
        }
      })
      await durable()
      return result
    },
  }
}

/** `tx`, refused unless it is a transaction: a write outside one would have no commit to travel with. */
function inTransaction(tx: StateTransaction): StateTransaction {
  if ((tx as { isTransaction?: boolean }).isTransaction !== true) throw new TypeError('write() takes a transaction: outside one it would have no commit')
  return tx
}

export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location)
}

/**
 * Opens the state at `location` (a file path, or a `postgres://` URL) and brings its schema up to
 * date. One process opens a file once: opening it again shares the first connection (and its
 * queue of transactions) until the last holder closes it, because two connections of one thread
 * would wait on each other's write lock.
 */
export async function openStateDatabase(location: string, options: StateDatabaseOptions = {}): Promise<StateDatabase> {
  if (!isDatabaseUrl(location)) return shareSqlite(resolve(location))
  const opened = openPostgres(location, options)
  try {
    await migrate(opened)
  } catch (error) {
    await opened.close()
    throw error
  }
  return opened
}

const openFiles = new Map<string, { database: Promise<StateDatabase>; holders: number }>()

async function shareSqlite(path: string): Promise<StateDatabase> {
  let shared = openFiles.get(path)
  if (shared === undefined) {
    const database = (async () => {
      const opened = openSqlite(path)
      try {
        await migrate(opened)
        return opened
      } catch (error) {
        await opened.close()
        throw error
      }
    })()
    shared = { database, holders: 0 }
    openFiles.set(path, shared)
    database.catch(() => openFiles.delete(path))
  }
  shared.holders++
  const database = await shared.database
  let closed = false
  return {
    kind: database.kind,
    get db() {
      return database.db
    },
    location: database.location,
    transaction: (work) => database.transaction(work),
    warmUp: () => database.warmUp(),
    current: () => database.current(),
    outside: (work) => database.outside(work),
    lock: (tx, key) => database.lock(tx, key),
    batch: (q, items) => database.batch(q, items),
    write: (tx, query) => database.write(tx, query),
    async close() {
      if (closed) return
      closed = true
      if (--shared.holders === 0) {
        openFiles.delete(path)
        await database.close()
      }
    },
  }
}

function openSqlite(path: string): StateDatabase {
  mkdirSync(dirname(path), { recursive: true })
  let file
  try {
    file = openSqliteDatabase(path)
  } catch (cause) {
    throw new RuntimeError('ERR_STATE_UNAVAILABLE', 'The state database cannot be opened', { cause, details: { location: path } })
  }
  const db = new Kysely<StateSchema>({ dialect: new NodeSqliteDialect(file) })
  const wal = walSync(path)
  const scoped = ambient(db, wal.durable)
  return {
    kind: 'sqlite',
    get db() {
      return scoped.db
    },
    location: path,
    transaction: scoped.transaction,
    warmUp: async () => undefined,
    current: scoped.current,
    outside: scoped.outside,
    lock: async () => undefined,
    async batch(q, items) {
      const rows: unknown[][] = []
      for (const item of items) rows.push('lock' in item ? [] : (await q.executeQuery(item)).rows as unknown[])
      return rows
    },
    async write(tx, query) {
      await inTransaction(tx).executeQuery(query)
    },
    async close() {
      await wal.close()
      await db.destroy()
    },
  }
}

// pg returns 64-bit integers and numerics as strings; the state's are counts and epoch milliseconds
const INT8 = 20
const NUMERIC = 1700
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format as 'text')
  }) as typeof pg.types.getTypeParser,
}

function openPostgres(url: string, options: StateDatabaseOptions): StateDatabase {
  // connections stay open while idle (a server's pool is warm between bursts) yet never hold a process open
  const poolSize = options.poolSize ?? 10
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, idleTimeoutMillis: 0, allowExitOnIdle: true })
  // an idle connection that the server dropped must not crash the process
  pool.on('error', (error) => process.emitWarning(`the state database dropped a connection: ${error.message}`))
  const db = new Kysely<StateSchema>({ dialect: new PostgresDialect({ pool: roundTripPool(pool) }) })
  // a commit is durable when PostgreSQL answers it (synchronous_commit)
  const scoped = ambient(db, () => Promise.resolve())
  const batch: StateDatabase['batch'] = async (q, items) => {
    if (items.length === 0) return []
    const rows = (await q.executeQuery(CompiledQuery.raw(batchText(items)))).rows as unknown[][]
    return rows.map((r, i) => ('lock' in items[i]! ? [] : r))
  }
  return {
    kind: 'postgres',
    get db() {
      return scoped.db
    },
    location: redact(url),
    transaction: scoped.transaction,
    async warmUp() {
      // every connection of the pool opened at once, so that the first calls do not each wait for one
      const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()))
      for (const client of clients) client.release()
    },
    current: scoped.current,
    outside: scoped.outside,
    async lock(tx, key) {
      await batch(tx, [{ lock: key }])
    },
    batch,
    async write(tx, query) {
      await inTransaction(tx).executeQuery(CompiledQuery.raw(queuedText(query)))
    },
    close: () => db.destroy(),
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url)
    u.password = ''
    return u.toString()
  } catch {
    return 'postgres://'
  }
}

async function migrate(state: StateDatabase): Promise<void> {
  const migrator = new Migrator({ db: state.db, provider: stateMigrations(state.kind) })
  let outcome
  try {
    outcome = await migrator.migrateToLatest()
  } catch (cause) {
    throw new RuntimeError('ERR_STATE_UNAVAILABLE', 'The state database cannot be reached', { cause, details: { location: state.location } })
  }
  if (outcome.error !== undefined) {
    const failed = outcome.results?.find((r) => r.status === 'Error')?.migrationName
    throw new RuntimeError('ERR_STATE_SCHEMA', 'The state database\'s schema cannot be brought to this version of the runtime', {
      cause: outcome.error,
      details: { location: state.location, ...(failed === undefined ? {} : { migration: failed }) },
    })
  }
}
