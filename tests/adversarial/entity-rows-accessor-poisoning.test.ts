/**
 * Attack: a product puts accessors on Object.prototype (for a column's name) and Array.prototype
 * (for index 0) in its consumer's context, then reads its next call's rows. The prelude builds
 * rows as own data properties, so the accessors neither see the values nor replace them.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

const ROWS = { enterprise_basic: { columns: ['name', 'status'], rows: [['甲公司', '存续'], ['乙公司', null]] } }

const BODY = `
  const g: any = globalThis
  if (input.uscc === 'POISON') {
    Object.defineProperty(Object.prototype, 'status', { set(v: any) { (g.seen ??= []).push(v) }, get() { return 'FAKE' }, configurable: true })
    Object.defineProperty(Array.prototype, '0', { set(v: any) { g.row0 = v }, get() { return 'ARR0' }, configurable: true })
    return { value: 'poisoned' }
  }
  const rows: any = ctx.rows('enterprise_basic')
  const first = rows[0]
  return { value: JSON.stringify({ n: rows.length, first: typeof first === 'object' ? [first.name, first.status, Object.getOwnPropertyNames(first).join('+')] : first, second: [rows[1].name, rows[1].status], seen: g.seen ?? null, row0: g.row0 === undefined ? null : 'captured' }) }
`

describe('attack: accessors on Object and Array prototypes around entity rows', () => {
  it('gives the poisoning consumer its true rows as own properties, and the accessors nothing', async () => {
    const product = await harness.load(apiProductSource(BODY))
    const clean = expectOutput(await harness.invoke(product, SAMPLE_INPUT, ROWS, 'bank-a'))
    expect(JSON.parse((clean as { value: string }).value)).toEqual({ n: 2, first: ['甲公司', '存续', 'name+status'], second: ['乙公司', null], seen: null, row0: null })
    expect(expectOutput(await harness.invoke(product, { uscc: 'POISON' }, ROWS, 'bank-a'))).toEqual({ value: 'poisoned' })
    const after = expectOutput(await harness.invoke(product, SAMPLE_INPUT, ROWS, 'bank-a'))
    expect(JSON.parse((after as { value: string }).value)).toEqual({ n: 2, first: ['甲公司', '存续', 'name+status'], second: ['乙公司', null], seen: null, row0: null })
    // and another consumer's context never had the accessors
    const other = expectOutput(await harness.invoke(product, SAMPLE_INPUT, ROWS, 'bank-b'))
    expect(JSON.parse((other as { value: string }).value)).toEqual({ n: 2, first: ['甲公司', '存续', 'name+status'], second: ['乙公司', null], seen: null, row0: null })
  })
})
