import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness } from '../helpers/sandbox-harness.ts'
import { expectStillServes, rejection } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// The harness writes each product to its own temporary folder; these specifiers all resolve
// outside it (a system file, the runtime itself, a package).
const SPECIFIERS = [
  '../../etc/passwd',
  '../../../../../../../../etc/hostname',
  '/etc/passwd',
  '/work/main/runtime/errors.ts',
  'isolated-vm',
  'indomain/sdk/../runtime/errors.ts',
]

describe('attack: importing a file outside the product folder', () => {
  for (const spec of SPECIFIERS) {
    it(`import of '${spec}' is refused at load with ERR_BUNDLE_FORBIDDEN_IMPORT`, async () => {
      const error = await rejection(harness.load(apiProductSource('return { value: String(x).slice(0, 10) }', { prelude: `import x from ${JSON.stringify(spec)}` })))
      expect(error.code).toBe('ERR_BUNDLE_FORBIDDEN_IMPORT')
    }, 30_000)
  }

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
