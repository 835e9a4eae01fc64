import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Code hidden in strings (or taken from the consumer's input) would run code that no review saw
// under the approved code hash. The sandbox worker runs with --disallow-code-generation-from-strings,
// so indirect eval must throw EvalError and the run end as ERR_SANDBOX_THREW.
const BODY = `
  const code = ['"ev', 'al-', 'ran"'].join('')
  return { value: String((0, eval)(code)) }
`

describe('attack: eval of a string', () => {
  it('eval is refused (EvalError → ERR_SANDBOX_THREW), not run', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome).not.toMatchObject({ ok: true, output: { value: 'eval-ran' } })
    const failure = expectFailure(outcome, 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).stack ?? '').toMatch(/^EvalError/)
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
