import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

const HOST_NAMES = ['process', 'require', 'module', 'exports', 'Buffer', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'queueMicrotask', 'structuredClone', 'performance', 'Deno', 'Bun', '__dirname', '__filename', 'global', 'XMLHttpRequest', 'WebSocket', 'importScripts', 'navigator', 'crypto', '_ivm', 'ivm', 'isolatedVm']

// Reads globalThis (not bare identifiers, which esbuild may rewrite, e.g. `require` to a shim).
const PROBE = `
  const g: any = globalThis
  const names: string[] = ${JSON.stringify(HOST_NAMES)}
  const found = names.filter((n) => n in g || typeof g[n] !== 'undefined' || Object.getOwnPropertyDescriptor(g, n) !== undefined)
  const own = Object.getOwnPropertyNames(g).filter((n) => names.includes(n))
  return { value: JSON.stringify({ found, own, globalCtor: g.constructor === Object, proto: Object.getPrototypeOf(Object.getPrototypeOf(g)) === Object.prototype || Object.getPrototypeOf(g) === Object.prototype }) }
`

describe('attack: host objects on globalThis', () => {
  it('none of process, require, module, Buffer, fetch, timers, performance, Deno, Bun, __dirname … exists', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(probe, SAMPLE_INPUT)) as { value: string }).value
    expect(JSON.parse(value)).toEqual({ found: [], own: [], globalCtor: true, proto: true })
    await expectStillServes(harness)
  }, 30_000)
})
