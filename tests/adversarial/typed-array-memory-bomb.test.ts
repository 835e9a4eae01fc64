import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Array buffers live outside the V8 heap; isolated-vm's allocator counts them against memoryMb and
// refuses past it. The refusal is the engine's, seen by the sealed realm's allocation guard: the
// run ends ERR_SANDBOX_MEMORY even when the product catches the error and carries on.
describe('attack: typed-array memory bombs', () => {
  it('new Float64Array(1e9) (8 GB, preallocated) is refused: ERR_SANDBOX_MEMORY', async () => {
    const evil = await harness.load(apiProductSource(`const a = new Float64Array(1e9); return { value: String(a.length) }`), UNHURRIED_LIMITS)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_MEMORY')
  }, 30_000)

  it('a refused allocation the product catches is still a memory failure', async () => {
    const evil = await harness.load(apiProductSource(`try { new ArrayBuffer(2 ** 33) } catch {} return { value: 'carried on' }`), UNHURRIED_LIMITS)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_MEMORY')
  }, 30_000)

  it('positive control: a RangeError the product makes itself, with the same message, is its own exception', async () => {
    const evil = await harness.load(apiProductSource(`throw new RangeError('Array buffer allocation failed')`), UNHURRIED_LIMITS)
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).message).toBe('Array buffer allocation failed')
  }, 30_000)

  it('many 8 MB arrays, each touched, stop at the isolate limit long before the worker cap', async () => {
    const evil = await harness.load(apiProductSource(`const keep: Float64Array[] = []; for (;;) keep.push(new Float64Array(1e6).fill(1))`), UNHURRIED_LIMITS)
    const restarts = harness.pool.restarts
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_MEMORY')
    expect(harness.pool.restarts).toBe(restarts)
    await expectStillServes(harness)
  }, 30_000)
})
