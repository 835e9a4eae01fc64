import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A thenable is treated as async (never resolved by the runtime), and its `then` getter cannot
// hang or break the runtime either.
describe('attack: run returns a thenable', () => {
  it('a plain thenable ends with ERR_SANDBOX_INVALID_OUTPUT and `then` is never called', async () => {
    // were `then` called (now or when microtasks run after the call), the run would never end
    const evil = await harness.load(apiProductSource(`
      return { value: 'x', then(resolve: any) { resolve({ value: 'thenable-resolved' }); for (;;) {} } }
    `))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(JSON.stringify(failure.error)).not.toContain('thenable-resolved')
  }, 30_000)

  it('a `then` getter that throws ends with ERR_SANDBOX_INVALID_OUTPUT, its text only in diagnostics', async () => {
    const evil = await harness.load(apiProductSource(`return { value: 'x', get then(): any { throw new Error('then-getter-secret-71') } }`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(JSON.stringify(failure.error)).not.toContain('then-getter-secret-71')
    expect((failure.error as { diagnostics: { message?: string } }).diagnostics.message).toBe('then-getter-secret-71')
  }, 30_000)

  it('a `then` getter that loops ends with ERR_SANDBOX_TIMEOUT, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`return { value: 'x', get then(): any { for (;;) {} } }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)
})
