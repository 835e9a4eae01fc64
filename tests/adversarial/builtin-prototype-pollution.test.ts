import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Pollution of Object.prototype, Array.prototype and String.prototype with properties the
// runtime might read (ok, output, logs, error, code, map, join …). The probe reports which of
// them it can see; only the polluting consumer's context may see them.
const BODY = `
  const P: any = Object.prototype
  const A: any = Array.prototype
  const seen = ['ok', 'error', 'code', 'polluted'].filter((k) => k in {}).concat('evil' in [] ? ['evil'] : [])
  if (input.uscc === 'POLLUTE') {
    P.ok = false; P.error = 'THREW'; P.code = 'INJECTED'; P.polluted = 'A'
    A.evil = true
    Object.defineProperty(P, 'logs', { get() { return ['injected-log'] }, set() {}, configurable: true })
    Object.defineProperty(P, 'output', { get() { return { value: 'injected-output' } }, set() {}, configurable: true })
  }
  return { value: (seen.join(',') || 'clean') + ':' + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: Object.prototype / Array.prototype pollution', () => {
  it('does not change what the runtime releases, and does not reach another consumer', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'), 'bank-a')).toEqual({ ok: true, output: { value: 'clean:A' }, logs: [] })
    expect(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B'), 'bank-b')).toEqual({ ok: true, output: { value: 'clean:B' }, logs: [] })
    // bank-a's context is polluted, and the envelope is still read correctly
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2'), 'bank-a'))).toEqual({ value: 'ok,error,code,polluted,evil:A2' })
    await expectStillServes(harness)
  }, 30_000)
})
