import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes, fullProductSource, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The SDK objects inside the isolate (t, ProductError, the product definition and its schemas,
// the ctx prototype) are polluted: the output schema gets an extra field and the product then
// returns it. The host's copy of the manifest is authoritative; later executions see clean SDK objects.
const RUN = `
  const self: any = this
  const report = [typeof (t as any).polluted, (ProductError.prototype as any).code ?? 'none', 'extra' in self.output.properties, (Object.getPrototypeOf(ctx) as any).polluted ?? 'none'].join(',')
  if (input.uscc === 'POLLUTE') {
    ;(t as any).polluted = true
    ;(t as any).string = () => ({ type: 'string', pattern: '.*' })
    ;(ProductError.prototype as any).code = 'POLLUTED'
    self.output.properties.extra = t.string()
    try { ;(Object.getPrototypeOf(ctx) as any).polluted = 'yes' } catch {}
    return { value: report, extra: 'smuggled' }
  }
  return { value: report + ':' + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: prototype pollution of SDK objects', () => {
  it('a field added to the in-isolate schema is still refused; later executions see clean SDK objects', async () => {
    const evil = await harness.load(fullProductSource({ run: RUN }))
    expectFailure(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A')), 'ERR_SANDBOX_INVALID_OUTPUT')
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2')))).toEqual({ value: 'undefined,none,false,none:A2' })
    await expectStillServes(harness)
  }, 30_000)
})
