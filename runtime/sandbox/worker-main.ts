/**
 * Entry point of a sandbox worker process (forked by sandbox-pool.ts with --no-node-snapshot).
 * It holds product isolates (one compiled bundle each) and answers calls one at a time, each in a
 * fresh context. It is disposable: the supervisor
 * kills it on a deadline or memory overrun, and a V8 fatal error here takes down only this
 * process. It has no store, no keys and a minimal environment.
 */
import { ProductIsolate, IsolateFailureError } from './product-isolate.ts'
import type { SandboxLimits } from './limits.ts'
import type { WireTable } from './wire.ts'

export type WorkerRequest =
  | { readonly op: 'load'; readonly id: number; readonly key: string; readonly bundle: string; readonly limits: SandboxLimits }
  | { readonly op: 'manifest'; readonly id: number; readonly key: string }
  | { readonly op: 'invoke'; readonly id: number; readonly key: string; readonly input: string; readonly rows: string; readonly asOf: string }
  | {
      readonly op: 'batch'
      readonly id: number
      readonly key: string
      readonly input: string
      /** The tables, or absent when the worker already holds `dataKey`'s tables. */
      readonly tables?: ReadonlyMap<string, WireTable>
      /** Names a version of the data: the worker keeps it resident for the next run over the same data. */
      readonly dataKey?: string
      readonly asOf: string
    }

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly envelope: string }
  | { readonly id: number; readonly ok: false; readonly failure: string }

type Loaded = { bundle: string; limits: SandboxLimits; isolate: ProductIsolate | undefined }
const products = new Map<string, Loaded>()

/**
 * Batch data kept resident between runs over the same version of the same views, so that a
 * scenario's columns cross the process boundary once, not once per run. Bounded (LRU by bytes);
 * an evicted version is simply sent again (the supervisor retries on DATA_MISSING).
 */
const MAX_RESIDENT_BYTES = 1024 * 2 ** 20
const resident = new Map<string, { tables: ReadonlyMap<string, WireTable>; bytes: number }>()

function bytesOf(tables: ReadonlyMap<string, WireTable>): number {
  let n = 0
  for (const t of tables.values()) {
    for (const c of Object.values(t.columns)) n += c.kind === 'number' ? c.values.byteLength : c.kind === 'date' ? c.days.byteLength : c.codes.byteLength
  }
  return n
}

function batchData(request: Extract<WorkerRequest, { op: 'batch' }>): ReadonlyMap<string, WireTable> | undefined {
  if (request.tables !== undefined) {
    if (request.dataKey !== undefined) {
      resident.delete(request.dataKey)
      resident.set(request.dataKey, { tables: request.tables, bytes: bytesOf(request.tables) })
      let total = 0
      for (const r of resident.values()) total += r.bytes
      for (const [k, r] of resident) {
        if (total <= MAX_RESIDENT_BYTES || k === request.dataKey) break
        resident.delete(k)
        total -= r.bytes
      }
    }
    return request.tables
  }
  const held = request.dataKey === undefined ? undefined : resident.get(request.dataKey)
  if (held === undefined) return undefined
  resident.delete(request.dataKey!)
  resident.set(request.dataKey!, held)
  return held.tables
}

function isolateFor(key: string): ProductIsolate {
  const loaded = products.get(key)
  if (loaded === undefined) throw new IsolateFailureError('CRASHED')
  if (loaded.isolate === undefined || loaded.isolate.disposed) loaded.isolate = new ProductIsolate(loaded.bundle, loaded.limits)
  return loaded.isolate
}

function handle(request: WorkerRequest): WorkerReply {
  try {
    switch (request.op) {
      case 'load':
        products.get(request.key)?.isolate?.dispose()
        products.set(request.key, { bundle: request.bundle, limits: request.limits, isolate: undefined })
        return { id: request.id, ok: true, envelope: '' }
      case 'manifest':
        return { id: request.id, ok: true, envelope: isolateFor(request.key).manifest() }
      case 'invoke':
        return { id: request.id, ok: true, envelope: isolateFor(request.key).invoke(request.input, request.rows, request.asOf) }
      case 'batch': {
        const tables = batchData(request)
        if (tables === undefined) return { id: request.id, ok: false, failure: 'DATA_MISSING' }
        return { id: request.id, ok: true, envelope: isolateFor(request.key).batch(request.input, tables, request.asOf) }
      }
    }
  } catch (error) {
    return { id: request.id, ok: false, failure: error instanceof IsolateFailureError ? error.failure : 'CRASHED' }
  }
}

process.on('message', (message: { calls: WorkerRequest[] }) => {
  const replies = message.calls.map(handle)
  process.send!({ replies })
})
process.on('disconnect', () => process.exit(0))
process.send!({ ready: true })
