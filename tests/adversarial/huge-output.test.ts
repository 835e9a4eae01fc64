import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: a 10 MB output', () => {
  it('ends with ERR_SANDBOX_OUTPUT_TOO_LARGE, none of it copied into the error, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`return { value: 'HUGE-OUT-' + 'x'.repeat(10 * 1024 * 1024) }`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_OUTPUT_TOO_LARGE')
    expect(serialized(failure)).not.toContain('HUGE-OUT-')
    expect(serialized(failure).length).toBeLessThan(1000)
    await expectStillServes(harness)
  }, 30_000)

  it('an output of 10 MB made of many small values is refused the same way', async () => {
    // building and measuring 10 MB costs CPU: under the unhurried limits the size check, not the
    // 1 s CPU limit of a loaded machine, is what ends it
    const evil = await harness.load(apiProductSource(`return { value: null, list: Array.from({ length: 100000 }, (_, i) => 'v'.repeat(100) + i) }`), UNHURRIED_LIMITS)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_OUTPUT_TOO_LARGE')
  }, 30_000)
})
