import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectOutput, expectStillServes, serialized } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: a Proxy as the output', () => {
  it('an ownKeys trap that throws: ERR_SANDBOX_INVALID_OUTPUT, its text in diagnostics only', async () => {
    const evil = await harness.load(apiProductSource(`return new Proxy({ value: 'x' }, { ownKeys() { throw new Error('ownkeys-secret-5150') } })`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(diagnosticsOf(failure).message).toBe('ownkeys-secret-5150')
    expect(serialized(failure)).not.toContain('ownkeys-secret-5150')
  }, 30_000)

  it('a get trap that answers differently on every read: the host checks and releases exactly one serialization', async () => {
    const evil = await harness.load(apiProductSource(`
      let reads = 0
      return new Proxy({ value: 'x' }, { get(t, k) { if (k === 'value') return reads++ === 0 ? '存续' : 'SECOND-READ-' + 'y'.repeat(200000); return (t as any)[k] } })
    `))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT))).toEqual({ value: '存续' })
  }, 30_000)

  it('a get trap that makes `then` a function: treated as async, ERR_SANDBOX_INVALID_OUTPUT', async () => {
    const evil = await harness.load(apiProductSource(`return new Proxy({ value: 'x' }, { get(t, k) { return k === 'then' ? () => undefined : (t as any)[k] } })`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
  }, 30_000)

  it('an ownKeys trap that loops: ERR_SANDBOX_TIMEOUT, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`return new Proxy({ value: 'x' }, { ownKeys() { for (;;) {} } })`))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)
})
