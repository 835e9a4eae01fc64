import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: run returns a Promise', () => {
  it('a resolved promise is not awaited: ERR_SANDBOX_INVALID_OUTPUT, nothing of its value leaks', async () => {
    const evil = await harness.load(apiProductSource('return Promise.resolve({ value: "from-a-promise" })'))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    const failure = expectFailure(outcome, 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(JSON.stringify(failure.error)).not.toContain('from-a-promise')
    await expectStillServes(harness)
  }, 30_000)
})
