import { afterAll, describe, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: an infinite loop in a getter read while serializing the output', () => {
  it('ends with ERR_SANDBOX_TIMEOUT (serialization runs inside the isolate, under its CPU limit)', async () => {
    const evil = await harness.load(apiProductSource(`return { get value(): string { for (;;) {} } }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)
})
