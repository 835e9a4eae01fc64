import { afterAll, describe, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: a promise that never settles', () => {
  it('is not waited for: ERR_SANDBOX_INVALID_OUTPUT at once, twice in a row, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource('return new Promise(() => {})'))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    await expectStillServes(harness)
  }, 30_000)
})
