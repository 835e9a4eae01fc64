import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: infinite loop', () => {
  it('a synchronous infinite loop ends with ERR_SANDBOX_TIMEOUT and the next run still works', async () => {
    const evil = await harness.load(apiProductSource('for (;;) {}'))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome).toMatchObject({ ok: false, code: 'ERR_SANDBOX_TIMEOUT' })
    const good = await harness.load(apiProductSource('return { value: ctx.rows("enterprise_basic")[0].status }'))
    expect(await harness.invoke(good, SAMPLE_INPUT)).toMatchObject({ ok: true, output: { value: '存续' } })
    // the looping product itself gets a fresh isolate and fails the same way, not worse
    expect(await harness.invoke(evil, SAMPLE_INPUT)).toMatchObject({ ok: false, code: 'ERR_SANDBOX_TIMEOUT' })
  })
})
