import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness } from '../helpers/sandbox-harness.ts'
import { expectStillServes, rejection } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

describe("attack: import of 'node:fs'", () => {
  it('load rejects with ERR_BUNDLE_FORBIDDEN_IMPORT (blame partner) before anything runs', async () => {
    const error = await rejection(harness.load(apiProductSource("return { value: readFileSync('/etc/passwd', 'utf8').slice(0, 10) }", { prelude: "import { readFileSync } from 'node:fs'" })))
    expect(error.code).toBe('ERR_BUNDLE_FORBIDDEN_IMPORT')
    expect(error.blame).toBe('partner')
    expect(JSON.stringify(error)).toContain('is not allowed')
  }, 30_000)

  it('a re-export and a dynamic import() of the same module are refused the same way', async () => {
    const reexport = await rejection(harness.load(apiProductSource('return { value: null }', { prelude: "export * from 'node:fs'" })))
    expect(reexport.code).toBe('ERR_BUNDLE_FORBIDDEN_IMPORT')
    const dynamic = await rejection(harness.load(apiProductSource("void import('node:fs'); return { value: null }")))
    expect(dynamic.code).toBe('ERR_BUNDLE_FORBIDDEN_IMPORT')
    await expectStillServes(harness)
  }, 30_000)
})
