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

/**
 * The text of a statement with its parameters inlined as escaped literals. Only placeholders are
 * replaced: a `$1` inside quoted text, a quoted identifier, a dollar-quoted string or a comment is
 * text, left as it is. The placeholders must be `$1`…`$n`, each once and in order, for the `n`
 * parameters (as Kysely writes them); any other statement is refused, not guessed at.
 */
export function inlined(query: CompiledQuery): string {
  const found = placeholders(query.sql)
  found.forEach((p, i) => {
    if (p.n !== i + 1) throw new TypeError(`the statement's placeholders are not $1…$n in order: $${p.n} where $${i + 1} belongs`)
  })
  if (found.length !== query.parameters.length) throw new TypeError(`the statement has ${found.length} placeholders for ${query.parameters.length} parameters`)
  let text = ''
  let from = 0
  found.forEach((p, i) => {
    text += query.sql.slice(from, p.start) + literal(query.parameters[i])
    from = p.end
  })
  return text + query.sql.slice(from)
}

const IDENTIFIER = /[A-Za-z0-9_$\u0080-\uffff]/

/** Where the placeholders are, skipping quoted text and identifiers, dollar quotes and comments. */
function placeholders(sql: string): { readonly start: number; readonly end: number; readonly n: number }[] {
  const found: { start: number; end: number; n: number }[] = []
  const unterminated = (what: string): never => {
    throw new TypeError(`the statement has an unterminated ${what}`)
  }
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (c === "'") {
      // E'…' takes backslash escapes; in every form '' is a quote
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !IDENTIFIER.test(sql[i - 2] ?? ' ')
      for (i++; ; i++) {
        if (i >= sql.length) unterminated('quoted text')
        if (escapes && sql[i] === '\\') i++
        else if (sql[i] === "'") {
          if (sql[i + 1] !== "'") break
          i++
        }
      }
      i++
    } else if (c === '"') {
      for (i++; ; i++) {
        if (i >= sql.length) unterminated('quoted identifier')
        if (sql[i] === '"') {
          if (sql[i + 1] !== '"') break
          i++
        }
      }
      i++
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end + 1
    } else if (c === '/' && sql[i + 1] === '*') {
      // block comments nest in PostgreSQL
      let depth = 0
      do {
        if (i >= sql.length) unterminated('comment')
        if (sql.startsWith('/*', i)) (depth++, (i += 2))
        else if (sql.startsWith('*/', i)) (depth--, (i += 2))
        else i++
      } while (depth > 0)
    } else if (c === '$' && !IDENTIFIER.test(sql[i - 1] ?? ' ')) {
      const placeholder = /^\$(\d+)/.exec(sql.slice(i, i + 12))
      const tag = placeholder === null ? /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64)) : null
      if (placeholder !== null) {
        found.push({ start: i, end: i + placeholder[0].length, n: Number(placeholder[1]) })
        i += placeholder[0].length
      } else if (tag !== null) {
        const close = sql.indexOf(tag[0], i + tag[0].length)
        if (close === -1) unterminated('dollar-quoted string')
        i = close + tag[0].length
      } else i++
    } else i++
  }
  return found
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
    // a newline before each ';': no statement's trailing comment can swallow it
    const results = (await client.query(all.join('\n;\n'))) as unknown as Result | Result[]
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
        // nothing of the transaction reached the server yet: a rollback or a commit of nothing ends it here
        const unsent = queued[0] === 'begin'
        if (/^\s*rollback\b/i.test(text)) {
          // a rollback throws the queued writes away with the rest of the transaction
          queued = []
          if (unsent) return { command: 'ROLLBACK', rowCount: null, rows: [] }
        } else if (unsent && queued.length === 1 && /^\s*commit\b/i.test(text)) {
          queued = []
          return { command: 'COMMIT', rowCount: null, rows: [] }
        }
        // a statement without parameters (commit) travels with them; one with parameters after them
        else if (parameters.length === 0) return (await send([text]))[0]!
        else await send([])
      }
      return (await client.query(text, parameters as unknown[])) as unknown as Result
    },
    release(destroy?: boolean | Error) {
      // writes still queued here were never committed: the connection goes, and with it any doubt
      const leftover = queued.some((q) => q !== 'begin')
      queued = []
      client.release(leftover ? new Error('a connection was released with writes queued outside a commit') : destroy)
    },
  }
  return wrapped as unknown as PostgresPoolClient
}
