import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A 20 MB message and a 20 MB stack must be cut inside the isolate. (The stack is the error's own
// property: Error.prepareStackTrace cannot be installed in the sealed realm.)
const BODY = `
  const e = new Error('HUGEMSG-' + 'h'.repeat(20 * 1024 * 1024))
  Object.defineProperty(e, 'stack', { value: 'HUGESTACK-' + 's'.repeat(20 * 1024 * 1024) })
  throw e
`

describe('attack: a 20 MB error message', () => {
  it('ends with ERR_SANDBOX_THREW; diagnostics are bounded (message ≤ 2000, stack ≤ 4000), the serialized error holds none of it', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    const d = diagnosticsOf(failure)
    expect(d.message?.startsWith('HUGEMSG-')).toBe(true)
    expect(d.message!.length).toBeLessThanOrEqual(2000)
    expect(d.stack?.startsWith('HUGESTACK-')).toBe(true)
    expect(d.stack!.length).toBeLessThanOrEqual(4000)
    expect(serialized(failure)).not.toContain('HUGEMSG')
    expect(serialized(failure)).not.toContain('HUGESTACK')
    await expectStillServes(harness)
  }, 30_000)
})
