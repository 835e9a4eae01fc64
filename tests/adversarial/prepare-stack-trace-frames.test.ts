import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Error.prepareStackTrace would receive structured CallSites: getThis() / getFunction() of every
// frame could hand out the receivers and functions of the runtime's frames (the classic way to a
// host object). In the sealed realm the hook cannot be installed, by assignment or by
// defineProperty, so stacks stay plain strings — and name only the product and the prelude.
const PROBE = `
  const attempts = [
    () => { ;(Error as any).prepareStackTrace = (_e: unknown, sites: any[]) => sites },
    () => Object.defineProperty(Error, 'prepareStackTrace', { value: (_e: unknown, sites: any[]) => sites }),
    () => Reflect.set(Error, 'prepareStackTrace', () => 'x') || (() => { throw new TypeError('not set') })(),
  ]
  const outcomes = attempts.map((attempt) => { try { attempt(); return 'installed' } catch (e) { return e instanceof TypeError ? 'refused' : 'other' } })
  const stack = new Error('probe').stack
  return { value: JSON.stringify({ outcomes, hook: typeof (Error as any).prepareStackTrace, stackType: typeof stack, stack }) }
`

describe('attack: Error.prepareStackTrace CallSite walking', () => {
  it('the hook cannot be installed; stacks are strings that name only product.js and the prelude', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    const value = JSON.parse((expectOutput(await harness.invoke(probe, SAMPLE_INPUT)) as { value: string }).value) as { outcomes: string[]; hook: string; stackType: string; stack: string }
    expect(value.outcomes).toEqual(['refused', 'refused', 'refused'])
    expect(value.hook).toBe('undefined')
    expect(value.stackType).toBe('string')
    const files = [...value.stack.matchAll(/\((.+?):\d+:\d+\)/g)].map((m) => m[1])
    expect(files.length).toBeGreaterThanOrEqual(2)
    expect(new Set(files)).toEqual(new Set(['product.js', 'indomain:prelude.js']))
    expect(value.stack).not.toMatch(/\/work\/|node_modules|isolated-vm|worker-main|file:\/\//)
    await expectStillServes(harness)
  }, 30_000)
})
