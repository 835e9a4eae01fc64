import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness } from '../helpers/sandbox-harness.ts'
import { expectStillServes, fullProductSource, rejection } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Top-level code throws values that are dangerous to read: a Proxy whose traps loop, an object
// with a looping message getter, a 20 MB string with partner text.
const HOSTILE = [
  `new Proxy({}, { get() { for (;;) {} }, getPrototypeOf() { for (;;) {} }, has() { for (;;) {} }, ownKeys() { for (;;) {} } })`,
  `{ get message(): string { for (;;) {} }, get name(): string { for (;;) {} } }`,
  `'TOPLEVEL-SECRET-' + 'z'.repeat(20 * 1024 * 1024)`,
]

describe('attack: top-level code throws a hostile value', () => {
  HOSTILE.forEach((value, i) => {
    it(`hostile value #${i + 1}: load rejects with ERR_PRODUCT_INVALID, no partner text in the serialized error`, async () => {
      const error = await rejection(harness.load(fullProductSource({ top: `if (Math.random() < 2) throw ${value}` })))
      expect(error.code).toBe('ERR_PRODUCT_INVALID')
      expect(error.blame).toBe('partner')
      expect(JSON.stringify(error)).not.toContain('TOPLEVEL-SECRET')
    }, 30_000)
  })

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
