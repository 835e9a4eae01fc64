import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectStillServes, fullProductSource } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The output schema's `pattern` is partner text (the manifest only bounds its length and checks
// it compiles), and the host tests the partner's output against it with the backtracking RegExp
// engine, synchronously, in the serving process. '^(a+)+$' against 'aaaa…!' backtracks 2^n times:
// 26 characters block the host's event loop for seconds, 40 for hours. Partner regular
// expressions must never run unbounded in the host.
const SOURCE = fullProductSource({
  output: `t.object({ value: t.string({ pattern: '^(a+)+$' }) })`,
  run: `return { value: 'a'.repeat(26) + '!' }`,
})

describe('attack: catastrophic backtracking in an output pattern, run by the host', () => {
  it("the host's event loop is never blocked for long by the output check", async () => {
    const evil = await harness.load(SOURCE)
    // CPU time of this thread (the host's event loop), not wall-clock time: a loaded machine makes a
    // call slower, not costlier. Backtracking over 2^26 paths would cost this thread seconds.
    const before = process.threadCpuUsage()
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    const spent = process.threadCpuUsage(before)
    expectFailure(outcome, 'ERR_SANDBOX_INVALID_OUTPUT')
    expect((spent.user + spent.system) / 1000).toBeLessThan(500)
  }, 60_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
