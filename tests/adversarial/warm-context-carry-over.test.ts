/**
 * Attack: during a call about one enterprise, the product stashes what it read in every place it
 * can write — a global, a module-level closure variable, Object.prototype, the SDK ctx's
 * prototype chain, Function.prototype, an iterator prototype, the SDK's `t`, the product
 * definition's schema objects, an Error.prepareStackTrace hook, the RegExp legacy statics, the
 * state of Math.random — hoping that the same consumer's next call, about another enterprise,
 * finds it (a warm context would carry it). Through the server: every execution starts from a
 * fresh state, for the same consumer as for another. Positive control: each write is attempted in
 * the stashing call, and is either refused (the realm is sealed) or visible within that call only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, type AttackServer } from '../helpers/attack-server.ts'

const SOURCE = `import { defineProduct, t } from 'indomain/sdk'
let closureStash: string | undefined
const arrayIterator: any = Object.getPrototypeOf([][Symbol.iterator]())
const channels = (ctx: any, self: any): unknown[] => [
  (globalThis as any).__stash,
  closureStash,
  ({} as any).__stash,
  Object.getPrototypeOf(ctx).__stash2,
  Object.getPrototypeOf(ctx.rows).__stash,
  arrayIterator.__stash,
  (t as any).__stash,
  self.output.__stash,
  typeof (Error as any).prepareStackTrace === 'function' ? (Error as any).prepareStackTrace(null, []) : undefined,
  (RegExp as any).$1 === undefined || (RegExp as any).$1 === '' ? undefined : 'CAP-' + (RegExp as any).$1,
]
const writes = (mine: string, self: any, ctx: any): (() => void)[] => [
  () => { ;(globalThis as any).__stash = mine },
  () => { closureStash = mine },
  () => { ;(Object.prototype as any).__stash = mine },
  () => { Object.getPrototypeOf(ctx).__stash2 = mine },
  () => { Object.getPrototypeOf(ctx.rows).__stash = mine },
  () => { arrayIterator.__stash = mine },
  () => { ;(t as any).__stash = mine },
  () => { self.output.__stash = mine },
  () => { ;(Error as any).prepareStackTrace = () => mine },
  () => { /^CAP-(.*)$/.exec(mine) },
]
export default defineProduct({
  id: 'carry-over', version: '1.0.0', kind: 'api', title: '跨调用残留探针', category: '产业发展', description: 'attack fixture',
  entityKey: 'uscc',
  scenario: { purpose: '测试每次执行状态独立', tables: { enterprise_basic: { key: 'uscc', fields: { status: '状态', registered_capital: '注册资本' } } } },
  input: t.object({ uscc: t.uscc(), stash: t.boolean(), draws: t.integer({ minimum: 0, maximum: 100 }) }),
  output: t.object({
    found: t.integer({ minimum: 0, maximum: 20 }),
    visible: t.integer({ minimum: 0, maximum: 20 }),
    refused: t.integer({ minimum: 0, maximum: 20 }),
    firstDraw: t.number({ minimum: 0, maximum: 1 }),
    weakRefs: t.boolean(),
  }),
  run(ctx: any, input: any): any {
    const self: any = this
    const mine = 'CAP-' + ctx.rows('enterprise_basic')[0].registered_capital
    const found = channels(ctx, self).filter((v) => v !== undefined).length
    // Math.random: the first draw of an execution, after the earlier one drew any number of times
    const firstDraw = Math.random()
    let refused = 0
    if (input.stash) {
      for (const write of writes(mine, self, ctx)) { try { write() } catch (e) { if (e instanceof TypeError) refused++ } }
      for (let i = 0; i < input.draws; i++) Math.random()
    }
    const visible = channels(ctx, self).filter((v) => v === mine).length
    return { found, visible, refused, firstDraw, weakRefs: typeof (globalThis as any).WeakRef === 'function' || typeof (globalThis as any).FinalizationRegistry === 'function' }
  },
})
`

let s: AttackServer
let x: string
let y: string
beforeAll(async () => {
  s = await createAttackServer(300, 'carry-over')
  const rows = await s.sample.storeRows(`SELECT uscc FROM enterprise_basic ORDER BY uscc LIMIT 2`)
  x = String(rows[0]!.uscc)
  y = String(rows[1]!.uscc)
  await s.publish(SOURCE)
}, 120_000)
afterAll(() => s.close())

type Seen = { found: number; visible: number; refused: number; firstDraw: number; weakRefs: boolean }
const call = async (uscc: string, stash: boolean, consumer = 'bank-a', draws = 0): Promise<Seen> => {
  const response = await s.invoke('carry-over', { uscc, stash, draws }, consumer)
  expect(response.statusCode, response.body).toBe(200)
  return (response.json() as { result: Seen }).result
}

describe('attack: state carried from one execution to the next', () => {
  it("the same consumer's next call, about another enterprise, finds nothing of the first", async () => {
    const first = await call(x, true, 'bank-a', 37)
    // positive control: ten writes attempted; the realm refused seven, three took effect within the call
    // (the module's own closure and `t`, and the RegExp match — whose statics the realm does not have)
    expect(first).toMatchObject({ found: 0, refused: 7, visible: 2, weakRefs: false })
    const next = await call(y, false)
    expect(next).toMatchObject({ found: 0, visible: 0, refused: 0, weakRefs: false })
    // Math.random starts every execution at the same point, whatever the last one drew
    expect(next.firstDraw).toBe(first.firstDraw)
    expect(await call(x, false)).toEqual(next)
  })

  it('nor does another consumer, or a call arriving in the same tick', async () => {
    const [a, b] = await Promise.all([call(x, true, 'bank-a', 5), call(y, false, 'bank-b')])
    expect(a).toMatchObject({ found: 0, refused: 7, visible: 2 })
    expect(b).toMatchObject({ found: 0, visible: 0 })
    expect(await call(y, false, 'bank-b')).toMatchObject({ found: 0, visible: 0 })
  })
})
