import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: queueMicrotask loop', () => {
  it('queueMicrotask does not exist in the isolate', async () => {
    const probe = await harness.load(apiProductSource('return { value: typeof (globalThis as any).queueMicrotask + "|" + ("queueMicrotask" in globalThis) }'))
    expect(expectOutput(await harness.invoke(probe, SAMPLE_INPUT))).toEqual({ value: 'undefined|false' })
  }, 30_000)

  it('calling it ends with ERR_SANDBOX_THREW, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource('const q: any = (globalThis as any).queueMicrotask; q(function f() { q(f) }); return { value: "queued" }'))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    await expectStillServes(harness)
  }, 30_000)
})
