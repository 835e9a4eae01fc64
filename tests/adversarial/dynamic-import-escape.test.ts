import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A computed specifier slips past the bundler's import guard (esbuild leaves `import(x)` as is).
// The isolate has no module loader: the promise must reject, never load node:fs.
const BODY = `
  const g: any = globalThis
  if (g.state === undefined) {
    g.state = 'pending'
    const spec = ['node', 'fs'].join(':')
    try {
      (import(spec) as Promise<any>).then((m) => { g.state = 'loaded:' + typeof m.readFileSync }, (e) => { g.state = 'rejected:' + (e && e.name) })
    } catch (e: any) { g.state = 'threw:' + e.name }
    return { value: 'started' }
  }
  return { value: g.state }
`

describe('attack: dynamic import() with a computed specifier', () => {
  it('the import is rejected (the second call of the same consumer reads the settled state)', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT))).toEqual({ value: 'started' })
    expect(expectOutput(await harness.invoke(evil, SAMPLE_INPUT))).toEqual({ value: 'rejected:Error' })
    await expectStillServes(harness)
  }, 30_000)
})
