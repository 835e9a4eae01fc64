/**
 * The trusted half of the sandbox protocol, running INSIDE the isolate before partner code.
 * It is bundled to a script of its own; its completion value is the object of functions the
 * worker calls (held by the worker as References, so partner code cannot swap them).
 *
 * Contract with the worker (runtime/sandbox/product-isolate.ts), in this order:
 * - `install(moduleFunction)` takes the product's module as a function that evaluates it anew;
 * - `seal()` seals the realm (seal-realm.ts) before any partner code has run;
 * - `load()` evaluates the module once and returns the product's manifest as a JSON string;
 * - `invoke(input, rows, asOf, maxOutput, fresh)` and `batch(input, tables, asOf, maxOutput, pull,
 *   fresh)` run one execution: the clock and `Math.random` restarted, a fresh instance of the
 *   module (the benchmarks' warm baseline alone passes `fresh` false), its `run`. They always
 *   return one string, an envelope `{ok, output | error, …, logs}`, and never throw: whatever
 *   partner code throws is described here, bounded; the host never reads a thrown value.
 * - `measure(value)` returns the length of a string (or -1), so the worker can refuse a huge
 *   result before copying it out.
 *
 * Every execution starts from a fresh state: the realm it shares with earlier executions is
 * frozen (nothing written there survives, or can be written), and its product instance — module
 * scope included — is its own. Defence in depth all the same: every intrinsic the prelude relies
 * on is captured here, before partner code runs, and called through `Reflect.apply`; the envelope
 * is written by hand from primitive strings (no `toJSON` can reach it); and the host still
 * re-checks every envelope as untrusted data.
 */
import { createExecutionRandom, sealRealm } from './seal-realm.ts'

const g = globalThis as Record<string, unknown>
const stringify = JSON.stringify
const parse = JSON.parse
const freeze = Object.freeze
const create = Object.create
const defineProperty = Object.defineProperty
const getPrototypeOf = Object.getPrototypeOf
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor
const hasOwn = Object.hasOwn
const ObjectPrototype = Object.prototype
const RealArray = Array
const RealInt32Array = Int32Array
const RealFloat64Array = Float64Array
const DAY_MS = 86_400_000
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/
const regexTest = RegExp.prototype.test
const arrayFrom = Array.from
const apply = Reflect.apply
const construct = Reflect.construct
const StringCtor = String
const isArray = Array.isArray
const slice = String.prototype.slice
const charCodeAt = String.prototype.charCodeAt
const RealDate = Date
const dateParse = Date.parse
const NULL_DAY = -2147483648
const MAX_LOG_LINES = 64
const MAX_LOG_CHARS = 500
const MAX_MESSAGE = 2000
const MAX_STACK = 4000
const PRELUDE_FAILED = '{"ok":false,"error":"PRELUDE_FAILED","logs":[]}'

// No WebAssembly, SharedArrayBuffer or Atomics: nothing in a product needs them and the
// sandbox's limits do not cover them (wasm compilation, shared memory, blocking waits).
for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) {
  try {
    delete g[name]
  } catch {
    /* not configurable: leave it */
  }
}

// No code generation from strings: what runs is what was bundled and hashed. (The worker's
// --disallow-code-generation-from-strings does not reach isolated-vm's contexts.)
function blocked(): never {
  throw new EvalError('code generation from strings is disabled in the sandbox')
}
for (const proto of [
  Function.prototype,
  getPrototypeOf(async function () {}),
  getPrototypeOf(function* () {}),
  getPrototypeOf(async function* () {}),
]) {
  defineProperty(proto, 'constructor', { value: blocked, writable: false, configurable: false })
}
for (const name of ['eval', 'Function']) defineProperty(g, name, { value: blocked, writable: false, configurable: false })

// No clock finer than the data's as-of day: Date and Intl both see only that day.
let asOfMs = 0
const CoarseDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return construct(target, args.length === 0 ? [asOfMs] : args, newTarget)
  },
  apply() {
    return new RealDate(asOfMs).toString()
  },
})
defineProperty(RealDate, 'now', { value: () => asOfMs, writable: false, configurable: false })
defineProperty(RealDate.prototype, 'constructor', { value: CoarseDate, writable: false, configurable: false })
g.Date = CoarseDate
{
  const proto = Intl.DateTimeFormat.prototype
  const formatGetter = getOwnPropertyDescriptor(proto, 'format')!.get!
  const formatToParts = proto.formatToParts
  defineProperty(proto, 'format', {
    get() {
      const format = apply(formatGetter, this, []) as (d?: unknown) => string
      return (date?: unknown) => format(date === undefined ? asOfMs : date)
    },
    configurable: false,
  })
  defineProperty(proto, 'formatToParts', {
    value(this: Intl.DateTimeFormat, date?: unknown) {
      return apply(formatToParts, this, [date === undefined ? asOfMs : date])
    },
    writable: false,
    configurable: false,
  })
}

type Product = {
  id: string
  kind: string
  run: (ctx: unknown, input: unknown) => unknown
  [key: string]: unknown
}

/**
 * The product's module, as a function that evaluates it anew (fresh module scope) and returns
 * its exports: installed by the worker before the realm is sealed, called once per execution.
 */
let factory: (() => { default?: unknown } | undefined) | undefined
/** The product instance of the execution under way (or, for the warm baseline, the first one). */
let product: Product | undefined
let sealed = false
const executionRandom = createExecutionRandom()
/** Set when the engine refused an allocation the product asked for (seal-realm.ts guardAllocations). */
let exhausted = false

/** A fresh instance of the product: its module evaluated again, so no module state survives an execution. */
function instantiate(): Product | undefined {
  const candidate = factory?.()?.default as Product | undefined
  return candidate !== null && typeof candidate === 'object' && typeof candidate.run === 'function' ? candidate : undefined
}

/** Thrown for a table or field outside the approved scenario; reported as ERR_VIEW_COLUMN_DENIED. */
const DENIED = freeze(create(null) as object)

function cut(value: unknown, max: number): string {
  try {
    const s = typeof value === 'string' ? value : StringCtor(value)
    if (typeof s !== 'string') return '[unprintable]'
    return s.length > max ? (apply(slice, s, [0, max]) as string) : s
  } catch {
    return '[unprintable]'
  }
}

/** `UPPER_SNAKE`, at most 40 characters, checked without any partner-reachable method. */
function isCode(s: string): boolean {
  if (s.length < 1 || s.length > 40) return false
  for (let i = 0; i < s.length; i++) {
    const c = apply(charCodeAt, s, [i]) as number
    const upper = c >= 65 && c <= 90
    if (!(upper || (i > 0 && ((c >= 48 && c <= 57) || c === 95)))) return false
  }
  return true
}

type Described = { code?: string; message: string; stack?: string }

/** Describes a thrown value without trusting it: every read is guarded and bounded. */
function describe(thrown: unknown): Described {
  try {
    if (thrown !== null && typeof thrown === 'object') {
      const t = thrown as { code?: unknown; message?: unknown; stack?: unknown; name?: unknown }
      const name = cut(t.name, 60)
      const code = name === 'ProductError' && typeof t.code === 'string' && isCode(t.code) ? t.code : undefined
      return { ...(code === undefined ? {} : { code }), message: cut(t.message, MAX_MESSAGE), stack: cut(t.stack, MAX_STACK) }
    }
    return { message: cut(thrown, MAX_MESSAGE) }
  } catch {
    return { message: '[unprintable thrown value]' }
  }
}

/** JSON of an array of primitive strings, by hand. */
function strings(list: readonly string[]): string {
  let out = '['
  for (let i = 0; i < list.length && i < MAX_LOG_LINES; i++) out += (i === 0 ? '' : ',') + stringify(cut(list[i], MAX_LOG_CHARS))
  return `${out}]`
}

function failure(error: string, logs: readonly string[], d?: Described): string {
  let out = `{"ok":false,"error":${stringify(error)}`
  if (d !== undefined) {
    if (d.code !== undefined) out += `,"code":${stringify(d.code)}`
    out += `,"message":${stringify(cut(d.message, MAX_MESSAGE))}`
    if (d.stack !== undefined) out += `,"stack":${stringify(cut(d.stack, MAX_STACK))}`
  }
  return `${out},"logs":${strings(logs)}}`
}

function createLog(lines: string[]): (message: unknown) => void {
  return function log(message: unknown) {
    if (lines.length < MAX_LOG_LINES) lines[lines.length] = cut(message, MAX_LOG_CHARS)
  }
}

/** The start of an execution: the clock at its as-of day, the generator at its seed. */
function startExecution(asOf: string): void {
  const ms = apply(dateParse, RealDate, [`${asOf}T00:00:00Z`]) as number
  asOfMs = ms === ms ? ms : 0
  executionRandom.reset()
  exhausted = false
}

/** The product for this execution: a fresh instance (`fresh`), or the one loaded (benchmarks' warm baseline). */
function productFor(fresh: boolean, logs: string[]): Product | string {
  if (!sealed) return PRELUDE_FAILED
  if (!fresh && product !== undefined) return product
  try {
    const instance = instantiate()
    if (instance === undefined) return failure('NO_PRODUCT', logs)
    product = instance
    return instance
  } catch (thrown) {
    return failure('THREW', logs, describe(thrown))
  }
}

/** The envelope an execution ends with: a memory bomb the engine refused is reported as such, whatever the product did next. */
function finished(envelope: string, logs: readonly string[]): string {
  return exhausted ? failure('MEMORY', logs) : envelope
}

function runProduct(instance: Product, ctx: unknown, input: unknown, logs: string[], maxOutput: number): string {
  let result: unknown
  try {
    result = instance.run(ctx, input)
  } catch (thrown) {
    if (thrown === DENIED) return failure('DENIED', logs)
    return failure('THREW', logs, describe(thrown))
  }
  try {
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      return failure('ASYNC_RESULT', logs)
    }
  } catch (thrown) {
    return failure('INVALID_OUTPUT', logs, describe(thrown))
  }
  let output: unknown
  try {
    // serialized here, inside the isolate, so that getters and toJSON run under its limits
    output = stringify(result)
  } catch (thrown) {
    return failure('INVALID_OUTPUT', logs, describe(thrown))
  }
  if (typeof output !== 'string') return failure('INVALID_OUTPUT', logs)
  if (output.length > maxOutput) return failure('OUTPUT_TOO_LARGE', [])
  return `{"ok":true,"output":${output},"logs":${strings(logs)}}`
}

/** A text column as products read it (sdk TextColumn), for batch chunks and entity tables alike. */
function textColumn(codes: Int32Array, dictionary: readonly string[]) {
  return freeze({ codes, dictionary, value: (i: number) => (codes[i]! < 0 ? null : dictionary[codes[i]!]!) })
}

/** One entity's rows as they arrive (runtime/entity/entity-wire.ts): columns, text dictionary-coded. */
type WireEntityColumn = { n: unknown[] } | { d: string[]; c: number[] }
type EntityRows = Record<string, { columns: string[]; length: number; values: Record<string, WireEntityColumn> }>

function entityContext(rows: EntityRows, asOf: string, logs: string[]) {
  // rows become objects on first use of their table: a product pays only for what it reads.
  // Plain objects of one shape per table (fast to build and read); they are the call's own copy.
  const tables = create(null) as Record<string, readonly object[]>
  const materialize = (table: string): readonly object[] => {
    const { columns, length, values } = rows[table]!
    // rows are held in a local null-prototype map, then listed with Array.from (which defines its
    // elements): no accessor partner code put on Array.prototype sees or swaps a row. Values are
    // stored by assignment, which is fast, unless partner code put a property of that column's
    // name on Object.prototype; then they are defined as own data properties, which an accessor
    // cannot intercept.
    const made = create(null) as Record<number, Record<string, unknown>>
    for (let r = 0; r < length; r++) made[r] = {}
    for (let k = 0; k < columns.length; k++) {
      const name = columns[k]!
      const column = values[name]!
      const shadowed = hasOwn(ObjectPrototype, name)
      const coded = !hasOwn(column, 'n')
      const n = coded ? undefined : (column as { n: unknown[] }).n
      const { d, c } = coded ? (column as { d: string[]; c: number[] }) : { d: undefined, c: undefined }
      for (let r = 0; r < length; r++) {
        const value = coded ? (c![r]! < 0 ? null : d![c![r]!]!) : (n![r] ?? null)
        if (shadowed) defineProperty(made[r]!, name, { value, writable: true, enumerable: true, configurable: true })
        else made[r]![name] = value
      }
    }
    const list = apply(arrayFrom, RealArray, [{ length }, (_: unknown, r: number) => made[r]]) as object[]
    return freeze(list)
  }
  // the same rows column by column (ctx.columns): typed arrays from the wire, no row objects
  const chunks = create(null) as Record<string, object>
  const entityChunk = (table: string): object => {
    const { length, values } = rows[table]!
    const get = (field: string): WireEntityColumn => {
      if (typeof field !== 'string' || !hasOwn(values, field)) throw DENIED
      return values[field]!
    }
    const coded = (field: string): { d: string[]; c: number[] } => {
      const column = get(field)
      if (hasOwn(column, 'n')) throw new TypeError('field is not of the requested kind')
      return column as { d: string[]; c: number[] }
    }
    const texts = create(null) as Record<string, object>
    return freeze({
      length,
      number(field: string) {
        const column = get(field)
        if (!hasOwn(column, 'n')) throw new TypeError('field is not of the requested kind')
        const n = (column as { n: unknown[] }).n
        const out = new RealFloat64Array(length)
        for (let r = 0; r < length; r++) {
          const v = n[r]
          if (typeof v !== 'number' && v !== null && v !== undefined) throw new TypeError('field is not of the requested kind')
          out[r] = typeof v === 'number' ? v : NaN
        }
        return out
      },
      date(field: string) {
        const { d, c } = coded(field)
        const days = create(null) as Record<number, number>
        for (let i = 0; i < d.length; i++) {
          if (!apply(regexTest, ISO_DAY, [d[i]])) throw new TypeError('field is not of the requested kind')
          days[i] = dateParse(`${d[i]}T00:00:00Z`) / DAY_MS
        }
        const out = new RealInt32Array(length)
        for (let r = 0; r < length; r++) out[r] = c[r]! < 0 ? NULL_DAY : days[c[r]!]!
        return out
      },
      text(field: string) {
        if (!hasOwn(texts, field)) {
          const { d, c } = coded(field)
          const codes = new RealInt32Array(length)
          for (let r = 0; r < length; r++) codes[r] = c[r]!
          const dictionary = freeze(apply(arrayFrom, RealArray, [d]) as string[])
          texts[field] = textColumn(codes, dictionary)
        }
        return texts[field]!
      },
      has: (field: string) => typeof field === 'string' && hasOwn(values, field),
    })
  }
  return freeze({
    kind: 'entity',
    asOf,
    rows(table: string) {
      if (typeof table !== 'string' || !hasOwn(rows, table)) throw DENIED
      if (!hasOwn(tables, table)) tables[table] = materialize(table)
      return tables[table]!
    },
    columns(table: string) {
      if (typeof table !== 'string' || !hasOwn(rows, table)) throw DENIED
      if (!hasOwn(chunks, table)) chunks[table] = entityChunk(table)
      return chunks[table]!
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
    if (typeof field !== 'string' || !hasOwn(columns, field)) throw DENIED
    const c = columns[field]!
    if (c.kind !== kind) throw new TypeError('field is not of the requested kind')
    return c
  }
  const texts = create(null) as Record<string, object>
  return freeze({
    length: wire.length,
    number: (field: string) => new RealFloat64Array(get(field, 'number').data),
    date: (field: string) => new RealInt32Array(get(field, 'date').data),
    text(field: string) {
      if (!hasOwn(texts, field)) {
        const c = get(field, 'text') as { data: ArrayBuffer; dictionary: string[] }
        const codes = new RealInt32Array(c.data)
        const dictionary = freeze(c.dictionary)
        texts[field] = textColumn(codes, dictionary)
      }
      return texts[field]!
    },
    has: (field: string) => typeof field === 'string' && hasOwn(columns, field),
  })
}

function batchContext(tables: string[], asOf: string, logs: string[], pull: (table: string, index: number) => WireChunk | null) {
  const allowed = create(null) as Record<string, true>
  for (let i = 0; i < tables.length; i++) allowed[tables[i]!] = true
  return freeze({
    kind: 'batch',
    asOf,
    scan(table: string, visit: (chunk: unknown) => void) {
      if (typeof table !== 'string' || !hasOwn(allowed, table)) throw DENIED
      for (let i = 0; ; i++) {
        const wire = pull(table, i)
        if (wire === null || wire === undefined) return
        visit(columnChunk(wire))
      }
    },
    log: createLog(logs),
  })
}

const MANIFEST_KEYS = ['id', 'version', 'kind', 'title', 'category', 'description', 'entityKey', 'scenario', 'input', 'output', 'queries', 'encrypted', 'disclosure']

// What the worker holds References to (see prelude-source.ts for how it is wrapped).
export default {
  /** Takes the product's module function (a strict wrapper around the bundle); once. */
  install(moduleFunction: unknown): boolean {
    if (factory !== undefined || sealed || typeof moduleFunction !== 'function') return false
    factory = moduleFunction as () => { default?: unknown }
    return true
  },
  /** Seals the realm (seal-realm.ts) before any partner code runs; returns how many objects it froze. */
  seal(): number {
    if (sealed || factory === undefined) return 0
    // the module function itself too: it is the one object every execution shares
    const frozen = sealRealm(
      executionRandom.random,
      () => {
        exhausted = true
      },
      [factory],
    )
    sealed = true
    return frozen
  },
  load(): string {
    try {
      if (!sealed) return PRELUDE_FAILED
      startExecution('1970-01-01')
      const candidate = instantiate()
      if (candidate === undefined) return failure('NO_PRODUCT', [])
      product = candidate
      const manifest = create(null) as Record<string, unknown>
      for (let i = 0; i < MANIFEST_KEYS.length; i++) manifest[MANIFEST_KEYS[i]!] = candidate[MANIFEST_KEYS[i]!]
      const text = stringify(manifest)
      return typeof text === 'string' ? `{"ok":true,"manifest":${text}}` : failure('NO_PRODUCT', [])
    } catch (thrown) {
      try {
        return failure('NO_PRODUCT', [], describe(thrown))
      } catch {
        return PRELUDE_FAILED
      }
    }
  },
  invoke(inputJson: string, rowsJson: string, asOf: string, maxOutput: number, fresh: boolean): string {
    try {
      const logs: string[] = []
      startExecution(asOf)
      const instance = productFor(fresh, logs)
      if (typeof instance === 'string') return finished(instance, logs)
      const ctx = entityContext(parse(rowsJson) as EntityRows, asOf, logs)
      return finished(runProduct(instance, ctx, parse(inputJson), logs, maxOutput), logs)
    } catch {
      return PRELUDE_FAILED
    }
  },
  batch(inputJson: string, tablesJson: string, asOf: string, maxOutput: number, pull: (t: string, i: number) => WireChunk | null, fresh: boolean): string {
    try {
      const logs: string[] = []
      startExecution(asOf)
      const instance = productFor(fresh, logs)
      if (typeof instance === 'string') return finished(instance, logs)
      const tables = parse(tablesJson) as unknown
      const ctx = batchContext(isArray(tables) ? (tables as string[]) : [], asOf, logs, pull)
      return finished(runProduct(instance, ctx, parse(inputJson), logs, maxOutput), logs)
    } catch {
      return PRELUDE_FAILED
    }
  },
  measure(value: unknown): number {
    return typeof value === 'string' ? value.length : -1
  },
  NULL_DAY,
}
