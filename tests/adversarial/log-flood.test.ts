import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// 1e6 calls of ctx.log with a 1 MB string each.
describe('attack: ctx.log flooding', () => {
  it('logs are bounded to 64 lines of 500 characters on success', async () => {
    const evil = await harness.load(apiProductSource(`
      const line = 'LOG-' + 'L'.repeat(1024 * 1024)
      for (let i = 0; i < 1e6; i++) ctx.log(line)
      return { value: ctx.rows('enterprise_basic')[0].status }
    `), UNHURRIED_LIMITS)
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome.ok).toBe(true)
    const logs = outcome.ok ? outcome.logs : []
    expect(logs).toHaveLength(64)
    for (const line of logs) {
      expect(line).toHaveLength(500)
      expect(line.startsWith('LOG-')).toBe(true)
    }
  }, 30_000)

  it('and on failure: bounded, in diagnostics only, never in the serialized error', async () => {
    const evil = await harness.load(apiProductSource(`
      for (let i = 0; i < 1e5; i++) ctx.log('FLOODLOG-' + i + '-' + 'L'.repeat(600))
      throw new Error('after the flood')
    `), UNHURRIED_LIMITS)
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    const logs = diagnosticsOf(failure).logs
    expect(logs).toHaveLength(64)
    expect(logs[63]?.startsWith('FLOODLOG-63-')).toBe(true)
    for (const line of logs) expect(line.length).toBeLessThanOrEqual(500)
    expect(serialized(failure)).not.toContain('FLOODLOG')
    await expectStillServes(harness)
  }, 30_000)
})
