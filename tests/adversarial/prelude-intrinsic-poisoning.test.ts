import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A product poisons Date.parse (which lands on the real Date behind the prelude's Date proxy)
// hoping the NEXT call of the same consumer breaks inside the prelude, before partner code runs.
// The prelude calls only intrinsics it captured before any partner code ran (through
// Reflect.apply), so the poisoning does not reach it: the next call is served normally.
const BODY = `
  if (input.uscc === 'POLLUTE') {
    ;(Date as any).parse = function () { throw new Error('parse-poisoned-66') }
    return { value: 'armed' }
  }
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: poisoning intrinsics the prelude uses on the next call', () => {
  it('the next call of the poisoned consumer is served normally: the prelude never uses the poisoned intrinsic', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'), 'bank-a'))).toEqual({ value: 'armed' })
    const outcome = await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2'), 'bank-a')
    expect(outcome).toMatchObject({ ok: true, output: { value: 'A2' } })
    expect(JSON.stringify(outcome)).not.toContain('parse-poisoned-66')
  }, 30_000)

  it('another consumer is not affected, and a normal product is still served', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B'), 'bank-b'))).toEqual({ value: 'B' })
    await expectStillServes(harness)
  }, 30_000)
})
