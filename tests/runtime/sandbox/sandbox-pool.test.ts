import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, apiProductSource, SAMPLE_INPUT } from '../../helpers/sandbox-harness.ts'
import type { WireTable } from '../../../runtime/sandbox/wire.ts'

const harness = createSandboxHarness(1)
afterAll(() => harness.close())

const BATCH_SOURCE = `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'batch-sum', version: '1.0.0', kind: 'dataset', title: '汇总', category: '公共治理', description: 'sum',
  scenario: { purpose: 'test', tables: { facts: { fields: { amount: 'a', district: 'd', day: 'x' } } } },
  input: t.object({}),
  output: t.object({ rows: t.integer(), chunks: t.integer(), total: t.number(), nulls: t.integer(), byDistrict: t.array(t.integer(), { maxItems: 10 }), maxDay: t.integer() }),
  run(ctx) {
    let rows = 0, chunks = 0, total = 0, nulls = 0, maxDay = -1
    const byDistrict = [0, 0, 0]
    ctx.scan('facts', (chunk) => {
      chunks++
      rows += chunk.length
      const amount = chunk.number('amount')
      const district = chunk.text('district')
      const day = chunk.date('day')
      for (let i = 0; i < chunk.length; i++) {
        if (Number.isNaN(amount[i])) nulls++
        else total += amount[i]
        byDistrict[district.codes[i]]++
        if (day[i] > maxDay) maxDay = day[i]
      }
    })
    return { rows, chunks, total, nulls, byDistrict, maxDay }
  },
})`

function facts(n: number): WireTable {
  const values = new Float64Array(n)
  const codes = new Int32Array(n)
  const days = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    values[i] = i % 97 === 0 ? NaN : (i % 1000) / 4
    codes[i] = i % 3
    days[i] = 20000 + (i % 365)
  }
  return { length: n, columns: { amount: { kind: 'number', values }, district: { kind: 'text', codes, dictionary: ['金安区', '裕安区', '叶集区'] }, day: { kind: 'date', days } } }
}

describe('the sandbox pool', () => {
  it('runs a batch product over typed columns a chunk at a time, with the same result as the host', async () => {
    const product = await harness.load(BATCH_SOURCE)
    const n = 200_001
    const table = facts(n)
    const outcome = await harness.batch(product, {}, new Map([['facts', table]]))
    expect(outcome.ok).toBe(true)
    let total = 0
    let nulls = 0
    const amount = (table.columns.amount as { values: Float64Array }).values
    for (let i = 0; i < n; i++) Number.isNaN(amount[i]!) ? nulls++ : (total += amount[i]!)
    expect((outcome as { output: unknown }).output).toEqual({
      rows: n,
      chunks: 4,
      total,
      nulls,
      byDistrict: [66667, 66667, 66667],
      maxDay: 20364,
    })
  })

  it('refuses a table or a field outside the scenario in a batch run with ERR_VIEW_COLUMN_DENIED', async () => {
    const table = await harness.load(BATCH_SOURCE.replace("ctx.scan('facts'", "ctx.scan('secret'"))
    expect(await harness.batch(table, {}, new Map([['facts', facts(10)]]))).toMatchObject({ ok: false, code: 'ERR_VIEW_COLUMN_DENIED' })
    const field = await harness.load(BATCH_SOURCE.replace("chunk.number('amount')", "chunk.number('salary')"))
    expect(await harness.batch(field, {}, new Map([['facts', facts(10)]]))).toMatchObject({ ok: false, code: 'ERR_VIEW_COLUMN_DENIED' })
  })

  it('answers many concurrent calls correctly', async () => {
    const product = await harness.load(apiProductSource('return { value: input.uscc.slice(1) + ":" + ctx.rows("enterprise_basic").length }'))
    const calls = Array.from({ length: 300 }, (_, i) =>
      harness.invoke(product, { uscc: `U${i}` }, { enterprise_basic: { columns: ['name'], rows: Array.from({ length: i % 5 }, () => ['x']) } }),
    )
    const outcomes = await Promise.all(calls)
    outcomes.forEach((o, i) => expect(o).toMatchObject({ ok: true, output: { value: `${i}:${i % 5}` } }))
  })

  it('survives a worker killed from outside: the call in flight fails typed, the next one works', async () => {
    // loops until its 1 s CPU limit; the worker is killed well before that
    const slow = await harness.load(apiProductSource('for (;;) {}'))
    const pending = harness.invoke(slow, SAMPLE_INPUT)
    await new Promise((r) => setTimeout(r, 200))
    const pids = harness.pool.pids()
    expect(pids.length).toBe(1)
    process.kill(pids[0]!, 'SIGKILL')
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_SANDBOX_CRASHED' })
    const good = await harness.load(apiProductSource('return { value: ctx.rows("enterprise_basic")[0].status }'))
    expect(await harness.invoke(good, SAMPLE_INPUT)).toMatchObject({ ok: true, output: { value: '存续' } })
    expect(harness.pool.pids()[0]).not.toBe(pids[0])
  })

  it('refuses inputs that do not match the input schema before any run', async () => {
    const product = await harness.load(apiProductSource('return { value: "ran" }'))
    expect(await harness.invoke(product, { uscc: 'x'.repeat(19) })).toMatchObject({ ok: false, code: 'ERR_PARAMS_INVALID' })
    expect(await harness.invoke(product, { uscc: 1 })).toMatchObject({ ok: false, code: 'ERR_PARAMS_INVALID' })
    expect(await harness.invoke(product, {})).toMatchObject({ ok: false, code: 'ERR_PARAMS_INVALID' })
  })

  it('refuses an output that does not match the output schema', async () => {
    const product = await harness.load(apiProductSource('return { value: 42 }'))
    expect(await harness.invoke(product, SAMPLE_INPUT)).toMatchObject({ ok: false, code: 'ERR_SANDBOX_INVALID_OUTPUT' })
  })
})
