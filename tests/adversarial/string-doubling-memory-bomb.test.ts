import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: string doubling', () => {
  it('s += s forever ends with ERR_SANDBOX_THREW (Invalid string length), and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(`let s = 'x'; for (;;) s += s`))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).message).toBe('Invalid string length')
    await expectStillServes(harness)
  }, 30_000)

  it('doubling with a kept copy of every step (no rope sharing) ends typed too', async () => {
    const evil = await harness.load(apiProductSource(`const keep: string[] = []; let s = 'x'; for (;;) { s = s + s; keep.push(s.split('').reverse().join('')) }`))
    const started = Date.now()
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(['ERR_SANDBOX_MEMORY', 'ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_THREW']).toContain(outcome.ok ? 'ok' : outcome.code)
    await expectStillServes(harness)
  }, 30_000)
})
