import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Object.prototype.toJSON that throws makes every JSON.stringify in the context throw, the
// prelude's own envelope included (its catch path stringifies again, unguarded). The prelude's
// contract is to always return an envelope, so this is a partner fault: ERR_SANDBOX_INVALID_OUTPUT
// (blame partner), never ERR_SANDBOX_CRASHED (blame runtime, status 503, "may be retried").
const BODY = `
  if (input.uscc === 'POLLUTE') (Object.prototype as any).toJSON = function () { throw new Error('tojson-secret-55') }
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: Object.prototype.toJSON that throws', () => {
  it('ends with a partner-blamed ERR_SANDBOX_INVALID_OUTPUT whose serialized form holds no partner text', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'), 'bank-a'), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect((failure.error as { blame?: string }).blame).toBe('partner')
    expect(JSON.stringify(failure.error)).not.toContain('tojson-secret-55')
  }, 30_000)

  it('another consumer of the same product is still served, and so is a normal product', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B'), 'bank-b'))).toEqual({ value: 'B' })
    await expectStillServes(harness)
  }, 30_000)
})
