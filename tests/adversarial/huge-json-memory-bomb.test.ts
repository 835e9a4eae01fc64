import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: building huge JSON', () => {
  it('a million objects serialized three times ends with ERR_SANDBOX_MEMORY, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`
      const a: any[] = []
      for (let i = 0; i < 1e6; i++) a.push({ i, s: 'abcdefghij' + i })
      const s = JSON.stringify(a) + JSON.stringify(a) + JSON.stringify(a)
      return { value: String(s.length) }
    `), UNHURRIED_LIMITS)
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome.ok ? 'ok' : outcome.code).toBe('ERR_SANDBOX_MEMORY')
    await expectStillServes(harness)
  }, 30_000)
})
