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
const toISOString = Date.prototype.toISOString
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

/**
 * One chunk of units as the worker hands it in (runtime/sandbox/wire.ts `sliceUnits`): per table,
 * each unit's rows (`offsets`, `units + 1` of them) and their columns as buffers; text columns are
 * codes into the dictionaries of `UnitMeta`.
 */
type UnitChunk = {
  units: number
  tables: Record<string, { offsets: ArrayBuffer; columns: Record<string, { kind: 'number' | 'date' | 'text'; data: ArrayBuffer }> }>
}
/** Per table, per field: its kind and, for text, its dictionary (sent once per classification). */
type UnitMeta = Record<string, Record<string, { kind: 'number' | 'date' | 'text'; dictionary?: string[] }>>

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), or null. */
function isoDay(days: number): string | null {
  if (days === NULL_DAY) return null
  return apply(slice, apply(toISOString, new RealDate(days * DAY_MS), []) as string, [0, 10]) as string
}

/**
 * The context of one unit in `classify`: the unit's rows of each scenario table, as rows or
 * columns, copied out of the chunk for this unit alone (a unit that writes into what it was given
 * writes into its own copy, never into the next unit's).
 */
function unitContext(chunk: UnitChunk, unit: number, meta: UnitMeta, asOf: string, logs: string[]) {
  const rangeOf = (table: string): [number, number] => {
    if (typeof table !== 'string' || !hasOwn(chunk.tables, table) || !hasOwn(meta, table)) throw DENIED
    const offsets = new RealInt32Array(chunk.tables[table]!.offsets)
    return [offsets[unit]!, offsets[unit + 1]!]
  }
  const fieldOf = (table: string, field: string, kind?: string) => {
    if (typeof field !== 'string' || !hasOwn(meta[table]!, field)) throw DENIED
    const f = meta[table]![field]!
    if (kind !== undefined && f.kind !== kind) throw new TypeError('field is not of the requested kind')
    return f
  }
  const rowsMade = create(null) as Record<string, readonly object[]>
  const chunksMade = create(null) as Record<string, object>
  return freeze({
    kind: 'entity',
    asOf,
    rows(table: string) {
      if (hasOwn(rowsMade, table)) return rowsMade[table]!
      const [from, to] = rangeOf(table)
      const length = to - from
      const made = create(null) as Record<number, Record<string, unknown>>
      for (let r = 0; r < length; r++) made[r] = {}
      const fields = meta[table]!
      for (const name in fields) {
        const f = fields[name]!
        const data = chunk.tables[table]!.columns[name]!.data
        const shadowed = hasOwn(ObjectPrototype, name)
        const numbers = f.kind === 'number' ? new RealFloat64Array(data) : undefined
        const ints = f.kind === 'number' ? undefined : new RealInt32Array(data)
        for (let r = 0; r < length; r++) {
          let value: unknown
          if (numbers !== undefined) {
            const v = numbers[from + r]!
            value = v === v ? v : null
          } else if (f.kind === 'date') value = isoDay(ints![from + r]!)
          else {
            const c = ints![from + r]!
            value = c < 0 ? null : f.dictionary![c]!
          }
          if (shadowed) defineProperty(made[r]!, name, { value, writable: true, enumerable: true, configurable: true })
          else made[r]![name] = value
        }
      }
      const list = apply(arrayFrom, RealArray, [{ length }, (_: unknown, r: number) => made[r]]) as object[]
      rowsMade[table] = freeze(list)
      return rowsMade[table]!
    },
    columns(table: string) {
      if (hasOwn(chunksMade, table)) return chunksMade[table]!
      const [from, to] = rangeOf(table)
      const texts = create(null) as Record<string, object>
      const buffer = (field: string, kind: string): ArrayBuffer => {
        fieldOf(table, field, kind)
        return chunk.tables[table]!.columns[field]!.data
      }
      chunksMade[table] = freeze({
        length: to - from,
        number: (field: string) => new RealFloat64Array(buffer(field, 'number')).slice(from, to),
        date: (field: string) => new RealInt32Array(buffer(field, 'date')).slice(from, to),
        text(field: string) {
          if (!hasOwn(texts, field)) texts[field] = textColumn(new RealInt32Array(buffer(field, 'text')).slice(from, to), meta[table]![field]!.dictionary!)
          return texts[field]!
        },
        has: (field: string) => typeof field === 'string' && hasOwn(meta[table]!, field),
      })
      return chunksMade[table]!
    },
    log: createLog(logs),
  })
}

/**
 * The context of `run` for a dataset or report: the released results, and nothing else (no table,
 * no row of the scenario is reachable from here).
 */
function releasedContext(released: { units: number; aggregates: Record<string, unknown>; rows: unknown }, asOf: string, logs: string[]) {
  return freeze({
    kind: 'released',
    asOf,
    units: released.units,
    aggregate(name: string) {
      if (typeof name !== 'string' || !hasOwn(released.aggregates, name)) throw DENIED
      return released.aggregates[name]
    },
    rows() {
      if (released.rows === null) throw DENIED
      return released.rows
    },
    log: createLog(logs),
  })
}

/** Freezes a parsed JSON value throughout (it is shared by every unit of a classification). */
function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    for (const key in value as Record<string, unknown>) deepFreeze((value as Record<string, unknown>)[key])
    freeze(value)
  }
  return value
}

const MANIFEST_KEYS = ['id', 'version', 'kind', 'title', 'category', 'description', 'entityKey', 'scenario', 'input', 'output', 'unit', 'aggregates', 'rows', 'encrypted']

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
  /**
   * `classify` over every unit, each unit an execution of its own (a fresh instance of the module;
   * nothing of one unit reaches the next). `pull(i)` gives chunk i of units (null past the last);
   * `push(i, text)` takes chunk i's results: a JSON array with each unit's contributions, as the
   * product returned them (the host checks them against the declaration). Returns an envelope
   * `{ok, units}` or a failure.
   */
  classify(inputJson: string, metaJson: string, asOf: string, maxUnitChars: number, pull: (i: number) => UnitChunk | null, push: (i: number, text: string) => void): string {
    try {
      const logs: string[] = []
      startExecution(asOf)
      if (!sealed) return PRELUDE_FAILED
      const input = deepFreeze(parse(inputJson))
      const meta = deepFreeze(parse(metaJson)) as UnitMeta
      let units = 0
      for (let c = 0; ; c++) {
        const chunk = pull(c)
        if (chunk === null || chunk === undefined) break
        let out = '['
        for (let u = 0; u < chunk.units; u++) {
          executionRandom.reset()
          const instance = instantiate()
          if (instance === undefined) return finished(failure('NO_PRODUCT', logs), logs)
          const classify = instance.classify
          if (typeof classify !== 'function') return finished(failure('NO_PRODUCT', logs), logs)
          let result: unknown
          try {
            result = apply(classify, instance, [unitContext(chunk, u, meta, asOf, logs), input])
          } catch (thrown) {
            if (thrown === DENIED) return finished(failure('DENIED', logs), logs)
            return finished(failure('THREW', logs, describe(thrown)), logs)
          }
          let text: unknown
          try {
            text = result === undefined || result === null ? 'null' : stringify(result)
          } catch (thrown) {
            return finished(failure('INVALID_OUTPUT', logs, describe(thrown)), logs)
          }
          if (typeof text !== 'string') return finished(failure('INVALID_OUTPUT', logs), logs)
          if (text.length > maxUnitChars) return finished(failure('OUTPUT_TOO_LARGE', []), logs)
          out += (u === 0 ? '' : ',') + text
        }
        push(c, `${out}]`)
        units += chunk.units
      }
      return finished(`{"ok":true,"units":${units},"logs":${strings(logs)}}`, logs)
    } catch {
      return PRELUDE_FAILED
    }
  },
  /** `run` of a dataset or report over its released results (JSON), in a fresh instance. */
  finish(inputJson: string, releasedJson: string, asOf: string, maxOutput: number): string {
    try {
      const logs: string[] = []
      startExecution(asOf)
      const instance = productFor(true, logs)
      if (typeof instance === 'string') return finished(instance, logs)
      const released = deepFreeze(parse(releasedJson)) as { units: number; aggregates: Record<string, unknown>; rows: unknown }
      const ctx = releasedContext(released, asOf, logs)
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
