import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT, UNHURRIED_LIMITS } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: string doubling', () => {
  // a rope: each step is one small node, so nothing is exhausted; the engine refuses the length
  // (2^29 characters) after some thirty steps, microseconds in: the product's own exception
  it('s += s forever ends with ERR_SANDBOX_THREW (Invalid string length, no memory used), and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`let s = 'x'; for (;;) s += s`), UNHURRIED_LIMITS)
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).message).toBe('Invalid string length')
    await expectStillServes(harness)
  }, 30_000)

  it('doubling through repeat() is refused by the engine: ERR_SANDBOX_MEMORY', async () => {
    const evil = await harness.load(apiProductSource(`let s = 'x'; for (;;) s = s.repeat(2)`), UNHURRIED_LIMITS)
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_MEMORY')
  }, 30_000)

  it('doubling with a kept flat copy of every step (no rope sharing) ends with ERR_SANDBOX_MEMORY', async () => {
    const evil = await harness.load(apiProductSource(`const keep: string[] = []; let s = 'x'; for (;;) { s = s + s; keep.push(s.split('').reverse().join('')) }`), UNHURRIED_LIMITS)
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome.ok ? 'ok' : outcome.code).toBe('ERR_SANDBOX_MEMORY')
    await expectStillServes(harness)
  }, 30_000)
})
