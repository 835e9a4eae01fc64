import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A thrown Proxy whose every trap throws partner text: the runtime must describe it without
// trusting it, and none of the trap text may reach the serialized error.
const BODY = `
  const boom = () => { throw new Error('proxy-trap-secret-3141') }
  throw new Proxy({}, { get: boom, has: boom, getPrototypeOf: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, apply: boom })
`

describe('attack: throwing a Proxy whose traps throw', () => {
  it('ends with ERR_SANDBOX_THREW and an "unprintable" description, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(serialized(failure)).not.toContain('proxy-trap-secret-3141')
    expect(diagnosticsOf(failure).message).toMatch(/unprintable/)
    await expectStillServes(harness)
  }, 30_000)

  it('a revoked Proxy thrown is typed the same way', async () => {
    const evil = await harness.load(apiProductSource(`const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); throw proxy`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
  }, 30_000)
})
