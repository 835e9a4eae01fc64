import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

const SECRET = 'getter-secret-六安-8812'

describe('attack: an output whose getter throws', () => {
  it('ends with ERR_SANDBOX_INVALID_OUTPUT; the message is in diagnostics only', async () => {
    const evil = await harness.load(apiProductSource(`return { get value(): string { throw new Error(${JSON.stringify(SECRET)}) } }`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(diagnosticsOf(failure).message).toBe(SECRET)
    expect(serialized(failure)).not.toContain(SECRET)
    expect(serialized(failure)).not.toContain('8812')
    await expectStillServes(harness)
  }, 30_000)

  it('a getter that throws a non-Error (a frozen null-prototype object) is typed the same way', async () => {
    const evil = await harness.load(apiProductSource(`return { get value(): string { throw Object.freeze(Object.create(null)) } }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
  }, 30_000)
})
