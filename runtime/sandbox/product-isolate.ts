/**
 * One product version in one isolate, inside a sandbox worker process. isolated-vm is imported
 * here and nowhere else. Nothing of the host is handed in: no Reference, no ExternalCopy — only
 * copied strings and numbers, and for `classify` one callback that takes a chunk number and
 * returns copied column buffers, and one that takes each chunk's results as a copied string.
 *
 * One context per isolate, sealed before any partner code runs: the prelude runs, the product's
 * module is installed as a strict function that evaluates it anew, and the realm is frozen
 * (seal-realm.ts). Every execution then gets a fresh instance of the module in that sealed realm:
 * nothing one execution leaves behind (globals, prototypes, closures, module state, the random
 * generator, RegExp statics) is visible to the next, for another consumer or the same one — at
 * the cost of evaluating the module once per call (tens of µs) rather than a new V8 context
 * (~0.6 ms). An isolate that hits a limit (CPU time, memory) is disposed; the worker makes a new one.
 */
import ivm from 'isolated-vm'
import { preludeSource } from './prelude-source.ts'
import type { SandboxLimits } from './limits.ts'
import { sliceUnits, unitMeta, type UnitTables } from './wire.ts'
import { BUNDLE_EXPORTS } from './protocol.ts'

/** Why a call did not produce an envelope. The worker turns it into a typed error. */
/** Longest JSON of one unit's contributions. */
const MAX_UNIT_CHARS = 8192

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
  readonly classify: ivm.Reference<unknown>
  readonly finish: ivm.Reference<unknown>
  readonly measure: ivm.Reference<unknown>
  readonly manifest: string
}

export class ProductIsolate {
  readonly #limits: SandboxLimits
  readonly #isolate: ivm.Isolate
  readonly #prelude: ivm.Script
  readonly #module: ivm.Script
  /** The sealed context, made on first use. */
  #handles: PreludeHandles | undefined
  /** Benchmarks only (the warm baseline of `sandbox.entity`): the loaded product instance for every call. */
  readonly #fresh: boolean

  /**
   * @param options.reuseInstance for benchmarks only — measures the warm baseline (one product
   *   instance for every call) that a fresh instance per execution is compared with; the sandbox
   *   pool never sets it.
   */
  constructor(bundleCode: string, limits: SandboxLimits, options: { readonly reuseInstance?: boolean } = {}) {
    this.#limits = limits
    this.#fresh = options.reuseInstance !== true
    this.#isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      // V8 lost control of the isolate: nothing in this process can be trusted any more
      onCatastrophicError: () => process.abort(),
    })
    this.#prelude = this.#isolate.compileScriptSync(preludeSource(), { filename: 'indomain:prelude.js' })
    // the module as a strict function that evaluates it anew at each call (its completion value);
    // compiling it runs no partner code. A value its top-level code throws never reaches the host
    // or the prelude: the module then defines no product.
    this.#module = this.#isolate.compileScriptSync(`(function () {\n'use strict';\ntry {\n${bundleCode}\n;return ${BUNDLE_EXPORTS};\n} catch { return undefined }\n})`, {
      filename: 'product.js',
    })
  }

  get disposed(): boolean {
    return this.#isolate.isDisposed
  }

  /** The load envelope: `{ok, manifest}` or `{ok: false, error}`. */
  manifest(): string {
    return this.#context().manifest
  }

  invoke(inputJson: string, rowsJson: string, asOf: string): string {
    const handles = this.#context()
    return this.#call(handles, handles.invoke, [inputJson, rowsJson, asOf, this.#limits.maxOutputChars, this.#fresh])
  }

  /**
   * `classify` over every unit of `units`, each in an execution of its own. Returns the envelope and,
   * per chunk of units, the JSON array of their contributions as the product returned them.
   */
  classify(inputJson: string, units: UnitTables, asOf: string): { readonly envelope: string; readonly results: readonly string[] } {
    const handles = this.#context()
    const results: string[] = []
    const pull = new ivm.Callback((index: unknown) => (Number.isInteger(index) && (index as number) >= 0 ? sliceUnits(units, index as number) : null))
    // the isolate hands each chunk's results out as one string, copied (bounded per unit inside)
    const push = new ivm.Callback((index: unknown, text: unknown) => {
      if (Number.isInteger(index) && typeof text === 'string' && index === results.length) results.push(text)
    })
    const envelope = this.#call(handles, handles.classify, [inputJson, unitMeta(units), asOf, MAX_UNIT_CHARS, pull, push])
    return { envelope, results }
  }

  /** `run` of a dataset or report over its released results. */
  finish(inputJson: string, releasedJson: string, asOf: string): string {
    const handles = this.#context()
    return this.#call(handles, handles.finish, [inputJson, releasedJson, asOf, this.#limits.maxOutputChars])
  }

  dispose(): void {
    this.#drop()
    if (!this.#isolate.isDisposed) this.#isolate.dispose()
  }

  /** Releases the sealed context (the next call makes a new one). */
  #drop(): void {
    const handles = this.#handles
    this.#handles = undefined
    if (handles !== undefined && !this.#isolate.isDisposed) {
      handles.invoke.release()
      handles.classify.release()
      handles.finish.release()
      handles.measure.release()
      handles.context.release()
    }
  }

  /** The sealed context: prelude, module installed, realm sealed, product loaded. */
  #context(): PreludeHandles {
    if (this.#handles !== undefined) return this.#handles
    this.#handles = this.#guard(() => {
      const context = this.#isolate.createContextSync()
      const prelude = this.#prelude.runSync(context, { reference: true, timeout: this.#limits.cpuMs }) as ivm.Reference<Record<string, unknown>>
      const get = (name: string) => prelude.getSync(name, { reference: true }) as ivm.Reference<unknown>
      const handles = { context, invoke: get('invoke'), classify: get('classify'), finish: get('finish'), measure: get('measure') }
      const setup = [get('install'), get('seal'), get('load')] as const
      const moduleFunction = this.#module.runSync(context, { reference: true, timeout: this.#limits.cpuMs }) as ivm.Reference<unknown>
      try {
        const [install, seal, load] = setup
        if (install.applySync(undefined, [moduleFunction.derefInto()], { timeout: this.#limits.cpuMs }) !== true) throw new IsolateFailureError('CRASHED')
        seal.applySync(undefined, [], { timeout: this.#limits.cpuMs })
        return { ...handles, manifest: this.#callRaw(handles.measure, load, []) }
      } finally {
        moduleFunction.release()
        for (const ref of setup) ref.release()
        prelude.release()
      }
    })
    return this.#handles
  }

  #call(handles: PreludeHandles, fn: ivm.Reference<unknown>, args: unknown[]): string {
    const envelope = this.#guard(() => this.#callRaw(handles.measure, fn, args))
    this.#checkHeap()
    return envelope
  }

  /**
   * isolated-vm's memoryLimit does not cover every allocation (one flat string can reach many
   * times the limit): after each call the isolate's heap, external memory included, is measured
   * and an isolate over twice its limit is disposed and the call reported as MEMORY. (Twice:
   * the measure includes garbage not yet collected, and isolated-vm's own guideline allows 2–3×.)
   */
  /** Heap in use, external memory (array buffers) included. */
  #heapUsed(): number {
    if (this.#isolate.isDisposed) return 0
    const stats = this.#isolate.getHeapStatisticsSync()
    return stats.used_heap_size + (stats.externally_allocated_size ?? 0)
  }

  #checkHeap(): void {
    if (this.#heapUsed() > 2 * this.#limits.memoryMb * 2 ** 20) {
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
   * their exact text; anything else is the partner having broken out of the prelude's envelope,
   * and the context is dropped. An isolate that hit a limit is disposed, not reused.
   */
  #guard<T>(run: () => T): T {
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
        // out of CPU time while at its memory limit: V8 was collecting, not the product computing
        const atLimit = this.#heapUsed() >= 0.9 * this.#limits.memoryMb * 2 ** 20
        this.dispose()
        throw new IsolateFailureError(atLimit ? 'MEMORY' : 'TIMEOUT')
      }
      // the partner broke out of the prelude's envelope somehow: start from a new sealed context
      this.#drop()
      throw new IsolateFailureError('PARTNER_FAULT')
    }
  }
}

