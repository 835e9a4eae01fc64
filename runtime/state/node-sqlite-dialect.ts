/**
 * Kysely on `node:sqlite` (built into Node 24): the embedded default backend, one file in WAL mode
 * that a second process (a command beside a running server) can read and write.
 *
 * Kysely's SQLite dialect takes any database with `prepare` → `{reader, all, run, iterate}`; this
 * adapts `DatabaseSync` to it, keeping prepared statements for reuse (the same few statements run
 * on every call). Transactions begin `IMMEDIATE`: a transaction that reads and then writes holds
 * the write lock from its start, so two processes never deadlock on upgrading a read to a write,
 * and their read-check-write steps (quotas, budgets, reviews) run one after the other; migrations
 * run in such a transaction too.
 */
import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite'
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely'

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000
const STATEMENT_CACHE_SIZE = 256

export function openSqliteDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS })
  try {
    useWal(db)
    db.exec(`PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;`)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Switches a file to WAL once (the mode is the file's, kept across opens). Two processes opening a
 * fresh file together race to switch it, and the switch answers "locked" at once rather than
 * waiting: the loser retries until the mode is WAL, within the busy timeout.
 */
function useWal(db: DatabaseSync): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (const deadline = Date.now() + BUSY_TIMEOUT_MS; ; ) {
    try {
      const mode = db.prepare('PRAGMA journal_mode').get() as { journal_mode?: string } | undefined
      if (mode?.journal_mode === 'wal') return
      db.exec('PRAGMA journal_mode = WAL')
      return
    } catch (error) {
      if (!/locked|busy/i.test(String((error as Error).message)) || Date.now() > deadline) throw error
      Atomics.wait(pause, 0, 0, 20)
    }
  }
}

function adapt(db: DatabaseSync): SqliteDatabase {
  const statements = new Map<string, { statement: StatementSync; reader: boolean }>()
  const prepared = (sql: string) => {
    let found = statements.get(sql)
    if (found === undefined) {
      const statement = db.prepare(sql)
      found = { statement, reader: statement.columns().length > 0 }
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
      statements.set(sql, found)
    }
    return found
  }
  const values = (parameters: ReadonlyArray<unknown>) => parameters.map(toSqlite)
  return {
    close: () => db.close(),
    prepare(sql): SqliteStatement {
      const { statement, reader } = prepared(sql)
      return {
        reader,
        all: (parameters) => statement.all(...values(parameters)),
        run: (parameters) => statement.run(...values(parameters)),
        iterate: (parameters) => statement.iterate(...values(parameters)),
      }
    },
  }
}

/** Booleans as 0/1 and buffers as plain bytes; everything else as it is. */
function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Uint8Array && !(value.constructor === Uint8Array)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  return value as SQLInputValue
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

/**
 * SQLite runs DDL in transactions; telling Kysely's migrator so makes it run the migrations in one
 * (an immediate one: the file's write lock), so that two processes opening a fresh file together
 * migrate it once — the second waits, then finds the migrations done.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase
  constructor(db: DatabaseSync) {
    const database = adapt(db)
    super({ database })
    this.#database = database
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database })
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}
