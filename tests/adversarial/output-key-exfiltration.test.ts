import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The output schema check reports each unexpected property as "/<key>: is not allowed" in the
// error's details.problems, which toJSON releases to the caller. The key is partner text: a
// product can put data it read (here the row's company name and status) into a property name and
// have it delivered inside a refusal, past every release check.
const BODY = `
  const row = ctx.rows('enterprise_basic')[0]
  return { value: null, ['EXFIL ' + row.name + ' ' + row.status + ' 110101199003077777']: 1 }
`

describe('attack: data smuggled in the name of an unexpected output property', () => {
  it('ends with ERR_SANDBOX_INVALID_OUTPUT whose serialized form holds none of the key', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(serialized(failure)).not.toContain('EXFIL')
    expect(serialized(failure)).not.toContain('六安恒信商贸有限公司')
    expect(serialized(failure)).not.toContain('110101199003077777')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
