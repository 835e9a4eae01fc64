import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The run returns a good value but leaves a self-renewing microtask chain behind: the microtask
// checkpoint after the call never ends. It must be cut by the CPU limit, not run forever.
const BODY = `
  Promise.resolve().then(function f() { Promise.resolve().then(f) })
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: infinite microtask loop in a promise chain', () => {
  it('ends with ERR_SANDBOX_TIMEOUT (the value computed before it is not released), and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
  }, 30_000)
})
