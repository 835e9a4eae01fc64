/**
 * Fewer round trips to PostgreSQL inside a transaction. Every statement `pg` sends waits for its
 * answer before the next leaves, so a commit group of a dozen statements spent a dozen round
 * trips — most of them under the advisory locks that serialize replicas. Two things shorten it:
 *
 * - **a batch**: several statements whose results are all needed, sent as one simple-protocol
 *   message (one round trip; each statement still sees what the ones before it did, and an
 *   advisory lock taken by one holds for those after it);
 * - **a queued write**: a statement whose result nobody reads (an insert of a ledger row or an
 *   audit entry) travels with the transaction's next statement, batch or commit. A write that
 *   fails fails there, and the transaction with it, as it would have at once. A transaction's
 *   `begin` travels the same way, with its first statement.
 *
 * The simple protocol takes no parameters, so the statements' parameters are inlined as literals,
 * escaped by `pg` (`escapeLiteral`) and typed by their context exactly as an untyped parameter is.
 * This lives in the clients the pool hands to Kysely, so every other query is untouched.
 */
import type { CompiledQuery, PostgresPool, PostgresPoolClient } from 'kysely'
import pg from 'pg'

const BATCH = '/* indomain:batch */'
const QUEUED = '/* indomain:queued */'

/** A statement of a batch: a compiled query, or an advisory lock on a key held to the transaction's end. */
export type BatchItem = CompiledQuery | { readonly lock: string }

/** The text of a statement with its parameters inlined as escaped literals. */
export function inlined(query: CompiledQuery): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1
    if (index >= query.parameters.length) throw new TypeError(`the statement names parameter $${n} of ${query.parameters.length}`)
    return literal(query.parameters[index])
  })
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'string') return pg.escapeLiteral(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a parameter is not a finite number')
    return pg.escapeLiteral(String(value))
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return pg.escapeLiteral(String(value))
  // what a state query passes is text and numbers; anything else is refused rather than guessed at
  throw new TypeError(`a parameter of type ${Array.isArray(value) ? 'array' : typeof value} cannot be inlined`)
}

/** The batch's text, as Kysely passes it to the client: the statements travel as one message. */
export function batchText(items: readonly BatchItem[]): string {
  const statements = items.map((item) => ('lock' in item ? `select pg_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(item.lock)}, 0))` : inlined(item)))
  return `${BATCH}${JSON.stringify(statements)}`
}

/** A queued write's text, as Kysely passes it to the client. */
export function queuedText(query: CompiledQuery): string {
  return `${QUEUED}${inlined(query)}`
}

type Result = { command: string; rowCount: number | null; rows: unknown[] }

/** A pool whose clients send batches and queued writes in one round trip. */
export function roundTripPool(pool: pg.Pool): PostgresPool {
  // one wrapper per client: Kysely keeps its connection object per client it is handed
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  const wrapped = {
    async connect() {
      const client = await pool.connect()
      let wrapper = clients.get(client)
      if (wrapper === undefined) clients.set(client, (wrapper = roundTripClient(client)))
      return wrapper
    },
    end: () => pool.end(),
    // what Kysely reads of a pg pool to cancel a query
    options: pool.options,
    Client: pg.Client,
  }
  return wrapped
}

function roundTripClient(client: pg.PoolClient): PostgresPoolClient {
  let queued: string[] = []
  /** Sends the queued writes and `statements` as one message; resolves with the results of `statements`. */
  const send = async (statements: readonly string[]): Promise<Result[]> => {
    const all = [...queued, ...statements]
    queued = []
    const results = (await client.query(all.join(';\n'))) as unknown as Result | Result[]
    const list = Array.isArray(results) ? results : [results]
    return list.slice(list.length - statements.length)
  }
  const wrapped = {
    get processID(): number | undefined {
      return (client as unknown as { processID?: number }).processID
    },
    async query(text: string, parameters: readonly unknown[]): Promise<Result> {
      // a transaction's begin travels with its first statement
      if (text === 'begin' && queued.length === 0) {
        queued.push(text)
        return { command: 'BEGIN', rowCount: null, rows: [] }
      }
      if (text.startsWith(QUEUED)) {
        queued.push(text.slice(QUEUED.length))
        return { command: 'QUEUED', rowCount: 0, rows: [] }
      }
      if (text.startsWith(BATCH)) {
        const results = await send(JSON.parse(text.slice(BATCH.length)) as string[])
        return { command: 'SELECT', rowCount: results.length, rows: results.map((r) => r.rows) }
      }
      if (queued.length > 0) {
        // a rollback throws the queued writes away with the rest of the transaction
        if (/^\s*rollback\b/i.test(text)) queued = []
        // a statement without parameters (commit) travels with them; one with parameters after them
        else if (parameters.length === 0) return (await send([text]))[0]!
        else await send([])
      }
      return (await client.query(text, parameters as unknown[])) as unknown as Result
    },
    release(destroy?: boolean) {
      queued = []
      client.release(destroy)
    },
  }
  return wrapped as unknown as PostgresPoolClient
}
