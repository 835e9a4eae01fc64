/**
 * Entry point of a sandbox worker process (forked by sandbox-pool.ts with --no-node-snapshot).
 * It holds product isolates and answers calls one at a time. It is disposable: the supervisor
 * kills it on a deadline or memory overrun, and a V8 fatal error here takes down only this
 * process. It has no store, no keys and a minimal environment.
 */
import { ProductIsolate, IsolateFailureError } from './product-isolate.ts'
import type { SandboxLimits } from './limits.ts'
import type { WireTable } from './wire.ts'

export type WorkerRequest =
  | { readonly op: 'load'; readonly id: number; readonly key: string; readonly bundle: string; readonly limits: SandboxLimits }
  | { readonly op: 'manifest'; readonly id: number; readonly key: string }
  | { readonly op: 'invoke'; readonly id: number; readonly key: string; readonly consumer: string; readonly input: string; readonly rows: string; readonly asOf: string }
  | { readonly op: 'batch'; readonly id: number; readonly key: string; readonly consumer: string; readonly input: string; readonly tables: ReadonlyMap<string, WireTable>; readonly asOf: string }

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly envelope: string }
  | { readonly id: number; readonly ok: false; readonly failure: string }

type Loaded = { bundle: string; limits: SandboxLimits; isolate: ProductIsolate | undefined }
const products = new Map<string, Loaded>()

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
        return { id: request.id, ok: true, envelope: isolateFor(request.key).invoke(request.consumer, request.input, request.rows, request.asOf) }
      case 'batch':
        return { id: request.id, ok: true, envelope: isolateFor(request.key).batch(request.consumer, request.input, request.tables, request.asOf) }
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
