import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// new Function(string) is code generation from strings like eval; with the worker's
// --disallow-code-generation-from-strings it must throw EvalError.
const BODY = `
  const make: any = Function
  const f = new make('a', 'return a + "-ran"')
  return { value: String(f('function')) }
`

describe('attack: new Function from a string', () => {
  it('new Function is refused (EvalError → ERR_SANDBOX_THREW), not run', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome).not.toMatchObject({ ok: true, output: { value: 'function-ran' } })
    const failure = expectFailure(outcome, 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).stack ?? '').toMatch(/^EvalError/)
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
