import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Error.prepareStackTrace receives structured CallSites: getThis() / getFunction() of every frame
// could hand out the receivers and functions of the runtime's frames (the classic way to a host
// object). Walk every frame and everything reachable from it.
const PROBE = `
  const frames: any[] = []
  ;(Error as any).prepareStackTrace = (_e: unknown, callSites: any[]) => { frames.push(...callSites); return 'formatted' }
  void new Error('probe').stack
  ;(Error as any).prepareStackTrace = undefined
  const report = frames.map((f) => {
    const self = f.getThis()
    const fn = f.getFunction()
    const reach = [self, fn].filter((x) => x !== undefined && x !== null)
    const hostly = reach.some((x) => ['process', 'require', 'Buffer', 'module'].some((k) => { try { return x[k] !== undefined || (typeof x === 'function' && x.constructor('return typeof process')() !== 'undefined') } catch { return false } }))
    return { file: f.getFileName(), fn: f.getFunctionName(), hasThis: self !== undefined, hasFn: fn !== undefined, hostly }
  })
  return { value: JSON.stringify(report) }
`

describe('attack: Error.prepareStackTrace CallSite walking', () => {
  it('frames are only product.js and the prelude; the prelude frames hide this and function; nothing host-like', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(probe, SAMPLE_INPUT)) as { value: string }).value
    const frames = JSON.parse(value) as { file: string; fn: string | null; hasThis: boolean; hasFn: boolean; hostly: boolean }[]
    expect(frames.length).toBeGreaterThanOrEqual(2)
    for (const f of frames) {
      expect(['product.js', 'indomain:prelude.js']).toContain(f.file)
      expect(f.hostly).toBe(false)
      if (f.file === 'indomain:prelude.js') expect({ hasThis: f.hasThis, hasFn: f.hasFn }).toEqual({ hasThis: false, hasFn: false })
    }
    expect(frames[0]).toMatchObject({ file: 'product.js', fn: 'run' })
    expect(frames.some((f) => f.file === 'indomain:prelude.js')).toBe(true)
    await expectStillServes(harness)
  }, 30_000)
})
