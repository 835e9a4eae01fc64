import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Object.prototype.toJSON returning a string would turn every serialized object, the runtime's own
// envelope included, into that string. The realm is sealed: the assignment throws, the run ends
// typed (ERR_SANDBOX_THREW), and nothing is polluted for this execution or the next.
const BODY = `
  if (input.uscc === 'POLLUTE') (Object.prototype as any).toJSON = function () { return 'POLLUTED' }
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: Object.prototype.toJSON pollution', () => {
  it('ends with ERR_SANDBOX_THREW for the polluting call only; the next call is served normally', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A')), 'ERR_SANDBOX_THREW')
    expect(JSON.stringify(failure.error)).not.toContain('POLLUTED')
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2')))).toEqual({ value: 'A2' })
    await expectStillServes(harness)
  }, 30_000)
})
