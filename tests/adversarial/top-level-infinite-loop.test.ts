import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness } from '../helpers/sandbox-harness.ts'
import { expectStillServes, fullProductSource, rejection } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe('attack: top-level code that loops forever', () => {
  it('load rejects with ERR_SANDBOX_TIMEOUT, and the pool still serves', async () => {
    const error = await rejection(harness.load(fullProductSource({ top: 'for (;;) {}' })))
    expect(error.code).toBe('ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)

  it('a top-level microtask loop (no synchronous loop) is cut the same way', async () => {
    const error = await rejection(harness.load(fullProductSource({ top: 'Promise.resolve().then(function f() { Promise.resolve().then(f) })' })))
    expect(error.code).toBe('ERR_SANDBOX_TIMEOUT')
    await expectStillServes(harness)
  }, 30_000)
})
