/**
 * `ctx.columns(table)` in a one-entity product: the same rows as `ctx.rows`, column by column —
 * text dictionary-coded, numbers with NaN for none, dates as days — and a typed refusal of a
 * field asked for as the wrong kind.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../../helpers/sandbox-harness.ts'
import type { EntityRows } from '../../../runtime/products/run-product.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

const ROWS: EntityRows = {
  social_insurance_payment: {
    columns: ['period', 'payment_status', 'contribution_base', 'paid_on'],
    rows: [
      ['202501', '正常', 4200.5, '2025-02-10'],
      ['202502', '欠缴', null, null],
      ['202501', '正常', 3900, '2025-02-11'],
      [null, '补缴', 5100, '2025-04-01'],
    ],
  },
}

describe('ctx.columns in a one-entity product', () => {
  it('gives the rows column by column, agreeing with ctx.rows cell by cell', async () => {
    const product = await harness.load(
      apiProductSource(`
        const c = ctx.columns('social_insurance_payment')
        const rows = ctx.rows('social_insurance_payment')
        const period = c.text('period')
        const base = c.number('contribution_base')
        const paid = c.date('paid_on')
        const agree = rows.every((r: any, i: number) =>
          r.period === period.value(i) && r.payment_status === c.text('payment_status').value(i) &&
          (r.contribution_base === null ? Number.isNaN(base[i]) : r.contribution_base === base[i]) &&
          (r.paid_on === null ? paid[i] === -2147483648 : new Date(paid[i] * 86400000).toISOString().slice(0, 10) === r.paid_on))
        return { value: JSON.stringify({ n: c.length, agree, codes: Array.from(period.codes), dictionary: period.dictionary, same: c === ctx.columns('social_insurance_payment') }) }
      `),
    )
    const outcome = await harness.invoke(product, SAMPLE_INPUT, ROWS)
    expect(outcome.ok).toBe(true)
    const value = JSON.parse((outcome as { output: { value: string } }).output.value)
    expect(value).toEqual({ n: 4, agree: true, codes: [0, 1, 0, -1], dictionary: ['202501', '202502'], same: true })
  })

  it('refuses a field asked for as the wrong kind, with a typed error, and an empty table has length 0', async () => {
    const product = await harness.load(
      apiProductSource(`
        const c = ctx.columns('social_insurance_payment')
        const tries = [() => c.number('period'), () => c.text('contribution_base'), () => c.date('payment_status')]
        const out = tries.map((f) => { try { f(); return 'GOT' } catch (e: any) { return e instanceof TypeError ? 'type' : 'other' } })
        return { value: out.join('|') + '/' + ctx.columns('empty').length }
      `),
    )
    const outcome = await harness.invoke(product, SAMPLE_INPUT, { ...ROWS, empty: { columns: ['x'], rows: [] } })
    expect(outcome).toMatchObject({ ok: true, output: { value: 'type|type|type/0' } })
  })
})
