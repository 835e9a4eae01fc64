import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// ctx.rows is a function made by the prelude: if it were a host function (a Reference or a
// Callback), its constructor would be the host's Function and `return process` would work.
const PROBE = `
  const probe = (f: () => unknown): string => { try { return String(f()) } catch (e: any) { return 'blocked:' + e.name } }
  const F: any = ctx.rows.constructor
  const L: any = ctx.log.constructor
  return { value: [
    probe(() => F === Function),
    probe(() => L === Function),
    probe(() => Object.getPrototypeOf(ctx) === Object.prototype),
    probe(() => typeof F('return typeof process')()),
    probe(() => F('return typeof process')()),
    probe(() => F('return typeof globalThis.require')()),
    probe(() => typeof F('return process')().mainModule),
  ].join('|') }
`

describe('attack: ctx.rows.constructor escape', () => {
  it('ctx functions belong to the isolate realm and lead to no host object', async () => {
    const evil = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(evil, SAMPLE_INPUT)) as { value: string }).value
    expect([
      'true|true|true|string|undefined|undefined|blocked:ReferenceError',
      'true|true|true|blocked:EvalError|blocked:EvalError|blocked:EvalError|blocked:EvalError',
    ]).toContain(value)
    await expectStillServes(harness)
  }, 30_000)
})
