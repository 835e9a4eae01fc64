/**
 * One product version in one isolate, inside a sandbox worker process. isolated-vm is imported
 * here and nowhere else. Nothing of the host is handed in: no Reference, no ExternalCopy — only
 * copied strings and numbers, and for batch runs one callback that takes (table, chunk number)
 * and returns copied column buffers.
 *
 * Contexts: one per consumer, never shared, created from the compiled prelude and bundle and
 * kept warm (LRU). Nothing one consumer's call leaves in its context is visible to another's.
 * An isolate that hits a limit (CPU time, memory) is disposed; the worker makes a new one.
 */
import ivm from 'isolated-vm'
import { preludeSource } from './prelude-source.ts'
import type { SandboxLimits } from './limits.ts'
import { sliceChunk, type WireTable } from './wire.ts'

/** Why a call did not produce an envelope. The worker turns it into a typed error. */
export type IsolateFailure = 'TIMEOUT' | 'MEMORY' | 'CRASHED' | 'OUTPUT_TOO_LARGE' | 'INVALID_OUTPUT'

export class IsolateFailureError extends Error {
  readonly failure: IsolateFailure
  constructor(failure: IsolateFailure) {
    super(failure)
    this.name = 'IsolateFailureError'
    this.failure = failure
  }
}

type PreludeHandles = {
  readonly context: ivm.Context
  readonly invoke: ivm.Reference<unknown>
  readonly batch: ivm.Reference<unknown>
  readonly measure: ivm.Reference<unknown>
  readonly manifest: string
}

export class ProductIsolate {
  readonly #limits: SandboxLimits
  readonly #isolate: ivm.Isolate
  readonly #prelude: ivm.Script
  readonly #bundle: ivm.Script
  readonly #contexts = new Map<string, PreludeHandles>()

  constructor(bundleCode: string, limits: SandboxLimits) {
    this.#limits = limits
    this.#isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      // V8 lost control of the isolate: nothing in this process can be trusted any more
      onCatastrophicError: () => process.abort(),
    })
    this.#prelude = this.#isolate.compileScriptSync(preludeSource(), { filename: 'indomain:prelude.js' })
    // top-level partner code is evaluated inside a try: a thrown value never reaches the host
    this.#bundle = this.#isolate.compileScriptSync(`try {\n${bundleCode}\n} catch { void 0 }`, { filename: 'product.js' })
  }

  get disposed(): boolean {
    return this.#isolate.isDisposed
  }

  /** The load envelope of a fresh context: `{ok, manifest}` or `{ok: false, error}`. */
  manifest(): string {
    const handles = this.#createContext()
    handles.context.release()
    return handles.manifest
  }

  invoke(consumer: string, inputJson: string, rowsJson: string, asOf: string): string {
    const handles = this.#contextFor(consumer)
    return this.#call(handles, handles.invoke, [inputJson, rowsJson, asOf, this.#limits.maxOutputChars])
  }

  batch(consumer: string, inputJson: string, tables: ReadonlyMap<string, WireTable>, asOf: string): string {
    const handles = this.#contextFor(consumer)
    const pull = new ivm.Callback((table: unknown, index: unknown) => {
      if (typeof table !== 'string' || table.length > 64 || !Number.isInteger(index) || (index as number) < 0) return null
      const data = tables.get(table)
      return data === undefined ? null : sliceChunk(data, index as number)
    })
    return this.#call(handles, handles.batch, [inputJson, JSON.stringify([...tables.keys()]), asOf, this.#limits.maxOutputChars, pull])
  }

  dispose(): void {
    for (const h of this.#contexts.values()) h.context.release()
    this.#contexts.clear()
    if (!this.#isolate.isDisposed) this.#isolate.dispose()
  }

  #contextFor(consumer: string): PreludeHandles {
    const existing = this.#contexts.get(consumer)
    if (existing !== undefined) {
      this.#contexts.delete(consumer)
      this.#contexts.set(consumer, existing)
      return existing
    }
    const handles = this.#createContext()
    this.#contexts.set(consumer, handles)
    if (this.#contexts.size > this.#limits.maxContexts) {
      const [oldest, h] = this.#contexts.entries().next().value as [string, PreludeHandles]
      this.#contexts.delete(oldest)
      h.context.release()
    }
    return handles
  }

  #createContext(): PreludeHandles {
    return this.#guard(() => {
      const context = this.#isolate.createContextSync()
      const prelude = this.#prelude.runSync(context, { reference: true, timeout: this.#limits.cpuMs }) as ivm.Reference<Record<string, unknown>>
      const get = (name: string) => prelude.getSync(name, { reference: true }) as ivm.Reference<unknown>
      const handles = { context, invoke: get('invoke'), batch: get('batch'), measure: get('measure') }
      const load = get('load')
      this.#bundle.runSync(context, { timeout: this.#limits.cpuMs })
      const manifest = this.#callRaw(handles.measure, load, [])
      return { ...handles, manifest }
    })
  }

  #call(handles: PreludeHandles, fn: ivm.Reference<unknown>, args: unknown[]): string {
    return this.#guard(() => this.#callRaw(handles.measure, fn, args))
  }

  /** Calls a prelude function; copies its result out only if it is a string within the limit. */
  #callRaw(measure: ivm.Reference<unknown>, fn: ivm.Reference<unknown>, args: unknown[]): string {
    const result = fn.applySync(undefined, args, {
      arguments: { copy: true },
      result: { reference: true },
      timeout: this.#limits.cpuMs,
    }) as ivm.Reference<unknown>
    try {
      const length = measure.applySync(undefined, [result.derefInto()], { timeout: this.#limits.cpuMs }) as number
      if (length < 0) throw new IsolateFailureError('INVALID_OUTPUT')
      // the envelope adds a little to the output; anything far beyond the limit is refused uncopied
      if (length > this.#limits.maxOutputChars + 8192) throw new IsolateFailureError('OUTPUT_TOO_LARGE')
      return result.copySync() as string
    } finally {
      result.release()
    }
  }

  /** Maps isolated-vm's failures to typed ones without reading any partner value. */
  #guard<T>(run: () => T): T {
    try {
      return run()
    } catch (error) {
      if (error instanceof IsolateFailureError) throw error
      const message = error instanceof Error ? error.message : ''
      const failure: IsolateFailure = this.#isolate.isDisposed
        ? /memory/i.test(message) || !/timed out/i.test(message)
          ? 'MEMORY'
          : 'TIMEOUT'
        : /timed out/i.test(message)
          ? 'TIMEOUT'
          : /memory|allocation/i.test(message)
            ? 'MEMORY'
            : 'CRASHED'
      // an isolate that hit a limit is not reused
      this.dispose()
      throw new IsolateFailureError(failure)
    }
  }
}
