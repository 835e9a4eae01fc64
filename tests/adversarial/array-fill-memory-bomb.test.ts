import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// new Array(1e8) is a dictionary-mode array; fill(0) runs in one builtin that does not yield to
// the CPU-time interrupt. The worker's resident-memory watchdog (its size before the call plus
// three isolate limits) or the isolate's own limit ends it, as a memory failure, not a timeout.
describe('attack: new Array(1e8).fill(0)', () => {
  it('ends with ERR_SANDBOX_MEMORY, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`const a = new Array(1e8).fill(0); return { value: String(a.length) }`), UNHURRIED_LIMITS)
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome.ok ? 'ok' : outcome.code).toBe('ERR_SANDBOX_MEMORY')
    await expectStillServes(harness)
  }, 30_000)
})
