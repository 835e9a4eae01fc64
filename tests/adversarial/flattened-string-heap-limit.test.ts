import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { DEFAULT_LIMITS } from '../../runtime/sandbox/limits.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// 'x'.repeat(3e8) is a cheap rope; indexOf flattens it into one 300 MB sequential string in
// V8's large-object space. The isolate's memoryLimit is 64 MB, and limits.ts promises that every
// limit is enforced with a typed error; the single allocation of ~5x the limit must not succeed
// (and must not be kept warm in the consumer's context between calls).
const BODY = `
  const g: any = globalThis
  const s = 'x'.repeat(3e8)
  const found = s.indexOf('#')
  g.keep = s
  return { value: 'flattened ' + s.length + ' chars, indexOf ' + found }
`

describe('attack: one flattened 300 MB string under a 64 MB isolate limit', () => {
  it('ends with a typed limit error (memory, or CPU time when flattening is slow) and is not kept warm', async () => {
    expect(DEFAULT_LIMITS.memoryMb).toBe(64)
    const evil = await harness.load(apiProductSource(BODY))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome).not.toMatchObject({ ok: true })
    expect(['ERR_SANDBOX_MEMORY', 'ERR_SANDBOX_TIMEOUT']).toContain(outcome.ok ? 'ok' : outcome.code)
    // the isolate was disposed: a second call starts clean and fails the same way, it is not served from a warm 300 MB context
    const again = await harness.invoke(evil, SAMPLE_INPUT)
    expect(['ERR_SANDBOX_MEMORY', 'ERR_SANDBOX_TIMEOUT']).toContain(again.ok ? 'ok' : again.code)
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
