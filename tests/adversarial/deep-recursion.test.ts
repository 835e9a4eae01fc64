import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: unbounded recursion', () => {
  it('a stack overflow ends with ERR_SANDBOX_THREW (RangeError), not a crash, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`const f = (n: number): number => f(n + 1) + 1; return { value: String(f(0)) }`))
    const restarts = harness.pool.restarts
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).message).toBe('Maximum call stack size exceeded')
    expect(harness.pool.restarts).toBe(restarts)
    await expectStillServes(harness)
  }, 30_000)

  it('recursion that catches its own RangeError and recurses again still ends (TIMEOUT or THREW), never hangs', async () => {
    const evil = await harness.load(apiProductSource(`
      const f = (n: number): number => { try { return f(n + 1) } catch { return f(n + 1) } }
      return { value: String(f(0)) }
    `))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(['ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_THREW']).toContain(outcome.ok ? 'ok' : outcome.code)
    await expectStillServes(harness)
  }, 30_000)
})
