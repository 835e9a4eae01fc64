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
export type IsolateFailure = 'TIMEOUT' | 'MEMORY' | 'CRASHED' | 'OUTPUT_TOO_LARGE' | 'INVALID_OUTPUT' | 'PARTNER_FAULT'

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
    return this.#call(consumer, handles, handles.invoke, [inputJson, rowsJson, asOf, this.#limits.maxOutputChars])
  }

  batch(consumer: string, inputJson: string, tables: ReadonlyMap<string, WireTable>, asOf: string): string {
    const handles = this.#contextFor(consumer)
    const pull = new ivm.Callback((table: unknown, index: unknown) => {
      if (typeof table !== 'string' || table.length > 64 || !Number.isInteger(index) || (index as number) < 0) return null
      const data = tables.get(table)
      return data === undefined ? null : sliceChunk(data, index as number)
    })
    return this.#call(consumer, handles, handles.batch, [inputJson, JSON.stringify([...tables.keys()]), asOf, this.#limits.maxOutputChars, pull])
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
    return this.#guard(undefined, () => {
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

  #call(consumer: string, handles: PreludeHandles, fn: ivm.Reference<unknown>, args: unknown[]): string {
    const envelope = this.#guard(consumer, () => this.#callRaw(handles.measure, fn, args))
    this.#checkHeap()
    return envelope
  }

  /**
   * isolated-vm's memoryLimit does not cover every allocation (one flat string can reach many
   * times the limit): after each call the isolate's heap, external memory included, is measured
   * and an isolate over twice its limit is disposed and the call reported as MEMORY. (Twice:
   * the measure includes garbage not yet collected, and isolated-vm's own guideline allows 2–3×.)
   */
  #checkHeap(): void {
    const stats = this.#isolate.getHeapStatisticsSync()
    const used = stats.used_heap_size + (stats.externally_allocated_size ?? 0)
    if (used > 2 * this.#limits.memoryMb * 2 ** 20) {
      this.dispose()
      throw new IsolateFailureError('MEMORY')
    }
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

  /**
   * Maps isolated-vm's failures to typed ones. Partner text cannot get here (the prelude catches
   * everything and returns envelopes), so only isolated-vm's own limit errors are recognised, by
   * their exact text; anything else is the partner having broken its own context, which is
   * dropped for that consumer only. An isolate that hit a limit is disposed, not reused.
   */
  #guard<T>(consumer: string | undefined, run: () => T): T {
    try {
      return run()
    } catch (error) {
      if (error instanceof IsolateFailureError) throw error
      const message = error instanceof Error ? error.message : ''
      if (this.#isolate.isDisposed || message === 'Isolate was disposed during execution due to memory limit') {
        this.dispose()
        throw new IsolateFailureError('MEMORY')
      }
      if (message === 'Script execution timed out.') {
        this.dispose()
        throw new IsolateFailureError('TIMEOUT')
      }
      if (consumer !== undefined) {
        this.#contexts.get(consumer)?.context.release()
        this.#contexts.delete(consumer)
      }
      throw new IsolateFailureError('PARTNER_FAULT')
    }
  }
}
