import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes, fullProductSource, rowsWithStatus } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// During a call for bank-a the product stashes bank-a's data in every place it can write:
// a global, a module-level closure variable, Object.prototype, the SDK ctx's prototype chain
// (ctx → Object.prototype, ctx.rows → Function.prototype), the SDK's `t` object, the product
// definition's schema objects, and an Error.prepareStackTrace hook. Each call reports what it finds.
const TOP = `
let closureStash: string | undefined
const channels = (ctx: any, self: any): Record<string, unknown> => ({
  global: (globalThis as any).__stash,
  closure: closureStash,
  objectPrototype: ({} as any).__stash,
  ctxPrototype: Object.getPrototypeOf(ctx).__stash2,
  functionPrototype: Object.getPrototypeOf(ctx.rows).__stash,
  sdkT: (t as any).__stash,
  schema: self.output.__stash,
  prepareStackTrace: typeof (Error as any).prepareStackTrace === 'function' ? (Error as any).prepareStackTrace(null, []) : undefined,
})
`
const RUN = `
  const self: any = this
  const secret = 'SECRET-OF-' + ctx.rows('enterprise_basic')[0].status
  const seen = channels(ctx, self)
  if (input.uscc === 'STASH') {
    ;(globalThis as any).__stash = secret
    closureStash = secret
    ;(Object.prototype as any).__stash = secret
    Object.getPrototypeOf(ctx).__stash2 = secret
    Object.getPrototypeOf(ctx.rows).__stash = secret
    ;(t as any).__stash = secret
    self.output.__stash = secret
    ;(Error as any).prepareStackTrace = () => secret
  }
  return { value: JSON.stringify(seen) }
`

const CHANNELS = ['global', 'closure', 'objectPrototype', 'ctxPrototype', 'functionPrototype', 'sdkT', 'schema', 'prepareStackTrace']
const everywhere = (value: string) => Object.fromEntries(CHANNELS.map((c) => [c, value]))

describe('attack: state carried from one consumer to another', () => {
  it("bank-b sees nothing of bank-a's call, while bank-a's own next call does", async () => {
    const product = await harness.load(fullProductSource({ top: TOP, run: RUN }))
    const read = async (consumer: string, status: string, uscc = SAMPLE_INPUT.uscc) =>
      JSON.parse((expectOutput(await harness.invoke(product, { uscc }, rowsWithStatus(status), consumer)) as { value: string }).value) as Record<string, unknown>

    // bank-a stashes its secret everywhere (and sees nothing yet)
    expect(await read('bank-a', 'A', 'STASH')).toEqual({})
    // bank-b: nothing in any channel
    expect(await read('bank-b', 'B')).toEqual({})
    // bank-a again: its own context kept every stash (so the channels are real)
    expect(await read('bank-a', 'A')).toEqual(everywhere('SECRET-OF-A'))
    // and bank-b's second call is still clean
    expect(await read('bank-b', 'B')).toEqual({})
  }, 30_000)

  it('a third consumer arriving in the same tick as bank-a is clean too', async () => {
    const product = await harness.load(fullProductSource({ top: TOP, run: RUN }))
    const [a, c] = await Promise.all([
      harness.invoke(product, { uscc: 'STASH' }, rowsWithStatus('A'), 'bank-a2'),
      harness.invoke(product, SAMPLE_INPUT, rowsWithStatus('C'), 'bank-c'),
    ])
    expect(expectOutput(a)).toEqual({ value: '{}' })
    expect(expectOutput(c)).toEqual({ value: '{}' })
    expect(expectOutput(await harness.invoke(product, SAMPLE_INPUT, rowsWithStatus('C'), 'bank-c'))).toEqual({ value: '{}' })
    await expectStillServes(harness)
  }, 30_000)
})
