import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, apiProductSource, SAMPLE_INPUT } from '../../helpers/sandbox-harness.ts'
import type { UnitTables, WireTable } from '../../../runtime/sandbox/wire.ts'

const harness = createSandboxHarness(1)
afterAll(() => harness.close())

const BATCH_SOURCE = `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'batch-sum', version: '1.0.0', kind: 'dataset', title: '汇总', category: '公共治理', description: 'sum',
  scenario: { purpose: 'test', tables: { facts: { key: 'k', fields: { amount: 'a', district: 'd', day: 'x' } } } },
  unit: 'facts',
  aggregates: { sums: { by: { district: { values: ['金安区', '裕安区', '叶集区'] } }, measures: { total: { sum: { min: 0, max: 1e9 } } } } },
  input: t.object({}),
  output: t.object({ n: t.integer() }),
  classify(unit) {
    const c = unit.columns('facts')
    const amount = c.number('amount')
    const district = c.text('district')
    const day = c.date('day')
    let total = 0, nulls = 0, maxDay = -1
    for (let i = 0; i < c.length; i++) {
      if (Number.isNaN(amount[i])) nulls++
      else total += amount[i]
      if (day[i] > maxDay) maxDay = day[i]
    }
    const rows = unit.rows('facts')
    return { aggregates: { sums: { by: { district: district.value(0) ?? '金安区' }, values: { total } } }, row: null, check: [c.length, total, nulls, maxDay, rows.length, rows[0]?.day ?? null] } as any
  },
  run(ctx) { return { n: ctx.units } },
})`

/** `units` units, unit u with u % 4 rows of facts (some units have none). */
function facts(units: number): UnitTables {
  const offsets = new Int32Array(units + 1)
  for (let u = 0; u < units; u++) offsets[u + 1] = offsets[u]! + (u % 4)
  const n = offsets[units]!
  const values = new Float64Array(n)
  const codes = new Int32Array(n)
  const days = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    values[i] = i % 97 === 0 ? NaN : (i % 1000) / 4
    codes[i] = i % 3
    days[i] = 20000 + (i % 365)
  }
  const data: WireTable = { length: n, columns: { amount: { kind: 'number', values }, district: { kind: 'text', codes, dictionary: ['金安区', '裕安区', '叶集区'] }, day: { kind: 'date', days } } }
  return { units, tables: new Map([['facts', { data, offsets }]]) }
}

describe('the sandbox pool', () => {
  it('classifies every unit over its own rows, across chunks, with the same result as the host', async () => {
    const product = await harness.load(BATCH_SOURCE.replace("row: null, check:", "check:"))
    const units = facts(5001)
    const outcome = await harness.classify(product, {}, units)
    // the product returns an undeclared member: the host reads it here only because the harness returns raw results
    expect(outcome.ok).toBe(true)
    const results = (outcome as { output: { check: unknown[] }[] }).output
    expect(results).toHaveLength(5001)
    const { data, offsets } = units.tables.get('facts')!
    const amount = (data.columns.amount as { values: Float64Array }).values
    const days = (data.columns.day as { days: Int32Array }).days
    for (const u of [0, 1, 2, 3, 2047, 2048, 2049, 5000]) {
      let total = 0
      let nulls = 0
      let maxDay = -1
      for (let i = offsets[u]!; i < offsets[u + 1]!; i++) {
        if (Number.isNaN(amount[i]!)) nulls++
        else total += amount[i]!
        maxDay = Math.max(maxDay, days[i]!)
      }
      const length = offsets[u + 1]! - offsets[u]!
      const firstDay = length === 0 ? null : new Date(days[offsets[u]!]! * 86_400_000).toISOString().slice(0, 10)
      expect(results[u]!.check, `unit ${u}`).toEqual([length, total, nulls, maxDay, length, firstDay])
    }
  })

  it('refuses a table or a field outside the scenario in a classification with ERR_VIEW_COLUMN_DENIED', async () => {
    const table = await harness.load(BATCH_SOURCE.replace("unit.columns('facts')", "unit.columns('secret')"))
    expect(await harness.classify(table, {}, facts(10))).toMatchObject({ ok: false, code: 'ERR_VIEW_COLUMN_DENIED' })
    const field = await harness.load(BATCH_SOURCE.replace("c.number('amount')", "c.number('salary')"))
    expect(await harness.classify(field, {}, facts(10))).toMatchObject({ ok: false, code: 'ERR_VIEW_COLUMN_DENIED' })
  })

  it('runs a batch product\'s run over released results only', async () => {
    const product = await harness.load(BATCH_SOURCE)
    expect(await harness.finish(product, {}, { units: 7, aggregates: {}, rows: null })).toMatchObject({ ok: true, output: { n: 7 } })
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
