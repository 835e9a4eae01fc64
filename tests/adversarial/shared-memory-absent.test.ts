import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectFailure, expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// SharedArrayBuffer + Atomics.wait would give a blocking wait (a timer) and shared memory.
// They are deleted by the prelude; check that no path brings them back.
const PROBE = `
  const g: any = globalThis
  const viaWasmMemory = (() => { try { return typeof new g.WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer } catch (e: any) { return 'blocked:' + e.name } })()
  return { value: [typeof g.SharedArrayBuffer, typeof g.Atomics, 'Atomics' in g, 'SharedArrayBuffer' in g, viaWasmMemory].join('|') }
`
const WAIT = `
  const A: any = (globalThis as any).Atomics
  A.wait(new Int32Array(new (globalThis as any).SharedArrayBuffer(4)), 0, 0, 10)
  return { value: 'waited' }
`

describe('attack: SharedArrayBuffer / Atomics', () => {
  it('neither exists, nor is reachable through WebAssembly.Memory', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    expect(expectOutput(await harness.invoke(probe, SAMPLE_INPUT))).toEqual({ value: 'undefined|undefined|false|false|blocked:TypeError' })
  }, 30_000)

  it('Atomics.wait ends with ERR_SANDBOX_THREW, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(WAIT))
    expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    await expectStillServes(harness)
  }, 30_000)
})
