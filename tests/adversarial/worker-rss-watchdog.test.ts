import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { DEFAULT_LIMITS } from '../../runtime/sandbox/limits.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The last line of defence: a product version whose isolate limit is generous (2 GB) but whose
// worker cap is 300 MB touches 800 MB of typed arrays. The supervisor's RSS watchdog must kill the
// worker and answer ERR_SANDBOX_MEMORY; the replacement worker serves the next call.
const LIMITS = { ...DEFAULT_LIMITS, memoryMb: 2048, cpuMs: 5000, wallMs: 8000, workerRssMb: 300 }
const BODY = `
  const keep: Float64Array[] = []
  for (let i = 0; i < 16; i++) keep.push(new Float64Array(50 * 131072).fill(i))
  return { value: String(keep.length) }
`

describe('attack: going over the worker resident-memory cap', () => {
  it('the watchdog kills the worker: ERR_SANDBOX_MEMORY, one restart, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(BODY), LIMITS)
    const restarts = harness.pool.restarts
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_MEMORY')
    expect(harness.pool.restarts).toBe(restarts + 1)
    await expectStillServes(harness)
  }, 30_000)
})
