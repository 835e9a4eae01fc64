import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// A product tries to forge the prelude's failure envelope through Object.prototype.toJSON, to
// carry a free-text "product code" (an ID-shaped number) and a 100,000-character message into the
// caller's error. The realm is sealed (the toJSON cannot be installed), and the prelude writes its
// envelopes by hand from primitive strings anyway: the run ends with the product's real output,
// and nothing forged is reported.
const SECRET = 'leak 110101199003077777 六安'
const BODY = `
  let installed = 'refused'
  try {
    ;(Object.prototype as any).toJSON = function (this: any) {
      if (Object.hasOwn(this, 'ok') && Object.hasOwn(this, 'logs')) {
        return { ok: false, error: 'THREW', code: ${JSON.stringify(SECRET)}, message: 'M'.repeat(100000), logs: [] }
      }
      return this
    }
    installed = 'installed'
  } catch {}
  return { value: installed }
`

describe('attack: forged failure envelope with partner text (Object.prototype.toJSON)', () => {
  it('cannot forge the envelope: the real output comes back, no forged code or message anywhere', async () => {
    const evil = await harness.load(apiProductSource(BODY))
    const outcome = await harness.invoke(evil, SAMPLE_INPUT)
    expect(outcome).toEqual({ ok: true, output: { value: 'refused' }, logs: [] })
    expect(JSON.stringify(outcome)).not.toContain('110101199003077777')
  }, 30_000)

  it('the pool still serves a normal product afterwards', async () => {
    await expectStillServes(harness)
  }, 30_000)
})
