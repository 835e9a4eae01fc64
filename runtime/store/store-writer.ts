/**
 * The DuckDB side of a store build, on a thread of its own (store-writer-worker.ts): the
 * generator runs on the calling thread and hands over staged chunks (column-chunks.ts); the
 * thread appends them, and DuckDB compresses and writes them there, so generating and writing
 * use two cores instead of taking turns on one.
 *
 * A chunk crosses in shared memory: `write` packs it into a ring of RING_BYTES, right after the
 * chunk before it, and posts where its parts lie (and its long texts); the thread appends chunks
 * in the order written and gives their bytes back after. The generator is synchronous, so `write`
 * is too: it blocks while the ring is full, which bounds what a build holds between the two,
 * whatever the scale. The ring holds a few row groups' worth, so that generation goes on while
 * DuckDB compresses and writes one. The thread writes each table's appender out every full row
 * group, at every `flush`, and at `finish`.
 */
import { Worker } from 'node:worker_threads'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'
import { packChunk, packedSize, type ColumnKind, type PackedChunk, type StagedChunk } from './column-chunks.ts'

/** Shared memory between the threads: chunks handed over and not yet appended take at most this. */
export const RING_BYTES = 64 * 2 ** 20

/** An appender of the store: `target` names it in staged chunks. */
export type WriterTarget = { readonly target: string; readonly schema: string | null; readonly table: string; readonly kinds: readonly ColumnKind[] }
export type WriterStatement = { readonly sql: string; readonly params: readonly (string | number)[] }

export type StoreWriterOptions = {
  readonly path: string
  /** DDL run once the store is open, before any appender exists. */
  readonly setup: readonly string[]
  readonly targets: readonly WriterTarget[]
  /** DuckDB's memory limit for the build: above it DuckDB evicts written blocks. */
  readonly memoryLimit: string
}

export type StoreWriter = {
  /** Hands a chunk over (copied: its buffers are the caller's again on return); blocks while the ring is full. Throws once the thread has failed. */
  write(chunk: StagedChunk): void
  /** Every appender writes what it holds to its table (the generator moved on to another step). */
  flush(): void
  /** Closes the appenders, runs `statements`, checkpoints and closes the store; resolves once the thread has ended. */
  finish(statements: readonly WriterStatement[]): Promise<void>
  /** Closes the store unfinished; resolves, once the thread has ended, with what it failed of, if it failed. */
  abort(): Promise<unknown>
}

/** Shared between the threads: bytes of the ring in flight, and whether the thread failed. */
export const IN_FLIGHT = 0
export const FAILED = 1

export type WriterData = StoreWriterOptions & { readonly state: SharedArrayBuffer; readonly ring: SharedArrayBuffer }
export type WriterMessage =
  | { readonly chunk: PackedChunk; readonly span: number }
  | { readonly flush: true }
  | { readonly finish: readonly WriterStatement[] }
  | { readonly abort: true }
export type WireError = { readonly message: string; readonly code?: string; readonly details?: Record<string, unknown> }
export type WriterReply = { readonly ready: true } | { readonly done: true } | { readonly error: WireError }

// the thread wakes a waiting `write` as soon as it gives bytes back or fails; the timeout is a backstop
const WAIT_MS = 1000

/** Starts the thread; resolves once it has created the store's tables and appenders. */
export async function createStoreWriter(options: StoreWriterOptions): Promise<StoreWriter> {
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)
  const state = new Int32Array(shared)
  const ring = new SharedArrayBuffer(RING_BYTES)
  const memory = new Uint8Array(ring)
  // where the next chunk goes
  let head = 0
  const worker = new Worker(new URL('./store-writer-worker.ts', import.meta.url), { workerData: { ...options, state: shared, ring } satisfies WriterData })
  let failure: Error | undefined
  let exited = false
  // the answer being waited for: `ready` first, `done` after `finish`
  let answer: PromiseWithResolvers<void> | undefined
  const expect = (): Promise<void> => {
    if (exited) return Promise.reject(failure ?? new Error('the store writer thread has ended'))
    answer = Promise.withResolvers<void>()
    return answer.promise
  }
  const ended = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true
      answer?.reject(failure ?? new Error('the store writer thread ended'))
      resolve()
    }),
  )
  worker.on('error', (error) => (failure ??= error))
  worker.on('message', (reply: WriterReply) => {
    if ('error' in reply) {
      failure ??= errorOf(reply.error)
      answer?.reject(failure)
    } else answer?.resolve()
  })
  try {
    await expect()
  } catch (error) {
    await ended
    throw error
  }
  const failed = () => new RuntimeError('ERR_STORE_BUILD_FAILED', 'The store writer thread failed', failure === undefined ? undefined : { cause: failure })
  return {
    write(chunk) {
      const size = packedSize(chunk)
      if (size > RING_BYTES) throw new RangeError('a staged chunk is larger than the ring')
      // a chunk that would pass the ring's end starts over at 0, and the bytes skipped count as its own
      const wraps = head + size > RING_BYTES
      const start = wraps ? 0 : head
      const span = size + (wraps ? RING_BYTES - head : 0)
      for (;;) {
        if (Atomics.load(state, FAILED) !== 0) throw failed()
        const waiting = Atomics.load(state, IN_FLIGHT)
        // chunks are appended in the order written, so the bytes in flight are the ones just behind `head`
        if (waiting + span <= RING_BYTES) break
        Atomics.wait(state, IN_FLIGHT, waiting, WAIT_MS)
      }
      const packed = packChunk(chunk, memory, start, start + size)
      head = start + size
      Atomics.add(state, IN_FLIGHT, span)
      worker.postMessage({ chunk: packed, span } satisfies WriterMessage)
    },
    flush() {
      if (Atomics.load(state, FAILED) !== 0) throw failed()
      worker.postMessage({ flush: true } satisfies WriterMessage)
    },
    async finish(statements) {
      if (Atomics.load(state, FAILED) !== 0) throw failed()
      const done = expect()
      worker.postMessage({ finish: statements } satisfies WriterMessage)
      try {
        await done
      } finally {
        await ended
      }
    },
    async abort() {
      worker.postMessage({ abort: true } satisfies WriterMessage)
      await ended
      return failure
    },
  }
}

function errorOf(wire: WireError): Error {
  return wire.code === undefined
    ? new Error(wire.message)
    : new RuntimeError(wire.code as RuntimeErrorCode, wire.message, wire.details === undefined ? undefined : { details: wire.details })
}
