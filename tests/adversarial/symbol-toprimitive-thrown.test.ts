import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Symbol.toPrimitive decides what String(x) gives: a 1 MB string, a throw with partner text, or
// a non-string. The runtime converts message, stack and log lines with String(): they must stay
// bounded and the partner text must stay out of the serialized error.
const BODY = `
  const huge = { [Symbol.toPrimitive]() { return 'PRIM-' + 'p'.repeat(1024 * 1024) } }
  const throws = { [Symbol.toPrimitive]() { throw new Error('prim-secret-2718') } }
  const notString = { [Symbol.toPrimitive]() { return {} } }
  ctx.log(huge as any)
  ctx.log(throws as any)
  ctx.log(notString as any)
  throw { name: 'ProductError', code: huge, message: huge, stack: throws }
`

describe('attack: Symbol.toPrimitive on thrown values and log lines', () => {
  it('ends with ERR_SANDBOX_THREW, bounded diagnostics and logs, and no partner text in the serialized error', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    const d = diagnosticsOf(failure)
    expect(d.message?.startsWith('PRIM-')).toBe(true)
    expect(d.message!.length).toBe(2000)
    expect(d.stack).toBe('[unprintable]')
    expect(d.logs.map((l) => l.length)).toEqual([500, '[unprintable]'.length, '[unprintable]'.length])
    expect(serialized(failure)).not.toContain('PRIM-')
    expect(serialized(failure)).not.toContain('prim-secret-2718')
    // a non-string `code` is not released as a product code
    expect((failure.error as { details?: unknown }).details).toBeUndefined()
    await expectStillServes(harness)
  }, 30_000)
})
