import { afterAll, describe, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: an output whose toJSON never returns', () => {
  it('ends with ERR_SANDBOX_TIMEOUT, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`return { value: 'x', toJSON() { for (;;) {} } }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)

  it('a nested toJSON that recurses forever ends with a typed error too (stack overflow → INVALID_OUTPUT)', async () => {
    const evil = await harness.load(apiProductSource(`const r: any = { toJSON(): any { return { value: r } } }; return r`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
  }, 30_000)
})
