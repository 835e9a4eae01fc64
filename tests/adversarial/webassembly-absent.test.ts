import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { diagnosticsOf, expectFailure, expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The smallest valid wasm module: compiling it would need WebAssembly.
const PROBE = `
  const g: any = globalThis
  return { value: [typeof g.WebAssembly, 'WebAssembly' in g, Object.getOwnPropertyNames(g).includes('WebAssembly')].join('|') }
`
const COMPILE = `
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])
  const mod = new (globalThis as any).WebAssembly.Module(bytes)
  return { value: typeof mod }
`

describe('attack: WebAssembly', () => {
  it('WebAssembly is absent from the isolate global', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    expect(expectOutput(await harness.invoke(probe, SAMPLE_INPUT))).toEqual({ value: 'undefined|false|false' })
  }, 30_000)

  it('compiling a module ends with ERR_SANDBOX_THREW (TypeError), and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(COMPILE))
    const failure = expectFailure(await harness.invoke(evil, SAMPLE_INPUT), 'ERR_SANDBOX_THREW')
    expect(diagnosticsOf(failure).stack ?? '').toMatch(/^TypeError/)
    await expectStillServes(harness)
  }, 30_000)
})
