import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A ProductError's code reaches the caller (details.productCode) and the SDK restricts it to
// /^[A-Z][A-Z0-9_]{0,39}$/. The prelude only checks `name === 'ProductError'` and a string code,
// so a hand-made object (or a ProductError whose code was reassigned) carries free text — here
// a resident-ID-shaped number and a company name — straight into the serialized error, past the
// release checks. Only codes in the SDK's format may be released.
const SECRET = '110101199003077777 六安恒信'

describe('attack: free text in a ProductError code', () => {
  it('a forged ProductError with a free-text code does not put that text in the serialized error', async () => {
    const evil = await harness.load(apiProductSource(`throw Object.assign(new Error('m'), { name: 'ProductError', code: ${JSON.stringify(SECRET)} })`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(serialized(failure)).not.toContain('110101199003077777')
    expect(serialized(failure)).not.toContain('六安恒信')
  }, 30_000)

  it('a real ProductError whose code was reassigned after construction is held to the same rule', async () => {
    const evil = await harness.load(apiProductSource(`const e: any = new ProductError('NOT_FOUND'); e.code = 'status is ' + ctx.rows('enterprise_basic')[0].status; throw e`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(serialized(failure)).not.toContain('存续')
    const code = (failure.error as { details?: { productCode?: unknown } }).details?.productCode
    if (code !== undefined) expect(code).toMatch(/^[A-Z][A-Z0-9_]{0,39}$/)
  }, 30_000)

  it('a well-formed ProductError code is released as designed, and the pool still serves', async () => {
    const ok = await harness.load(apiProductSource(`throw new ProductError('NOT_FOUND', 'private message')`))
    const failure = expectFailure(await harness.invoke(ok, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect((failure.error as { details?: unknown }).details).toEqual({ productCode: 'NOT_FOUND' })
    expect(serialized(failure)).not.toContain('private message')
    await expectStillServes(harness)
  }, 30_000)
})
