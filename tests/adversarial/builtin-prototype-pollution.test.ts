import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Pollution of Object.prototype, Array.prototype and String.prototype with properties the
// runtime might read (ok, output, logs, error, code, map, join …). The realm is sealed before any
// partner code runs: every write is refused (a TypeError the product may catch), nothing is
// polluted in this execution or the next, and what the runtime releases is the real output.
const BODY = `
  const P: any = Object.prototype
  const A: any = Array.prototype
  const S: any = String.prototype
  const attempts = [
    () => { P.ok = false }, () => { P.error = 'THREW' }, () => { P.code = 'INJECTED' }, () => { P.polluted = 'A' },
    () => { A.evil = true }, () => { S.slice = () => 'x' }, () => { A.map = () => [] },
    () => Object.defineProperty(P, 'logs', { get() { return ['injected-log'] }, configurable: true }),
    () => Object.defineProperty(P, 'output', { get() { return { value: 'injected-output' } }, configurable: true }),
    () => Object.setPrototypeOf(P, { polluted: 'via-proto' }),
  ]
  let refused = 0
  if (input.uscc === 'POLLUTE') for (const attempt of attempts) { try { attempt() } catch (e) { if (e instanceof TypeError) refused++ } }
  const seen = ['ok', 'error', 'code', 'polluted', 'logs', 'output'].filter((k) => k in {}).concat('evil' in [] ? ['evil'] : [])
  return { value: (seen.join(',') || 'clean') + ':' + refused + ':' + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: Object.prototype / Array.prototype pollution', () => {
  it('every write to a built-in prototype is refused; what the runtime releases is the real output, now and next time', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    // positive control: the ten attempts ran and each was refused with a TypeError
    expect(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'))).toEqual({ ok: true, output: { value: 'clean:10:A' }, logs: [] })
    expect(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2'))).toEqual({ ok: true, output: { value: 'clean:0:A2' }, logs: [] })
    await expectStillServes(harness)
  }, 30_000)
})
