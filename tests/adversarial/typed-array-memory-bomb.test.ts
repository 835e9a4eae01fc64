import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Array buffers live outside the V8 heap; isolated-vm's allocator counts them against memoryMb.
describe('attack: typed-array memory bombs', () => {
  it('new Float64Array(1e9) (8 GB) is refused: ERR_SANDBOX_THREW (allocation failed)', async () => {
    const evil = await harness.load(apiProductSource(`const a = new Float64Array(1e9); return { value: String(a.length) }`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).message).toBe('Array buffer allocation failed')
  }, 30_000)

  it('many 8 MB arrays, each touched, stop at the isolate limit long before the worker cap', async () => {
    const evil = await harness.load(apiProductSource(`const keep: Float64Array[] = []; for (;;) keep.push(new Float64Array(1e6).fill(1))`))
    const restarts = harness.pool.restarts
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).message).toBe('Array buffer allocation failed')
    expect(harness.pool.restarts).toBe(restarts)
    await expectStillServes(harness)
  }, 30_000)
})
