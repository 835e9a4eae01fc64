import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Symbol.toStringTag feeds Object.prototype.toString ("[object <tag>]"): a 3 MB tag, a tag
// getter that throws partner text, and one that loops.
describe('attack: Symbol.toStringTag on thrown values', () => {
  it('a huge or throwing tag gives bounded diagnostics and no partner text in the serialized error', async () => {
    const evil = await harness.load(apiProductSource(`
      throw {
        message: { get [Symbol.toStringTag]() { return 'TAG-' + 'T'.repeat(3 * 1024 * 1024) } },
        stack: { get [Symbol.toStringTag]() { throw new Error('tag-secret-1618') } },
      }
    `))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    const d = diagnosticsOf(failure)
    expect(d.message?.startsWith('[object TAG-')).toBe(true)
    expect(d.message!.length).toBe(2000)
    expect(d.stack).toBe('[unprintable]')
    expect(serialized(failure)).not.toContain('TAG-')
    expect(serialized(failure)).not.toContain('tag-secret-1618')
  }, 30_000)

  it('a tag getter that loops ends with ERR_SANDBOX_TIMEOUT, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`throw { message: { get [Symbol.toStringTag](): string { for (;;) {} } } }`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)
})
