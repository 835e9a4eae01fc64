/**
 * A call is answered when it ends, not when everything that travelled with it does; and one-entity
 * calls have a lane of their own, so a batch product's long run never holds one up. Each shown
 * against the control that would fail without it (a second call behind a slow one; one shared worker).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness, apiProductSource, SAMPLE_INPUT } from '../../helpers/sandbox-harness.ts'
import { createSandboxPool } from '../../../runtime/sandbox/sandbox-pool.ts'
import { sandboxLanes } from '../../../runtime/sandbox/sandbox-lanes.ts'

const SPINNING_BATCH = `import { defineProduct, t } from 'indomain/sdk'
export default defineProduct({
  id: 'slow-report', version: '1.0.0', kind: 'dataset', title: '慢报表', category: '公共治理', description: 'spins in run',
  scenario: { purpose: 'test', tables: { facts: { key: 'k', fields: { amount: 'a' } } } },
  unit: 'facts',
  aggregates: { sums: { by: {}, measures: { total: { sum: { min: 0, max: 1e9 } } } } },
  input: t.object({}),
  output: t.object({ n: t.integer() }),
  classify() { return { aggregates: { sums: { by: {}, values: { total: 1 } } }, row: null } as any },
  run() { for (;;) {} },
})`

/** Whether `fast` settled while `slow` had not yet (and still had not a turn of the event loop later). */
async function settledFirst(fast: Promise<unknown>, slow: Promise<unknown>): Promise<boolean> {
  let slowDone = false
  void slow.finally(() => (slowDone = true)).catch(() => undefined)
  await fast
  await new Promise((r) => setImmediate(r))
  const answer = !slowDone
  await slow.catch(() => undefined)
  return answer
}

const oneWorker = createSandboxHarness(1)
const lanes = createSandboxHarness(1, sandboxLanes({ calls: createSandboxPool({ workers: 1 }), batch: createSandboxPool({ workers: 1 }) }))
afterAll(async () => {
  await oneWorker.close()
  await lanes.close()
})

describe('answers and lanes', () => {
  it('answers a quick call that travelled with a slow one as soon as it ends; only the slow one fails', async () => {
    const quick = await oneWorker.load(apiProductSource(`return { value: 'ok' }`))
    const spinning = await oneWorker.load(apiProductSource(`for (;;) {}`))
    // the same tick, the same worker: one message, the quick call first
    const a = oneWorker.invoke(quick, SAMPLE_INPUT)
    const b = oneWorker.invoke(spinning, SAMPLE_INPUT)
    expect(await settledFirst(a, b)).toBe(true)
    expect(await a).toMatchObject({ ok: true, output: { value: 'ok' } })
    expect(await b).toMatchObject({ ok: false, code: 'ERR_SANDBOX_TIMEOUT' })
    // the control: the slow call first, and the quick one waits for it (one worker runs one call at a time)
    const c = oneWorker.invoke(spinning, SAMPLE_INPUT)
    const d = oneWorker.invoke(quick, SAMPLE_INPUT)
    expect(await settledFirst(d, c)).toBe(false)
    expect(await d).toMatchObject({ ok: true })
  })

  it('answers one-entity calls while a batch run keeps its lane busy', async () => {
    const quick = await lanes.load(apiProductSource(`return { value: 'ok' }`))
    const report = await lanes.load(SPINNING_BATCH)
    const run = lanes.finish(report, {}, [])
    await new Promise((r) => setTimeout(r, 20))
    const call = lanes.invoke(quick, SAMPLE_INPUT)
    expect(await settledFirst(call, run)).toBe(true)
    expect(await call).toMatchObject({ ok: true, output: { value: 'ok' } })
    expect(await run).toMatchObject({ ok: false, code: 'ERR_SANDBOX_TIMEOUT' })
    // the control: with one worker for both, the call waits for the run
    const shared = await oneWorker.load(SPINNING_BATCH)
    const sharedQuick = await oneWorker.load(apiProductSource(`return { value: 'ok' }`))
    const sharedRun = oneWorker.finish(shared, {}, [])
    await new Promise((r) => setTimeout(r, 20))
    expect(await settledFirst(oneWorker.invoke(sharedQuick, SAMPLE_INPUT), sharedRun)).toBe(false)
  })
})
