import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Arrow, async, generator and async generator functions each have their own constructor;
// a sloppy function made by one returns the global object as `this`.
const PROBE = `
  const probe = (f: () => unknown): string => { try { return String(f()) } catch (e: any) { return 'blocked:' + e.name } }
  const ctors: any[] = [(() => 0).constructor, (async () => 0).constructor, (function* () {}).constructor, (async function* () {}).constructor]
  const out: string[] = []
  for (const C of ctors) {
    out.push(probe(() => {
      const made = C('return this')
      const g = C === ctors[0] ? made() : undefined
      return g === undefined ? typeof made : ['process', 'require', 'module', 'Buffer'].map((k) => typeof g[k]).join(',')
    }))
  }
  return { value: out.join('|') }
`

describe('attack: arrow / async / generator function constructor escape', () => {
  it('the global reached through any function constructor has no host objects', async () => {
    const evil = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(evil, SAMPLE_INPUT)) as { value: string }).value
    expect([
      'undefined,undefined,undefined,undefined|function|function|function',
      'blocked:EvalError|blocked:EvalError|blocked:EvalError|blocked:EvalError',
    ]).toContain(value)
    await expectStillServes(harness)
  }, 30_000)
})
