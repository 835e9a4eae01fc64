import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// new Array(1e8) is a dictionary-mode array; fill(0) runs in one builtin that does not yield to
// the CPU-time interrupt, so the wall-clock supervisor (wallMs 4 s) or the memory limit ends it.
describe('attack: new Array(1e8).fill(0)', () => {
  it('ends with ERR_SANDBOX_TIMEOUT or ERR_SANDBOX_MEMORY within seconds, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`const a = new Array(1e8).fill(0); return { value: String(a.length) }`))
    const started = Date.now()
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(['ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_MEMORY']).toContain(outcome.ok ? 'ok' : outcome.code)
    await expectStillServes(harness)
  }, 30_000)
})
