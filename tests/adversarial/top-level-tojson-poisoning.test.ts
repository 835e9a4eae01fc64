import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness } from '../helpers/sandbox-harness.ts'
import { expectStillServes, fullProductSource, rejection } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Top-level code poisons Object.prototype.toJSON before the prelude's load() serializes the
// manifest; load()'s catch path serializes again and throws out of the prelude. Loading must
// end with a partner-blamed typed error (the bundle defines no usable product), not with
// ERR_SANDBOX_CRASHED, and the partner's message must not be in the serialized error.
const SOURCE = fullProductSource({ top: `;(Object.prototype as any).toJSON = function () { throw new Error('load-secret-44') }` })

describe('attack: top-level code poisons JSON serialization of the manifest', () => {
  it('load rejects with ERR_PRODUCT_INVALID (blame partner)', async () => {
    const error = await rejection(harness.load(SOURCE))
    expect(error.code).toBe('ERR_PRODUCT_INVALID')
    expect(error.blame).toBe('partner')
    expect(JSON.stringify(error)).not.toContain('load-secret-44')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
