import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The product replaces JSON.stringify / JSON.parse in its context with ones that return a 5 MB
// string or a forged value. The prelude captured the intrinsics before partner code ran, so the
// output is serialized by the real JSON; and the replacement stays in this consumer's context.
const BODY = `
  const before = String(JSON.stringify).includes('[native code]') && String(JSON.parse).includes('[native code]')
  if (input.uscc === 'POLLUTE') {
    ;(JSON as any).stringify = () => 'J'.repeat(5 * 1024 * 1024)
    ;(JSON as any).parse = () => ({ value: 'forged-by-parse' })
  }
  return { value: (before ? 'native:' : 'replaced:') + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: overwrite JSON.stringify to return a huge string', () => {
  it('the output is serialized by the real JSON, and the replacement never reaches another consumer', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    // bank-a replaces JSON; its own output is still serialized correctly
    expect(expectOutput(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'), 'bank-a'))).toEqual({ value: 'native:A' })
    // bank-b's context is untouched
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B'), 'bank-b'))).toEqual({ value: 'native:B' })
    // bank-a's own context does keep it (proves the pollution happened)
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2'), 'bank-a'))).toEqual({ value: 'replaced:A2' })
    await expectStillServes(harness)
  }, 30_000)
})
