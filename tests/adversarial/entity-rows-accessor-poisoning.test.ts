/**
 * Attack: a product puts accessors on Object.prototype (for a column's name) and Array.prototype
 * (for index 0), then reads its rows, hoping to see them pass through its setters or replace them.
 * The realm is sealed: the accessors cannot be planted (TypeError), and the rows are the true ones.
 * (The prelude also builds rows as own data properties, which accessors could not intercept.)
 */
import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

const ROWS = { enterprise_basic: { columns: ['name', 'status'], rows: [['甲公司', '存续'], ['乙公司', null]] } }

const BODY = `
  const g: any = globalThis
  let armed = ''
  if (input.uscc === 'POISON') {
    const refusals = [
      () => Object.defineProperty(Object.prototype, 'status', { set(v: any) { (g.seen ??= []).push(v) }, get() { return 'FAKE' }, configurable: true }),
      () => Object.defineProperty(Array.prototype, '0', { set(v: any) { g.row0 = v }, get() { return 'ARR0' }, configurable: true }),
    ].map((plant) => { try { plant(); return 'planted' } catch (e) { return e instanceof TypeError ? 'refused' : 'other' } })
    armed = refusals.join('+') + ':' + (({} as any).status === 'FAKE' || ([] as any)[0] === 'ARR0' ? 'visible' : 'absent')
  }
  const rows: any = ctx.rows('enterprise_basic')
  const first = rows[0]
  return { value: JSON.stringify({ n: rows.length, first: typeof first === 'object' ? [first.name, first.status, Object.getOwnPropertyNames(first).join('+')] : first, second: [rows[1].name, rows[1].status], seen: g.seen ?? null, row0: g.row0 === undefined ? null : 'captured', armed }) }
`

describe('attack: accessors on Object and Array prototypes around entity rows', () => {
  it('gives the poisoning call its true rows as own properties, and the accessors nothing', async () => {
    const product = await harness.load(apiProductSource(BODY))
    const read = async (uscc: string) => JSON.parse((expectOutput(await harness.invoke(product, { uscc }, ROWS)) as { value: string }).value) as unknown
    const truth = { n: 2, first: ['甲公司', '存续', 'name+status'], second: ['乙公司', null], seen: null, row0: null }
    expect(await read(SAMPLE_INPUT.uscc)).toEqual({ ...truth, armed: '' })
    // both plantings were attempted and refused; the rows are the true ones
    expect(await read('POISON')).toEqual({ ...truth, armed: 'refused+refused:absent' })
    // the next call starts clean
    expect(await read(SAMPLE_INPUT.uscc)).toEqual({ ...truth, armed: '' })
  })
})
