/**
 * Entry point of a sandbox worker process (forked by sandbox-pool.ts with --no-node-snapshot).
 * It holds product isolates (one compiled bundle each) and answers calls one at a time, each in a
 * fresh context. It is disposable: the supervisor
 * kills it on a deadline or memory overrun, and a V8 fatal error here takes down only this
 * process. It has no store, no keys and a minimal environment.
 */
import { ProductIsolate, IsolateFailureError } from './product-isolate.ts'
import type { SandboxLimits } from './limits.ts'
import type { UnitTables } from './wire.ts'

export type WorkerRequest =
  | { readonly op: 'load'; readonly id: number; readonly key: string; readonly bundle: string; readonly limits: SandboxLimits }
  | { readonly op: 'manifest'; readonly id: number; readonly key: string }
  | { readonly op: 'invoke'; readonly id: number; readonly key: string; readonly input: string; readonly rows: string; readonly asOf: string }
  | {
      readonly op: 'classify'
      readonly id: number
      readonly key: string
      readonly input: string
      /** The units' data, or absent when the worker already holds `dataKey`'s. */
      readonly units?: UnitTables
      /** Names a version of the data: the worker keeps it resident for the next run over the same data. */
      readonly dataKey?: string
      readonly asOf: string
    }
  | { readonly op: 'finish'; readonly id: number; readonly key: string; readonly input: string; readonly released: string; readonly asOf: string }

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly envelope: string; readonly results?: readonly string[] }
  | { readonly id: number; readonly ok: false; readonly failure: string }

type Loaded = { bundle: string; limits: SandboxLimits; isolate: ProductIsolate | undefined }
const products = new Map<string, Loaded>()

/**
 * Unit data kept resident between runs over the same version of the same views, so that a
 * scenario's columns cross the process boundary once, not once per run. Bounded (LRU by bytes);
 * an evicted version is simply sent again (the supervisor retries on DATA_MISSING).
 */
const MAX_RESIDENT_BYTES = 1024 * 2 ** 20
const resident = new Map<string, { units: UnitTables; bytes: number }>()

function bytesOf(units: UnitTables): number {
  let n = 0
  for (const { data, offsets } of units.tables.values()) {
    n += offsets.byteLength
    for (const c of Object.values(data.columns)) n += c.kind === 'number' ? c.values.byteLength : c.kind === 'date' ? c.days.byteLength : c.codes.byteLength
  }
  return n
}

function unitData(request: Extract<WorkerRequest, { op: 'classify' }>): UnitTables | undefined {
  if (request.units !== undefined) {
    if (request.dataKey !== undefined) {
      resident.delete(request.dataKey)
      resident.set(request.dataKey, { units: request.units, bytes: bytesOf(request.units) })
      let total = 0
      for (const r of resident.values()) total += r.bytes
      for (const [k, r] of resident) {
        if (total <= MAX_RESIDENT_BYTES || k === request.dataKey) break
        resident.delete(k)
        total -= r.bytes
      }
    }
    return request.units
  }
  const held = request.dataKey === undefined ? undefined : resident.get(request.dataKey)
  if (held === undefined) return undefined
  resident.delete(request.dataKey!)
  resident.set(request.dataKey!, held)
  return held.units
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
      case 'classify': {
        const units = unitData(request)
        if (units === undefined) return { id: request.id, ok: false, failure: 'DATA_MISSING' }
        const { envelope, results } = isolateFor(request.key).classify(request.input, units, request.asOf)
        return { id: request.id, ok: true, envelope, results }
      }
      case 'finish':
        return { id: request.id, ok: true, envelope: isolateFor(request.key).finish(request.input, request.released, request.asOf) }
    }
  } catch (error) {
    return { id: request.id, ok: false, failure: error instanceof IsolateFailureError ? error.failure : 'CRASHED' }
  }
}

// one call at a time, each answered as soon as it ends (a turn of the event loop between calls lets
// the answer leave): a fast call never waits for a slow one that came in the same message, and the
// supervisor knows which call is running when it has to kill the worker
const waiting: WorkerRequest[] = []
let draining = false
const drain = (): void => {
  const next = waiting.shift()
  if (next === undefined) {
    draining = false
    return
  }
  process.send!({ replies: [handle(next)] })
  setImmediate(drain)
}
process.on('message', (message: { calls: WorkerRequest[] }) => {
  waiting.push(...message.calls)
  if (!draining) {
    draining = true
    drain()
  }
})
process.on('disconnect', () => process.exit(0))
process.send!({ ready: true })
