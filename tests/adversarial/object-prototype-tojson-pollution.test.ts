import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Object.prototype.toJSON returning a string turns every serialized object, the runtime's own
// envelope included, into that string. The run must end typed; the pollution must stay in the
// polluting consumer's context.
const BODY = `
  if (input.uscc === 'POLLUTE') (Object.prototype as any).toJSON = function () { return 'POLLUTED' }
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: Object.prototype.toJSON pollution', () => {
  it('ends with ERR_SANDBOX_INVALID_OUTPUT for the polluter only; another consumer is served normally', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'), 'bank-a'), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(JSON.stringify(failure.error)).not.toContain('POLLUTED')
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B'), 'bank-b'))).toEqual({ value: 'B' })
    // the polluter's own context stays polluted (the attack really happened)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A'), 'bank-a'), 'ERR_SANDBOX_INVALID_OUTPUT')
    await expectStillServes(harness)
  }, 30_000)
})
