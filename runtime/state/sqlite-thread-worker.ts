/**
 * The state thread: the one connection of this process to the embedded state file (node:sqlite,
 * which is synchronous), in a worker thread of its own, so that no statement, commit or fsync of
 * the state runs on the serving process's event loop. It answers one message at a time, in the
 * order they came: statements ({ id, sql, params }) and, last, { id, close: true }.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { StatementSync } from 'node:sqlite'
import { openSqliteDatabase, toSqlite } from './node-sqlite-dialect.ts'

const STATEMENT_CACHE_SIZE = 256

export type ThreadRequest = { readonly id: number; readonly sql: string; readonly params: readonly unknown[] } | { readonly id: number; readonly close: true }
export type ThreadAnswer =
  | { readonly id: number; readonly rows: unknown[]; readonly changes?: number | bigint; readonly lastInsertRowid?: number | bigint }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string; readonly errcode?: number; readonly errstr?: string } }

const port = parentPort!
let db: ReturnType<typeof openSqliteDatabase>
try {
  db = openSqliteDatabase((workerData as { path: string }).path)
  port.postMessage({ ready: true })
} catch (error) {
  port.postMessage({ ready: false, error: { message: (error as Error).message } })
  process.exit(0)
}

// the same few statements run on every call: prepared once, reused
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

port.on('message', (request: ThreadRequest) => {
  if ('close' in request) {
    db.close()
    port.postMessage({ id: request.id, rows: [] } satisfies ThreadAnswer)
    port.close()
    return
  }
  try {
    const { statement, reader } = prepared(request.sql)
    const values = request.params.map(toSqlite)
    if (reader) {
      port.postMessage({ id: request.id, rows: statement.all(...values) } satisfies ThreadAnswer)
    } else {
      const { changes, lastInsertRowid } = statement.run(...values)
      port.postMessage({ id: request.id, rows: [], changes, lastInsertRowid } satisfies ThreadAnswer)
    }
  } catch (error) {
    const e = error as Error & { code?: string; errcode?: number; errstr?: string }
    port.postMessage({ id: request.id, error: { message: e.message, ...(e.code === undefined ? {} : { code: e.code }), ...(e.errcode === undefined ? {} : { errcode: e.errcode }), ...(e.errstr === undefined ? {} : { errstr: e.errstr }) } } satisfies ThreadAnswer)
  }
})
