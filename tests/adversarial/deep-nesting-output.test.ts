import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A million nested arrays (built iteratively, so building does not overflow) as the output:
// serialization inside the isolate overflows its stack; the host never sees the structure.
describe('attack: deeply nested output', () => {
  it('ends with ERR_SANDBOX_INVALID_OUTPUT (stack overflow while serializing), and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`let o: any = 'x'; for (let i = 0; i < 1e6; i++) o = [o]; return { value: o }`), UNHURRIED_LIMITS)
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(diagnosticsOf(failure).message).toBe('Maximum call stack size exceeded')
    await expectStillServes(harness)
  }, 30_000)

  it('nesting just small enough to serialize (5,000 levels) is refused by the schema check without harming the host', async () => {
    const evil = await harness.load(apiProductSource(`let o: any = 'x'; for (let i = 0; i < 5000; i++) o = { v: o }; return { value: o }`), UNHURRIED_LIMITS)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    await expectStillServes(harness)
  }, 30_000)
})
