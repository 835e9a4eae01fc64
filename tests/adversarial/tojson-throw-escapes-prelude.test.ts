import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A toJSON that throws makes serializing the output throw, and a throwing Object.prototype.toJSON
// would make the prelude's own envelope throw. The first is a partner fault the prelude reports
// (ERR_SANDBOX_INVALID_OUTPUT, blame partner — never ERR_SANDBOX_CRASHED, blame runtime, "may be
// retried"); the second cannot happen: the realm is sealed and the assignment throws.
const OWN = `return { value: 'x', nested: { toJSON() { throw new Error('tojson-secret-55') } } }`
const PROTOTYPE = `
  if (input.uscc === 'POLLUTE') (Object.prototype as any).toJSON = function () { throw new Error('tojson-secret-55') }
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: a toJSON that throws', () => {
  it('on the output: a partner-blamed ERR_SANDBOX_INVALID_OUTPUT whose serialized form holds no partner text', async () => {
    const evil = await harness.load(apiProductSource(OWN))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect((failure.error as { blame?: string }).blame).toBe('partner')
    expect(JSON.stringify(failure.error)).not.toContain('tojson-secret-55')
  }, 30_000)

  it('on Object.prototype: refused (ERR_SANDBOX_THREW); the next call and a normal product are served', async () => {
    const evil = await harness.load(apiProductSource(PROTOTYPE))
    const failure = expectFailure(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A')), 'ERR_SANDBOX_THREW')
    expect(JSON.stringify(failure.error)).not.toContain('tojson-secret-55')
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B')))).toEqual({ value: 'B' })
    await expectStillServes(harness)
  }, 30_000)
})
