/**
 * The proof that every execution starts from a fresh state (seal-realm.ts): seen from partner
 * code, everything reachable that outlives an execution (its ctx and module instance are its own) —
 * the global object, every intrinsic
 * reachable from it or from instances, and everything reachable from those through own properties,
 * getters, setters and prototypes — is frozen; the only setters are the override enablements, and
 * they write to the receiver, never to the shared object; the engine's hidden carriers are gone.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../../helpers/sandbox-harness.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

const WALK = `
  const roots: any[] = [globalThis, Object.getPrototypeOf(function* () {}), Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}), Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map().entries()),
    Object.getPrototypeOf(new Set().values()), Object.getPrototypeOf(''[Symbol.iterator]()), Object.getPrototypeOf('a'.matchAll(/a/g)),
    Object.getPrototypeOf(Int8Array), Object.getPrototypeOf(new Intl.Segmenter().segment('')),
    Object.getPrototypeOf(([] as any).values().map((x: unknown) => x))]
  const seen = new Set<any>()
  const queue = [...roots]
  const unfrozen: string[] = []
  const setters: string[] = []
  while (queue.length > 0) {
    const o = queue.pop()
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue
    seen.add(o)
    if (!Object.isFrozen(o)) unfrozen.push(typeof o + ':' + Object.prototype.toString.call(o) + ':' + Reflect.ownKeys(o).slice(0, 5).map(String).join(','))
    queue.push(Object.getPrototypeOf(o))
    for (const key of Reflect.ownKeys(o)) {
      const d: any = Object.getOwnPropertyDescriptor(o, key)
      if (d === undefined) continue
      queue.push(d.value, d.get, d.set)
      if (d.set !== undefined) setters.push(String(key))
    }
  }
  const R: any = RegExp
  return { value: JSON.stringify({ objects: seen.size, unfrozen, setters: [...new Set(setters)].sort(),
    regexpStatics: ['$1', 'lastMatch', 'input', 'leftContext'].filter((k) => k in R),
    weak: [typeof (globalThis as any).WeakRef, typeof (globalThis as any).FinalizationRegistry],
    override: (() => { class E extends Error { constructor() { super('m'); this.name = 'E' } } const e = new E(); const o: any = {}; o.toString = () => 'mine'; return [e.name, Error.prototype.name, String(o), Object.hasOwn(e, 'name')].join('|') })(),
    overrideShared: (() => { try { ;(Error.prototype as any).name = 'X'; return 'written' } catch (e) { return e instanceof TypeError ? 'refused' : 'other' } })() }) }
`

describe('the sealed realm', () => {
  it('freezes everything an execution can reach that outlives it', async () => {
    const probe = await harness.load(apiProductSource(WALK))
    const outcome = await harness.invoke(probe, SAMPLE_INPUT)
    if (!outcome.ok) throw new Error(`the probe failed: ${outcome.code}`)
    const r = JSON.parse((outcome.output as { value: string }).value) as {
      objects: number
      unfrozen: string[]
      setters: string[]
      regexpStatics: string[]
      weak: string[]
      override: string
      overrideShared: string
    }
    expect(r.objects).toBeGreaterThan(500)
    expect(r.unfrozen).toEqual([])
    // setters: the override enablements, and the engine's own accessors that act on their receiver
    expect(r.setters).toEqual(expect.arrayContaining(['name', 'message', 'toString', 'constructor']))
    // (the engine's: `__proto__` and Iterator.prototype's `constructor` and @@toStringTag act on the
    // receiver; Function.prototype's `arguments` and `caller` only throw)
    const receiverOnly = ['__proto__', 'constructor', 'hasOwnProperty', 'isPrototypeOf', 'message', 'name', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf', 'Symbol(Symbol.toStringTag)', 'arguments', 'caller']
    expect(r.setters.filter((k) => !receiverOnly.includes(k))).toEqual([])
    expect(r.regexpStatics).toEqual([])
    expect(r.weak).toEqual(['undefined', 'undefined'])
    // an instance may still override an inherited property (the "override mistake" is enabled away); the shared one may not change
    expect(r.override).toBe('E|Error|mine|true')
    expect(r.overrideShared).toBe('refused')
  }, 30_000)
})
