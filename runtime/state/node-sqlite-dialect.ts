/**
 * Kysely on `node:sqlite` (built into Node 24): the embedded default backend, one file in WAL mode
 * that a second process (a command beside a running server) can read and write.
 *
 * `node:sqlite` is synchronous, so the connection lives on a thread of its own (the state thread,
 * sqlite-thread-worker.ts), which keeps prepared statements for reuse; this side is Kysely's driver
 * and dialect, each statement a message. Commits are synchronous=FULL — on disk before they are
 * answered — and their fsync never blocks the event loop. Transactions begin `IMMEDIATE`: a transaction that reads and then writes holds
 * the write lock from its start, so two processes never deadlock on upgrading a read to a write,
 * and their read-check-write steps (quotas, budgets, reviews) run one after the other; migrations
 * run in such a transaction too.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import { Worker } from 'node:worker_threads'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely'
import type { ThreadAnswer } from './sqlite-thread-worker.ts'

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000

export function openSqliteDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS })
  try {
    useWal(db)
    // FULL: a commit is on disk before it is answered (the fsync runs on the state thread, once per group commit)
    db.exec(`PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;`)
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

/** Booleans as 0/1 and buffers as plain bytes; everything else as it is. */
export function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Uint8Array && !(value.constructor === Uint8Array)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  return value as SQLInputValue
}

/**
 * Kysely's driver for the state thread (sqlite-thread-worker.ts): one connection, lent to one
 * query or one transaction at a time (the others wait their turn), each statement a message to the
 * thread and its answer. Transactions begin `IMMEDIATE`.
 */
class SqliteThreadDriver implements Driver {
  readonly #thread: SqliteThread
  #turn: Promise<void> = Promise.resolve()
  constructor(thread: SqliteThread) {
    this.#thread = thread
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void
    const previous = this.#turn
    this.#turn = new Promise<void>((resolve) => (release = resolve))
    await previous
    return new ThreadConnection(this.#thread, release)
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    ;(connection as ThreadConnection).release()
  }
  async destroy(): Promise<void> {
    await this.#turn
    await this.#thread.close()
  }
}

class ThreadConnection implements DatabaseConnection {
  readonly #thread: SqliteThread
  readonly release: () => void
  constructor(thread: SqliteThread, release: () => void) {
    this.#thread = thread
    this.release = release
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const answer = await this.#thread.run(query.sql, query.parameters)
    if (answer.changes === undefined) return { rows: answer.rows as R[] }
    return { rows: answer.rows as R[], numAffectedRows: BigInt(answer.changes), insertId: BigInt(answer.lastInsertRowid ?? 0) }
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the state thread does not stream')
  }
}

/** The state file's thread: statements in, rows out, in order. */
export type SqliteThread = {
  run(sql: string, params: readonly unknown[]): Promise<{ readonly rows: unknown[]; readonly changes?: number | bigint; readonly lastInsertRowid?: number | bigint }>
  close(): Promise<void>
}

/** Starts the thread that holds `path`'s connection; resolves once the file is open (WAL, FULL sync), rejects if it cannot be. */
export function startSqliteThread(path: string): Promise<SqliteThread> {
  const worker = new Worker(new URL('./sqlite-thread-worker.ts', import.meta.url), { workerData: { path } })
  const waiting = new Map<number, { resolve: (a: ThreadAnswer) => void; reject: (e: unknown) => void }>()
  let next = 1
  let exited: Error | undefined
  // the thread keeps the process alive only while it has work (and until it has opened the file):
  // an idle state never holds a command open
  const answered = (answer: ThreadAnswer) => {
    const w = waiting.get(answer.id)
    if (w === undefined) return
    waiting.delete(answer.id)
    if (waiting.size === 0) worker.unref()
    if ('error' in answer) w.reject(Object.assign(new Error(answer.error.message), answer.error))
    else w.resolve(answer)
  }
  const fail = (error: Error) => {
    exited = error
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
  }
  worker.on('error', fail)
  worker.on('exit', () => fail(exited ?? new Error('the state thread has stopped')))
  const send = (message: { sql: string; params: readonly unknown[] } | { close: true }): Promise<ThreadAnswer> =>
    new Promise((resolve, reject) => {
      if (exited !== undefined) return reject(exited)
      const id = next++
      if (waiting.size === 0) worker.ref()
      waiting.set(id, { resolve, reject })
      worker.postMessage({ id, ...message })
    })
  return new Promise((resolve, reject) => {
    worker.once('message', (first: { ready: boolean; error?: { message: string } }) => {
      if (!first.ready) return reject(new Error(first.error?.message ?? 'the state file cannot be opened'))
      worker.on('message', answered)
      if (waiting.size === 0) worker.unref()
      resolve({
        async run(sql, params) {
          const answer = await send({ sql, params })
          return answer as Extract<ThreadAnswer, { rows: unknown[] }>
        },
        async close() {
          if (exited !== undefined) return
          const gone = new Promise((r) => worker.once('exit', r))
          await send({ close: true }).catch(() => undefined)
          // held until the thread is gone: closing finishes before the process may end
          worker.ref()
          await gone
        },
      })
    })
    worker.once('error', reject)
  })
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

export class NodeSqliteDialect implements Dialect {
  readonly #thread: SqliteThread
  constructor(thread: SqliteThread) {
    this.#thread = thread
  }
  createDriver(): Driver {
    return new SqliteThreadDriver(this.#thread)
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }
  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}
