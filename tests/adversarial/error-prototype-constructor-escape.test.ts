import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// What the prelude throws (ctx.rows of an unknown table), a native error thrown by the engine,
// and Error.prototype all lead to constructors; none of them may belong to the host realm.
const PROBE = `
  const probe = (f: () => unknown): string => { try { return String(f()) } catch (e: any) { return 'blocked:' + e.name } }
  let preludeThrown: any
  try { ctx.rows('no_such_table') } catch (e) { preludeThrown = e }
  let engineThrown: any
  try { Object.defineProperty(ctx, 'kind', { value: 'x' }) } catch (e) { engineThrown = e }
  const P: any = Error.prototype
  const C = preludeThrown === null || preludeThrown === undefined ? undefined : preludeThrown.constructor
  return { value: [
    probe(() => C === undefined ? 'no-constructor' : C.constructor === Function),
    probe(() => engineThrown instanceof TypeError && engineThrown.constructor.constructor === Function),
    probe(() => P.constructor === Error),
    probe(() => typeof P.constructor.constructor('return this')().process),
    probe(() => typeof engineThrown.constructor.constructor('return this')().require),
    probe(() => typeof Object.getPrototypeOf(P).constructor.constructor('return this')().Buffer),
  ].join('|') }
`

describe('attack: Error.prototype constructor escape', () => {
  it('error constructors lead only to the isolate realm', async () => {
    const evil = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(evil, SAMPLE_INPUT)) as { value: string }).value
    expect([
      // the prelude throws either a frozen null-prototype marker (no constructor at all) or an isolate Error
      'no-constructor|true|true|undefined|undefined|undefined',
      'true|true|true|undefined|undefined|undefined',
      'no-constructor|true|true|blocked:EvalError|blocked:EvalError|blocked:EvalError',
      'true|true|true|blocked:EvalError|blocked:EvalError|blocked:EvalError',
    ]).toContain(value)
    await expectStillServes(harness)
  }, 30_000)
})
