import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Doubling an array by spreading it into a new one: every step allocates a fresh backing store
// twice the size of the last, in the V8 heap. The isolate's limit (or the worker's watchdog) ends
// it as a memory failure, within seconds, without waiting for the wall clock.
describe('attack: array spread doubling', () => {
  it('ends with ERR_SANDBOX_MEMORY, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`let a: number[] = [1]; for (;;) a = [...a, ...a]`), UNHURRIED_LIMITS)
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome.ok ? 'ok' : outcome.code).toBe('ERR_SANDBOX_MEMORY')
    await expectStillServes(harness)
  }, 30_000)
})
