import { afterAll, describe, expect, it } from 'vitest'
import { createSandboxHarness } from '../helpers/sandbox-harness.ts'
import { RuntimeError } from '../../runtime/errors.ts'
import { expectStillServes, fullProductSource } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The manifest is partner data read out of the isolate and parsed on the host with a recursive
// zod schema. An output schema nested 3,000 arrays deep is small (~90 KB) and serializes fine in
// the isolate, but overflows the host's stack in manifestSchema.safeParse: loadProduct rejects
// with a bare RangeError — an untyped error — instead of ERR_PRODUCT_INVALID.
const SOURCE = fullProductSource({
  top: `let deep: any = { type: 'string' }\nfor (let i = 0; i < 3000; i++) deep = { type: 'array', items: deep, maxItems: 1 }`,
  output: `{ type: 'object', properties: { value: deep }, required: ['value'], additionalProperties: false } as any`,
  exportDefault: '',
})

describe('attack: a deeply nested schema in the manifest', () => {
  it('load rejects with a typed ERR_PRODUCT_INVALID, not an untyped RangeError', async () => {
    let caught: unknown
    try {
      await harness.load(SOURCE)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(RuntimeError)
    expect((caught as { code?: string }).code).toBe('ERR_PRODUCT_INVALID')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
