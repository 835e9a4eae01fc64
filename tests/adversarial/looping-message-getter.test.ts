import { afterAll, describe, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The runtime reads `message` of what was thrown: a getter that never returns must be cut by the
// CPU limit inside the isolate, not hang the worker or the host.
describe('attack: a thrown object whose message getter loops', () => {
  it('ends with ERR_SANDBOX_TIMEOUT, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`throw { name: 'ProductError', code: 'X', get message(): string { for (;;) {} } }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)

  it('an Error whose stack getter loops ends the same way', async () => {
    const evil = await harness.load(apiProductSource(`const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { for (;;) {} } }); throw e`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
  }, 30_000)
})
