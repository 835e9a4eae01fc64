import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The product replaces JSON.stringify / JSON.parse with ones that return a 5 MB string or a forged
// value. The realm is sealed (the replacement is refused); and the prelude captured the intrinsics
// before partner code ran in any case, so the output is serialized by the real JSON.
const BODY = `
  let refused = 0
  if (input.uscc === 'POLLUTE') {
    try { ;(JSON as any).stringify = () => 'J'.repeat(5 * 1024 * 1024) } catch { refused++ }
    try { ;(JSON as any).parse = () => ({ value: 'forged-by-parse' }) } catch { refused++ }
  }
  const native = String(JSON.stringify).includes('[native code]') && String(JSON.parse).includes('[native code]')
  return { value: (native ? 'native:' : 'replaced:') + refused + ':' + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: overwrite JSON.stringify to return a huge string', () => {
  it('the replacement is refused, the output is serialized by the real JSON, now and next time', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    // both replacements were attempted and refused
    expect(expectOutput(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A')))).toEqual({ value: 'native:2:A' })
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2')))).toEqual({ value: 'native:0:A2' })
    await expectStillServes(harness)
  }, 30_000)
})
