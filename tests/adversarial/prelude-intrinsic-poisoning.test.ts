import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A product poisons Date.parse (which would land on the real Date behind the prelude's Date proxy)
// hoping the prelude breaks on its way out, or on the next call. The realm is sealed, so the
// poisoning is refused; and the prelude calls only intrinsics it captured before any partner code
// ran (through Reflect.apply) in any case.
const BODY = `
  if (input.uscc === 'POLLUTE') {
    try {
      ;(Date as any).parse = function () { throw new Error('parse-poisoned-66') }
    } catch (e) {
      return { value: e instanceof TypeError ? 'refused' : 'other' }
    }
    return { value: 'armed' }
  }
  return { value: ctx.rows('enterprise_basic')[0].status }
`

describe('attack: poisoning intrinsics the prelude uses on the next call', () => {
  it('the poisoning call and the next one are served normally: the prelude never uses the poisoned intrinsic', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, { uscc: 'POLLUTE' }, rowsWithStatus('A')))).toEqual({ value: 'refused' })
    const outcome = await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('A2'))
    expect(outcome).toMatchObject({ ok: true, output: { value: 'A2' } })
    expect(JSON.stringify(outcome)).not.toContain('parse-poisoned-66')
  }, 30_000)

  it('a normal product is still served', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT, rowsWithStatus('B')))).toEqual({ value: 'B' })
    await expectStillServes(harness)
  }, 30_000)
})
