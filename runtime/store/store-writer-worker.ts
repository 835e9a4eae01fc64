/**
 * The thread side of store-writer.ts: opens the store being built, creates its tables and one
 * appender per target, and appends the staged chunks as they arrive, in order. A failure sets the
 * shared flag before anything else (the building thread may be blocked waiting for room), then is
 * reported and the store closed; every later message but `abort` is ignored.
 */
import { endianness } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { isRuntimeError } from '../errors.ts'
import { createChunkAppender, type ChunkAppender } from './chunk-appender.ts'
import { openStore, type Store } from './open-store.ts'
import { FAILED, IN_FLIGHT, type WireError, type WriterData, type WriterMessage, type WriterReply } from './store-writer.ts'

/** DuckDB's rows per row group: an appender written out at a multiple of it leaves no part-filled groups behind. */
const ROW_GROUP_ROWS = 122_880

const port = parentPort!
const { path, setup, targets, memoryLimit, state: shared, ring } = workerData as WriterData
const state = new Int32Array(shared)
let store: Store | undefined
const appenders = new Map<string, ChunkAppender>()
let failed = false
let ended = false

const reply = (message: WriterReply) => port.postMessage(message)

function fail(error: unknown): void {
  if (!failed) {
    failed = true
    Atomics.store(state, FAILED, 1)
    Atomics.notify(state, IN_FLIGHT)
    reply({ error: wireError(error) })
  }
  end()
}

function end(): void {
  if (ended) return
  ended = true
  try {
    store?.close()
  } finally {
    port.close()
  }
}

// a thread that ends some other way must not leave the building thread waiting for room
process.once('exit', () => {
  if (!ended) {
    Atomics.store(state, FAILED, 1)
    Atomics.notify(state, IN_FLIGHT)
  }
})

function wireError(error: unknown): WireError {
  if (isRuntimeError(error)) return { message: error.message, code: error.code, ...(error.details === undefined ? {} : { details: { ...error.details } }) }
  return { message: error instanceof Error ? error.message : String(error) }
}

function handle(message: WriterMessage): void | Promise<void> {
  if ('abort' in message) return end()
  if (failed) return
  if ('chunk' in message) {
    const appender = appenders.get(message.chunk.target)
    if (appender === undefined) throw new RangeError('a chunk for a target the writer does not have')
    appender.append(message.chunk, ring)
    if (appender.unflushed >= ROW_GROUP_ROWS) appender.flush()
    Atomics.sub(state, IN_FLIGHT, message.span)
    Atomics.notify(state, IN_FLIGHT)
  } else if ('flush' in message) {
    for (const appender of appenders.values()) if (appender.unflushed > 0) appender.flush()
  } else {
    return finish(message.finish)
  }
}

async function finish(statements: Extract<WriterMessage, { finish: unknown }>['finish']): Promise<void> {
  for (const appender of appenders.values()) appender.close()
  appenders.clear()
  for (const { sql, params } of statements) await store!.connection.run(sql, [...params])
  await store!.connection.run('CHECKPOINT')
  reply({ done: true })
  end()
}

try {
  // the packed layouts are the machine's byte order, validity masks are read as DuckDB's little-endian
  // 64-bit words, and a long text's address is written as two 32-bit halves
  if (endianness() !== 'LE' || !['x64', 'arm64'].includes(process.arch)) throw new Error('building a store needs a 64-bit little-endian machine')
  store = await openStore(path, { access: 'read-write', create: true, memoryLimit })
  for (const sql of setup) await store.connection.run(sql)
  for (const t of targets) {
    const appender = t.schema === null ? await store.connection.createAppender(t.table) : await store.connection.createAppender(t.table, t.schema)
    appenders.set(t.target, createChunkAppender(appender, t.kinds))
  }
  port.on('message', (message: WriterMessage) => {
    try {
      const pending = handle(message)
      if (pending !== undefined) pending.catch(fail)
    } catch (error) {
      fail(error)
    }
  })
  reply({ ready: true })
} catch (error) {
  fail(error)
}
