/**
 * The trusted half of the sandbox protocol, running INSIDE the isolate before partner code.
 * It is bundled to a script of its own; its completion value is the object of functions the
 * worker calls (held by the worker as References, so partner code cannot swap them).
 *
 * Contract with the worker (runtime/sandbox/product-isolate.ts):
 * - `load()` reads the product the bundle defined and returns its manifest as a JSON string.
 * - `invoke(input, rows, asOf, maxOutput)` and `batch(input, tables, asOf, maxOutput, pull)`
 *   always return one string: an envelope `{ok, output | error, …, logs}`. Whatever partner code
 *   throws is described here, bounded, inside the isolate; the host never reads a thrown value.
 * - `measure(value)` returns the length of a string (or -1), so the worker can refuse a huge
 *   result before copying it out.
 *
 * Intrinsics are captured at the top, before partner code can replace them.
 */
/* eslint-disable no-restricted-globals */
const g = globalThis as Record<string, unknown>
const stringify = JSON.stringify
const parse = JSON.parse
const freeze = Object.freeze
const create = Object.create
const defineProperty = Object.defineProperty
const StringCtor = String
const isArray = Array.isArray
const hasOwn = Object.hasOwn
const RealDate = Date
const NULL_DAY = -2147483648
const MAX_LOG_LINES = 64
const MAX_LOG_CHARS = 500
const MAX_MESSAGE = 2000
const MAX_STACK = 4000

// No WebAssembly, SharedArrayBuffer or Atomics: nothing in a product needs them and the
// sandbox's limits do not cover them (wasm compilation, shared memory, blocking waits).
for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) {
  try {
    delete g[name]
  } catch {
    /* not configurable: leave it */
  }
}

// No clock finer than the data's as-of day.
let asOfMs = 0
const CoarseDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return Reflect.construct(target, args.length === 0 ? [asOfMs] : args, newTarget)
  },
  apply() {
    return new RealDate(asOfMs).toString()
  },
})
defineProperty(RealDate, 'now', { value: () => asOfMs, writable: false, configurable: false })
defineProperty(RealDate.prototype, 'constructor', { value: CoarseDate, writable: false, configurable: false })
g.Date = CoarseDate

type Envelope =
  | { ok: true; output: unknown; logs: string[] }
  | { ok: false; error: string; code?: string; message?: string; stack?: string; logs: string[] }

type Product = {
  id: string
  kind: string
  run: (ctx: unknown, input: unknown) => unknown
  [key: string]: unknown
}

let product: Product | undefined

/** Thrown for a table or field outside the approved scenario; reported as ERR_VIEW_COLUMN_DENIED. */
const DENIED = freeze(create(null) as object)

function cut(value: unknown, max: number): string {
  try {
    const s = typeof value === 'string' ? value : StringCtor(value)
    return s.length > max ? s.slice(0, max) : s
  } catch {
    return '[unprintable]'
  }
}

/** Describes a thrown value without trusting it: every read is guarded and bounded. */
function describe(thrown: unknown): { code?: string; message: string; stack?: string } {
  try {
    if (thrown !== null && typeof thrown === 'object') {
      const t = thrown as { code?: unknown; message?: unknown; stack?: unknown; name?: unknown }
      const name = cut(t.name, 60)
      const code = name === 'ProductError' && typeof t.code === 'string' ? cut(t.code, 40) : undefined
      return { ...(code === undefined ? {} : { code }), message: cut(t.message, MAX_MESSAGE), stack: cut(t.stack, MAX_STACK) }
    }
    return { message: cut(thrown, MAX_MESSAGE) }
  } catch {
    return { message: '[unprintable thrown value]' }
  }
}

function envelope(e: Envelope, maxOutput: number): string {
  try {
    const s = stringify(e)
    if (typeof s !== 'string') return stringify({ ok: false, error: 'INVALID_OUTPUT', logs: e.logs })
    if (s.length > maxOutput) return stringify({ ok: false, error: 'OUTPUT_TOO_LARGE', logs: [] })
    return s
  } catch (thrown) {
    return stringify({ ok: false, error: 'INVALID_OUTPUT', ...describe(thrown), logs: e.logs })
  }
}

function createLog(lines: string[]): (message: unknown) => void {
  return function log(message: unknown) {
    if (lines.length < MAX_LOG_LINES) lines.push(cut(message, MAX_LOG_CHARS))
  }
}

function setClock(asOf: string): void {
  const ms = RealDate.parse(`${asOf}T00:00:00Z`)
  asOfMs = ms === ms ? ms : 0
}

function runProduct(ctx: unknown, input: unknown, logs: string[], maxOutput: number): string {
  let result: unknown
  try {
    result = product!.run(ctx, input)
  } catch (thrown) {
    if (thrown === DENIED) return envelope({ ok: false, error: 'DENIED', logs }, maxOutput)
    return envelope({ ok: false, error: 'THREW', ...describe(thrown), logs }, maxOutput)
  }
  try {
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      return envelope({ ok: false, error: 'ASYNC_RESULT', logs }, maxOutput)
    }
  } catch (thrown) {
    return envelope({ ok: false, error: 'INVALID_OUTPUT', ...describe(thrown), logs }, maxOutput)
  }
  let output: string
  try {
    // serialized here, inside the isolate, so that getters and toJSON run under its limits
    output = stringify(result)
  } catch (thrown) {
    return envelope({ ok: false, error: 'INVALID_OUTPUT', ...describe(thrown), logs }, maxOutput)
  }
  if (typeof output !== 'string') return envelope({ ok: false, error: 'INVALID_OUTPUT', logs }, maxOutput)
  if (output.length > maxOutput) return envelope({ ok: false, error: 'OUTPUT_TOO_LARGE', logs: [] }, maxOutput)
  return envelope({ ok: true, output: parse(output), logs }, maxOutput)
}

type EntityRows = Record<string, { columns: string[]; rows: unknown[][] }>

function entityContext(rows: EntityRows, asOf: string, logs: string[]) {
  // rows become frozen objects on first use of their table: a product pays only for what it reads
  const tables = new Map<string, readonly object[]>()
  const materialize = (table: string): readonly object[] => {
    const { columns, rows: values } = rows[table]!
    const list: object[] = []
    for (const v of values) {
      const row = create(null) as Record<string, unknown>
      for (let i = 0; i < columns.length; i++) row[columns[i]!] = v[i] ?? null
      list.push(freeze(row))
    }
    return freeze(list)
  }
  return freeze({
    kind: 'entity',
    asOf,
    rows(table: string) {
      let list = tables.get(table)
      if (list === undefined) {
        if (typeof table !== 'string' || !hasOwn(rows, table)) throw DENIED
        list = materialize(table)
        tables.set(table, list)
      }
      return list
    },
    log: createLog(logs),
  })
}

type WireColumn =
  | { kind: 'number'; data: ArrayBuffer }
  | { kind: 'date'; data: ArrayBuffer }
  | { kind: 'text'; data: ArrayBuffer; dictionary: string[] }
type WireChunk = { length: number; columns: Record<string, WireColumn> }

function columnChunk(wire: WireChunk) {
  const columns = wire.columns
  const get = (field: string, kind: string): WireColumn => {
    if (!hasOwn(columns, field)) throw DENIED
    const c = columns[field]!
    if (c.kind !== kind) throw new TypeError('field is not of the requested kind')
    return c
  }
  const texts = new Map<string, object>()
  return freeze({
    length: wire.length,
    number: (field: string) => new Float64Array(get(field, 'number').data),
    date: (field: string) => new Int32Array(get(field, 'date').data),
    text(field: string) {
      let t = texts.get(field)
      if (t === undefined) {
        const c = get(field, 'text') as { data: ArrayBuffer; dictionary: string[] }
        const codes = new Int32Array(c.data)
        const dictionary = freeze(c.dictionary)
        t = freeze({ codes, dictionary, value: (i: number) => (codes[i]! < 0 ? null : dictionary[codes[i]!]!) })
        texts.set(field, t)
      }
      return t
    },
    has: (field: string) => hasOwn(columns, field),
  })
}

function batchContext(tables: string[], asOf: string, logs: string[], pull: (table: string, index: number) => WireChunk | null) {
  const allowed = new Set(tables)
  return freeze({
    kind: 'batch',
    asOf,
    scan(table: string, visit: (chunk: unknown) => void) {
      if (!allowed.has(table)) throw DENIED
      for (let i = 0; ; i++) {
        const wire = pull(table, i)
        if (wire === null || wire === undefined) return
        visit(columnChunk(wire))
      }
    },
    log: createLog(logs),
  })
}

// What the worker holds References to (see prelude-source.ts for how it is wrapped).
export default {
  load(): string {
    try {
      const bundle = g.__indomain_product as { default?: Product } | undefined
      g.__indomain_product = undefined
      const candidate = bundle?.default
      if (candidate === null || typeof candidate !== 'object' || typeof candidate.run !== 'function') {
        return stringify({ ok: false, error: 'NO_PRODUCT' })
      }
      product = candidate
      const manifest: Record<string, unknown> = {}
      for (const key of ['id', 'version', 'kind', 'title', 'category', 'description', 'entityKey', 'scenario', 'input', 'output', 'queries']) {
        manifest[key] = candidate[key]
      }
      return stringify({ ok: true, manifest })
    } catch (thrown) {
      return stringify({ ok: false, error: 'NO_PRODUCT', ...describe(thrown) })
    }
  },
  invoke(inputJson: string, rowsJson: string, asOf: string, maxOutput: number): string {
    const logs: string[] = []
    setClock(asOf)
    const input = parse(inputJson)
    const ctx = entityContext(parse(rowsJson) as EntityRows, asOf, logs)
    return runProduct(ctx, input, logs, maxOutput)
  },
  batch(inputJson: string, tablesJson: string, asOf: string, maxOutput: number, pull: (t: string, i: number) => WireChunk | null): string {
    const logs: string[] = []
    setClock(asOf)
    const tables = parse(tablesJson) as unknown
    const ctx = batchContext(isArray(tables) ? (tables as string[]) : [], asOf, logs, pull)
    return runProduct(ctx, parse(inputJson), logs, maxOutput)
  },
  measure(value: unknown): number {
    return typeof value === 'string' ? value.length : -1
  },
  NULL_DAY,
}
