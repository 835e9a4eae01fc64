import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Intl.DateTimeFormat#format() with no argument formats the engine's own %Date.now%, not the
// patched Date.now: the real wall clock. The invariant is "no clock finer than the as-of day".
const PROBE = `
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
  const parts = fmt.formatToParts().filter((p) => p.type !== 'literal').map((p) => p.value).join(' ')
  return { value: fmt.format() + ' / ' + parts }
`

describe('attack: reading the clock through Intl.DateTimeFormat', () => {
  it('format() and formatToParts() without a date show the as-of day at midnight, not the real time', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(probe, SAMPLE_INPUT)) as { value: string }).value
    expect(value).toBe('2025-12-31, 00:00:00 / 2025 12 31 00 00 00')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
