import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { DEFAULT_LIMITS } from '../../runtime/sandbox/limits.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// 'x'.repeat(3e8) is a cheap rope; indexOf flattens it into one 300 MB sequential string in
// V8's large-object space. The isolate's memoryLimit is 64 MB, and limits.ts promises that every
// limit is enforced with a typed error; the single allocation of ~5x the limit must not succeed
// (and must not be kept warm in the consumer's context between calls).
const BODY = `
  const s = 'x'.repeat(3e8)
  const found = s.indexOf('#')
  return { value: 'flattened ' + s.length + ' chars, indexOf ' + found }
`

describe('attack: one flattened 300 MB string under a 64 MB isolate limit', () => {
  it('ends with ERR_SANDBOX_MEMORY, and again on the next call (nothing is kept)', async () => {
    expect(DEFAULT_LIMITS.memoryMb).toBe(64)
    const evil = await harness.load(apiProductSource(BODY), UNHURRIED_LIMITS)
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome).not.toMatchObject({ ok: true })
    expect(outcome.ok ? 'ok' : outcome.code).toBe('ERR_SANDBOX_MEMORY')
    // a second call starts clean and fails the same way: it is not served from a 300 MB leftover
    const again = await harness.invoke(evil, SAMPLE_INPUT)
    expect(again.ok ? 'ok' : again.code).toBe('ERR_SANDBOX_MEMORY')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
