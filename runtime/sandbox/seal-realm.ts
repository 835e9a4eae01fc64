/**
 * Sealing the isolate's realm, inside the isolate, once, before any partner code runs (bundled
 * into the prelude). Together with a fresh instance of the product's module per execution
 * (isolate-prelude.ts), it makes "every execution starts from a fresh state" hold without a new
 * V8 context per call (~0.6 ms each in isolated-vm): whatever an execution can reach that outlives
 * it is immutable.
 *
 * What an execution can reach beyond its own objects:
 * - the global object and everything reachable from it (constructors, prototypes, namespaces),
 *   and the intrinsics reachable only from instances (iterator, generator, async and typed-array
 *   prototypes): all frozen, by a walk over own properties (values, getters, setters, symbols
 *   included) and prototypes — the approach of Hardened JavaScript's `lockdown()` (SES);
 * - hidden mutable state of the engine: the RegExp legacy statics (`RegExp.$1`, `lastMatch` …,
 *   updated by every match) are deleted; `WeakRef` and `FinalizationRegistry` (a cleanup callback
 *   of one execution could run during a later one) are removed; `Math.random` is the prelude's own
 *   generator, reset at the start of every execution (V8's generator state would carry from one
 *   execution to the next);
 * - the module wrapper the prelude instantiates the product from: strict and frozen.
 *
 * Freezing the prototypes of the built-ins would break ordinary code that assigns a property an
 * inherited frozen one shadows (`this.name = …` in an Error subclass: the "override mistake").
 * For the few such properties ordinary code assigns, the data property becomes a getter and a
 * setter that defines the property on the instance (SES's "property override enablements").
 */

/** Properties whose assignment on an instance must keep working once their prototype is frozen. */
const OVERRIDABLE: readonly (readonly [object, readonly PropertyKey[]])[] = [
  [Object.prototype, ['constructor', 'toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']],
  [Error.prototype, ['constructor', 'name', 'message', 'toString']],
  ...[TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError, AggregateError].map((E) => [E.prototype, ['constructor', 'name', 'message']] as const),
  [Array.prototype, ['toString']],
  [Function.prototype, ['toString']],
  [Promise.prototype, ['constructor']],
]

const REGEXP_STATICS = ['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9', 'input', '$_', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'"]

/** Turns `obj[key]`, a data property, into a getter and a setter that shadows it on instances. */
function enableOverride(obj: object, key: PropertyKey): void {
  const desc = Object.getOwnPropertyDescriptor(obj, key)
  if (desc === undefined || !('value' in desc) || desc.configurable !== true) return
  const value: unknown = desc.value
  Object.defineProperty(obj, key, {
    get: function getter() {
      return value
    },
    set: function setter(this: object, next: unknown) {
      if (this === obj) throw new TypeError('a property of a sealed intrinsic cannot be assigned')
      Object.defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true })
    },
    enumerable: desc.enumerable === true,
    configurable: false,
  })
}

/** Intrinsics reachable only from instances (not from any property of the global object). */
function hiddenIntrinsics(): object[] {
  const found: unknown[] = []
  const proto = Object.getPrototypeOf
  const add = (make: () => unknown) => {
    try {
      found.push(make())
    } catch {
      /* this engine has no such intrinsic */
    }
  }
  add(() => proto(function* () {}))
  add(() => proto(async function () {}))
  add(() => proto(async function* () {}))
  add(() => proto([][Symbol.iterator]()))
  add(() => proto(new Map()[Symbol.iterator]()))
  add(() => proto(new Set()[Symbol.iterator]()))
  add(() => proto(''[Symbol.iterator]()))
  add(() => proto('a'.matchAll(/a/g)))
  add(() => proto(Int8Array))
  add(() => proto(([].values() as unknown as { map(f: (x: unknown) => unknown): unknown }).map((x) => x)))
  add(() => proto((globalThis as unknown as { Iterator: { from(o: object): unknown } }).Iterator.from({ next: () => ({ done: true, value: undefined }) })))
  add(() => proto(new Intl.Segmenter().segment('')))
  add(() => proto(new Intl.Segmenter().segment('')[Symbol.iterator]()))
  add(() => Object.getOwnPropertyDescriptor(Function.prototype, 'caller')?.get)
  return found.filter((x): x is object => (typeof x === 'object' || typeof x === 'function') && x !== null)
}

/**
 * Freezes every object reachable from `roots` through own properties (string and symbol keys;
 * values, getters and setters) and prototypes. Returns how many objects it froze.
 */
export function deepFreeze(roots: readonly object[]): number {
  const seen = new Set<object>()
  const queue: object[] = [...roots]
  while (queue.length > 0) {
    const obj = queue.pop()!
    if (seen.has(obj)) continue
    seen.add(obj)
    const visit = (v: unknown) => {
      if ((typeof v === 'object' || typeof v === 'function') && v !== null && !seen.has(v)) queue.push(v)
    }
    visit(Object.getPrototypeOf(obj))
    for (const key of Reflect.ownKeys(obj)) {
      const desc = Object.getOwnPropertyDescriptor(obj, key)
      if (desc === undefined) continue
      visit(desc.value)
      visit(desc.get)
      visit(desc.set)
    }
    Object.freeze(obj)
  }
  return seen.size
}

/** Messages the engine gives when it refuses to allocate (never a partner's: see guardAllocations). */
const ALLOCATION_FAILURES = new Set(['Array buffer allocation failed', 'Invalid string length', 'Invalid typed array length', 'Invalid array buffer length'])

/**
 * Routes the allocations a product asks for by name — array buffers, typed arrays, and the string
 * builders `repeat`, `padStart`, `padEnd`, `concat`, `join` — through wrappers that call the real
 * ones and, when the engine itself refuses the allocation, call `exhausted()` before rethrowing.
 * The flag lives in the prelude: a product can catch the error, not unset the flag, and cannot
 * set it without an allocation the engine refused — so a refused memory bomb is reported as one
 * (ERR_SANDBOX_MEMORY), whatever the product does next. Allocations the engine makes inside other
 * built-ins (`slice`, `map`, `+`) are not routed: their refusals stay ordinary exceptions.
 */
function guardAllocations(exhausted: () => void): void {
  const g = globalThis as Record<string, unknown>
  const refused = (error: unknown): void => {
    if (error instanceof RangeError && ALLOCATION_FAILURES.has(error.message)) exhausted()
  }
  for (const name of ['ArrayBuffer', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Float16Array']) {
    const real = g[name] as (new (...args: unknown[]) => object) | undefined
    if (typeof real !== 'function') continue
    const guarded = new Proxy(real, {
      construct(target, args, newTarget) {
        try {
          return Reflect.construct(target, args, newTarget) as object
        } catch (error) {
          refused(error)
          throw error
        }
      },
    })
    g[name] = guarded
    Object.defineProperty(real.prototype, 'constructor', { value: guarded, writable: true, enumerable: false, configurable: true })
  }
  const wrapMethod = (proto: object, key: string) => {
    const real = (proto as Record<string, unknown>)[key] as (...args: unknown[]) => unknown
    Object.defineProperty(proto, key, {
      value: {
        [key](this: unknown, ...args: unknown[]) {
          try {
            return Reflect.apply(real, this, args)
          } catch (error) {
            refused(error)
            throw error
          }
        },
      }[key],
      writable: true,
      enumerable: false,
      configurable: true,
    })
  }
  for (const key of ['repeat', 'padStart', 'padEnd', 'concat']) wrapMethod(String.prototype, key)
  wrapMethod(Array.prototype, 'join')
}

/**
 * Seals the realm: routes named allocations through `exhausted` (guardAllocations), removes the
 * engine's hidden carriers, installs `random` as `Math.random`, enables the usual overrides, and
 * freezes everything reachable (from the global object, the
 * hidden intrinsics and `alsoFreeze`). Call once, before partner code.
 * Returns how many objects were frozen.
 */
export function sealRealm(random: () => number, exhausted: () => void, alsoFreeze: readonly object[] = []): number {
  const g = globalThis as Record<string, unknown>
  guardAllocations(exhausted)
  for (const name of ['WeakRef', 'FinalizationRegistry']) delete g[name]
  for (const name of REGEXP_STATICS) delete (RegExp as unknown as Record<string, unknown>)[name]
  Object.defineProperty(Math, 'random', { value: random, writable: false, enumerable: false, configurable: false })
  for (const [obj, keys] of OVERRIDABLE) for (const key of keys) enableOverride(obj, key)
  return deepFreeze([globalThis, ...hiddenIntrinsics(), ...alsoFreeze])
}

/**
 * The generator behind the sealed `Math.random`: sfc32, restarted from the same seed at the start
 * of every execution (deterministic per execution, so that nothing of one execution's draws is
 * visible to the next). Not for anything secret: products have no use for secret randomness.
 */
export function createExecutionRandom(): { readonly random: () => number; reset(): void } {
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  const reset = () => {
    a = 0x9e3779b9
    b = 0x243f6a88
    c = 0xb7e15162
    d = 1
  }
  reset()
  return {
    reset,
    random() {
      a >>>= 0
      b >>>= 0
      c >>>= 0
      d >>>= 0
      const t = (a + b) | 0
      a = b ^ (b >>> 9)
      b = (c + (c << 3)) | 0
      c = (c << 21) | (c >>> 11)
      d = (d + 1) | 0
      const out = (t + d) | 0
      c = (c + out) | 0
      return (out >>> 0) / 4294967296
    },
  }
}
