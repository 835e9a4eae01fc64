import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: a cyclic output', () => {
  it('ends with ERR_SANDBOX_INVALID_OUTPUT (circular structure), and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`const o: any = { value: 'x' }; o.self = { back: o }; return o`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(diagnosticsOf(failure).message).toMatch(/circular/i)
    await expectStillServes(harness)
  }, 30_000)
})
