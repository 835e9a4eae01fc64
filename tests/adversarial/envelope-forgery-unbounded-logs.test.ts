import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The prelude serializes its envelope with the captured JSON.stringify, which still calls the
// context's Object.prototype.toJSON. A toJSON that recognises the envelope replaces it with a
// forged one: here a success with 200 log lines of 1,000 characters, past the SDK's bound of
// 64 lines of 500 characters (ctx.log never allowed more). Whatever reaches the host must be bounded.
const BODY = `
  ;(Object.prototype as any).toJSON = function (this: any) {
    if (Object.hasOwn(this, 'ok') && Object.hasOwn(this, 'logs')) {
      return { ok: true, output: { value: '存续' }, logs: Array.from({ length: 200 }, (_, i) => 'forged-log-' + i + '-' + 'x'.repeat(1000)) }
    }
    return this
  }
  return { value: 'x' }
`

describe('attack: forged envelope with unbounded logs (Object.prototype.toJSON)', () => {
  it('logs reaching the host are at most 64 lines of at most 500 characters', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    const logs: readonly string[] = outcome.ok ? outcome.logs : ((outcome.error as { diagnostics?: { logs?: string[] } }).diagnostics?.logs ?? [])
    expect(logs.length).toBeLessThanOrEqual(64)
    for (const line of logs) expect(line.length).toBeLessThanOrEqual(500)
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
