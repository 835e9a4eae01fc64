import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// `this` in run is the product object; its constructor chain leads to the context's Function.
// With code generation either blocked (EvalError) or allowed, what it reaches must be isolate-only.
const PROBE = `
  const self: any = this
  const probe = (src: string): string => {
    try { return String(self.constructor.constructor(src)()) } catch (e: any) { return 'blocked:' + e.name }
  }
  return { value: [
    probe('return typeof process'),
    probe('return typeof require'),
    probe('return typeof this.process'),
    probe('return typeof globalThis.Buffer'),
    probe('return process.pid'),
  ].join('|') }
`

describe('attack: this.constructor.constructor escape', () => {
  it('reaches no process, require or Buffer, and the pool still serves', async () => {
    const evil = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(evil, SAMPLE_INPUT)) as { value: string }).value
    const allowed = [
      // code generation allowed: only the isolate's own global, and `process` is not defined there
      'undefined|undefined|undefined|undefined|blocked:ReferenceError',
      // code generation blocked (what the worker flag intends)
      'blocked:EvalError|blocked:EvalError|blocked:EvalError|blocked:EvalError|blocked:EvalError',
    ]
    expect(allowed).toContain(value)
    await expectStillServes(harness)
  }, 30_000)
})
