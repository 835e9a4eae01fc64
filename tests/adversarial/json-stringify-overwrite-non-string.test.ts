import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// JSON.stringify replaced by one returning a non-string (an object with a hostile toString, a
// symbol): the runtime must not use it, in this call or the next.
const BODY = `
  if (input.uscc === 'POLLUTE') {
    ;(JSON as any).stringify = () => ({ toString() { for (;;) {} }, valueOf() { throw new Error('x') } })
    ;(String as any).prototype.slice = () => { throw new Error('slice poisoned') }
  }
  return { value: typeof JSON.stringify({}) + ':' + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: overwrite JSON.stringify to return a non-string', () => {
  it('the runtime keeps its own JSON; other consumers are unaffected', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A'), 'bank-a'))).toEqual({ value: 'object:A' })
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B'), 'bank-b'))).toEqual({ value: 'string:B' })
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2'), 'bank-a'))).toEqual({ value: 'object:A2' })
    await expectStillServes(harness)
  }, 30_000)
})
