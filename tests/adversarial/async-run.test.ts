import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes, fullProductSource } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// `async run` returns a promise; the SDK says run is synchronous.
const SOURCE = fullProductSource({ run: 'return { value: "async-value" }' }).replace('run(ctx: any, input: any): any {', 'async run(ctx: any, input: any): Promise<any> {')

describe('attack: async run', () => {
  it('ends with ERR_SANDBOX_INVALID_OUTPUT and its resolved value never leaves', async () => {
    expect(SOURCE).toContain('async run(')
    const evil = await harness.load(SOURCE)
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(JSON.stringify(failure.error)).not.toContain('async-value')
    await expectStillServes(harness)
  }, 30_000)
})
