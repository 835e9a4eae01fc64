import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// An output whose serialization throws (its own toJSON) with a message that names an isolate
// limit: were the failure classified by the text of the message — which the partner wrote — a
// partner could report its own bad output as a CPU timeout or an out-of-memory in 1 ms. The class
// of a failure must come from what the isolate did, not from partner text: this run used neither
// CPU time nor memory, it produced an unserializable output.
const body = (message: string) => `
  return { value: 'x', toJSON() { throw new Error(${JSON.stringify(message)}) } }
`

describe('attack: an error message that claims to be a timeout or an out-of-memory', () => {
  it('"Script execution timed out." does not make the run an ERR_SANDBOX_TIMEOUT', async () => {
    const evil = await harness.load(apiProductSource(body('Script execution timed out.')))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
  }, 30_000)

  it('"Array buffer allocation failed" does not make the run an ERR_SANDBOX_MEMORY', async () => {
    const evil = await harness.load(apiProductSource(body('Array buffer allocation failed')))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_INVALID_OUTPUT')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
