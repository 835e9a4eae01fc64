import { afterAll, describe, expect, it } from 'vitest'
import { apiProductSource, createSandboxHarness, SAMPLE_INPUT } from '../helpers/sandbox-harness.ts'
import { expectOutput, expectStillServes } from './support.ts'

const harness = createSandboxHarness()
afterAll(() => harness.close())

// Every way to ask Date for "now" must give the as-of day, 2025-12-31T00:00:00Z.
const PROBE = `
  const D: any = Date
  class Sub extends Date {}
  const inst: any = new Date()
  return { value: JSON.stringify([
    Date.now(),
    new Date().getTime(),
    new Date().toISOString(),
    Date(),
    new Sub().getTime(),
    Reflect.construct(Date, []).getTime(),
    inst.constructor.now(),
    new inst.constructor().getTime(),
    D.prototype.constructor.now(),
    Object.getPrototypeOf(inst).constructor.now(),
    D.now.call(undefined),
  ]) }
`

describe('attack: reading the clock through Date', () => {
  it('Date.now(), new Date(), Date(), subclasses and constructors all give 2025-12-31T00:00:00Z', async () => {
    const probe = await harness.load(apiProductSource(PROBE))
    const value = (expectOutput(await harness.invoke(probe, SAMPLE_INPUT)) as { value: string }).value
    const asOf = Date.parse('2025-12-31T00:00:00Z')
    expect(JSON.parse(value)).toEqual([
      asOf,
      asOf,
      '2025-12-31T00:00:00.000Z',
      'Wed Dec 31 2025 00:00:00 GMT+0000 (Coordinated Universal Time)',
      asOf,
      asOf,
      asOf,
      asOf,
      asOf,
      asOf,
      asOf,
    ])
    await expectStillServes(harness)
  }, 30_000)
})
