import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A Map grown without end asks V8 for one large backing store near the heap limit: V8 gives up
// with a fatal out-of-memory instead of isolated-vm's graceful memory-limit error. Only the worker
// may suffer: the run ends typed, the worker is replaced, the pool serves on.
describe('attack: unbounded Map growth (V8 fatal OOM path)', () => {
  it('ends with a typed error, the worker is replaced, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`const m = new Map(); for (let i = 0; ; i++) m.set(i, i)`))
    // under the default limits: near its heap limit V8 collects garbage for ever, and only the CPU limit ends it
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    // memory when the map reached the isolate's limit; a crash when V8 aborted the worker for want of
    // memory; a timeout when, on a busy machine, the CPU time ran out before the map grew that far
    expect(['ERR_SANDBOX_MEMORY', 'ERR_SANDBOX_CRASHED', 'ERR_SANDBOX_TIMEOUT']).toContain(outcome.ok ? 'ok' : outcome.code)
    await expectStillServes(harness)
  }, 30_000)
})
