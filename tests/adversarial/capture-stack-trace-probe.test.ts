import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Error.captureStackTrace shows the frames of the call: it must show nothing of the host (no file
// path, no node_modules, no isolated-vm, no worker). Raising Error.stackTraceLimit is refused (the
// realm is sealed); the default limit shows every frame of a product's call all the same.
describe('attack: Error.captureStackTrace', () => {
  it('a captured stack names only product.js and the prelude', async () => {
    const probe = await harness.load(apiProductSource(`
      let raised = 'raised'
      try { ;(Error as any).stackTraceLimit = Infinity } catch { raised = 'refused' }
      const o: any = {}
      Error.captureStackTrace(o)
      return { value: raised + '\\n' + String(o.stack) }
    `))
    const stack = (expectOutput(await harness.invoke(probe, SAMPLE_INPUT)) as { value: string }).value
    expect(stack.startsWith('refused\n')).toBe(true)
    const files = [...stack.matchAll(/\((.+?):\d+:\d+\)/g)].map((m) => m[1])
    expect(files.length).toBeGreaterThanOrEqual(2)
    expect(new Set(files)).toEqual(new Set(['product.js', 'indomain:prelude.js']))
    expect(stack).not.toMatch(/\/work\/|node_modules|isolated-vm|worker-main|file:\/\//)
  }, 30_000)

  it('capturing onto the frozen ctx ends with ERR_SANDBOX_THREW, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`Error.captureStackTrace(ctx); return { value: String((ctx as any).stack) }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    await expectStillServes(harness)
  }, 30_000)
})
