import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// household_registration (户籍信息) is not in the product's scenario. Asking for it must fail
// the run with a typed, partner-blamed error, and the rows handed in must hold nothing of it.
const DENIED_CODES = ['ERR_VIEW_COLUMN_DENIED', 'ERR_SANDBOX_THREW']

describe('attack: ctx.rows of a table outside the scenario', () => {
  it("ctx.rows('household_registration') ends the run with a typed denial", async () => {
    const evil = await harness.load(apiProductSource(`return { value: JSON.stringify(ctx.rows('household_registration')) }`))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome.ok).toBe(false)
    expect(DENIED_CODES).toContain(outcome.ok ? 'ok' : outcome.code)
    expect(outcome.ok ? undefined : (outcome.error as { blame?: string }).blame).toBe('partner')
  }, 30_000)

  it('inherited and odd table names are denied the same way (__proto__, constructor, toString, a non-string)', async () => {
    const evil = await harness.load(apiProductSource(`
      const names: any[] = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', { toString: () => 'enterprise_basic' }]
      const results = names.map((n) => { try { return 'GOT:' + JSON.stringify(ctx.rows(n)) } catch { return 'denied' } })
      return { value: results.join('|') }
    `))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT))).toEqual({ value: 'denied|denied|denied|denied|denied' })
    await expectStillServes(harness)
  }, 30_000)

  it('ctx.columns denies the same tables and fields, and names that are not its own', async () => {
    const evil = await harness.load(apiProductSource(`
      const names: any[] = ['household_registration', '__proto__', 'constructor', { toString: () => 'enterprise_basic' }]
      const tables = names.map((n) => { try { ctx.columns(n); return 'GOT' } catch { return 'denied' } })
      const basic = ctx.columns('enterprise_basic')
      const fields: any[] = ['legal_rep_id', '__proto__', 'hasOwnProperty', { toString: () => 'name' }]
      const got = fields.map((f) => { try { basic.text(f); return 'GOT' } catch { return 'denied' } })
      return { value: tables.join('|') + '/' + got.join('|') + '/' + basic.has('legal_rep_id') + basic.has('name') }
    `))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT))).toEqual({ value: 'denied|denied|denied|denied/denied|denied|denied|denied/falsetrue' })
    await expectStillServes(harness)
  }, 30_000)
})
