import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// JSON.stringify replaced by one returning a non-string (an object with a hostile toString), and
// String.prototype.slice poisoned: both are refused (the realm is sealed), and the runtime would
// not use them anyway, in this call or the next.
const BODY = `
  let refused = 0
  if (input.uscc === 'POLLUTE') {
    try { ;(JSON as any).stringify = () => ({ toString() { for (;;) {} }, valueOf() { throw new Error('x') } }) } catch { refused++ }
    try { ;(String as any).prototype.slice = () => { throw new Error('slice poisoned') } } catch { refused++ }
  }
  return { value: typeof JSON.stringify({}) + ':' + refused + ':' + ctx.rows('enterprise_basic')[0].status }
`

describe('attack: overwrite JSON.stringify to return a non-string', () => {
  it('the runtime keeps its own JSON; later executions are unaffected', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A')))).toEqual({ value: 'string:2:A' })
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2')))).toEqual({ value: 'string:0:A2' })
    await expectStillServes(harness)
  }, 30_000)
})
